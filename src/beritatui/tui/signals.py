"""A dropped SSH connection (SIGHUP), a shutdown (SIGTERM) or an interrupt sent from outside (SIGINT; in
the app ctrl+c is a key, not a signal) must not lose what was typed.

The handler writes every open editor's unsaved buffer to its autosave slot
right away (one short upsert each, on the UI thread where the buffers live) and
then asks the app to exit.  Opening the article again offers the text back.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from typing import Any

from textual.app import App

EXIT_GRACE_SECONDS = 5.0
HANDLED = (signal.SIGHUP, signal.SIGTERM, signal.SIGINT)


def open_screens(app: App) -> list[Any]:
    """Every screen on every mode's stack (an editor may sit under a modal or in another mode)."""
    stacks = getattr(app, "_screen_stacks", None) or {"_default": app.screen_stack}
    return [screen for stack in stacks.values() for screen in stack]


def store_open_editors(app: App) -> int:
    """Write each open editor's unsaved buffer to its autosave slot; returns how many were written."""
    keep = getattr(app, "keep_open_buffers", None)
    if keep is not None:
        return keep()
    from beritatui.tui.editor import EditorScreen

    written = 0
    for screen in open_screens(app):
        if isinstance(screen, EditorScreen):
            try:
                written += bool(screen.autosave_now())
            except Exception:  # noqa: BLE001 - one failing editor must not stop the others being kept
                continue
    return written


def _leave_anyway(code: int) -> None:
    """If the terminal is gone and the orderly exit stalls, end the process (the text is already stored)."""
    timer = threading.Timer(EXIT_GRACE_SECONDS, os._exit, args=(code,))
    timer.daemon = True
    timer.start()


def handle_hangup(app: App, signum: int) -> None:
    store_open_editors(app)
    _leave_anyway(128 + signum)
    app.exit(return_code=128 + signum)


def install_signal_handlers(app: App) -> None:
    """Call from the app's ``on_mount`` (inside its event loop)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    for signum in HANDLED:
        if signal.getsignal(signum) == signal.SIG_IGN:
            continue  # ignored by whoever started us (nohup, a background job): leave it so
        try:
            if loop is None:
                raise RuntimeError
            loop.add_signal_handler(signum, handle_hangup, app, signum)
        except (NotImplementedError, RuntimeError, ValueError):
            try:
                signal.signal(signum, lambda number, _frame: app.call_later(handle_hangup, app, number))
            except ValueError:  # not the main thread (an embedded test runner): nothing to install
                return
