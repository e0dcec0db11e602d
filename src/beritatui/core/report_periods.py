"""The periods a report counts in: months, ISO weeks or days on the site's clock, cut to ``[start, end)``.

Apart from :mod:`beritatui.core.reports` because it is pure date arithmetic (no database): a month
in Makassar starts at 16:00 UTC the day before, and a zone with summer time moves that hour twice a
year, so the boundaries are computed here in the zone and handed to SQL as UTC text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from beritatui.core.errors import ValidationError
from beritatui.i18n import _

BY = ("month", "week", "day")
DEFAULT_COUNT = 12  # with no --from: the current period and the eleven before it
MAX_PERIODS = 400  # a day-by-day report over more than a year is a table nobody reads; ask for weeks


@dataclass(frozen=True)
class Period:
    """One column of a report: ``key`` names it ("2026-11", "2026-W48", "2026-11-30"); times are UTC."""

    key: str
    start: datetime
    end: datetime


def _local_start(day: date, by: str) -> date:
    """The first day of the period (on the site's calendar) that holds ``day``."""
    if by == "month":
        return day.replace(day=1)
    if by == "week":
        return day - timedelta(days=day.weekday())
    return day


def _next(day: date, by: str) -> date:
    if by == "month":
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return day + timedelta(days=7 if by == "week" else 1)


def _previous(day: date, by: str) -> date:
    if by == "month":
        return date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, 1)
    return day - timedelta(days=7 if by == "week" else 1)


def _key(day: date, by: str) -> str:
    if by == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if by == "week":
        year, week, _weekday = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return day.isoformat()


def _utc(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def parse_date(text: str, zone: ZoneInfo) -> datetime:
    """``2026-11-01`` (or ``2026-11``: its first day) as midnight on the site's clock, in UTC."""
    raw = (text or "").strip()
    try:
        day = date.fromisoformat(f"{raw}-01" if len(raw) == 7 else raw)
    except ValueError:
        raise ValidationError(_("Cannot read {text!r} as a date; use YYYY-MM-DD or YYYY-MM").format(
            text=raw)) from None
    return _utc(day, zone)


def check_by(by: str) -> str:
    if by not in BY:
        raise ValidationError(_("Report by month, week or day, not {by!r}").format(by=by))
    return by


def default_range(by: str, zone: ZoneInfo, now: datetime, start: datetime | None,
                  end: datetime | None) -> tuple[datetime, datetime]:
    """What a report covers when a bound is not given: up to the end of the current period, and the
    :data:`DEFAULT_COUNT` periods before the end."""
    if end is None:
        today = now.astimezone(zone).date()
        end = _utc(_next(_local_start(today, by), by), zone)
        if start is not None and start >= end:
            end = _utc(_next(_local_start(start.astimezone(zone).date(), by), by), zone)
    if start is None:
        first = _local_start((end - timedelta(microseconds=1)).astimezone(zone).date(), by)
        for _step in range(DEFAULT_COUNT - 1):
            first = _previous(first, by)
        start = _utc(first, zone)
    return start, end


def periods(by: str, zone: ZoneInfo, start: datetime, end: datetime) -> list[Period]:
    """The periods from ``start`` to ``end`` (UTC); the first and last are cut at the bounds."""
    check_by(by)
    if start >= end:
        raise ValidationError(_("The report's start (--from) must be before its end (--to)"))
    found: list[Period] = []
    day = _local_start(start.astimezone(zone).date(), by)
    while True:
        following = _next(day, by)
        lower, upper = max(start, _utc(day, zone)), min(end, _utc(following, zone))
        if lower < upper:
            found.append(Period(_key(day, by), lower, upper))
        if upper >= end:
            return found
        if len(found) > MAX_PERIODS:
            raise ValidationError(_("More than {n} periods: report by week or month instead").format(
                n=MAX_PERIODS))
        day = following
