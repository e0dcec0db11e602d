"""The article list's table: its columns, the text of its cells, and the rows of a paging window.

The table shows the rows a :class:`~beritatui.tui.paging.PagingWindow` holds.
Its columns have set widths at any size (the title gets what is left), every
row is one line, and each row's cells are formatted once — in the worker that
read the page when they can be (:func:`article_cells` is a plain function) —
and kept, so that a rebuild after a dropped page formats nothing again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from beritatui.core import workflow
from beritatui.i18n import N_, _, format_relative
from beritatui.tui.widgets.cells import clip

if TYPE_CHECKING:
    from textual.widgets.data_table import RowKey

    from beritatui.core.listing import ArticleRow
    from beritatui.tui.paging import Change, PagingWindow

# Fixed column widths at any size; the title gets what is left (never under TITLE_MIN).
# Cells have no padding: each width includes one blank cell that separates it from the next column.
COLUMNS = (("status", N_("Status"), 10), ("byline", N_("Byline"), 12), ("tag", N_("Tag"), 10),
           ("updated", N_("Updated"), 12), ("reactions", N_("Reac."), 6))
TITLE_MIN = 20
SCROLLBAR = 2
STATUS_STYLES = {"review": "bold", "published": "green", "scheduled": "cyan", "trash": "dim"}

Cells = list[Text]


def title_width(screen_width: int) -> int:
    """What the title column gets on a screen ``screen_width`` cells wide (never less than at 80)."""
    fixed = sum(width for _key, _label, width in COLUMNS)
    return max(TITLE_MIN, max(screen_width, 80) - fixed - SCROLLBAR)


def article_cells(row: ArticleRow, now: datetime, title: int) -> Cells:
    """One row's cells, the title cut to ``title`` cells (no widget needed: a worker thread may call it)."""
    width = {key: w - 1 for key, _label, w in COLUMNS}
    return [
        Text(" " + clip(row.title, title - 2)),
        Text(clip(workflow.status_label(row.status), width["status"]), style=STATUS_STYLES.get(row.status, "")),
        Text(clip(row.bylines[0][0] if row.bylines else "", width["byline"])),
        Text(clip(row.primary_tag, width["tag"])),
        Text(clip(format_relative(row.updated_at, now=now, fmt="short"), width["updated"])),
        Text(str(row.reactions) if row.reactions else "", justify="right"),
    ]


class ArticleTable(DataTable):
    """The list's table: Home and ctrl+home go to the top of the whole list, End to its last row held.

    The table holds a few pages of the list; going to the top while the first page is not held asks
    its screen to read the list again (:class:`TopWanted`).  (A plain DataTable's Home and End move
    between columns, of no use in a row list.)
    """

    class TopWanted(Message):
        """Home was pressed while the top of the list is not held: read the list again from its top."""

    def __init__(self, window: PagingWindow, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.window = window
        self.title_width = 0
        self.refilling = False  # rebuilt from the held rows: its own scrolling meanwhile must fetch nothing
        self._cells: dict[int, Cells] = {}  # the held rows' cells, to rebuild without formatting again

    # -- keys ------------------------------------------------------------------------------------

    def action_scroll_top(self) -> None:
        if self.window.more_above:
            self.post_message(self.TopWanted())
        else:
            super().action_scroll_top()

    def action_scroll_home(self) -> None:
        self.action_scroll_top()

    def action_scroll_end(self) -> None:
        self.action_scroll_bottom()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Every column of the list has a set width and every row one line, so new rows need no measuring.

        Textual measures every cell of every new row to size auto-width columns; for a page of rows
        (and the rebuild when a page is dropped) that was most of a page-down key's time.
        """
        super()._update_dimensions(())

    # -- columns ---------------------------------------------------------------------------------

    def build_columns(self, screen_width: int) -> None:
        """Every column again, for a screen ``screen_width`` cells wide (the rows go with them)."""
        self.title_width = title_width(screen_width)
        self.clear(columns=True)
        self.add_column(Text(" " + _("Title")), width=self.title_width, key="title")
        for key, label, width in COLUMNS:
            self.add_column(Text(clip(_(label), width - 1), justify="right" if key == "reactions" else "left"),
                            width=width, key=key)

    def fit(self, screen_width: int, now: datetime) -> None:
        """After a resize: the columns for the new width, and the held rows formatted for them."""
        if title_width(screen_width) == self.title_width:
            return
        row_index = self.cursor_row
        self.build_columns(screen_width)
        self._cells = {}
        self._add(self.window.rows, None, now)
        if self.window.rows:
            self.move_cursor(row=min(row_index, len(self.window.rows) - 1), animate=False)

    # -- rows ------------------------------------------------------------------------------------

    def cells_made_for(self, width: int, made: dict[int, Cells] | None) -> dict[int, Cells] | None:
        """Cells a worker made for a title ``width``, if the columns still have it (else resized meanwhile)."""
        return made if made is not None and width == self.title_width else None

    def show_first(self, change: Change, now: datetime, made: dict[int, Cells] | None = None) -> None:
        """The window's first page: every row shown before is gone."""
        self.clear()
        self._cells = {}
        self.show(change, now, made)

    def show(self, change: Change, now: datetime, made: dict[int, Cells] | None = None) -> None:
        """What a page did to the window, on screen: its rows below the last one, or the table rebuilt."""
        if change.shift is None:
            self._add(change.added, made, now)
        else:
            self._cell_texts(change.added, made, now)
            self._refill(change.shift, now)

    def _cell_texts(self, rows: list[ArticleRow], made: dict[int, Cells] | None, now: datetime) -> list[Cells]:
        made = made or {}
        texts = []
        for row in rows:  # a page just read brings its own cells; a row held already has its own
            cells = made.get(row.id) or self._cells.get(row.id) or article_cells(row, now, self.title_width)
            self._cells[row.id] = cells
            texts.append(cells)
        return texts

    def _add(self, rows: list[ArticleRow], made: dict[int, Cells] | None, now: datetime) -> None:
        for row, cells in zip(rows, self._cell_texts(rows, made, now), strict=True):
            self.add_row(*cells, key=str(row.id))

    def _refill(self, shift: int, now: datetime) -> None:
        """The table rebuilt from the held rows, the cursor and the view moved by ``shift`` rows so that
        the same article stays under the cursor at the same place on the screen."""
        rows = self.window.rows
        cursor, scroll_y = self.cursor_row, self.scroll_y
        self.refilling = True  # the table's own scrolling to the top while it is rebuilt fetches nothing
        self.clear()
        held = {row.id for row in rows}
        self._cells = {key: cells for key, cells in self._cells.items() if key in held}
        self._add(rows, None, now)
        target = max(0, min(cursor + shift, len(rows) - 1))
        self.move_cursor(row=target, animate=False, scroll=False)

        def settle() -> None:  # once the table knows its new height
            self.scroll_to(y=max(0.0, scroll_y + shift), animate=False, immediate=True)
            self.refilling = False

        self.call_after_refresh(settle)
