"""Units at 80x24, in English and Bahasa Indonesia: the list with its Unit column, the unit filter, a
writer's list in their own unit, and a new article's Unit field.  Regenerate with ``--snapshot-update``
and look at them."""

from __future__ import annotations

import pytest

from beritatui import i18n
from beritatui.core import unit_admin
from beritatui.core.models import User

from .conftest import settle, wait_for

SIZE = (80, 24)


def _after(*keys: str):
    """A run_before that lets the list load, presses keys, and lets the work they start finish."""

    async def run(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


@pytest.mark.parametrize("lang", ["en", "id"])
def test_articles_with_their_units(org, demo, make_app, snap_compare, lang):
    i18n.set_language(lang)
    app = make_app(demo.people["nurul.hidayah"])
    assert snap_compare(app, terminal_size=SIZE, run_before=_after())


@pytest.mark.parametrize("lang", ["en", "id"])
def test_unit_filter_dialog(org, demo, make_app, snap_compare, lang):
    i18n.set_language(lang)
    app = make_app(demo.people["nurul.hidayah"])
    assert snap_compare(app, terminal_size=SIZE, run_before=_after("U", "down", "down", "down", "down", "down"))


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_writers_list_in_their_own_unit(org, make_app, snap_compare, lang):
    i18n.set_language(lang)
    app = make_app(User.get(User.login == "andi.pratama"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_after())


@pytest.mark.parametrize("lang", ["en", "id"])
def test_new_article_unit_field_open(org, demo, make_app, snap_compare, lang):
    from beritatui.tui.editor import EditorScreen

    unit_admin.grant(demo.admin, "andi.pratama", "Rutan Makassar", "writer")
    i18n.set_language(lang)
    app = make_app(User.get(User.login == "andi.pratama"))

    async def run(pilot) -> None:
        await settle(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, EditorScreen) and pilot.app.screen.loaded)
        await pilot.press("tab", "tab", "tab", "tab", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run)
