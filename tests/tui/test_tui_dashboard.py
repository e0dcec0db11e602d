"""The report dashboard with real keys, on the hand-counted newsroom (tests/conftest.py ``report_history``),
the clock frozen in December 2026 so the default twelve months end there."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.widgets import DataTable, Static

from beritatui.core import clock
from beritatui.tui.dashboard import DashboardScreen
from beritatui.tui.widgets.bars import bar_rows

from .conftest import settle

DECEMBER = datetime(2026, 12, 15, 2, tzinfo=UTC)


@pytest.fixture
def history(report_history):
    clock.freeze(DECEMBER)
    yield report_history
    clock.freeze(None)


async def _open(pilot) -> DashboardScreen:
    await settle(pilot)
    await pilot.press("m")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen) and screen.report is not None
    return screen


def _text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def _first_row(screen) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(cell) for cell in table.get_row_at(0)]


async def test_the_keys_switch_unit_period_and_subunits(history, make_app):
    newsroom, kanwil, lapas = history
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        assert [p.key for p in screen.report.periods][-2:] == ["2026-11", "2026-12"]
        assert _first_row(screen)[:2] == ["2026-12", "1"]  # newest first: a4, the whole organisation
        await pilot.press("down")
        await settle(pilot)
        assert screen.period_index == len(screen.report.periods) - 2
        assert _first_row(screen)[1] == "1"
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert "Lapas Uji" in _text(screen, "#dash-unit")
        table = screen.query_one(DataTable)
        november = [str(c) for c in table.get_row_at(1)]
        assert november[:4] == ["2026-11", "3", "6 h", "1 d"]
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "Kanwil Uji" in _text(screen, "#dash-unit")
        await pilot.press("s")
        await settle(pilot)
        assert screen.report.subunits and [str(c) for c in table.get_row_at(1)][1] == "4"
        await pilot.press("w")
        await settle(pilot)
        assert screen.report.by == "week" and screen.report.periods[-1].key == "2026-W51"
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, DashboardScreen)


async def test_a_writer_has_no_report_key(history, make_app):
    newsroom, *_units = history
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert not isinstance(app.screen, DashboardScreen)


async def test_the_palette_offers_the_report(history, make_app):
    newsroom, *_units = history
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        for char in "Report":
            await pilot.press(char)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


def test_bars_show_zero_apart_from_small():
    rows = bar_rows([0, 1, 8], height=1, width=2)
    assert rows == ["·· ▁▁ ██"]
    tall = bar_rows([4, 8], height=2, width=1)
    assert tall == ["  █", "█ █"]


async def test_without_colour_the_selected_period_is_in_reverse_video(history, make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    newsroom, *_units = history
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert app.no_color
        chart = screen.query_one("#dash-published").text
        reversed_text = [chart.plain[span.start:span.end] for span in chart.spans if "reverse" in str(span.style)]
        assert reversed_text == ["█████"] * 3  # November's bar, all three rows
        begin, _end, bar = screen._window(screen.size.width - 2)
        column = (screen.period_index - begin) * (bar + 1)
        bottom = chart.plain.splitlines()[-1]
        assert bottom[column:column + bar] == "█████"  # November: five articles, the highest
