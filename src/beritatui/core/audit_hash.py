"""How one audit event is hashed into the chain (schema 11): the canonical encoding and the link.

An event's hash is ``SHA-256(previous + "\\n" + encoding)`` in hex, where ``previous`` is the hex hash of
the event before it (the first event uses :data:`GENESIS`) and ``encoding`` is the UTF-8 of the JSON array
``[id, at, login, action, article, details]`` written as ``json.dumps(..., sort_keys=True,
separators=(",", ":"), ensure_ascii=False)`` would write it, ``at`` being the UTC time as
``YYYY-MM-DDTHH:MM:SS.ffffffZ``.  Anyone can recompute it from an export of the table with a few lines
of any language: that is the point (docs/security.md).

The functions here are written for speed, because ``verify`` runs them over every event: logins and
actions repeat, so their JSON text is cached (boundedly); a time already stored in the usual form is
rewritten with string slices instead of being parsed.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any

GENESIS = "beritatui-audit-genesis-v1"
_STORED_AT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?")
_QUOTED: dict[str, str] = {}
_QUOTED_MAX = 4096  # distinct logins/actions kept; constant memory over any number of events


def canonical_json(value: Any) -> str:
    """JSON with sorted keys, no spaces, UTF-8 characters as they are: one text for one value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def at_text(value: datetime | str) -> str:
    """The event's time in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``, from a datetime or the stored text.

    A stored naive time is UTC (models.UTCDateTimeField); an aware one is converted.
    """
    if isinstance(value, str):
        # The stored form, rewritten by slices.  Only the shape is checked: a text that is no time gives
        # bytes no other time gives (the slices are fixed), so it cannot pass for another event's.
        if len(value) == 26 and value[10] == " ":
            return f"{value[:10]}T{value[11:]}Z"
        if _STORED_AT.fullmatch(value):
            return f"{value[:10]}T{value[11:]}.000000Z"
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds") + "Z"


def quoted_text(text: str) -> str:
    """``text`` as a JSON string (cached: logins and actions repeat)."""
    found = _QUOTED.get(text)
    if found is None:
        if len(_QUOTED) >= _QUOTED_MAX:
            _QUOTED.clear()
        found = _QUOTED[text] = json.dumps(text, ensure_ascii=False)
    return found


def encoding(event_id: int, at: str, login: str, action: str, article: int | None, details: str) -> bytes:
    """The canonical bytes of one event; ``at`` from :func:`at_text`, ``details`` canonical JSON text."""
    if type(article) is not int and article is not None:  # noqa: E721 - bool or text in the column: spelled out
        article_text = json.dumps(article, ensure_ascii=False)
    else:
        article_text = "null" if article is None else str(article)
    return (f'[{int(event_id)},"{at}",{quoted_text(str(login))},{quoted_text(str(action))},{article_text},{details}]'
            .encode())


def link(previous: str, event: bytes) -> str:
    """The hash chaining ``event`` (its :func:`encoding`) to the event before it (its hash, or GENESIS)."""
    return hashlib.sha256(previous.encode() + b"\n" + event).hexdigest()


def event_hash(previous: str, event_id: int, at: datetime | str, login: str, action: str, article: int | None,
               details: Any) -> str:
    """The hash of one event given as values (``details`` a dict, or its stored JSON text)."""
    if isinstance(details, str):
        details = json.loads(details)
    return link(previous, encoding(event_id, at_text(at), login, action, article, canonical_json(details)))


def stored_hash(previous: str, row: tuple) -> str | None:
    """Whether the stored row ``(id, at, login, action, article, details_text, hash)`` links to ``previous``:
    its hash when it does, else ``None``.

    The stored details text is tried first (what :func:`~beritatui.core.audit.record` stores is already
    canonical), then its canonical form (events stored before schema 11 kept their keys in the order given).
    """
    event_id, at, login, action, article, details, found = row
    try:
        when = at_text(at)
        if link(previous, encoding(event_id, when, login, action, article, details)) == found:
            return found
        if link(previous, encoding(event_id, when, login, action, article,
                                   canonical_json(json.loads(details)))) == found:
            return found
    except (ValueError, TypeError):  # an unreadable time or details text: it was not written by beritatui
        return None
    return None
