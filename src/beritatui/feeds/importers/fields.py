"""Foreign values (front matter, feed items) turned into an article's fields, or refused with a reason.

The Markdown and JSON Feed readers share them, so a date, a tag list or an id means the same in both.
"""

from __future__ import annotations

import reprlib
import uuid as uuidlib
from datetime import date, datetime, time
from typing import Any

from beritatui.core.models import REACTIONS
from beritatui.core.timeparse import parse_time
from beritatui.i18n import _

from .source import ImportProblem

# -- field helpers ---------------------------------------------------------------------------------

def as_moment(value: Any, timezone: str) -> datetime | None:
    """A front-matter or feed date (datetime, date or text) as aware UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return parse_time(value.isoformat(), timezone)
    if isinstance(value, date):
        return parse_time(datetime.combine(value, time()).isoformat(), timezone)
    if isinstance(value, str):
        return parse_time(value, timezone)
    raise ImportProblem(_("{value} is not a date").format(value=reprlib.repr(value)))


def as_names(value: Any) -> list[str]:
    """Tags or categories given as a list or as ``"a, b"``."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    raise ImportProblem(_("tags must be a list or comma-separated text"))


def as_text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    raise ImportProblem(_("{name} must be text").format(name=name))


def as_uuid(value: Any) -> str:
    """A UUID from ``urn:uuid:…`` or a bare UUID; any other id maps to a stable UUID (so re-imports match)."""
    text = as_text(value, "id")
    if not text:
        return ""
    bare = text[len("urn:uuid:"):] if text.lower().startswith("urn:uuid:") else text
    try:
        return str(uuidlib.UUID(bare))
    except ValueError:
        return str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, text))


def as_reactions(value: Any) -> dict[str, int] | None:
    if not isinstance(value, dict):
        return None
    return {name: count for name, count in value.items() if name in REACTIONS and isinstance(count, int)
            and not isinstance(count, bool) and count >= 0}
