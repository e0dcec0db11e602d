"""The article list over a large archive: scrolling top to bottom fetches one page at a time, only as needed."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from textual.widgets import DataTable

from beritatui.core import bulk, listing
from beritatui.tui.articles import PAGE_SIZE, PREFETCH, ArticlesScreen

from .conftest import settle, wait_for

ARCHIVE = 5_000


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


async def test_scrolling_a_large_archive_fetches_one_page_at_a_time(newsroom, make_app, monkeypatch):
    assert bulk.insert_articles(newsroom.admin, archive(ARCHIVE)) == ARCHIVE
    spy = PageSpy()
    monkeypatch.setattr("beritatui.tui.articles.list_articles", spy)
    app = make_app(newsroom.editor)
    ahead: list[int] = []  # after each step: rows held beyond the last one the person can see
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ArticlesScreen)
        table = screen.query_one(DataTable)
        assert len(screen.rows) == PAGE_SIZE
        for _ in range(12):  # the keyboard: page by page through the first pages
            await pilot.press("pagedown")
            await settle(pilot, rounds=1)
            ahead.append(len(screen.rows) - 1 - bottom_row(table))
        while screen.cursor_value is not None:  # the wheel or scrollbar: straight to the end of what is loaded
            loaded = len(screen.rows)
            table.scroll_end(animate=False, immediate=True)
            await wait_for(pilot, lambda loaded=loaded: len(screen.rows) > loaded and not screen.loading_more)
            ahead.append(len(screen.rows) - 1 - bottom_row(table))
        rows = list(screen.rows)

    assert len(rows) == ARCHIVE and len({row.id for row in rows}) == ARCHIVE
    assert [row.updated_at for row in rows] == sorted((row.updated_at for row in rows), reverse=True)
    assert all(query.limit == PAGE_SIZE for query in spy.calls)
    assert len(spy.calls) == -(-ARCHIVE // PAGE_SIZE)  # each page fetched once, none twice, none ahead
    assert len({query.after for query in spy.calls}) == len(spy.calls)
    assert spy.most_at_once == 1
    assert max(ahead) <= PAGE_SIZE + PREFETCH  # never more than a page beyond what is in view
