"""Textual's footer, rebuilt once for every burst of binding changes instead of once per change.

Textual's footer throws away and mounts again all its keys after each change of
the bindings (a focus change, the cursor landing on a row, a screen pushed).
Opening the article list makes six such changes before its first paint, and
each rebuild restyles every key: about a tenth of the launch went there.  This
footer waits for the next refresh and rebuilds once, from the bindings as they
are by then, and not at all when the keys it would show are the ones it shows
(the lists refresh their bindings on every row), so what it shows is the same.

It also lets go of the keys it threw away.  Each key watches the footer's
``compact`` setting, and Textual drops the watchers of removed widgets only when
that setting changes, which it never does: every rebuild kept its old keys alive
(about 180 KiB a rebuild, a rebuild per row while scrolling the list).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer as TextualFooter

if TYPE_CHECKING:
    from textual.screen import Screen


class Footer(TextualFooter):
    """The key bar at the bottom of every screen (each screen yields this one); same look and keys as Textual's."""

    _rebuild_pending = False
    _shown: tuple[tuple[object, ...], ...] | None = None  # the keys as last built

    def bindings_changed(self, screen: Screen) -> None:
        """Textual's own rule for when to rebuild, with the rebuilds of one refresh merged into one, and none
        when the keys to show are the ones shown."""
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if (not self._going() and screen is self.screen and not self._rebuild_pending
                and self._keys_to_show() != self._shown):  # most rows of a list allow the same keys
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        # Cleared first: a change made while the keys are being mounted asks for one more rebuild.
        self._rebuild_pending = False
        if self._going():
            return  # its screen closed meanwhile
        shown = self._keys_to_show()
        if shown == self._shown:
            return  # changed back before the refresh
        self._shown = shown
        await self.recompose()
        self._forget_removed_keys()

    def _going(self) -> bool:
        """Whether this footer's screen is closed or being taken down (pinned Textual's flags).

        Textual removes a screen's widgets one by one, so while the footer still
        stands its screen's table may already be gone: asking the screen which
        keys apply then reads a screen that is half there.
        """
        return not self.is_attached or self._closing or self._pruning or self.screen._pruning

    def _keys_to_show(self) -> tuple[tuple[object, ...], ...]:
        """What the keys would show: each shown binding's key, label, action and whether it is enabled."""
        return tuple((binding.key, self.app.get_key_display(binding), binding.description, binding.action, enabled,
                      tooltip) for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
                     if binding.show)

    def _forget_removed_keys(self) -> None:
        """Drop the watchers that removed keys left on this footer (Textual's own bookkeeping, pinned version)."""
        for watching in getattr(self, "__watchers", {}).values():
            watching[:] = [(node, callback) for node, callback in watching
                           if getattr(node, "is_attached", True) and not getattr(node, "_closing", False)]
