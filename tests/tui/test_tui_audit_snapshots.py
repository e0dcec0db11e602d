"""The audit screen at 80x24 in English and Bahasa Indonesia: the demo's trail, the filter dialog and one
event in full.  Regenerate with ``--snapshot-update`` and look at them (Indonesian shows English strings
until the lead translates them)."""

from __future__ import annotations

import pytest

from beritatui import i18n

from .conftest import settle, type_text

SIZE = (80, 24)


def _after(*keys: str, typed: str = ""):
    async def run(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        if typed:
            await type_text(pilot, typed)
            await settle(pilot)

    return run


@pytest.mark.parametrize("lang", ["en", "id"])
def test_audit_trail(demo, make_app, snap_compare, lang):
    i18n.set_language(lang)
    assert snap_compare(make_app(demo.admin), terminal_size=SIZE, run_before=_after("a"))


@pytest.mark.parametrize("lang", ["en", "id"])
def test_audit_filter_dialog(demo, make_app, snap_compare, lang):
    i18n.set_language(lang)
    assert snap_compare(make_app(demo.admin), terminal_size=SIZE, run_before=_after("a", "f", typed="hasan"))


@pytest.mark.parametrize("lang", ["en", "id"])
def test_audit_event_details(demo, make_app, snap_compare, lang):
    i18n.set_language(lang)
    assert snap_compare(make_app(demo.admin), terminal_size=SIZE, run_before=_after("a", "down", "down", "enter"))
