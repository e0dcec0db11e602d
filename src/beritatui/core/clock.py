"""The one source of "now" (UTC, timezone-aware), so tests can move time."""

from __future__ import annotations

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
