"""The unit report's time on a seeded corpus: ``python bench/report.py DB [--runs 20]``.

Every figure goes through ``core.reports.build`` (what ``beritatui report`` and the dashboard call)
and prints p50/p95/max in milliseconds, for the organisation (every unit), a regional office's
subtree and one unit, by month over a year, by month over the corpus's ten years, and by day over
a year; and with ``--subunits`` (each unit's row with its sub-units).

The corpus (``python bench/corpus.py 100000 DB --units 50``) has publication times but no review
history, so this script first writes one into the database, once, directly (the core would take an
hour): for every article published, an ``article.submit`` event 10 minutes to 5 days before its
``published_at`` and an ``article.publish`` event at it; a correction for one article in twenty and
an unpublication for one in thirty, days later.  The database is a scratch corpus: it is changed.
Speed goals are read from the printout, never asserted.
"""

from __future__ import annotations

import sys

# A script in bench/ must not let a sibling file shadow the standard library (bench/typing.py is a script).
if sys.path and sys.path[0] == __import__("os").path.dirname(__import__("os").path.abspath(__file__)):
    sys.path.pop(0)

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

TARGET = "report over 100 000 articles in 50 units <= 300 ms"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(run: Callable[[], object], runs: int) -> dict[str, float]:
    run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return {"p50": statistics.median(times), "p95": percentile(times, 0.95), "max": max(times)}


def _stored(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def seed_history(rng: random.Random) -> int:
    """Write the review history described above, unless the corpus has one; returns the events written."""
    from beritatui.core.database import current_database

    db = current_database()
    if db.execute_sql("SELECT 1 FROM audit_event WHERE action = 'article.submit' LIMIT 1").fetchone():
        return 0
    rows = []
    for article_id, published in db.execute_sql(
            "SELECT id, published_at FROM article WHERE published_at IS NOT NULL ORDER BY id").fetchall():
        at = datetime.fromisoformat(published).replace(tzinfo=UTC)
        rows.append((_stored(at - timedelta(minutes=rng.randint(10, 5 * 24 * 60))), "bench", "article.submit",
                     article_id, "{}"))
        rows.append((_stored(at), "bench", "article.publish", article_id, "{}"))
        if article_id % 20 == 0:
            rows.append((_stored(at + timedelta(days=rng.randint(1, 60))), "bench", "article.correction-published",
                         article_id, '{"note":"Ralat"}'))
        if article_id % 30 == 0:
            rows.append((_stored(at + timedelta(days=rng.randint(1, 90))), "bench", "article.unpublish",
                         article_id, "{}"))
    rows.sort()
    with db.atomic():
        db.cursor().executemany(
            "INSERT INTO audit_event (at, login, action, article, details) VALUES (?, ?, ?, ?, ?)", rows)
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if not args.db.exists():
        sys.exit(f"{args.db} does not exist; build it with bench/corpus.py 100000 {args.db} --units 50")
    os.environ.setdefault("BERITATUI_CONFIG", str(Path(tempfile.gettempdir()) / "beritatui-bench.toml"))

    from beritatui.core import reports, units
    from beritatui.core.database import open_database
    from beritatui.core.models import Article, Membership, Unit, User

    open_database(str(args.db))
    seeded = seed_history(random.Random(15))
    admin = (User.select().join(Membership).where((Membership.unit == units.root_id())
                                                  & (Membership.role == "admin")).first())
    region = Unit.select().where(Unit.name.startswith("Kanwil")).order_by(Unit.id).first()
    leaf = Unit.select().where(Unit.parent == region.id).order_by(Unit.id).first()
    published = Article.select().where(Article.published_at.is_null(False)).count()
    print(f"{args.db}: {Article.select().count()} articles ({published} published), {Unit.select().count()} units; "
          f"{'seeded ' + str(seeded) + ' review events' if seeded else 'review history already seeded'}; "
          f"{args.runs} runs each")
    year = (datetime(2025, 10, 31, 16, tzinfo=UTC), datetime(2026, 10, 31, 16, tzinfo=UTC))  # Makassar
    ten_years = (datetime(2016, 10, 31, 16, tzinfo=UTC), year[1])
    cases = [
        ("organisation, by month, one year", None, year, "month", False),
        ("organisation, by month, ten years", None, ten_years, "month", False),
        ("organisation, by day, one year", None, year, "day", False),
        ("organisation, by month, one year, --subunits", None, year, "month", True),
        (f"region {region.name}, by month, one year", region.id, year, "month", False),
        (f"unit {leaf.name}, by month, one year", leaf.id, year, "month", False),
    ]
    for label, unit, (start, end), by, subunits in cases:
        def run(unit=unit, start=start, end=end, by=by, subunits=subunits):
            return reports.build(admin, unit, start=start, end=end, by=by, subunits=subunits)

        figures = measure(run, args.runs)
        report = run()
        count = sum(t.published for t in report.totals)
        print(f"  {label:<58} p50 {figures['p50']:7.1f}  p95 {figures['p95']:7.1f}  max {figures['max']:7.1f} ms"
              f"  ({count} published, {len(report.periods)} periods)")
    print(f"goal: {TARGET}")


if __name__ == "__main__":
    main()
