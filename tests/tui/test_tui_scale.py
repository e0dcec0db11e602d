"""The article list over a large archive: scrolling reads one page at a time, only as needed, and the table\nholds a few pages whatever the size of the archive."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from textual.widgets import DataTable

from beritatui.core import bulk, listing
from beritatui.tui.articles import PAGE_SIZE, PREFETCH, WINDOW_PAGES, ArticlesScreen

from .conftest import settle, wait_for

ARCHIVE = 2_050  # 21 pages, the last one short


def archive(count: int) -> list[bulk.BulkArticle]:
    """``count`` short drafts, one a minute apart (rendered already: the test is about listing, not Markdown)."""
    start = datetime(2016, 1, 4, 1, 0, tzinfo=UTC)
    body = "Petugas mendata kunjungan keluarga pekan ini."
    return [
        bulk.BulkArticle(title=f"Catatan harian layanan ke-{n}", body=body, body_html=f"<p>{body}</p>",
                         body_text=body, created_at=start + timedelta(minutes=n),
                         modified_at=start + timedelta(minutes=n), bylines=[("Tim Humas", "Lapas Watampone")],
                         tags=["layanan"])
        for n in range(count)
    ]


class PageSpy:
    """Wraps ``list_articles``: what each call asked for, and how many ran at once."""

    def __init__(self) -> None:
        self.calls: list[listing.ArticleQuery] = []
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def __call__(self, query: listing.ArticleQuery) -> listing.Page:
        with self._lock:
            self.calls.append(query)
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            return listing.list_articles(query)
        finally:
            with self._lock:
                self.running -= 1


def bottom_row(table: DataTable) -> int:
    """The last row the viewport shows (or the cursor, if it is further down)."""
    return max(table.cursor_row, int(table.scroll_y) + table.scrollable_content_region.height - 1)


def reached(screen: ArticlesScreen) -> int:
    """How far down the list the table's last held row is."""
    return screen.first_page * PAGE_SIZE + len(screen.rows)


def idle(screen: ArticlesScreen) -> bool:
    return not screen.loading_more and not screen._refilling


async def test_scrolling_a_large_archive_holds_a_few_pages_and_reads_each_once(newsroom, make_app, monkeypatch):
    assert bulk.insert_articles(newsroom.admin, archive(ARCHIVE)) == ARCHIVE
    spy = PageSpy()
    monkeypatch.setattr("beritatui.tui.articles.list_articles", spy)
    app = make_app(newsroom.editor)
    ahead: list[int] = []  # on the way down: rows held below the last one the person can see
    behind: list[int] = []  # on the way up: rows held above the first one the person can see
    held: list[int] = []  # after each step: rows in the table
    seen: dict[int, int] = {}  # article id -> its place in the list, as the table showed it on the way down
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ArticlesScreen)
        table = screen.query_one(DataTable)

        def note(up: bool = False) -> None:
            if up:
                behind.append(int(table.scroll_y))
            else:
                ahead.append(len(screen.rows) - 1 - bottom_row(table))
            held.append(len(screen.rows))
            for place, row in enumerate(screen.rows, start=screen.first_page * PAGE_SIZE):
                assert seen.setdefault(row.id, place) == place

        note()
        for _ in range(12):  # the keyboard: page by page through the first pages
            await pilot.press("pagedown")
            await wait_for(pilot, lambda: idle(screen))
            note()
        while screen.cursor_value is not None:  # the wheel or scrollbar: to the end of what is held, again and again
            before = reached(screen)
            table.scroll_end(animate=False, immediate=True)
            await wait_for(pilot, lambda before=before: reached(screen) > before and idle(screen))
            note()
        down_calls = len(spy.calls)
        while screen.first_page > 0:  # and back to the top: the dropped pages are read again, one by one
            first = screen.first_page
            table.scroll_home(animate=False, immediate=True)
            await wait_for(pilot, lambda first=first: screen.first_page < first and idle(screen))
            note(up=True)
        top = [row.id for row in screen.rows]

    assert len(seen) == ARCHIVE and sorted(seen.values()) == list(range(ARCHIVE))
    order = sorted(seen, key=seen.__getitem__)
    assert top == order[:len(top)]  # the pages read again on the way up are the ones shown on the way down
    assert all(query.limit == PAGE_SIZE for query in spy.calls)
    pages = -(-ARCHIVE // PAGE_SIZE)
    assert down_calls == pages  # each page read once on the way down, none ahead
    assert len(spy.calls) - down_calls == pages - WINDOW_PAGES  # and once more each page that had been dropped
    assert spy.most_at_once == 1
    assert max(held) <= WINDOW_PAGES * PAGE_SIZE  # a few pages held, never the whole archive
    assert max(ahead) <= PAGE_SIZE + PREFETCH  # never more than a page beyond what is in view
    assert behind and max(behind) <= PAGE_SIZE + PREFETCH  # nor, on the way back, above it


async def test_home_goes_to_the_top_of_the_whole_list_and_end_to_the_last_row_held(newsroom, make_app):
    assert bulk.insert_articles(newsroom.admin, archive(PAGE_SIZE * (WINDOW_PAGES + 2))) > 0
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        table = screen.query_one(DataTable)
        newest = screen.rows[0].id
        while screen.first_page == 0:  # down until the first page was dropped
            await pilot.press("pagedown")
            await wait_for(pilot, lambda: idle(screen))
        last_held = screen.rows[-1].id
        await pilot.press("end")
        await wait_for(pilot, lambda: idle(screen))
        assert screen.current_row().id == last_held  # and the page below it was read meanwhile
        assert screen.rows[-1].id != last_held
        await pilot.press("home")
        await wait_for(pilot, lambda: screen.first_page == 0 and idle(screen) and table.cursor_row == 0)
        assert screen.current_row().id == newest
