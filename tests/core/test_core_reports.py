"""The report's numbers against a newsroom whose history was made through the core at known times.

Site time: Asia/Makassar (UTC+8), so a month starts at 16:00 UTC the day before.  The tree: the root,
"Kanwil Uji" under it, "Lapas Uji" under that.  Hand count (UTC times; waits from the last submit):

=====  ==========  ====================================================  ==========================
 art   unit        history                                               counts in (Makassar)
=====  ==========  ====================================================  ==========================
 a1    Lapas Uji   submit 11-02 01:00, publish 03:00 (2 h)               Nov; correction 12-02 (Dec)
 a2    Lapas Uji   submit 11-03, changes, submit 11-04 00:00,            Nov; expire 12-10 (Dec)
                   publish 06:00 until 12-10 (6 h from the last submit)
 a3    Kanwil Uji  submit 11-05 00:00, publish 01:00 (1 h)               Nov; unpublish 11-20 (Nov)
 a4    Lapas Uji   submit 11-30 15:00, publish 17:00 (2 h)               Dec (01:00 on Dec 1 local)
 a5    root        scheduled by an editor, never submitted, out 11-11    Nov, not timed
 a6    Lapas Uji   submit 11-06 00:00, scheduled for 11-07 00:00 (24 h)  Nov
=====  ==========  ====================================================  ==========================

Reactions: a1 like 10 love 2, a2 like 1, a3 sad 3, a4 wow 5.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from beritatui.core import clock, correction_review, reactions, reports, transitions, unit_admin
from beritatui.core.articles import ArticleDraft, create_article, save_article
from beritatui.core.database import current_database
from beritatui.core.errors import PermissionDenied, ValidationError
from beritatui.core.report_periods import parse_date
from beritatui.core.site import set_setting
from beritatui.core.users import add_user

ZONE = "Asia/Makassar"


def t(month: int, day: int, hour: int = 0) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def history(newsroom, sample_draft):
    """The newsroom of the module docstring; returns the articles by name."""
    admin, editor, writer = newsroom.admin, newsroom.editor, newsroom.writer
    with clock.at(t(10, 1)):
        set_setting(admin, "timezone", ZONE)
        kanwil = unit_admin.add_unit(admin, "Kanwil Uji")
        lapas = unit_admin.add_unit(admin, "Lapas Uji", kanwil)
        add_user(admin, "lina", display_name="Lina", unit="Lapas Uji", role="writer")
        unit_admin.grant(admin, "lina", lapas, "editor")
    made = {}

    def write(name: str, unit, at: datetime):
        with clock.at(at):
            made[name] = create_article(writer if unit is not None else editor, sample_draft(),
                                        unit=unit.id if unit is not None else None)
        return made[name].id

    def step(at: datetime, action, *args, **kwargs):
        with clock.at(at):
            return action(*args, **kwargs)

    a1 = write("a1", lapas, t(11, 2))
    step(t(11, 2, 1), transitions.submit, writer, a1)
    step(t(11, 2, 3), transitions.publish, editor, a1)
    a2 = write("a2", lapas, t(11, 3))
    step(t(11, 3), transitions.submit, writer, a2)
    step(t(11, 3, 1), transitions.request_changes, editor, a2, "Judul kurang jelas")
    step(t(11, 4), transitions.submit, writer, a2)
    step(t(11, 4, 6), transitions.publish, editor, a2, until=t(12, 10))
    a3 = write("a3", kanwil, t(11, 5))
    step(t(11, 5), transitions.submit, writer, a3)
    step(t(11, 5, 1), transitions.publish, editor, a3)
    step(t(11, 20), transitions.unpublish, editor, a3)
    a4 = write("a4", lapas, t(11, 30))
    step(t(11, 30, 15), transitions.submit, writer, a4)
    step(t(11, 30, 17), transitions.publish, editor, a4)
    a5 = write("a5", None, t(11, 10))
    step(t(11, 10, 1), transitions.schedule, admin, a5, t(11, 11))
    step(t(11, 11, 0), transitions.run_due)
    a6 = write("a6", lapas, t(11, 6))
    step(t(11, 6), transitions.submit, writer, a6)
    step(t(11, 6, 1), transitions.schedule, editor, a6, t(11, 7))
    step(t(11, 7, 0), transitions.run_due)
    live = made["a1"].__class__.get_by_id(a1)
    fixed = step(t(12, 2), save_article, editor, a1, live.version, ArticleDraft(body="Nama yang benar."))
    step(t(12, 2, 1), correction_review.publish_correction, admin, a1, "Ralat nama", fixed.version)
    step(t(12, 10, 1), transitions.run_due)
    with current_database().atomic():
        for name, counts in (("a1", {"like": 10, "love": 2}), ("a2", {"like": 1}), ("a3", {"sad": 3}),
                             ("a4", {"wow": 5})):
            reactions.set_tallies(made[name].id, counts)
    return newsroom, kanwil, lapas


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
    from zoneinfo import ZoneInfo

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
