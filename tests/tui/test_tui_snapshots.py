"""What a person sees at 80x24 on the demo newsroom at a frozen moment: Articles (English and Bahasa
Indonesia), Tags, History with a diff, Help.  Regenerate with ``--snapshot-update`` and look at them."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from beritatui import i18n
from beritatui.tui.articles import ArticlesScreen

from .conftest import settle

SIZE = (80, 24)


def _after(*keys: str, select: str | None = None):
    """A run_before that lets the list load, optionally selects a title, presses keys, lets work finish."""

    async def run(pilot) -> None:
        await settle(pilot)
        if select is not None:
            screen = pilot.app.screen
            assert isinstance(screen, ArticlesScreen)
            index = next(i for i, row in enumerate(screen.rows) if row.title.startswith(select))
            screen.query_one(DataTable).move_cursor(row=index, animate=False)
            await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


@pytest.fixture
def indonesian():
    i18n.set_language("id")
    yield
    i18n.set_language("en")


def test_articles_en(demo, make_app, snap_compare):
    app = make_app(demo.people["nurul.hidayah"])
    assert snap_compare(app, terminal_size=SIZE, run_before=_after())


def test_articles_id(demo, make_app, snap_compare, indonesian):
    app = make_app(demo.people["nurul.hidayah"])
    assert snap_compare(app, terminal_size=SIZE, run_before=_after("1"))


def test_tags(demo, make_app, snap_compare):
    app = make_app(demo.people["nurul.hidayah"])
    assert snap_compare(app, terminal_size=SIZE, run_before=_after("g"))


def test_history_with_diff(demo, make_app, snap_compare):
    app = make_app(demo.people["nurul.hidayah"])
    article = demo.articles["kunjungan-daring"]
    assert snap_compare(app, terminal_size=SIZE,
                        # the published revision, two below its correction (pending, then published)
                        run_before=_after("h", "down", "down", "enter", select=article.title[:30]))


def test_help_for_articles(demo, make_app, snap_compare):
    app = make_app(demo.people["nurul.hidayah"])
    assert snap_compare(app, terminal_size=SIZE, run_before=_after("question_mark"))


@pytest.mark.parametrize("lang", ["en", "id"])
def test_articles_with_unsaved_text_waiting(demo, make_app, snap_compare, lang):
    from beritatui.core import autosave

    article = demo.articles["kunjungan-daring"]
    login = demo.people["nurul.hidayah"].login
    autosave.store(article.uuid, login, {"title": article.title, "body": article.body + "\nTambahan.",
                                         "source": "editor"}, article_id=article.id, base_version=article.version)
    i18n.set_language(lang)
    app = make_app(demo.people["nurul.hidayah"])
    assert snap_compare(app, terminal_size=SIZE, run_before=_after())


def _embargo(demo) -> None:
    """One of the demo's scheduled articles also comes off the site a week after it goes out."""
    from datetime import timedelta

    from beritatui.core import transitions
    from beritatui.core.articles import get_article

    article = get_article(demo.articles["antrean-kunjungan"].id)
    transitions.set_expiry(demo.people["nurul.hidayah"], article.id,
                           article.scheduled_at + timedelta(days=7, hours=8))


@pytest.mark.parametrize("lang", ["en", "id"])
def test_scheduled_view_with_publishes_at_and_until(demo, make_app, snap_compare, lang):
    _embargo(demo)
    i18n.set_language(lang)
    app = make_app(demo.people["nurul.hidayah"])
    assert snap_compare(app, terminal_size=SIZE, run_before=_after("4"))


@pytest.mark.parametrize("lang", ["en", "id"])
def test_schedule_dialog_with_until(demo, make_app, snap_compare, lang):
    i18n.set_language(lang)
    app = make_app(demo.people["nurul.hidayah"])
    assert snap_compare(app, terminal_size=SIZE,
                        run_before=_after("r", "S", "tab", *"2026-12-07 17:00"))
