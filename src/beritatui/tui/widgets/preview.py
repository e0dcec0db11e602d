"""The live Markdown preview beside (or instead of) the body.

Typing only restarts a short timer; when it fires the text goes to Textual's
Markdown widget, which parses it in an executor thread and mounts the blocks,
so a long article never stalls the keyboard.
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Markdown

DEBOUNCE_SECONDS = 0.3


class Preview(VerticalScroll):
    """A scrollable rendered view of the body, refreshed at most every ``DEBOUNCE_SECONDS``."""

    DEFAULT_CSS = """
    Preview { border: round $panel; padding: 0 1; }
    Preview > Markdown { margin: 0; padding: 0; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._pending: str | None = None
        self._shown: str | None = None
        self._timer: Timer | None = None

    def compose(self):  # noqa: ANN201 - Textual's ComposeResult
        yield Markdown("", id="preview-markdown")

    def show(self, markdown: str, *, now: bool = False) -> None:
        """Ask for ``markdown`` to be shown; only the last request within the debounce wins."""
        self._pending = markdown
        if self._timer is not None:
            self._timer.stop()
        if now:
            self._render_pending()
        else:
            self._timer = self.set_timer(DEBOUNCE_SECONDS, self._render_pending)

    def _render_pending(self) -> None:
        self._timer = None
        markdown = self._pending
        if markdown is None or markdown == self._shown:
            return
        self._shown = markdown
        self.query_one(Markdown).update(markdown)
