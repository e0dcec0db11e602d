"""The periods of a report: contiguous, cut at the bounds, on the site's calendar, summer time included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beritatui.core import report_periods
from beritatui.core.errors import ValidationError

BERLIN = ZoneInfo("Europe/Berlin")


def test_months_follow_summer_time():
    found = report_periods.periods("month", BERLIN, report_periods.parse_date("2026-03", BERLIN),
                                   report_periods.parse_date("2026-05-01", BERLIN))
    assert [(p.key, p.start) for p in found] == [
        ("2026-03", datetime(2026, 2, 28, 23, tzinfo=UTC)), ("2026-04", datetime(2026, 3, 31, 22, tzinfo=UTC))]


def test_iso_weeks_start_on_monday_and_the_first_is_cut_at_the_start():
    zone = ZoneInfo("Asia/Makassar")
    found = report_periods.periods("week", zone, report_periods.parse_date("2026-12-30", zone),
                                   report_periods.parse_date("2027-01-12", zone))
    assert [p.key for p in found] == ["2026-W53", "2027-W01", "2027-W02"]
    assert found[0].start == datetime(2026, 12, 29, 16, tzinfo=UTC)
    assert found[1].start == datetime(2027, 1, 3, 16, tzinfo=UTC)


@pytest.mark.parametrize("text", ["", "2026-13-01", "kemarin", "2026/11/01"])
def test_a_date_that_cannot_be_read_is_refused(text):
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        report_periods.parse_date(text, BERLIN)


@given(by=st.sampled_from(report_periods.BY),
       start=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1)),
       hours=st.integers(min_value=1, max_value=24 * 200))
def test_periods_are_contiguous_and_cover_the_range(by, start, hours):
    start = start.replace(tzinfo=UTC)
    end = start + timedelta(hours=hours)
    found = report_periods.periods(by, BERLIN, start, end)
    assert found[0].start == start and found[-1].end == end
    assert all(a.end == b.start and a.key < b.key for a, b in zip(found, found[1:], strict=False))
