"""The audit screen: opened with a key from the list and from the palette, filtered through its dialog,
paged by scrolling, one event in full on enter; a writer sees only their own articles' events."""

from __future__ import annotations

from textual.widgets import DataTable

from beritatui.core import audit
from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.database import current_database
from beritatui.tui.audit import AuditFilterModal, AuditScreen, EventModal

from .conftest import settle, type_text, wait_for


async def _open(pilot) -> AuditScreen:
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AuditScreen)
    return pilot.app.screen


async def test_the_audit_opens_from_the_list_filters_and_shows_an_event(newsroom, make_app):
    mine = create_article(newsroom.writer, ArticleDraft(title="Panen Kangkung di Kebun Lapas", body="Isi."))
    app = make_app(newsroom.admin)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        assert screen.rows and screen.rows[0].action == "article.create"
        assert [r.id for r in screen.rows] == sorted((r.id for r in screen.rows), reverse=True)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, AuditFilterModal)
        await type_text(pilot, "wati")  # Who
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.asked.user == "wati")
        assert {r.login for r in screen.rows} == {"wati"}
        assert screen.rows[0].article_id == mine.id
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EventModal)
        text = str(app.screen.query_one("#event-text").render())
        assert "article.create" in text and mine.slug in text
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("c")
        await wait_for(pilot, lambda: not screen.asked.any())
        assert {r.login for r in screen.rows} != {"wati"}
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, AuditScreen)


async def test_a_bad_filter_is_one_notice_and_the_list_stays(newsroom, make_app):
    app = make_app(newsroom.admin)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        before = [r.id for r in screen.rows]
        await pilot.press("f")
        await settle(pilot)
        for _ in range(4):
            await pilot.press("tab")  # Who, Action, Unit, Article, then From
        await type_text(pilot, "kemarin")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        assert [r.id for r in screen.rows] == before and not screen.asked.any()
        assert any("kemarin" in str(n.message) for n in app._notifications)


async def test_scrolling_reads_the_next_pages(newsroom, make_app):
    with current_database().atomic():
        for n in range(250):
            audit.record("ani", "backup", path=f"/cadangan/{n}.db")
    app = make_app(newsroom.admin)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        assert len(screen.rows) == 100 and screen.next_before is not None
        await pilot.press("end")
        await wait_for(pilot, lambda: len(screen.rows) == 200)
        await pilot.press("end")
        await wait_for(pilot, lambda: screen.next_before is None)
        ids = [r.id for r in screen.rows]
        assert len(ids) == len(set(ids)) and ids == sorted(ids, reverse=True)
        assert len(screen.query_one(DataTable).rows) == len(ids)


async def test_a_writer_sees_only_their_own_articles(newsroom, make_app):
    create_article(newsroom.writer, ArticleDraft(title="Kabar Wati", body="Isi."))
    create_article(newsroom.writer2, ArticleDraft(title="Kabar Budi", body="Isi."))
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        assert [r.title for r in screen.rows] == ["Kabar Wati"]


async def test_the_palette_offers_the_audit(newsroom, make_app):
    app = make_app(newsroom.admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "Audit trail")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)


async def test_v_verifies_the_chain_and_names_an_event_changed_behind_the_app(newsroom, make_app):
    import sqlite3

    from beritatui.core.database import close_database, open_database
    from beritatui.core.sqlite import AUDIT_GUARDS

    app = make_app(newsroom.admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await pilot.press("v")
        await wait_for(pilot, lambda: any("OK: the audit chain holds" in str(n.message) for n in app._notifications))
    close_database()
    with sqlite3.connect(newsroom.path) as raw:  # an attacker with the file: drop the guard, edit an event
        raw.execute("DROP TRIGGER audit_event_no_update")
        raw.execute("UPDATE audit_event SET login = 'eko' WHERE id = 2")
        raw.execute(AUDIT_GUARDS[0])
    open_database(str(newsroom.path))
    app = make_app(newsroom.admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await pilot.press("v")
        await wait_for(pilot, lambda: any("Audit event 2 was changed" in str(n.message) for n in app._notifications))
