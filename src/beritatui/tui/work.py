"""Core calls in thread workers: how every screen runs database work and file I/O off the UI thread.

A screen's worker wraps its body in :func:`core_work`::

    @work(thread=True, group="tags-load")
    def _load(self) -> None:
        with core_work(self.app):
            tags = coretags.list_tags()
            self.app.call_from_thread(self._show, tags)

A core error becomes a notification (the app's ``show_error``), never a crash, and the thread's database
connection is released when the worker ends.  This module knows no screen and not the app's class: it
only asks the app it is given for ``show_error``, so every screen can use it without importing the app.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from beritatui.core.database import release_thread_connection

if TYPE_CHECKING:
    from textual.app import App


@contextmanager
def core_work(app: App) -> Iterator[None]:
    """Wrap the body of a thread worker: core errors become notifications, the connection is released.

    ``with core_work(self.app): ...`` inside ``@work(thread=True)``; the app never crashes on a user action.
    """
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - every failure of a user action is shown, never raised
        show = getattr(app, "show_error", None)
        if show is not None and app.is_running:
            try:
                app.call_from_thread(show, exc)
            except RuntimeError:  # the app closed meanwhile: nobody is left to tell
                pass
    finally:
        release_thread_connection()
