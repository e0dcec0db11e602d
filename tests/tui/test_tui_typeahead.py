"""Keys typed ahead land where the person aimed: from the list's n and Enter into the editor, even while the
article loads, and in the editor's note dialog.  A burst is what a laggy SSH link delivers: many keys in one
read, routed before any of them is handled."""

from __future__ import annotations

import time

import pytest
from textual import events
from textual.keys import REPLACED_KEYS, _get_unicode_name_from_key
from textual.widgets import Input, TextArea

import beritatui.tui.session as sessionmod
from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.notes import list_notes
from beritatui.tui.editor import EditorScreen

from .conftest import settle, wait_for

KEYS = ("a", "b", "c", "tab", "d", "e", "f")


async def burst(pilot, *keys: str) -> None:
    """Send ``keys`` to the app as one read from the terminal: all queued before the first is handled."""
    import unicodedata

    app = pilot.app
    for key in keys:
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()


@pytest.fixture
def slow_loading(monkeypatch):
    """A busy database: the editor's load worker takes a third of a second."""
    tag_names = sessionmod.tags.tag_names

    def slowly(*args, **kwargs):
        time.sleep(0.35)
        return tag_names(*args, **kwargs)

    monkeypatch.setattr(sessionmod.tags, "tag_names", slowly)


async def editor_values(pilot):
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.loaded)
    await settle(pilot)
    screen = app.screen
    return {name: screen.query_one(f"#{name}", Input).value for name in ("title", "slug")}, screen


@pytest.mark.parametrize("send", ["burst", "press"])
async def test_n_then_typing_lands_in_title_then_slug(newsroom, make_app, slow_loading, send):
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await (burst(pilot, "n", *KEYS) if send == "burst" else pilot.press("n", *KEYS))
        values, screen = await editor_values(pilot)
        assert values == {"title": "abc", "slug": "def"}
        assert app.focused is screen.query_one("#slug", Input)


@pytest.mark.parametrize("send", ["burst", "press"])
async def test_enter_on_a_row_then_typing_lands_after_the_loaded_title(newsroom, make_app, slow_loading, send):
    create_article(newsroom.writer, ArticleDraft(title="Panen Sayur", body="Kangkung."))
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await (burst(pilot, "enter", *KEYS) if send == "burst" else pilot.press("enter", *KEYS))
        values, screen = await editor_values(pilot)
        assert values == {"title": "Panen Sayurabc", "slug": "panen-sayurdef"}
        assert screen.dirty


async def test_a_burst_in_a_loaded_editor_follows_each_tab(newsroom, make_app):
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.loaded)
        await burst(pilot, *"Rapat", "tab", "tab", "tab", *"Ringkas", "tab", *"Isi")
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#title", Input).value == "Rapat"
        assert screen.query_one("#summary", Input).value == "Ringkas"
        assert screen.query_one("#body", TextArea).text == "Isi"


async def test_keys_typed_right_after_ctrl_n_go_into_the_note_and_after_enter_back_to_the_body(newsroom, make_app):
    article = create_article(newsroom.writer, ArticleDraft(title="Senam Pagi", body="Senam."))
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.loaded)
        screen = app.screen
        body = screen.query_one("#body", TextArea)
        body.focus()
        body.move_cursor((0, 6))
        await burst(pilot, "ctrl+n", *"Cek foto", "enter", *" Ramai")
        await wait_for(pilot, lambda: [n.text for n in list_notes(article.id)] == ["Cek foto"])
        assert app.screen is screen and body.text == "Senam. Ramai"


async def test_keys_typed_right_after_s_fill_the_schedule_dialog(newsroom, make_app):
    from datetime import UTC, datetime

    from beritatui.core import transitions
    from beritatui.core.articles import get_article
    from beritatui.core.site import set_setting
    from beritatui.tui.review import ReviewScreen

    set_setting(newsroom.admin, "timezone", "Asia/Makassar")
    article = create_article(newsroom.writer, ArticleDraft(title="Upacara Hari Bakti", body="Upacara."))
    transitions.submit(newsroom.writer, article.id)
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.current is not None)
        await burst(pilot, "S", *"2030-01-15 09:30", "enter")
        await wait_for(pilot, lambda: get_article(article.id).status == "scheduled")
        assert isinstance(app.screen, ReviewScreen)
    assert get_article(article.id).scheduled_at == datetime(2030, 1, 15, 1, 30, tzinfo=UTC)  # 09:30 in Makassar
