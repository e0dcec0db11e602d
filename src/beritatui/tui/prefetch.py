"""The article list's first page, fetched while the terminal app is still starting.

Importing Textual and building the first screen takes most of a second; the
database does not need to wait for it.  ``beritatui`` starts this thread
right after opening the session, so SQLite reads the first page and the view
counts (it releases the GIL while it works) during those imports, and the
list screen shows them as soon as it is mounted.  Nothing here imports
Textual, so starting it costs nothing on the way to the first paint.

Once they are read, the thread also formats one relative date: the first
one loads Babel's locale data (about 20 ms), which would otherwise happen on
the UI thread while the first page's cells are made, just before the paint.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from datetime import timedelta

from beritatui.core import clock
from beritatui.core.database import release_thread_connection
from beritatui.core.listing import ArticleQuery, Page, count_in_status, list_articles

PAGE_SIZE = 100


def view_counts() -> dict[str, int]:
    """The counts the list's views show: only the review queue carries one (an index lookup, even at 100k)."""
    return {"review": count_in_status("review")}


def first_query() -> ArticleQuery:
    """What the list screen asks first: every status but trash, newest first."""
    return ArticleQuery(status=None, limit=PAGE_SIZE)


class FirstPage:
    """The first page and the views' counts, each a future filled by one background thread."""

    def __init__(self, query: ArticleQuery) -> None:
        self.query = query
        self.page: Future[Page] = Future()
        self.counts: Future[dict[str, int]] = Future()

    @classmethod
    def start(cls, query: ArticleQuery | None = None) -> FirstPage:
        first = cls(query or first_query())
        threading.Thread(target=first._fetch, name="beritatui-first-page", daemon=True).start()
        return first

    def _fetch(self) -> None:
        try:
            self.page.set_result(list_articles(self.query))
            self.counts.set_result(view_counts())
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits, who shows it
            for future in (self.page, self.counts):
                if not future.done():
                    future.set_exception(exc)
            return
        finally:
            release_thread_connection()
        warm_dates()


def warm_dates() -> None:
    """Format one relative date, so that the locale data it needs is loaded (see the module)."""
    from beritatui.i18n import format_relative

    try:
        now = clock.utcnow()
        format_relative(now - timedelta(hours=1), now=now, fmt="short")
    except Exception:  # noqa: BLE001 - only a head start: the list formats its dates itself all the same
        pass
