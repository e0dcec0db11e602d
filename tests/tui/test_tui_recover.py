"""Unsaved text waiting in autosave slots is announced on start, one key opens it, and Recover puts the cursor
back where it was; a slot written by ``beritatui edit`` (only some fields) never blanks the others."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import Input, Static, TextArea

from beritatui.core import autosave, clock, transitions
from beritatui.core.articles import ArticleDraft, create_article, get_article
from beritatui.core.models import Revision
from beritatui.core.site import set_setting
from beritatui.tui.articles import ArticlesScreen
from beritatui.tui.editor import EditorScreen
from beritatui.tui.help import screen_keys
from beritatui.tui.recovery import RecoveryModal

from .conftest import wait_for

WRITTEN = datetime(2026, 11, 28, 23, 5, tzinfo=UTC)  # 07:05 the next morning in Makassar


def write_slot(slot, payload, article=None):
    clock.freeze(WRITTEN)
    try:
        autosave.store(slot, "wati", payload, article_id=article.id if article else None,
                       base_version=article.version if article else None)
    finally:
        clock.freeze(None)


def notice(app) -> str:
    line = app.screen.query_one("#recover-line", Static)
    return str(line.render()) if line.display else ""


async def test_the_list_announces_waiting_text_and_r_recovers_it_with_the_cursor(newsroom, make_app):
    set_setting(newsroom.admin, "timezone", "Asia/Makassar")
    article = create_article(newsroom.writer, ArticleDraft(title="Senam Pagi Bersama", body="Senam dimulai.\nRamai."))
    write_slot(article.uuid, {"title": "Senam Pagi Bersama", "slug": article.slug, "summary": "", "tags": [],
                              "bylines": [["Wati Handayani", "Lapas Watampone"]], "language": "id", "image_url": "",
                              "image_alt": "", "body": "Senam dimulai.\nRamai sekali.", "slug_edited": False,
                              "focus": "body", "cursor": [1, 5], "source": "editor"}, article)
    write_slot("new:5e1f2a", {"title": "Naskah Belum Tersimpan", "body": "Draf baru."})
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(notice(app)))
        text = notice(app)
        assert text.startswith("R recovers unsaved text (newest first): ")
        assert "\u201cSenam Pagi Bersama\u201d 29 Nov 07:05" in text  # in the site's time zone, not UTC
        assert "new draft \u201cNaskah Belum Tersimpan\u201d 29 Nov 07:05" in text
        keys = {line.binding_id: line for line in screen_keys(app.screen)}
        assert keys["articles.recover"].description == "Recover unsaved text"
        await pilot.press("R")
        await wait_for(pilot, lambda: isinstance(app.screen, RecoveryModal) and app.screen.query("#accept"))
        await pilot.press("f5")
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        body = editor.query_one("#body", TextArea)
        assert body.text == "Senam dimulai.\nRamai sekali."
        assert app.focused is body and body.cursor_location == (1, 5)
        assert editor.query_one("#title", Input).value == "Senam Pagi Bersama"
        await pilot.press(*" Sekali")  # typing goes on where it stopped
        assert body.text == "Senam dimulai.\nRamai Sekali sekali."
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: get_article(article.id).version == 2)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ArticlesScreen) and "Senam" not in notice(app))
        assert notice(app).startswith("R recovers unsaved text: new draft \u201cNaskah Belum Tersimpan\u201d")


async def test_a_slot_from_the_command_line_blanks_nothing(newsroom, make_app):
    article = create_article(newsroom.writer, ArticleDraft(
        title="Panen Sayur di Kebun Lapas", summary="Kangkung dan bayam.", body="Hasil panen.", tags=["Humas"]))
    write_slot(article.uuid, {"body": "Hasil panen melimpah.", "slug_edited": False, "source": "edit"}, article)
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(notice(app)))
        await pilot.press("R")
        await wait_for(pilot, lambda: isinstance(app.screen, RecoveryModal) and app.screen.query("#diff"))
        diff = str(app.screen.query_one("#diff").render())
        assert "+Hasil panen melimpah." in diff and "-Title" not in diff and "-Summary" not in diff
        await pilot.press("f5")
        editor = app.screen
        values = {name: editor.query_one(f"#{name}", Input).value for name in ("title", "slug", "summary", "tags")}
        assert values == {"title": "Panen Sayur di Kebun Lapas", "slug": article.slug,
                          "summary": "Kangkung dan bayam.", "tags": "Humas"}
        assert editor.query_one("#body", TextArea).text == "Hasil panen melimpah."


async def test_waiting_text_for_a_trashed_article_goes_into_its_history(newsroom, make_app):
    article = create_article(newsroom.writer, ArticleDraft(title="Kunjungan Keluarga", body="Jadwal lama."))
    write_slot(article.uuid, {"title": "Kunjungan Keluarga", "body": "Jadwal baru."}, article)
    transitions.trash(newsroom.editor, article.id)
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(notice(app)))
        await pilot.press("R")
        await wait_for(pilot, lambda: not notice(app))
        assert isinstance(app.screen, ArticlesScreen)
        assert "R" not in {active.binding.key for active in app.screen.active_bindings.values()
                           if app.screen.check_action(active.binding.action, ()) is not False}
    kept = Revision.select().where(Revision.article == article.id).order_by(Revision.number.desc()).first()
    assert (kept.reason, kept.body) == ("kept", "Jadwal baru.")
    assert autosave.load(article.uuid, "wati") is None
