"""The audit viewer's first page at 1M events: ``python bench/audit.py [--events 1000000] [--runs 40]``.

Seeds a temporary database: 50 units (five regions of nine units under the root), 20,000 articles
spread over them, 200 logins, and ``--events`` audit events written straight into ``audit_event``
with ``executemany`` (fine for a bench: the app adds them one by one), most about an article,
newest most often.  Then times ``core.audit_query.page`` (what the CLI and the TUI call, so a
figure includes resolving the page's articles and each row's "what") for the unfiltered list and
for each filter, as an admin, a region's editor and a writer would read it, and prints p50/p95/max
in milliseconds.  The goal is a first page p95 <= 20 ms; timings are read from the printout, never
asserted.
"""

from __future__ import annotations

import sys

# A script in bench/ must not let a sibling file shadow the standard library (bench/typing.py is a script).
if sys.path and sys.path[0] == __import__("os").path.dirname(__import__("os").path.abspath(__file__)):
    sys.path.pop(0)

import argparse
import json
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from beritatui.core import audit_query, unit_admin, units, users
from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.database import close_database, current_database, open_database
from beritatui.core.models import AuditEvent, User

ACTIONS = [("article.save", 40), ("article.create", 8), ("article.submit", 8), ("article.publish", 6),
           ("article.approve", 5), ("article.request-changes", 3), ("note.add", 6), ("article.trash", 1),
           ("article.correction-published", 1), ("article.unpublish", 1)]
LOOSE = [("user.set-role", 2), ("settings.set", 2), ("tag.rename", 1), ("export", 20), ("backup", 3)]
ARTICLES = 20_000
LOGINS = 200


def seed_units(admin: User) -> list[int]:
    root = units.root()
    ids = [root.id]
    for r in range(5):
        region = unit_admin.add_unit(admin, f"Kanwil {r}")
        ids.append(region.id)
        ids += [unit_admin.add_unit(admin, f"Unit {r}-{u}", parent=region.id).id for u in range(9)]
    return ids


def seed_articles(admin: User, unit_ids: list[int], rng: random.Random) -> None:
    """One article through the core, then copies of its row with their own id, slug, uuid, unit and author."""
    template = create_article(admin, ArticleDraft(title="Templat", body="Isi berita."))
    row = current_database().execute_sql("SELECT * FROM article WHERE id = ?", (template.id,))
    columns = [d[0] for d in row.description]
    values = list(row.fetchone())
    authors = [u.id for u in User.select(User.id)]
    batch = []
    for n in range(2, ARTICLES + 1):
        record = dict(zip(columns, values, strict=True))
        record.update(id=n, slug=f"berita-{n}", uuid=str(uuid.UUID(int=rng.getrandbits(128))),
                      unit_id=rng.choice(unit_ids), created_by_id=rng.choice(authors), title=f"Berita {n}")
        batch.append(tuple(record[c] for c in columns))
    marks = ", ".join("?" * len(columns))
    with current_database().atomic():
        current_database().cursor().executemany(f"INSERT INTO article ({', '.join(columns)}) VALUES ({marks})",
                                                batch)


def seed_events(count: int, rng: random.Random) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    step = (datetime(2026, 12, 1, tzinfo=UTC) - start) / count
    names, weights = zip(*(ACTIONS + LOOSE), strict=True)
    loose = {name for name, _w in LOOSE}
    logins = [f"user{n}" for n in range(LOGINS)] + ["ani"]
    rows = []
    for n in range(count):
        action = rng.choices(names, weights)[0]
        article = None if action in loose else int(ARTICLES * (1 - rng.random() ** 2)) or 1
        at = AuditEvent.at.db_value(start + step * n)
        details = {"version": rng.randint(1, 20)} if article else {"key": "title", "value": "Berita", "previous": "x"}
        rows.append((at, rng.choice(logins), action, article, json.dumps(details)))
        if len(rows) == 100_000:
            _insert(rows)
            rows = []
    _insert(rows)


def _insert(rows: list[tuple]) -> None:
    with current_database().atomic():
        current_database().cursor().executemany(
            "INSERT INTO audit_event (at, login, action, article, details) VALUES (?, ?, ?, ?, ?)", rows)


def timed(run: Callable[[], object], runs: int) -> tuple[float, float, float]:
    run()
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        run()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))], samples[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    rng = random.Random(15)
    with tempfile.TemporaryDirectory() as folder:
        open_database(str(Path(folder) / "audit.db"))
        began = time.perf_counter()
        admin = users.make_admin("ani", "Ani")
        unit_ids = seed_units(admin)
        for n in range(20):
            users.add_user(admin, f"user{n}", role="writer")
        region = units.get_unit("Kanwil 2")
        editor = users.add_user(admin, "ed-region", role="writer")
        unit_admin.grant(admin, "ed-region", region.id, "editor")
        editor = User.get_by_id(editor.id)
        writer = User.get(User.login == "user7")
        seed_articles(admin, unit_ids, rng)
        seed_events(args.events, rng)
        current_database().execute_sql("ANALYZE")
        print(f"seeded {args.events:,} events in {time.perf_counter() - began:.0f} s")
        tz = "Asia/Makassar"
        cases: list[tuple[str, User, audit_query.Filters]] = [
            ("unfiltered (admin)", admin, audit_query.Filters()),
            ("--article (one article)", admin, audit_query.resolve(article="berita-19990")),
            ("--article (an old one)", admin, audit_query.resolve(article="berita-30")),
            ("--user", admin, audit_query.resolve(user="user42")),
            ("--unit (a region's subtree)", admin, audit_query.resolve(unit="Kanwil 3")),
            ("--unit (one unit)", admin, audit_query.resolve(unit="Unit 1-4")),
            ("--action (common: save)", admin, audit_query.resolve(action="article.save")),
            ("--action (rare: tag.rename)", admin, audit_query.resolve(action="tag.rename")),
            ("--action prefix article.", admin, audit_query.resolve(action="article.")),
            ("--action prefix user.", admin, audit_query.resolve(action="user.")),
            ("--since last week", admin, audit_query.resolve(since="2026-11-24", timezone=tz)),
            ("--until a year ago", admin, audit_query.resolve(until="2025-12-01", timezone=tz)),
            ("--since/--until one month", admin, audit_query.resolve(since="2025-06-01", until="2025-07-01",
                                                                     timezone=tz)),
            ("--user + --action", admin, audit_query.resolve(user="user42", action="article.publish")),
            ("region editor, unfiltered", editor, audit_query.Filters()),
            ("writer, unfiltered", writer, audit_query.Filters()),
        ]
        print(f"{'first page (50 events)':34} {'p50':>8} {'p95':>8} {'max':>8}")
        for name, reader, filters in cases:
            p50, p95, worst = timed(lambda r=reader, f=filters: audit_query.page(r, f), args.runs)
            print(f"{name:34} {p50:8.2f} {p95:8.2f} {worst:8.2f}")
        print("goal: first page p95 <= 20 ms")
        close_database()


if __name__ == "__main__":
    main()
