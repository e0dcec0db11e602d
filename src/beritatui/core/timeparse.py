"""Reading times people type, in the site's time zone, and showing UTC times back in it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from beritatui.core.errors import ValidationError
from beritatui.i18n import _

FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d-%m-%Y %H:%M",
           "%d/%m/%Y %H:%M", "%Y-%m-%d")


def parse_time(text: str, timezone: str) -> datetime:
    """``2026-12-01 09:00`` (site time) or ISO 8601 with an offset -> an aware UTC datetime."""
    raw = " ".join((text or "").split())
    if not raw:
        raise ValidationError(_("Give a date and time, e.g. 2026-12-01 09:00"))
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        moment = None
        for fmt in FORMATS:
            try:
                moment = datetime.strptime(raw, fmt)
                break
            except ValueError:
                continue
    if moment is None:
        raise ValidationError(
            _("Cannot read {text!r} as a time; use YYYY-MM-DD HH:MM (site time)").format(text=raw))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise ValidationError(_("Cannot read {text!r} as a time").format(text=raw)) from exc


def to_site(moment: datetime, timezone: str) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(timezone))


def rfc3339(moment: datetime, timezone: str = "UTC") -> str:
    """``2026-11-29T10:42:00+08:00``: seconds precision, explicit offset."""
    return to_site(moment, timezone).replace(microsecond=0).isoformat()
