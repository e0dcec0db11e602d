"""Keys typed ahead land where the person aimed, however fast they come.

Over a slow SSH link keys arrive in bursts: ``n``, ``abc``, Tab, ``def`` can reach
the app in one read.  Textual routes each key of a burst at once to the widget
focused *at that moment* and resolves most bindings only later, when the key has
bubbled back up.  So Tab was acted on after ``def`` had already been sent to the
title, and keys typed after ``n`` or Enter reached a screen that was not built
yet (or an editor whose article was still loading, which then overwrote them).

Two rules fix that at the root:

1. :func:`route_key` (called by the app for every key from the terminal)
   handles a key *before the next key is routed*: its binding runs now, and a
   key the focused field types (a printable key, Enter in the body) goes into
   that field now.  A key that moves the focus or opens a screen has so taken
   effect when the next key is routed, and an Enter that submits a dialog reads
   the text typed just before it.
2. A screen with :class:`TypeAhead` holds the keys that arrive before it can
   take them (not built yet; the editor: its article not loaded yet), and once
   it can, replays them in order through the same routing — the keys that
   arrive meanwhile queue up behind them.  A held key that opens a dialog hands
   the rest to that dialog.

Uses Textual 8.2.8's ``App._check_bindings`` (the method Textual itself resolves
bindings with) and the fields' own ``_on_key`` (what Textual calls for a key
sent to them); the version is pinned in pyproject.toml.
"""

from __future__ import annotations

import sys
from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget

HOLD_AT_MOST_SECONDS = 10.0  # a screen that never gets ready must not swallow the keyboard


def _class_if_imported(module: str, name: str) -> type | None:
    """``module.name``, if that module is imported already; else ``None``: no widget of the class exists yet.

    The article list has no TextArea; importing Textual's (and tree-sitter with it) only to learn that
    its focused table is not one would cost every launch before the first paint.
    """
    found = sys.modules.get(module)
    return getattr(found, name, None) if found is not None else None


def types_itself(widget: Widget | None, event: events.Key) -> bool:
    """Whether ``widget`` handles ``event`` in its own key handler, before any binding (typing)."""
    text_area = _class_if_imported("textual.widgets._text_area", "TextArea")
    if text_area is not None and isinstance(widget, text_area):
        if widget.read_only:
            return False
        if event.is_printable or event.key == "enter":
            return True
        return widget.tab_behavior == "indent" and event.key in ("tab", "escape")
    if isinstance(widget, Input):
        return event.is_printable
    return False


async def route_key(app: App, event: events.Key) -> bool:
    """Handle ``event`` now, before the next key is routed; ``False`` leaves it to Textual.

    A binding runs now; a key the focused field types goes into it now (its own key handler, as Textual
    would call it a message later), so an Enter right behind it reads the text typed before it.
    """
    if await app._check_bindings(event.key, priority=True):
        return True
    focused = app.focused
    if types_itself(focused, event):
        await focused._on_key(event)  # type: ignore[union-attr]
        return True
    return await app._check_bindings(event.key)


async def deliver_key(app: App, event: events.Key) -> None:
    """Route a held key exactly as a live one: a binding now, else to the focused widget (or the screen)."""
    if not await route_key(app, event):
        (app.focused or app.screen)._forward_event(event)


def press_focused_button(screen: Any) -> bool:
    """Enter on a dialog's button, answered at once (Textual's Button.Pressed arrives a message later,
    while the next keys would still be routed to the dialog)."""
    from textual.widgets import Button  # a dialog's module has imported it already

    button = screen.focused
    if isinstance(button, Button) and not button.disabled:
        screen.on_button_pressed(Button.Pressed(button))
        return True
    return False


class TypeAhead:
    """Mixin for screens: keys that arrive before the screen can take them are held, then replayed in order.

    A screen is ready once it has been shown (mounted, its focus set).  Override :meth:`ready_for_keys`
    for more (the editor: its article loaded) and call :meth:`keys_ready` when that becomes true.
    """

    _held: deque[events.Key]
    _shown_once = False
    _replaying = False
    _hold_timer: Any = None

    def ready_for_keys(self) -> bool:
        return self._shown_once

    def holding_keys(self) -> bool:
        return self._replaying or bool(self._queue()) or not self.ready_for_keys()

    def _queue(self) -> deque[events.Key]:
        if "_held" not in self.__dict__:
            self._held = deque()
        return self._held

    def hold_key(self, event: events.Key) -> None:
        self._queue().append(event)
        if self._hold_timer is None and not self._replaying:
            self._hold_timer = self.set_timer(HOLD_AT_MOST_SECONDS, self._stop_holding)  # type: ignore[attr-defined]

    def take_keys(self, events_: list[events.Key]) -> None:
        """Keys held by the screen below, older than any held here: they go first."""
        self._queue().extendleft(reversed(events_))
        self.keys_ready()

    def on_screen_resume(self) -> None:
        if not self._shown_once:
            self.call_after_refresh(self._first_shown)  # type: ignore[attr-defined]

    def _first_shown(self) -> None:
        self._shown_once = True
        self.keys_ready()

    def _stop_holding(self) -> None:
        self._hold_timer = None
        self._shown_once = True
        self._replay_now(force=True)

    def keys_ready(self) -> None:
        """Call when :meth:`ready_for_keys` becomes true: the held keys are replayed."""
        if self._queue() and self.ready_for_keys() and not self._replaying:
            self._replay_now()

    def _replay_now(self, force: bool = False) -> None:
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        if self._queue() and not self._replaying:
            self._replaying = True
            self.call_later(self._replay, force)  # type: ignore[attr-defined]

    async def _replay(self, force: bool = False) -> None:
        app: App = self.app  # type: ignore[attr-defined]
        queue = self._queue()
        try:
            while queue:
                if app.screen is not self:  # a held key opened a dialog, or closed this screen
                    rest = list(queue)
                    queue.clear()
                    target = app.screen
                    if isinstance(target, TypeAhead):
                        target.take_keys(rest)
                    else:
                        for event in rest:
                            await deliver_key(app, event)
                    return
                if not (force or self.ready_for_keys()):
                    return  # not ready again (the editor reloads): kept for when it is
                await deliver_key(app, queue.popleft())
        finally:
            self._replaying = False
