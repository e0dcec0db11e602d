"""The few pages of a long list that a screen holds, read one page at a time (no Textual here).

The article list reads its rows a page at a time with keyset cursors
(:func:`beritatui.core.listing.list_articles`: page *n* is read with
``after=page_after[n]``).  Scrolling down appends the page below; once more
than ``window_pages`` pages are held, the top page is dropped, and scrolling
back up reads it again and drops the bottom one.  So the list costs the same
memory and the same time per key at row 100 000 as at row 100.

:class:`PagingWindow` is that bookkeeping and nothing else: which rows are
held, which cursor reads the page below or above them, and — after each
change — how far the held rows moved, so that whoever shows them can keep the
same article under the cursor at the same place on the screen.  It knows no
widget and no database; the list screen reads the pages and shows the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from beritatui.core.listing import ArticleRow, Page


@dataclass(frozen=True)
class Change:
    """What a page did to the rows held.

    ``added`` are the rows the page brought (rows already held are not taken twice: an article that
    moved since the page beside it was read).  ``shift`` is ``None`` when they were simply put below
    the last row held; otherwise the held rows were rearranged (a page put on top, or the far page
    dropped) and every row that stayed moved ``shift`` places: a table shows ``rows`` again and moves
    its cursor and its view by ``shift`` rows.
    """

    added: list[ArticleRow]
    shift: int | None = None


class PagingWindow:
    """The held rows of a list read page by page, and the cursors to read the pages around them."""

    def __init__(self, page_size: int, window_pages: int) -> None:
        self.page_size = page_size
        self.window_pages = window_pages
        self.rows: list[ArticleRow] = []  # pages first_page, first_page + 1, … of the list
        self.page_after: list[Any] = [None]  # page n of the list is read with after=page_after[n]
        self.first_page = 0
        self.cursor_value: Any = None  # ``after`` of the page below the last row held (None: none below)

    # -- what there is around the rows held --------------------------------------------------------

    @property
    def more_below(self) -> bool:
        return self.cursor_value is not None

    @property
    def more_above(self) -> bool:
        """Whether pages above the first row held were dropped (the top of the list is read again)."""
        return self.first_page > 0

    def after_above(self) -> Any:
        """The ``after`` that reads the page just above the rows held (only while :attr:`more_above`)."""
        return self.page_after[self.first_page - 1]

    @property
    def shown(self) -> int:
        """How far down the whole list the last row held is (the status line's "n shown")."""
        return self.first_page * self.page_size + len(self.rows)

    def pages_held(self) -> int:
        return -(-len(self.rows) // self.page_size)

    def index_of(self, article_id: int) -> int | None:
        """Where the article with ``article_id`` is among the rows held, if it is held."""
        return next((index for index, row in enumerate(self.rows) if row.id == article_id), None)

    # -- pages coming in ---------------------------------------------------------------------------

    def start(self, page: Page) -> Change:
        """The first page of the list: whatever was held is forgotten."""
        self.rows, self.page_after, self.first_page = [], [None], 0
        return self.append(page)

    def append(self, page: Page) -> Change:
        """The page below the last row held; the top page is dropped once too many are held."""
        last_page = self.first_page + self.pages_held()
        known = {row.id for row in self.rows}
        added = [row for row in page.rows if row.id not in known]
        self.rows.extend(added)
        del self.page_after[last_page + 1:]
        if page.next_cursor is not None:
            self.page_after.append(page.next_cursor)
        self.cursor_value = page.next_cursor
        if self.pages_held() <= self.window_pages:
            return Change(added)
        del self.rows[:self.page_size]
        self.first_page += 1
        return Change(added, shift=-self.page_size)

    def prepend(self, page: Page) -> Change:
        """The page above the first row held, read again; the bottom page is dropped once too many are held."""
        known = {row.id for row in self.rows}
        added = [row for row in page.rows if row.id not in known]
        self.rows = added + self.rows
        self.first_page -= 1
        if self.pages_held() > self.window_pages:
            del self.rows[self.window_pages * self.page_size:]
            self.cursor_value = self.page_after[self.first_page + self.window_pages]
        return Change(added, shift=len(added))
