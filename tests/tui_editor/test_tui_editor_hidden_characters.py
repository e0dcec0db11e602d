"""A title pasted with an invisible bidi override: the save is refused by code point, and the text stays."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from beritatui.core import autosave
from beritatui.core.models import Article
from beritatui.tui.editor import EditorScreen


async def test_a_hidden_character_in_the_title_is_named_and_nothing_typed_is_lost(make_app, newsroom, settle):
    app = make_app(newsroom.writer, lambda: EditorScreen(None))
    pasted = "Jadwal \u202eKunjungan Keluarga"
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.loaded)
        await pilot.press(*"Jadwal")
        screen.query_one("#title", Input).value = pasted  # as a paste from a chat message would put it
        screen.query_one("#body", TextArea).focus()
        await pilot.press(*"Kunjungan dibuka Senin.")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: not screen.saving and app._notifications)
        messages = [str(n.message) for n in app._notifications]
        assert any("U+202E RIGHT-TO-LEFT OVERRIDE" in m for m in messages), messages
        assert screen.article_id is None and Article.select().count() == 0
        assert screen.query_one("#title", Input).value == pasted
        assert screen.query_one("#body", TextArea).text == "Kunjungan dibuka Senin."
        screen.query_one("#title", Input).value = "Jadwal Kunjungan Keluarga"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: screen.article_id is not None and not screen.saving)
    assert Article.get_by_id(screen.article_id).body == "Kunjungan dibuka Senin."
    assert not autosave.pending("wati")
