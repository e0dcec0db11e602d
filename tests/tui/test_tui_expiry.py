"""Embargo and expiry in the terminal app, with real keys: the schedule dialog's until field, the Scheduled
view's "publishes at" and "until" columns, and the editor's status line (site time: Asia/Makassar, UTC+8)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from textual.widgets import Input

from beritatui.core import transitions
from beritatui.core.articles import ArticleDraft, create_article, get_article
from beritatui.core.site import set_setting
from beritatui.tui.editor import EditorScreen
from beritatui.tui.review import ReviewScreen
from beritatui.tui.widgets.schedule import ScheduleModal
from beritatui.tui.widgets.statusline import StatusLine

from .conftest import settle, wait_for
from .test_tui_typeahead import burst


@pytest.fixture
def in_review(newsroom):
    set_setting(newsroom.admin, "timezone", "Asia/Makassar")
    article = create_article(newsroom.writer, ArticleDraft(title="Penyuluhan Hukum bagi Warga Binaan",
                                                           body="Penyuluhan di aula."))
    return transitions.submit(newsroom.writer, article.id)


async def open_review(pilot):
    app = pilot.app
    await settle(pilot)
    await pilot.press("r")
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.current is not None)


async def test_keys_typed_ahead_fill_publish_at_then_until(newsroom, make_app, in_review):
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        await burst(pilot, "S", *"2030-01-15 09:30", "tab", *"2030-01-22 17:00", "enter")
        await wait_for(pilot, lambda: get_article(in_review.id).status == "scheduled")
        assert isinstance(app.screen, ReviewScreen)
    article = get_article(in_review.id)
    assert article.scheduled_at == datetime(2030, 1, 15, 1, 30, tzinfo=UTC)
    assert article.expires_at == datetime(2030, 1, 22, 9, 0, tzinfo=UTC)


async def test_an_until_before_the_publication_is_refused_in_the_dialog_then_corrected(newsroom, make_app,
                                                                                       in_review):
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        await pilot.press("S", *"2030-01-15 09:30", "tab", *"2030-01-15 08:00", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ScheduleModal)
                       and "after the time it is published" in str(app.screen.query_one("#question").render()))
        dialog = app.screen
        assert dialog.query_one("#at", Input).value == "2030-01-15 09:30"  # what was typed stays
        assert app.focused is dialog.query_one("#until", Input)  # where the problem is
        assert get_article(in_review.id).status == "review"
        await pilot.press(*["backspace"] * 5, *"17:00")
        await pilot.press(*["left"] * 6, "backspace", "6")
        assert dialog.query_one("#until", Input).value == "2030-01-16 17:00"
        await pilot.press("enter")
        await wait_for(pilot, lambda: get_article(in_review.id).status == "scheduled")
    assert get_article(in_review.id).expires_at == datetime(2030, 1, 16, 9, 0, tzinfo=UTC)


async def test_an_empty_until_schedules_with_no_expiry(newsroom, make_app, in_review):
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        await pilot.press("S")
        await wait_for(pilot, lambda: isinstance(app.screen, ScheduleModal))
        assert app.screen.query_one("#until", Input).value == ""
        await pilot.press(*"2030-02-01 09:00", "enter")
        await wait_for(pilot, lambda: get_article(in_review.id).status == "scheduled")
    assert get_article(in_review.id).expires_at is None


async def test_the_scheduled_view_shows_when_each_article_publishes_and_until_when(newsroom, make_app,
                                                                                  in_review):
    at = datetime(2030, 1, 15, 1, 30, tzinfo=UTC)
    transitions.schedule(newsroom.editor, in_review.id, at, until=at + timedelta(days=7, hours=7, minutes=30))
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.table
        assert [str(c.label).strip() for c in table.columns.values()][-2:] == ["Tag", "Updated"]  # no reactions at 80
        await pilot.press("4")
        await settle(pilot)
        labels = [str(c.label).strip() for c in table.columns.values()]
        assert labels == ["Title", "Unit", "Byline", "Tag", "Publishes at", "Until"]
        assert [str(cell) for cell in table.get_row_at(0)][-2:] == ["15 Jan 09:30", "22 Jan 17:00"]
        await pilot.press("1")
        await settle(pilot)
        assert [str(c.label).strip() for c in table.columns.values()][1] == "Status"
        assert "scheduled" in [str(cell) for cell in table.get_row_at(0)]


async def test_the_editor_status_line_shows_both_times_in_site_time(newsroom, make_app, in_review):
    at = datetime(2030, 1, 15, 1, 30, tzinfo=UTC)
    transitions.schedule(newsroom.editor, in_review.id, at, until=at + timedelta(days=7))
    app = make_app(newsroom.editor)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.loaded)
        line = str(app.screen.query_one(StatusLine).render())
        assert "publishes 15 Jan 09:30 · until 22 Jan 09:30" in line
