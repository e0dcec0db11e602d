"""Every way the app ends either asks (Cancel / Discard / Save) or leaves every open buffer in its autosave
slot first — whatever screen lies on top of the editor."""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from beritatui.core import autosave
from beritatui.core.articles import ArticleDraft, create_article, get_article
from beritatui.tui.editor import EditorScreen, LeaveModal
from beritatui.tui.history import HistoryScreen
from beritatui.tui.widgets.confirm import TextPromptModal


async def editing(pilot, app, text=" Ramai."):
    screen = app.screen
    for _ in range(200):
        if screen.loaded:
            break
        await pilot.pause(0.02)
    area = screen.query_one("#body", TextArea)
    area.focus()
    area.move_cursor((0, len(area.document.get_line(0))))
    await pilot.press(*text)
    return screen


def draft(newsroom):
    return create_article(newsroom.writer, ArticleDraft(title="Senam Pagi Bersama", body="Senam dimulai."))


async def test_ctrl_q_in_the_editor_asks_and_cancel_keeps_editing(make_app, newsroom, settle):
    article = draft(newsroom)
    app = make_app(newsroom.writer, lambda: EditorScreen(article.id))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editing(pilot, app)
        await pilot.press("ctrl+q")
        await settle(pilot, lambda: isinstance(app.screen, LeaveModal))
        assert "Senam Pagi Bersama" in str(app.screen.query_one("Label").render())
        await pilot.press("escape")
        assert app.screen is screen and app.is_running
        assert screen.query_one("#body", TextArea).text == "Senam dimulai. Ramai."
        await pilot.press("ctrl+q")
        await settle(pilot, lambda: isinstance(app.screen, LeaveModal))
        await pilot.press("ctrl+s")  # save, then quit
        await settle(pilot, lambda: not app.is_running)
    assert get_article(article.id).body == "Senam dimulai. Ramai."
    assert autosave.load(article.uuid, "wati") is None


async def test_palette_quit_with_the_editor_under_history_asks_and_discard_clears(make_app, newsroom, settle):
    article = draft(newsroom)
    app = make_app(newsroom.writer, lambda: EditorScreen(article.id))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editing(pilot, app)
        screen.autosave_due()  # a slot from earlier typing, to see it cleared by Discard
        await settle(pilot, lambda: autosave.load(article.uuid, "wati") is not None)
        await pilot.press("f4")
        await settle(pilot, lambda: isinstance(app.screen, HistoryScreen))
        app.switch_language("id")  # rebuilding the screens would close the editor: refused
        await settle(pilot, lambda: any("Close the open editor" in str(n.message) for n in app._notifications))
        assert screen in app.screen_stack
        await pilot.press("ctrl+p", *"Quit")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, LeaveModal))
        await pilot.press("ctrl+d")
        await settle(pilot, lambda: not app.is_running)
    assert autosave.load(article.uuid, "wati") is None
    assert get_article(article.id).body == "Senam dimulai."


async def test_a_save_that_fails_does_not_quit_and_the_text_stays(make_app, newsroom, settle):
    app = make_app(newsroom.writer, lambda: EditorScreen(None))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editing(pilot, app, "Isi tanpa judul.")
        await pilot.press("ctrl+q")
        await settle(pilot, lambda: isinstance(app.screen, LeaveModal))
        await pilot.press("ctrl+s")  # a new draft needs a title: the save is refused
        await settle(pilot, lambda: any("Not quit" in str(n.message) for n in app._notifications))
        assert app.is_running and app.screen is screen
        assert screen.query_one("#body", TextArea).text == "Isi tanpa judul."
        await pilot.press("ctrl+q")
        await settle(pilot, lambda: isinstance(app.screen, LeaveModal))
        await pilot.press("escape")
        app.exit()  # any other way out keeps the buffer
        await settle(pilot, lambda: not app.is_running)
    slots = [slot for slot in autosave.pending("wati") if slot.slot.startswith("new:")]
    assert [slot.payload["body"] for slot in slots] == ["Isi tanpa judul."]


async def test_an_uncaught_error_keeps_every_open_buffer_first(make_app, newsroom, settle, monkeypatch):
    article = draft(newsroom)

    def broken(self, event):
        raise RuntimeError("a bug")

    monkeypatch.setattr(TextPromptModal, "on_input_submitted", broken)
    app = make_app(newsroom.writer, lambda: EditorScreen(article.id))
    with pytest.raises(RuntimeError, match="a bug"):
        async with app.run_test(size=(80, 24)) as pilot:
            await editing(pilot, app)
            await pilot.press("ctrl+n")  # a note dialog on top of the editor
            await settle(pilot, lambda: isinstance(app.screen, TextPromptModal))
            await pilot.press(*"Cek foto", "enter")  # and the dialog has a bug
            await pilot.pause(0.2)
    slot = autosave.load(article.uuid, "wati")
    assert slot is not None and slot.payload["body"] == "Senam dimulai. Ramai."

