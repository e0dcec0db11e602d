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
from dataclasses import replace
from datetime import timedelta

from beritatui.core import clock, units, visibility
from beritatui.core.database import release_thread_connection
from beritatui.core.listing import ArticleQuery, Page, count_in_status, list_articles
from beritatui.core.models import User
from beritatui.tui.unit_scope import MINE, UnitScope, list_scope

PAGE_SIZE = 100


def view_counts(unit_ids: tuple[int, ...] | None = None) -> dict[str, int]:
    """The counts the list's views show: only the review queue carries one (an index lookup, even at 100k),
    counted in the units the list shows."""
    return {"review": count_in_status("review", unit_ids)}


def first_query() -> ArticleQuery:
    """What the list screen asks first: every status but trash, newest first."""
    return ArticleQuery(status=None, limit=PAGE_SIZE)


class FirstPage:
    """The first page and the views' counts, each a future filled by one background thread.

    ``query`` is what the list asks before it knows its units; the thread reads them for ``scope``
    first (the ids go to ``unit_ids``, the units' names to ``unit_names``, both set before ``page``).
    """

    def __init__(self, query: ArticleQuery, actor: User, scope: UnitScope = MINE) -> None:
        self.query = query
        self.actor = actor
        self.scope = scope
        self.unit_ids: tuple[int, ...] | None = None
        self.reader: visibility.Reader | None = None  # the read rule's condition for the scope
        self.unit_names: dict[int, str] = {}
        self.page: Future[Page] = Future()
        self.counts: Future[dict[str, int]] = Future()

    @classmethod
    def start(cls, actor: User, query: ArticleQuery | None = None) -> FirstPage:
        first = cls(query or first_query(), actor)
        threading.Thread(target=first._fetch, name="beritatui-first-page", daemon=True).start()
        return first

    def _fetch(self) -> None:
        try:
            self.unit_names = units.names()
            found = list_scope(self.actor, self.scope)
            self.unit_ids, self.reader = found.unit_ids, found.reader
            self.page.set_result(list_articles(replace(self.query, unit_ids=self.unit_ids, reader=self.reader)))
            self.counts.set_result(view_counts(self.unit_ids))
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
