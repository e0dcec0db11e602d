"""One-line fields: Tab into a filled field keeps its value, and typing over it can be undone (ctrl+z)."""

from __future__ import annotations

from textual.widgets import Input

from beritatui.core.articles import ArticleDraft, create_article
from beritatui.tui.editor import EditorScreen


async def opened(make_app, newsroom, settle):
    article = create_article(newsroom.writer, ArticleDraft(
        title="Penyuluhan Hukum bagi Warga Binaan", summary="Aula utama penuh.", body="Dimulai pukul sembilan.\n"))
    app = make_app(newsroom.writer, lambda: EditorScreen(article.id))
    return app, article


async def test_tab_into_a_filled_field_keeps_its_value(make_app, newsroom, settle):
    app, _article = await opened(make_app, newsroom, settle)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.loaded)
        assert app.focused is screen.query_one("#title", Input)
        await pilot.press("tab", "tab", "tab")  # slug, tags, summary
        summary = screen.query_one("#summary", Input)
        assert app.focused is summary
        await pilot.press(*" Semua", "space", *"hadir.")
        assert summary.value == "Aula utama penuh. Semua hadir."
        await pilot.press("shift+tab", "shift+tab", "shift+tab")  # back to the title
        await pilot.press("x")
        assert screen.query_one("#title", Input).value == "Penyuluhan Hukum bagi Warga Binaanx"


async def test_typing_over_a_selection_is_undone_with_ctrl_z(make_app, newsroom, settle):
    app, _article = await opened(make_app, newsroom, settle)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.loaded)
        title = screen.query_one("#title", Input)
        await pilot.press("shift+home", *"Rapat")  # the whole title selected, then typed over
        assert title.value == "Rapat"
        assert screen.dirty
        await pilot.press("ctrl+z")
        assert title.value == "Penyuluhan Hukum bagi Warga Binaan"
        assert not screen.dirty
        await pilot.press("ctrl+y")
        assert title.value == "Rapat"
        await pilot.press("ctrl+z", "end", "space", *"Pagi", "space", *"Ini")
        assert title.value == "Penyuluhan Hukum bagi Warga Binaan Pagi Ini"
        await pilot.press("ctrl+z")  # one typed word at a time
        assert title.value == "Penyuluhan Hukum bagi Warga Binaan Pagi"
        await pilot.press("ctrl+z", "ctrl+z")
        assert title.value == "Penyuluhan Hukum bagi Warga Binaan"
        await pilot.press("ctrl+w")  # a deletion is a step of its own
        assert title.value == "Penyuluhan Hukum bagi Warga "
        await pilot.press("ctrl+z")
        assert title.value == "Penyuluhan Hukum bagi Warga Binaan"


async def test_undo_is_in_the_help_of_a_field(make_app, newsroom, settle):
    from beritatui.tui.help import screen_keys

    app, _article = await opened(make_app, newsroom, settle)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.loaded)
        ids = {line.binding_id: line for line in screen_keys(screen)}
        assert ids["field.undo"].keys == "^z" and ids["field.undo"].description == "Undo"
        assert "field.redo" in ids
