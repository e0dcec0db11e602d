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
                        run_before=_after("h", "down", "enter", select=article.title[:30]))


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
