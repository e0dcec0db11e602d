"""The article list's table: its columns, the text of its cells, and the rows of a paging window.

The table shows the rows a :class:`~beritatui.tui.paging.PagingWindow` holds.
Which columns depends on the status view (:func:`columns_for`: the Scheduled view
shows when each article publishes and until when instead of its status, update
time and reactions) and on the width (:func:`fitted`: the reactions only where the
title keeps room beside them).  Every view shows each article's unit by name.
Its columns have set widths at any size (the title gets what is left), every
row is one line, and each row's cells are formatted once — in the worker that
read the page when they can be (:func:`article_cells` is a plain function) —
and kept, so that a rebuild after a dropped page formats nothing again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from beritatui.core import workflow
from beritatui.i18n import N_, _, format_datetime, format_relative
from beritatui.tui.widgets.cells import clip

if TYPE_CHECKING:
    from textual.widgets.data_table import RowKey

    from beritatui.core.listing import ArticleRow
    from beritatui.tui.paging import Change, PagingWindow

# Fixed column widths at any size; the title gets what is left (never under TITLE_MIN).
# Cells have no padding: each width includes one blank cell that separates it from the next column.
Columns = tuple[tuple[str, str, int], ...]  # (key, label, width)
COLUMNS: Columns = (("status", N_("Status"), 10), ("unit", N_("Unit"), 12), ("byline", N_("Byline"), 11),
                    ("tag", N_("Tag"), 10), ("updated", N_("Updated"), 12), ("reactions", N_("Reac."), 6))
# The Scheduled view: every row is scheduled, so the times it goes on and comes off the site (site time).
SCHEDULED_COLUMNS: Columns = (("unit", N_("Unit"), 11), ("byline", N_("Byline"), 11), ("tag", N_("Tag"), 9),
                              ("publishes", N_("Publishes at"), 13), ("until", N_("Until"), 13))
VIEW_COLUMNS: dict[str | None, Columns] = {"scheduled": SCHEDULED_COLUMNS}
# Columns shown only on a screen at least this wide: at 80 columns the title keeps 23 cells instead of 17.
WIDE_ONLY = {"reactions": 88}
TIME_FORMAT = "d MMM HH:mm"
TITLE_MIN = 20
SCROLLBAR = 2
STATUS_STYLES = {"review": "bold", "published": "green", "scheduled": "cyan", "trash": "dim"}

Cells = list[Text]


def columns_for(status: str | None) -> Columns:
    """The columns of the status view showing ``status`` (``None``: all but the trash), after the title."""
    return VIEW_COLUMNS.get(status, COLUMNS)


def fitted(columns: Columns, screen_width: int) -> Columns:
    """The ``columns`` a screen ``screen_width`` cells wide shows (:data:`WIDE_ONLY` ones need the room)."""
    return tuple(column for column in columns if max(screen_width, 80) >= WIDE_ONLY.get(column[0], 0))


def title_width(screen_width: int, columns: Columns = COLUMNS) -> int:
    """What the title column gets on a screen ``screen_width`` cells wide beside ``columns`` as
    :func:`fitted` shows them (never less than at 80)."""
    fixed = sum(width for _key, _label, width in fitted(columns, screen_width))
    return max(TITLE_MIN, max(screen_width, 80) - fixed - SCROLLBAR)


def _time(moment: datetime | None, zone: str, width: int) -> Text:
    return Text(clip(format_datetime(moment, zone, TIME_FORMAT), width) if moment else "—")


def _cell(key: str, row: ArticleRow, now: datetime, zone: str, width: int, unit_names: Mapping[int, str]) -> Text:
    if key == "status":
        return Text(clip(workflow.status_label(row.status), width), style=STATUS_STYLES.get(row.status, ""))
    if key == "unit":
        return Text(clip(unit_names.get(row.unit_id, "") if row.unit_id is not None else "", width))
    if key == "byline":
        return Text(clip(row.bylines[0][0] if row.bylines else "", width))
    if key == "tag":
        return Text(clip(row.primary_tag, width))
    if key == "updated":
        return Text(clip(format_relative(row.updated_at, now=now, fmt="short"), width))
    if key == "reactions":
        return Text(str(row.reactions) if row.reactions else "", justify="right")
    if key == "publishes":
        return _time(row.scheduled_at, zone, width)
    if key == "until":
        return _time(row.expires_at, zone, width)
    raise KeyError(key)


def article_cells(row: ArticleRow, now: datetime, title: int, columns: Columns = COLUMNS,
                  zone: str = "UTC", unit_names: Mapping[int, str] | None = None) -> Cells:
    """One row's cells, the title cut to ``title`` cells, times in ``zone``, the unit named from
    ``unit_names`` (no widget needed: a worker thread may call it)."""
    names = unit_names or {}
    return [Text(" " + clip(row.title, title - 2)),
            *(_cell(key, row, now, zone, width - 1, names) for key, _label, width in columns)]


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
        self.view_columns: Columns = COLUMNS  # after the title: which depends on the status view
        self.columns_shown: Columns = COLUMNS  # those of them the width leaves room for (fitted)
        self.zone = "UTC"  # the site's time zone, for the columns that show times
        # Every unit's name by id, read with the first page (replaced, never changed: workers read it).
        self.unit_names: Mapping[int, str] = {}
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

    def build_columns(self, screen_width: int, columns: Columns | None = None) -> None:
        """Every column again, for a screen ``screen_width`` cells wide (the rows go with them); ``columns``:
        another view's columns after the title."""
        if columns is not None:
            self.view_columns = columns
        self.columns_shown = fitted(self.view_columns, screen_width)
        self.title_width = title_width(screen_width, self.view_columns)
        self.clear(columns=True)
        self._cells = {}
        self.add_column(Text(" " + _("Title")), width=self.title_width, key="title")
        for key, label, width in self.columns_shown:
            self.add_column(Text(clip(_(label), width - 1), justify="right" if key == "reactions" else "left"),
                            width=width, key=key)

    def show_columns(self, screen_width: int, columns: Columns, now: datetime) -> None:
        """Another view's columns, the held rows shown in them until that view's rows arrive."""
        self.build_columns(screen_width, columns)
        self._add(self.window.rows, None, now)

    @property
    def shape(self) -> tuple[int, Columns]:
        """What a row's cells are made for: the title's width and the columns after it."""
        return self.title_width, self.columns_shown

    def cells(self, row: ArticleRow, now: datetime, shape: tuple[int, Columns] | None = None) -> Cells:
        """``row``'s cells for ``shape`` (default: the table's now); a worker thread may call it."""
        width, columns = shape or self.shape
        return article_cells(row, now, width, columns, self.zone, self.unit_names)

    def fit(self, screen_width: int, now: datetime) -> None:
        """After a resize: the columns for the new width, and the held rows formatted for them."""
        if (title_width(screen_width, self.view_columns) == self.title_width
                and fitted(self.view_columns, screen_width) == self.columns_shown):
            return
        row_index = self.cursor_row
        self.build_columns(screen_width)
        self._cells = {}
        self._add(self.window.rows, None, now)
        if self.window.rows:
            self.move_cursor(row=min(row_index, len(self.window.rows) - 1), animate=False)

    # -- rows ------------------------------------------------------------------------------------

    def cells_made_for(self, shape: tuple[int, Columns], made: dict[int, Cells] | None) -> dict[int, Cells] | None:
        """Cells a worker made for ``shape``, if the columns still have it (else resized or another view
        meanwhile)."""
        return made if made is not None and shape == self.shape else None

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
            cells = made.get(row.id) or self._cells.get(row.id) or self.cells(row, now)
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
