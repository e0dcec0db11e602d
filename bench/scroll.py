"""Scrolling the article list from the top of the "all" view towards the last article, key by key.

    python bench/scroll.py [--db DB] [--n N] [--keys pagedown|down] [--limit-pages K]

The real app (BeritaApp, its CSS, the list screen) runs headless under
Textual's Pilot at 80x24, acting as the corpus's login (``korpus``).  Page down
(``--keys down``: the down arrow, one row a key) is sent from the first row
until the cursor sits on the last article of the archive, or until K pages have
been fetched (default 200 pages with page down, 10 with down; ``--limit-pages
0`` scrolls to the end).  Without ``--db`` a corpus of ``--n`` articles is
built first with ``bench/corpus.py`` in a temp dir (removed at the end).

A spy wraps ``list_articles`` where the list screen calls it, as
``tests/tui/test_tui_scale.py`` does, and counts the page fetches, the most in
flight at once, any page (keyset cursor) fetched twice and each fetch's time.
Each key is posted to the app as a key event; the script then waits until the
screen has settled (the key handled, any page fetch finished and its rows
added, the frame composited) and notes the time from the key event's creation
to then, the rows the table holds and how many of them lie beyond the last row
in view.  It also counts the footer's rebuilds.  Prints the figures one a line,
with peak and current RSS before and after scrolling.  Asserts nothing: speed
goals are read, not tested.
"""

from __future__ import annotations

import sys

# A script in bench/ must not let a sibling file shadow the standard library (bench/typing.py is a script).
if sys.path and sys.path[0] == __import__("os").path.dirname(__import__("os").path.abspath(__file__)):
    sys.path.pop(0)

import argparse
import asyncio
import os
import resource
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOGIN = "korpus"  # the admin bench/corpus.py creates
SETTLE_ROUNDS = 3  # rounds of the screen's message queues for a key: Key, then the binding, then RowHighlighted
STUCK_PRESSES = 50  # keys in a row that move nothing and fetch nothing: the list is stuck, stop
# Pages to fetch before stopping, unless --limit-pages says otherwise (0: to the end).  At about 5 keys a
# second on two busy cores, page down reaches 20 000 rows in about 4 minutes; the whole 100 000 needs
# about 5 300 keys, and the down arrow one key a row.
DEFAULT_LIMIT = {"pagedown": 200, "down": 10}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def spread(values: list[float]) -> str:
    """p50 / p95 / max in milliseconds, and how many values."""
    if not values:
        return "none"
    ms = [v * 1000 for v in values]
    return (f"p50 {statistics.median(ms):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms, max {max(ms):.1f} ms "
            f"(n={len(ms)})")


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_now_mib() -> float | None:
    """The resident set right now (Linux's /proc), to tell what stays from what peaked."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


class PageSpy:
    """Wraps ``list_articles``: which cursor each call asked for, its time, and how many ran at once."""

    def __init__(self, list_articles) -> None:  # noqa: ANN001 - the core function
        self.list_articles = list_articles
        self.afters: list[object] = []
        self.seconds: list[float] = []
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def __call__(self, query):  # noqa: ANN001, ANN204 - an ArticleQuery in, a Page out
        with self._lock:
            self.afters.append(query.after)
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        started = time.perf_counter()
        try:
            return self.list_articles(query)
        finally:
            elapsed = time.perf_counter() - started
            with self._lock:
                self.seconds.append(elapsed)
                self.running -= 1

    @property
    def fetched_twice(self) -> int:
        """Pages asked for more than once (the same keyset cursor)."""
        return len(self.afters) - len(set(map(repr, self.afters)))


@dataclass
class Scroll:
    presses: int = 0
    press_seconds: list[float] = field(default_factory=list)  # press to settled, every key
    fetching_press_seconds: list[float] = field(default_factory=list)  # the keys that fetched a page
    quiet_press_seconds: list[float] = field(default_factory=list)  # the keys that did not
    most_held: int = 0  # rows in the DataTable
    most_ahead: int = 0  # rows held beyond the last row in view
    rows_reached: int = 0  # the cursor's row + 1 at the end
    distinct_rows: int = 0
    stopped: str = ""
    scroll_seconds: float = 0.0
    first_page_seconds: float = 0.0
    rss_before: float = 0.0
    rss_now_before: float | None = None
    rss_now_after: float | None = None
    early_press_seconds: list[float] = field(default_factory=list)  # the first tenth of the keys
    late_press_seconds: list[float] = field(default_factory=list)  # the last tenth
    footer_rebuilds: int = 0  # Footer.recompose calls while scrolling (the list refreshes bindings on each row)


def build_corpus(n: int, directory: Path) -> Path:
    db = directory / f"corpus-{n}.db"
    print(f"building a corpus of {n} articles…", file=sys.stderr)
    env = dict(os.environ, BERITATUI_CONFIG=str(directory / "corpus.toml"))
    subprocess.run([sys.executable, str(HERE / "corpus.py"), str(n), str(db)], check=True, env=env)
    return db


def bottom_row(table) -> int:  # noqa: ANN001 - a DataTable
    """The last row the viewport shows (or the cursor, if it is further down)."""
    return max(table.cursor_row, int(table.scroll_y) + table.scrollable_content_region.height - 1)


async def press(pilot, key: str) -> float:  # noqa: ANN001 - a Pilot
    """Post one key to the app and wait until the screen has settled; returns seconds from the key's creation.

    Settled: the key handled (the cursor moved, any page fetch started), that fetch finished and its rows added
    (the worker sets ``loading_more`` back in ``_show_more``), and the screen's pending refresh composited.
    ``Pilot.press`` is not used: it waits for the whole process to be idle (at least 40 ms a key, longer
    while the page-fetch thread works), which would swamp the figure.
    """
    from textual import events
    from textual._time import get_time

    app = pilot.app
    event = events.Key(key, None)
    event.set_sender(app)
    app.post_message(event)
    for _ in range(SETTLE_ROUNDS):
        await pilot._wait_for_screen()
    while app.screen.loading_more:
        await asyncio.sleep(0.0005)
    await pilot._wait_for_screen()
    app.screen._on_timer_update()
    return get_time() - event.time


async def scroll(db: str, key: str, limit_pages: int | None) -> tuple[Scroll, PageSpy]:
    from textual.widgets import DataTable, Footer

    import beritatui.tui.articles as articlesmod
    from beritatui.core.config import load_config
    from beritatui.core.session import open_session
    from beritatui.tui.app import BeritaApp

    session = open_session(db, load_config(), login=LOGIN, create=False)
    spy = PageSpy(articlesmod.list_articles)
    articlesmod.list_articles = spy
    app = BeritaApp(session)
    result = Scroll()
    recompose = Footer.recompose

    async def counted_recompose(footer) -> None:  # noqa: ANN001 - the Footer
        result.footer_rebuilds += 1
        await recompose(footer)

    Footer.recompose = counted_recompose  # type: ignore[method-assign]
    try:
        started = time.perf_counter()
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            while not isinstance(screen, articlesmod.ArticlesScreen) or not screen.rows:
                await pilot.pause()
                screen = app.screen
            result.first_page_seconds = time.perf_counter() - started
            result.rss_before = peak_rss_mib()
            result.rss_now_before = rss_now_mib()
            result.footer_rebuilds = 0
            table = screen.query_one(DataTable)
            idle = 0
            seen: set[int] = set()
            started = time.perf_counter()
            while True:
                if screen.cursor_value is None and table.cursor_row >= len(screen.rows) - 1:
                    result.stopped = "the cursor is on the last article and there is no further page"
                    break
                if limit_pages is not None and len(spy.afters) >= limit_pages:
                    result.stopped = f"stopped after {len(spy.afters)} pages (--limit-pages {limit_pages})"
                    break
                if idle >= STUCK_PRESSES:
                    result.stopped = f"stuck: {idle} keys in a row moved nothing and fetched nothing"
                    break
                row, fetches = table.cursor_row, len(spy.afters)
                took = await press(pilot, key)
                result.presses += 1
                result.press_seconds.append(took)
                if len(spy.afters) > fetches:
                    result.fetching_press_seconds.append(took)
                else:
                    result.quiet_press_seconds.append(took)
                idle = idle + 1 if table.cursor_row == row and len(spy.afters) == fetches else 0
                result.most_held = max(result.most_held, table.row_count)
                seen.update(row.id for row in screen.rows)
                result.most_ahead = max(result.most_ahead, len(screen.rows) - 1 - bottom_row(table))
            result.scroll_seconds = time.perf_counter() - started
            result.rss_now_after = rss_now_mib()
            result.rows_reached = screen.first_page * articlesmod.PAGE_SIZE + table.cursor_row + 1
            result.distinct_rows = len(seen)
    finally:
        articlesmod.list_articles = spy.list_articles
        Footer.recompose = recompose  # type: ignore[method-assign]
    tenth = max(1, len(result.press_seconds) // 10)
    result.early_press_seconds = result.press_seconds[:tenth]
    result.late_press_seconds = result.press_seconds[-tenth:]
    return result, spy


def archive_size(db: str) -> int:
    """Articles in the "all" view (every status but trash)."""
    from beritatui.core.database import close_database, open_database
    from beritatui.core.listing import count_by_status

    open_database(db, create=False)
    try:
        return count_by_status()["all"]
    finally:
        close_database()


def report(args: argparse.Namespace, db: str, total: int, result: Scroll, spy: PageSpy, wall: float) -> None:
    from beritatui.tui.articles import PAGE_SIZE, PREFETCH, WINDOW_PAGES

    print(f"database: {db}; articles in the all view: {total}; key: {args.keys}; load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"end: {result.stopped}")
    print(f"rows reached (cursor's place in the list): {result.rows_reached} of {total}; distinct rows shown: "
          f"{result.distinct_rows}")
    print(f"key presses: {result.presses}; {result.presses / result.scroll_seconds:.1f} presses/s; "
          f"{result.rows_reached / result.scroll_seconds:.0f} rows/s")
    print(f"page fetches: {len(spy.afters)} (page size {PAGE_SIZE}; {-(-total // PAGE_SIZE)} pages hold the archive)")
    print(f"most fetches in flight at once: {spy.most_at_once}")
    print(f"pages fetched twice: {spy.fetched_twice}")
    print(f"most rows held by the table: {result.most_held} (rows scrolled: {result.rows_reached}; the table "
          f"holds at most {WINDOW_PAGES} pages = {WINDOW_PAGES * PAGE_SIZE} rows and drops the farthest)")
    print(f"most rows loaded beyond the last row in view: {result.most_ahead} (page + prefetch margin = "
          f"{PAGE_SIZE + PREFETCH})")
    print(f"footer rebuilt (Footer.recompose) while scrolling: {result.footer_rebuilds} times for "
          f"{result.presses} keys")
    print(f"press to settled, every key: {spread(result.press_seconds)}")
    print(f"press to settled, keys that fetched a page: {spread(result.fetching_press_seconds)}")
    print(f"press to settled, keys that fetched nothing: {spread(result.quiet_press_seconds)}")
    print(f"press to settled, first tenth of the keys: {spread(result.early_press_seconds)}")
    print(f"press to settled, last tenth of the keys: {spread(result.late_press_seconds)}")
    print(f"page fetch (list_articles in the worker thread): {spread(spy.seconds)}")
    print(f"first page on screen: {result.first_page_seconds * 1000:.0f} ms after run_test began")
    print(f"scrolling: {result.scroll_seconds:.1f} s; whole run: {wall:.1f} s")
    print(f"peak RSS: {result.rss_before:.0f} MiB with the first page shown, {peak_rss_mib():.0f} MiB at the end")
    if result.rss_now_before is not None and result.rss_now_after is not None:
        print(f"RSS now: {result.rss_now_before:.0f} MiB with the first page shown, {result.rss_now_after:.0f} MiB "
              f"after scrolling (+{result.rss_now_after - result.rss_now_before:.0f} MiB after "
              f"{result.rows_reached} rows scrolled and {result.presses} keys)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=None, help="a corpus from bench/corpus.py (default: build one)")
    parser.add_argument("--n", type=int, default=100000, help="articles in the corpus built without --db")
    parser.add_argument("--keys", choices=("pagedown", "down"), default="pagedown")
    parser.add_argument("--limit-pages", type=int, default=None, metavar="K",
                        help=f"stop once K pages have been fetched; 0: scroll to the end (default: "
                             f"{DEFAULT_LIMIT['pagedown']} pages with page down, {DEFAULT_LIMIT['down']} with down)")
    args = parser.parse_args()
    if args.limit_pages is None:
        args.limit_pages = DEFAULT_LIMIT[args.keys]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="beritatui-scroll-") as temp:  # the config, and a corpus if built
        directory = Path(temp)
        os.environ["BERITATUI_CONFIG"] = str(directory / "config.toml")
        os.environ.setdefault("BERITATUI_LANG", "en")
        db = str(args.db if args.db else build_corpus(args.n, directory))
        total = archive_size(db)
        result, spy = asyncio.run(scroll(db, args.keys, args.limit_pages or None))
        report(args, db, total, result, spy, time.perf_counter() - started)


if __name__ == "__main__":
    main()
