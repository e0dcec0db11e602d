"""List and search latency on a seeded corpus: ``python bench/queries.py DB [--runs 40] [--page-size 25]``.

Every query goes through ``core.listing.list_articles`` (the function the TUI
and the CLI call), so a figure includes loading each row's bylines, tags and
reaction total.  Each query runs ``--runs`` times after one warm-up run and
prints p50/p95/max in milliseconds:

* the first page of every status view (``all`` = every status but trash);
* page 2000 of the ``all`` and ``published`` views through the keyset cursor
  (the cursor of the row before page 2000 is read once, then the page is
  timed), beside page 1 at the same page size;
* search-box text (the last word matching as a prefix, as while typing) for a
  word in every article, a word in a few dozen and a word in one, with and
  without a status filter;
* a tag filter, alone and with a status;
* the same lists and searches filtered to one unit and to a regional office's
  subtree (what a unit's editor and the regional team see by default), and the
  review queue as a unit's editor and a region's editor see it.

Build the corpus first: ``python bench/corpus.py 100000 /tmp/corpus.db``.
Speed goals are read from the printout, never asserted.
"""

from __future__ import annotations

import sys

# A script in bench/ must not let a sibling file shadow the standard library (bench/typing.py is a script).
if sys.path and sys.path[0] == __import__("os").path.dirname(__import__("os").path.abspath(__file__)):
    sys.path.pop(0)

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TARGETS = ("status view first page p95 <= 10 ms; page 2000 within 1.5x of page 1; "
           "search p95 <= 30 ms (100 000 articles); filtered to one unit or a subtree (50 units): "
           "list page p95 <= 10 ms, search p95 <= 30 ms, review queue p95 <= 10 ms")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(run: Callable[[], object], runs: int) -> dict[str, float]:
    """Milliseconds per call: one warm-up, then ``runs`` timed calls."""
    run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return {"p50": statistics.median(times), "p95": percentile(times, 0.95), "max": max(times)}


def cursor_before(status: str | None, page: int, size: int) -> tuple | None:
    """The keyset cursor a reader holds after paging to ``page - 1`` (read once with OFFSET)."""
    from beritatui.core.models import Article

    offset = (page - 1) * size - 1
    if offset < 0:
        return None

    select = Article.select(Article.updated_at, Article.id)
    select = select.where(Article.status != "trash") if status is None else select.where(Article.status == status)
    row = select.order_by(Article.updated_at.desc(), Article.id.desc()).offset(offset).limit(1).first()
    return None if row is None else (row.updated_at, row.id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--page-size", type=int, default=25)
    parser.add_argument("--deep-page", type=int, default=2000)
    args = parser.parse_args()
    if not args.db.exists():
        sys.exit(f"{args.db} does not exist; build it with bench/corpus.py N {args.db}")
    os.environ.setdefault("BERITATUI_CONFIG", str(Path(tempfile.gettempdir()) / "beritatui-bench.toml"))

    from beritatui.core.database import open_database
    from beritatui.core.listing import ArticleQuery, count_by_status, list_articles
    from beritatui.core.models import STATUSES

    open_database(str(args.db))
    counts = count_by_status()
    size = args.page_size
    print(f"{args.db}: {counts['all'] + counts['trash']} articles "
          + ", ".join(f"{status} {counts[status]}" for status in STATUSES)
          + f"; {args.runs} runs per query, {size} rows a page")

    results: list[tuple[str, dict[str, float], int]] = []

    def timed(label: str, query: ArticleQuery) -> dict[str, float]:
        figures = measure(lambda: list_articles(query), args.runs)
        results.append((label, figures, len(list_articles(query).rows)))
        return figures

    for status in (None, *STATUSES):
        timed(f"first page: {status or 'all'}", ArticleQuery(status=status, limit=size))
    ratios = []
    for status in (None, "published"):
        first = timed(f"page 1 ({size} rows): {status or 'all'}", ArticleQuery(status=status, limit=size))
        after = cursor_before(status, args.deep_page, size)
        if after is None:
            print(f"  ({status or 'all'} has fewer than {args.deep_page} pages of {size})")
            continue
        deep = timed(f"page {args.deep_page} via keyset: {status or 'all'}",
                     ArticleQuery(status=status, limit=size, after=after))
        ratios.append((status or "all", deep["p95"] / first["p95"], deep["p50"] / first["p50"]))
    words = {"common (every article)": "kegiatan", "medium (~2 %)": "wartelsuspas", "rare (one article)": "42424"}
    for label, word in words.items():
        for status in (None, "published", "review"):
            timed(f"search {label} {word!r}: {status or 'all'}", ArticleQuery(text=word, status=status, limit=size))
    timed("search two words 'petugas kesehatan': all", ArticleQuery(text="petugas kesehatan", limit=size))
    timed("tag 'Kesehatan': all", ArticleQuery(tag="Kesehatan", limit=size))
    timed("tag 'Kesehatan': published", ArticleQuery(tag="Kesehatan", status="published", limit=size))
    timed("tag 'Kesehatan' + search 'kegiatan': all", ArticleQuery(tag="Kesehatan", text="kegiatan", limit=size))
    from beritatui.core.models import User
    from beritatui.core.review_queue import queue_for

    for editor in User.select().where(User.role.in_(("editor", "admin"))).order_by(User.id).limit(3):
        figures = measure(lambda editor=editor: queue_for(editor, limit=size), args.runs)
        results.append((f"review queue of {editor.login} (what awaits their step)", figures,
                        len(queue_for(editor, limit=size))))

    unit_queries(timed, measure, args.runs, size, results)

    width = max(len(label) for label, _f, _n in results)
    print(f"{'query':<{width}}  {'p50 ms':>7}  {'p95 ms':>7}  {'max ms':>7}  rows")
    for label, figures, rows in results:
        print(f"{label:<{width}}  {figures['p50']:7.2f}  {figures['p95']:7.2f}  {figures['max']:7.2f}  {rows:4d}")
    for view, p95_ratio, p50_ratio in ratios:
        print(f"page {args.deep_page} / page 1 ({view}): p95 {p95_ratio:.2f}x, p50 {p50_ratio:.2f}x")
    print(f"targets: {TARGETS}")


def unit_queries(timed: Callable, measure: Callable, runs: int, size: int, results: list) -> None:
    """Lists, searches and the review queue scoped to one unit and to a region's subtree."""
    from beritatui.core import units
    from beritatui.core.listing import ArticleQuery
    from beritatui.core.models import Article, Membership, Unit, User

    regions = list(Unit.select().where(Unit.parent == units.root_id()).order_by(Unit.id))
    if not regions:
        print("  (one unit only: build the corpus with --units 50 for the unit figures)")
        return
    region = regions[0]
    leaf = Unit.select().where(Unit.parent == region.id).order_by(Unit.id).first()
    scopes = {f"unit {leaf.name!r}": tuple(units.subtree_ids(leaf)),
              f"subtree {region.name!r}": tuple(units.subtree_ids(region))}
    for label, ids in scopes.items():
        n = Article.select().where(Article.unit.in_(list(ids)) & (Article.status != "trash")).count()
        print(f"  {label}: {len(ids)} units, {n} articles")
        for status in (None, "published", "review", "draft"):
            timed(f"{label} first page: {status or 'all'}", ArticleQuery(status=status, unit_ids=ids, limit=size))
        for word in ("kegiatan", "wartelsuspas", "42424"):
            timed(f"{label} search {word!r}", ArticleQuery(text=word, unit_ids=ids, limit=size))
    from beritatui.core.review_queue import queue_for

    for unit in (leaf, region):
        member = (User.select().join(Membership).where((Membership.unit == unit.id)
                                                       & (Membership.role == "editor")).first())
        if member is None:
            continue
        for limit in (size, 200):  # a page; what the TUI's review screen loads
            figures = measure(lambda member=member, limit=limit: queue_for(member, limit=limit), runs)
            results.append((f"review queue as {member.login} (up to {limit})", figures,
                            len(queue_for(member, limit=limit))))


if __name__ == "__main__":
    main()
