"""The real app on a test database: the shared ``newsroom`` fixture (ani admin, eko editor, wati and budi
writers), optionally the demo newsroom at a frozen moment, and helpers to let workers finish.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from beritatui.core import clock
from beritatui.core.config import Config, load_config
from beritatui.core.demo import build_demo
from beritatui.core.models import User
from beritatui.core.session import Session
from beritatui.tui.app import BeritaApp

FROZEN = datetime(2026, 11, 29, 2, 42, tzinfo=UTC)  # 10:42 in Makassar




@pytest.fixture
def frozen_clock():
    clock.freeze(FROZEN)
    yield FROZEN
    clock.freeze(None)


@pytest.fixture
def demo(newsroom, frozen_clock):
    """The demo newsroom (articles in every status, tags, revisions) as it looks at ``FROZEN``."""
    return build_demo(newsroom.admin, now=frozen_clock)


@pytest.fixture
def org(demo):
    """The demo as an organisation (tests/tui/units_setup.py); Andi writes for Lapas Watampone only, and
    Rutan Makassar has a sub-unit "Blok Hunian A" holding one of its articles."""
    from beritatui.core import unit_admin
    from beritatui.core.models import Article

    from .units_setup import organise

    found = organise(demo.admin, {"andi.pratama": "Lapas Watampone"})
    block = unit_admin.add_unit(demo.admin, "Blok Hunian A", parent="Rutan Makassar")
    found.ids[block.name] = block.id
    moved = Article.select().where(Article.unit == found.ids["Rutan Makassar"]).order_by(Article.id).first()
    Article.update(unit=block.id).where(Article.id == moved.id).execute()
    return found


@pytest.fixture
def make_app(newsroom, db_path):
    """``make_app(user)`` -> the real app acting as ``user`` on the test database."""

    def make(user: User, config: Config | None = None) -> BeritaApp:
        session = Session(spec=str(db_path), actor=User.get_by_id(user.id), config=config or load_config())
        return BeritaApp(session)

    return make


async def settle(pilot, rounds: int = 3) -> None:
    """Let every worker finish and its results reach the screen."""
    for _ in range(rounds):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_for(pilot, condition: Callable[[], bool], tries: int = 200) -> None:
    """Pause until ``condition()`` holds; fails the test if it never does."""
    for _ in range(tries):
        await settle(pilot, rounds=1)
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the screen never reached the expected state")


async def type_text(pilot, text: str) -> None:
    """Type ``text`` key by key, as a person would."""
    for char in text:
        await pilot.press(char if char != " " else "space")
