"""``beritatui`` with no command: open the session, then the app.

The language was already chosen by the CLI (``--lang`` > env > config > LANG).
Core errors (no database, unknown login) are raised so the CLI prints them.
"""

from __future__ import annotations

import gc
from typing import Any

from beritatui.core.database import close_database
from beritatui.core.session import open_session


def run_tui(state: Any) -> None:
    """Run the terminal app as the OS login on ``state.spec`` until the person quits."""
    from beritatui.tui import collector

    paused = collector.pause()  # resumed by the app once its first screen is painted
    try:
        session = open_session(state.spec, state.config, create=False, init_hint=state.init_hint)
        from beritatui.tui.prefetch import FirstPage

        first_page = FirstPage.start(session.actor)  # SQLite reads the first page while Textual is imported below
        from beritatui.tui.app import BeritaApp

        app = BeritaApp(session, settings=session.settings, first_page=first_page, resume_collector=paused)
        app.run()
    finally:
        close_database()
        if paused and not gc.isenabled():  # the app never painted (an error on the way): on again all the same
            gc.enable()
    if app.return_code:
        # A hang-up or termination: the unsaved text is in its autosave slot; tell the shell it was not a clean quit.
        raise SystemExit(app.return_code)
