"""The one source of "now" (UTC, timezone-aware), so tests can move time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

_frozen: list[datetime] = []


def utcnow() -> datetime:
    """Now in UTC, to the microsecond, timezone-aware."""
    return _frozen[-1] if _frozen else datetime.now(UTC)


def freeze(moment: datetime | None) -> None:
    """Pin "now" to ``moment`` (tests); ``None`` releases it."""
    _frozen.clear()
    if moment is not None:
        _frozen.append(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """Act as if "now" were ``moment`` (sample data with a believable timeline), then put the clock back."""
    saved = list(_frozen)
    freeze(moment)
    try:
        yield
    finally:
        _frozen[:] = saved
