"""The report dashboard at 80x24 in English and Bahasa Indonesia (the lead translates the new words), on
the hand-counted newsroom with the clock in December 2026: the whole organisation, and one unit with a
period selected.  Regenerate with ``--snapshot-update`` and look at them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from beritatui import i18n
from beritatui.core import clock

from .conftest import settle

SIZE = (80, 24)


@pytest.fixture
def history(report_history):
    clock.freeze(datetime(2026, 12, 15, 2, tzinfo=UTC))
    yield report_history
    clock.freeze(None)


def _after(*keys: str):
    async def run(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


@pytest.mark.parametrize("lang", ["en", "id"])
def test_dashboard_of_the_organisation(history, make_app, snap_compare, lang):
    i18n.set_language(lang)
    app = make_app(history[0].editor)
    assert snap_compare(app, terminal_size=SIZE, run_before=_after("m"))


@pytest.mark.parametrize("lang", ["en", "id"])
def test_dashboard_of_one_unit_a_month_back(history, make_app, snap_compare, lang):
    i18n.set_language(lang)
    app = make_app(history[0].editor)
    keys = ("m", "right_square_bracket", "right_square_bracket", "right_square_bracket", "down")
    assert snap_compare(app, terminal_size=SIZE, run_before=_after(*keys))
