"""Reading the audit (core.audit_query): filters, keyset pages, who may read what, the one-line "what"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beritatui.core import audit, audit_query, clock, tags, transitions, unit_admin
from beritatui.core.articles import create_article
from beritatui.core.database import current_database
from beritatui.core.errors import NotFound, ValidationError
from beritatui.core.models import AuditEvent, User


@pytest.fixture
def desk(newsroom, sample_draft):
    """Two units under the root: Rutan (wati's article) and Lapas (budi's article, its own editor)."""
    rutan = unit_admin.add_unit(newsroom.admin, "Rutan Makassar")
    lapas = unit_admin.add_unit(newsroom.admin, "Lapas Watampone")
    unit_admin.add_unit(newsroom.admin, "Blok A", parent=lapas.id)
    mine = create_article(newsroom.writer, sample_draft())
    theirs = create_article(newsroom.writer2, sample_draft())
    from beritatui.core.models import Article

    Article.update(unit=rutan.id).where(Article.id == mine.id).execute()
    Article.update(unit=lapas.id).where(Article.id == theirs.id).execute()
    transitions.submit(newsroom.writer, mine.id)
    tags.create_tag(newsroom.admin, "Liputan")
    tags.rename_tag(newsroom.admin, "Liputan", "Reportase")
    return newsroom, rutan, lapas, mine, theirs


def actions(page: audit_query.AuditPage) -> list[str]:
    return [row.action for row in page.rows]


def test_newest_first_and_the_filters_narrow(desk):
    room, rutan, lapas, mine, theirs = desk
    everything = audit_query.page(room.admin)
    ids = [row.id for row in everything.rows]
    assert ids == sorted(ids, reverse=True)
    by_article = audit_query.page(room.admin, audit_query.resolve(article=mine.slug))
    assert actions(by_article) == ["article.submit", "article.create"]
    assert {r.login for r in audit_query.page(room.admin, audit_query.resolve(user="budi")).rows} == {"budi"}
    assert actions(audit_query.page(room.admin, audit_query.resolve(action="tag.rename"))) == ["tag.rename"]
    assert set(actions(audit_query.page(room.admin, audit_query.resolve(action="article.")))) == {
        "article.create", "article.submit"}
    assert actions(audit_query.page(room.admin, audit_query.resolve(action="submit"))) == ["article.submit"]
    in_lapas = audit_query.page(room.admin, audit_query.resolve(unit="Lapas Watampone"))
    assert [r.article_id for r in in_lapas.rows] == [theirs.id]  # article-less unit.add events never match


def test_a_unit_filter_takes_the_sub_units_too(desk):
    room, _rutan, lapas, _mine, theirs = desk
    from beritatui.core import units
    from beritatui.core.models import Article

    Article.update(unit=units.get_unit("Blok A").id).where(Article.id == theirs.id).execute()
    found = audit_query.page(room.admin, audit_query.resolve(unit=lapas.name))
    assert [r.article_id for r in found.rows] == [theirs.id]
    assert audit_query.page(room.admin, audit_query.resolve(unit="Rutan Makassar")).rows[0].article_id != theirs.id


def test_since_and_until_are_site_times(newsroom):
    clock.freeze(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))  # 09:00 in Makassar
    with current_database().atomic():
        audit.record("ani", "backup", path="/tmp/a.db")
    clock.freeze(datetime(2026, 12, 2, 1, 0, tzinfo=UTC))
    with current_database().atomic():
        audit.record("ani", "backup", path="/tmp/b.db")
    zone = "Asia/Makassar"
    later = audit_query.resolve(action="backup", since="2026-12-01 09:01", timezone=zone)
    assert [r.details["path"] for r in audit_query.page(newsroom.admin, later).rows] == ["/tmp/b.db"]
    earlier = audit_query.resolve(action="backup", until="2026-12-01 09:00", timezone=zone)
    assert [r.details["path"] for r in audit_query.page(newsroom.admin, earlier).rows] == ["/tmp/a.db"]
    with pytest.raises(ValidationError):
        audit_query.resolve(since="yesterday-ish")
    with pytest.raises(ValidationError):
        audit_query.resolve(since="2026-12-02", until="2026-12-01")


def test_pages_follow_the_keyset_without_gaps_or_repeats(newsroom):
    with current_database().atomic():
        for n in range(23):
            audit.record("ani", "backup", path=f"/b/{n}")
    seen, before = [], None
    while True:
        found = audit_query.page(newsroom.admin, audit_query.resolve(action="backup"), before=before, limit=5)
        seen += [r.details["path"] for r in found.rows]
        if found.next_before is None:
            break
        before = found.next_before
    assert seen == [f"/b/{n}" for n in reversed(range(23))]


def test_who_may_read_what(desk):
    room, rutan, lapas, mine, theirs = desk
    assert audit_query.scope_of(room.admin).everything
    writer_sees = {r.article_id for r in audit_query.page(room.writer).rows}
    assert writer_sees == {mine.id}  # only wati's own article; no tag or unit events
    editor_rows = audit_query.page(room.editor).rows
    assert {r.article_id for r in editor_rows} == {mine.id, theirs.id}  # eko edits the root: every article
    assert all(r.article_id is not None for r in editor_rows)  # article-less events are the admins'
    # An editor of Lapas only: budi's article there, not wati's in Rutan.
    from beritatui.core import users

    lapas_editor = users.add_user(room.admin, "rina", role="writer")
    unit_admin.grant(room.admin, "rina", lapas.id, "editor")
    from beritatui.core.models import Membership

    Membership.delete().where((Membership.user == lapas_editor.id) & (Membership.unit != lapas.id)).execute()
    lapas_editor = User.get_by_id(lapas_editor.id)
    assert {r.article_id for r in audit_query.page(lapas_editor).rows} == {theirs.id}
    tag_event = AuditEvent.get(AuditEvent.action == "tag.rename")
    with pytest.raises(NotFound):
        audit_query.get_event(room.editor, tag_event.id)
    assert audit_query.get_event(room.admin, tag_event.id).what == "tag renamed: Liputan → Reportase"


def test_what_reads_before_and_after_and_hides_long_values():
    line = audit_query.what("user.set-role", {"target": "wati", "role": "editor", "previous": "writer"})
    assert line == "role set: writer → editor; target=wati"
    long = audit_query.what("settings.set", {"key": "footer", "value": "x" * 500})
    assert len(long) < 120 and long.endswith("…")
    assert audit_query.what("something.new", {}) == "something.new"


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=10), st.one_of(
    st.text(max_size=300), st.integers(), st.none(), st.lists(st.text(max_size=20), max_size=5),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3))))
def test_what_is_one_short_line_for_any_details(details):
    line = audit_query.what("article.save", details)
    assert "\n" not in line and len(line) <= 160 and line.startswith("saved")


def test_bad_limits_and_unknown_names_are_one_clear_error(newsroom):
    with pytest.raises(ValidationError):
        audit_query.page(newsroom.admin, limit=0)
    with pytest.raises(NotFound):
        audit_query.resolve(article="no-such-article")
    with pytest.raises(NotFound):
        audit_query.resolve(unit="No Such Unit")
    assert audit_query.page(newsroom.admin, audit_query.resolve(action="nothing.")).rows == []


def test_a_since_is_read_in_the_given_zone(newsroom):
    found = audit_query.resolve(since="2026-12-01 08:00", timezone="Asia/Makassar")
    assert found.since == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
