"""The report's numbers against the hand-counted newsroom of ``report_history`` (tests/conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from beritatui.core import clock, reports
from beritatui.core.errors import PermissionDenied, ValidationError
from beritatui.core.report_periods import parse_date

ZONE = "Asia/Makassar"


def t(month: int, day: int, hour: int = 0) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def history(report_history):
    return report_history


def build(history, **kwargs):
    newsroom, *_units = history
    kwargs.setdefault("start", datetime(2026, 10, 31, 16, tzinfo=UTC))  # Nov 1, Makassar
    kwargs.setdefault("end", datetime(2026, 12, 31, 16, tzinfo=UTC))
    return reports.build(kwargs.pop("actor", newsroom.editor), kwargs.pop("unit", None), **kwargs)


def figures(report, unit, key):
    index = [p.key for p in report.periods].index(key)
    return report.totals[index] if unit is None else report.cell(unit.id, index)


def test_each_unit_in_each_month_as_counted_by_hand(history):
    newsroom, kanwil, lapas = history
    report = build(history)
    assert [p.key for p in report.periods] == ["2026-11", "2026-12"]
    nov = figures(report, lapas, "2026-11")
    assert (nov.published, nov.timed, nov.median_s, nov.p90_s) == (3, 3, 6 * 3600, 24 * 3600)
    assert (nov.corrections, nov.unpublished, nov.reactions_total) == (0, 0, 13)
    assert nov.reactions["like"] == 11 and nov.reactions["love"] == 2
    dec = figures(report, lapas, "2026-12")
    assert (dec.published, dec.median_s, dec.corrections, dec.unpublished, dec.reactions_total) == (1, 7200, 1, 1, 5)
    k = figures(report, kanwil, "2026-11")
    assert (k.published, k.median_s, k.p90_s, k.unpublished, k.reactions["sad"]) == (1, 3600, 3600, 1, 3)
    root = figures(report, report.unit, "2026-11")
    assert (root.published, root.timed, root.median_s) == (1, 0, None)
    total = figures(report, None, "2026-11")
    assert (total.published, total.timed, total.median_s, total.p90_s) == (5, 4, 14400, 86400)
    assert (total.unpublished, total.reactions_total) == (1, 16)


def test_a_unit_with_its_subunits_and_the_most_reacted(history):
    newsroom, kanwil, lapas = history
    report = build(history, subunits=True, unit="Kanwil Uji")
    assert [u.name for u in report.units] == ["Kanwil Uji", "Lapas Uji"]
    rolled = figures(report, kanwil, "2026-11")
    assert (rolled.published, rolled.median_s, rolled.unpublished, rolled.reactions_total) == (4, 14400, 1, 16)
    assert [a.reactions_total for a in report.top[None]] == [12, 5, 3, 1]
    assert [a.reactions_total for a in report.top[lapas.id]] == [12, 5, 1]
    assert [row["scope"] for row in reports.rows(report)] == ["subtree", "subtree", "total"] * 2


def test_weeks_and_days_on_the_site_clock(history):
    report = build(history, by="week")
    assert report.periods[0].key == "2026-W44" and report.periods[0].start == datetime(2026, 10, 31, 16, tzinfo=UTC)
    by_day = build(history, by="day", start=parse_date("2026-12-01", clock_zone()),
                   end=parse_date("2026-12-02", clock_zone()))
    assert [p.key for p in by_day.periods] == ["2026-12-01"] and by_day.totals[0].published == 1


def clock_zone():
    return ZoneInfo(ZONE)


def test_a_writer_is_refused_and_an_editor_sees_only_the_units_they_edit(history):
    newsroom, kanwil, lapas = history
    with pytest.raises(PermissionDenied):
        build(history, actor=newsroom.writer)
    lina = newsroom.writer.__class__.get(newsroom.writer.__class__.login == "lina")
    assert build(history, actor=lina).unit.id == lapas.id
    with pytest.raises(PermissionDenied):
        build(history, actor=lina, unit="Kanwil Uji")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"by": "year"}, "month, week or day"),
    ({"start": t(12, 1), "end": t(11, 1)}, "before its end"),
    ({"by": "day", "start": t(1, 1), "end": datetime(2028, 1, 1, tzinfo=UTC)}, "periods"),
])
def test_bad_requests_say_what_is_wrong(history, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        build(history, **kwargs)


def test_default_range_is_twelve_months_up_to_the_current_one(history):
    newsroom, *_units = history
    with clock.at(t(12, 2)):
        report = reports.build(newsroom.editor)
    assert [p.key for p in report.periods][0] == "2026-01" and report.periods[-1].key == "2026-12"
    assert len(report.periods) == 12
