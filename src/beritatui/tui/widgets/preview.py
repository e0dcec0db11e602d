"""The live Markdown preview beside (or instead of) the body.

Typing only restarts a short timer; when it fires the text is shown.  An
article of usual length goes to Textual's Markdown widget (it parses in an
executor thread, then mounts one widget per block on the UI thread).  A long
one (more than ``LONG_TEXT`` characters, about 4 500 words) would mount
hundreds of blocks there (a 20 000-word report took seven seconds, during
which keys waited), so it is drawn by Rich in a thread worker into lines of
text, and the UI thread only swaps the finished lines in.
"""

from __future__ import annotations

from rich.console import Console
from rich.markdown import Markdown as RichMarkdown
from textual.containers import VerticalScroll
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Markdown

DEBOUNCE_SECONDS = 0.3
LONG_TEXT = 30_000


def render_lines(markdown: str, width: int) -> list[Strip]:
    """``markdown`` drawn ``width`` cells wide (safe in a thread: it touches no widget)."""
    console = Console(width=width, force_terminal=True, color_system="truecolor", legacy_windows=False)
    lines = console.render_lines(RichMarkdown(markdown), console.options.update_width(width), pad=False)
    return [Strip(line) for line in lines]


class RenderedLines(Widget):
    """Lines drawn elsewhere; the scrolling parent asks only for the visible ones."""

    DEFAULT_CSS = """
    RenderedLines { height: auto; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.strips: list[Strip] = []

    def set_strips(self, strips: list[Strip]) -> None:
        self.strips = strips
        self.styles.height = max(1, len(strips))
        self.refresh(layout=True)

    def render_line(self, y: int) -> Strip:
        return self.strips[y] if 0 <= y < len(self.strips) else Strip.blank(self.size.width)


class Preview(VerticalScroll):
    """A scrollable rendered view of the body, refreshed at most every ``DEBOUNCE_SECONDS``."""

    DEFAULT_CSS = """
    Preview { border: round $panel; padding: 0 1; }
    Preview > Markdown { margin: 0; padding: 0; }
    Preview > RenderedLines { display: none; }
    Preview.-long > RenderedLines { display: block; }
    Preview.-long > Markdown { display: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._pending: str | None = None
        self._shown: str | None = None
        self._timer: Timer | None = None
        self._generation = 0  # bumped per long render, so a late thread never overwrites a newer text
        self._drawn_width = 0

    def compose(self):  # noqa: ANN201 - Textual's ComposeResult
        yield Markdown("", id="preview-markdown")
        yield RenderedLines(id="preview-lines")

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
        if len(markdown) > LONG_TEXT:
            self._draw_long(markdown)
            return
        self._generation += 1
        if self.has_class("-long"):
            self.query_one(RenderedLines).set_strips([])
            self.remove_class("-long")
        self.query_one(Markdown).update(markdown)

    def _line_width(self) -> int:
        return max(20, self.scrollable_content_region.width - 1)

    def _draw_long(self, markdown: str) -> None:
        """Render in a thread worker; the UI thread only takes the finished lines."""
        self._generation += 1
        generation, width = self._generation, self._line_width()

        def draw() -> None:
            strips = render_lines(markdown, width)
            try:
                self.app.call_from_thread(self._take_lines, generation, strips, width)
            except RuntimeError:  # the app closed meanwhile
                pass

        self.run_worker(draw, thread=True, exclusive=True, group="preview-render", exit_on_error=False)

    def _take_lines(self, generation: int, strips: list[Strip], width: int) -> None:
        if generation != self._generation:
            return
        self._drawn_width = width
        if not self.has_class("-long"):
            self.add_class("-long")
            self.query_one(Markdown).update("")
        self.query_one(RenderedLines).set_strips(strips)

    def on_resize(self) -> None:
        """A long text drawn at another width is drawn again (Textual's widget reflows by itself)."""
        if self.has_class("-long") and self._shown and self._line_width() != self._drawn_width:
            self._draw_long(self._shown)
