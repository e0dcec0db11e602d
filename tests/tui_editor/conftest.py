"""Running the editor-side screens of the real app against a test database.

``EditorHarness`` is the real :class:`BeritaApp` (theme, CSS, translated
bindings, signal handlers, error notifications) whose first screen is the one
under test instead of the article list, so these tests do not depend on the
list screen's details.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual import events
from textual.screen import Screen

import beritatui.tui.app as appmod
from beritatui.core import clock
from beritatui.core.config import Config
from beritatui.core.models import User
from beritatui.core.session import Session
from beritatui.core.site import set_setting
from beritatui.tui.app import BeritaApp

FROZEN = datetime(2026, 11, 29, 2, 42, tzinfo=UTC)  # 10:42 in Makassar
APP_CSS = Path(appmod.__file__).with_name("app.tcss")




class EditorHarness(BeritaApp):
    """The real app, opening ``first_screen()`` on top of a blank base screen."""

    CSS_PATH = str(APP_CSS)

    def __init__(self, session: Session, first_screen: Callable[[], Screen]) -> None:
        super().__init__(session)
        self.first_screen = first_screen
        self.dismissed: list[object] = []
        self.errors: list[str] = []

    def show_error(self, exc: BaseException) -> None:
        """Keep the traceback too, so a failing test says where the error came from."""
        import traceback

        self.errors.append("".join(traceback.format_exception(exc)))
        super().show_error(exc)

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # not the article list: Textual would also run BeritaApp.on_mount
        self._install_signals()
        self.push_screen(self.first_screen(), self.dismissed.append)


@pytest.fixture
def make_app(newsroom, db_path):
    """``make_app(user, lambda: EditorScreen(7))`` -> an app acting as ``user`` on the test database."""
    set_setting(newsroom.admin, "timezone", "Asia/Makassar")

    def make(user: User, first_screen: Callable[[], Screen], config: Config | None = None) -> EditorHarness:
        session = Session(spec=str(db_path), actor=User.get_by_id(user.id), config=config or Config())
        return EditorHarness(session, first_screen)

    return make


@pytest.fixture
def frozen_clock():
    clock.freeze(FROZEN)
    yield FROZEN
    clock.freeze(None)


async def wait_for(pilot, condition: Callable[[], bool], tries: int = 100) -> None:
    """Let workers finish: pause until ``condition()`` holds (fails the test after ``tries`` pauses)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    notes = [str(n.message) for n in pilot.app._notifications]
    errors = "\n".join(getattr(pilot.app, "errors", []))
    raise AssertionError(f"condition never held; notifications: {notes}\n{errors}")


@pytest.fixture
def settle():
    """The :func:`wait_for` helper, as a fixture (test modules are not importable packages)."""
    return wait_for
