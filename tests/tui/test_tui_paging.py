"""The article list's paging window without a screen: which pages are held, which cursor reads the page
beside them, and how far the rows moved after each page, so the same article stays under the cursor."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from beritatui.core.listing import Page
from beritatui.tui.paging import PagingWindow

SIZE = 3  # rows a page
HELD = 2  # pages held at most


@dataclass(frozen=True)
class Row:
    id: int
    title: str


def archive(count: int) -> list[Row]:
    """A list of ``count`` articles, newest first."""
    return [Row(id=count - n, title=f"Penyuluhan Hukum bagi Warga Binaan ke-{count - n}") for n in range(count)]


def page(rows: list[Row], after: int | None) -> Page:
    """The page read with ``after`` (here a place in the list stands for the keyset cursor)."""
    start = after or 0
    end = start + SIZE
    return Page(rows=rows[start:end], next_cursor=end if end < len(rows) else None)


def test_the_first_page_says_what_is_below_it():
    rows = archive(7)
    window = PagingWindow(SIZE, HELD)
    change = window.start(page(rows, None))
    assert window.rows == rows[:3] and change.added == rows[:3] and change.shift is None
    assert window.more_below and not window.more_above
    assert window.cursor_value == 3 and window.page_after == [None, 3]
    assert window.shown == 3


def test_a_short_list_has_nothing_below():
    window = PagingWindow(SIZE, HELD)
    window.start(page(archive(2), None))
    assert not window.more_below and window.shown == 2


def test_going_down_drops_the_top_page_once_too_many_are_held():
    rows = archive(10)
    window = PagingWindow(SIZE, HELD)
    window.start(page(rows, None))
    second = window.append(page(rows, window.cursor_value))
    assert second.shift is None and second.added == rows[3:6] and window.rows == rows[:6]
    third = window.append(page(rows, window.cursor_value))
    assert third.added == rows[6:9]
    assert third.shift == -SIZE  # every row that stayed moved up by a page
    assert window.rows == rows[3:9] and window.first_page == 1 and window.more_above
    assert window.shown == 9 and window.page_after == [None, 3, 6, 9]


def test_going_back_up_reads_the_dropped_page_and_drops_the_bottom_one():
    rows = archive(10)
    window = PagingWindow(SIZE, HELD)
    window.start(page(rows, None))
    for _ in range(2):
        window.append(page(rows, window.cursor_value))
    assert window.after_above() is None  # the top page is read from the top of the list
    change = window.prepend(page(rows, window.after_above()))
    assert change.added == rows[:3] and change.shift == 3
    assert window.rows == rows[:6] and window.first_page == 0 and not window.more_above
    assert window.cursor_value == 6  # the next page down is the one just dropped
    again = window.append(page(rows, window.cursor_value))
    assert again.added == rows[6:9] and window.rows == rows[3:9]


def test_an_article_that_moved_between_two_pages_is_held_once():
    rows = archive(6)
    window = PagingWindow(SIZE, HELD)
    window.start(page(rows, None))
    moved = Page(rows=[rows[2], *rows[3:5]], next_cursor=5)  # rows[2] was edited and sorted again meanwhile
    change = window.append(moved)
    assert change.added == rows[3:5]
    assert [row.id for row in window.rows] == [row.id for row in rows[:5]]


def test_the_page_above_moves_the_held_rows_by_what_it_brings_not_by_its_size():
    rows = archive(10)
    window = PagingWindow(SIZE, HELD)
    window.start(page(rows, None))
    for _ in range(2):
        window.append(page(rows, window.cursor_value))
    held = list(window.rows)
    above = Page(rows=[rows[0], rows[1], rows[3]], next_cursor=3)  # rows[3], held, sorted up meanwhile
    change = window.prepend(above)
    assert change.added == rows[:2] and change.shift == 2
    assert window.rows[2:] == held[:4]  # each held row two places down; the bottom page dropped


def test_the_window_finds_an_article_it_holds():
    rows = archive(4)
    window = PagingWindow(SIZE, HELD)
    window.start(page(rows, None))
    assert window.index_of(rows[1].id) == 1
    assert window.index_of(rows[3].id) is None
    window.start(page(rows[1:], None))  # read again from the top: what was held before is gone
    assert window.rows == rows[1:4] and window.index_of(rows[0].id) is None


def _move(window: PagingWindow, rows: list[Row], down: bool) -> None:
    """One page down or up, as far as there is one; checks what the window then holds.

    The rows held are always the list's own rows from ``first_page`` on, never more than ``HELD``
    pages, and every row that stayed is ``shift`` places from where it was (so a table that moves its
    cursor by ``shift`` still has the same article under it).
    """
    count = len(rows)
    before = list(window.rows)
    if down and window.more_below:
        change = window.append(page(rows, window.cursor_value))
    elif not down and window.more_above:
        change = window.prepend(page(rows, window.after_above()))
    else:
        return
    start = window.first_page * SIZE
    assert window.rows == rows[start:start + len(window.rows)]
    assert len(window.rows) <= HELD * SIZE
    assert window.more_below == (start + len(window.rows) < count)
    shift = change.shift or 0
    for place, row in enumerate(before):
        if 0 <= place + shift < len(window.rows) and row in window.rows:
            assert window.rows[place + shift] == row
    assert all(row not in before for row in change.added)


def test_down_to_the_end_and_back_up_twice_reads_the_same_pages():
    rows = archive(31)
    window = PagingWindow(SIZE, HELD)
    window.start(page(rows, None))
    for _ in range(2):
        while window.more_below:
            _move(window, rows, down=True)
        assert window.rows[-1] == rows[-1] and window.shown == 31
        while window.more_above:
            _move(window, rows, down=False)
        assert window.rows == rows[:HELD * SIZE] and window.first_page == 0


@settings(max_examples=300, deadline=None)
@given(count=st.integers(min_value=0, max_value=60),
       runs=st.lists(st.tuples(st.booleans(), st.integers(min_value=1, max_value=8)), max_size=12))
def test_any_way_up_and_down_holds_a_slice_of_the_list_and_keeps_the_cursor_on_its_article(count, runs):
    """Runs of pages down (True) or up (False), in any order and length: see :func:`_move`."""
    rows = archive(count)
    window = PagingWindow(SIZE, HELD)
    window.start(page(rows, None))
    for down, pages in runs:
        for _ in range(pages):
            _move(window, rows, down)
