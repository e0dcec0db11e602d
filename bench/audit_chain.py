"""Audit chain timings: ``python bench/audit_chain.py [N] [--db DB]``.

Builds (unless --db names an existing database) a database whose audit trail holds N chained events
(default 1 000 000; logins, actions and details like a newsroom's), then times ``audit_chain.verify``
(the walk ``beritatui audit verify`` and ``check`` make), ``audit_chain.head`` (what each export reads)
and ``audit.record`` (one event added in its own write transaction), and prints the peak RSS: the walk
streams, so memory does not grow with N.
"""

from __future__ import annotations

import sys

# A script in bench/ must not let a sibling file shadow the standard library (bench/typing.py is a script).
if sys.path and sys.path[0] == __import__("os").path.dirname(__import__("os").path.abspath(__file__)):
    sys.path.pop(0)

import argparse
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ACTIONS = ("article.create", "article.save", "article.submit", "article.publish", "article.note", "tag.rename")
LOGINS = ("ani", "eko", "wati", "budi", "sari", "joko")


def seed(path: Path, n: int) -> None:
    """``n`` chained events written in batches through one connection (as record() would chain them)."""
    from beritatui.core.audit_hash import GENESIS, at_text, canonical_json, encoding, link
    from beritatui.core.database import close_database, current_database, open_database

    open_database(str(path), create=True)
    db = current_database()
    start = datetime(2024, 1, 1, tzinfo=UTC)
    previous, batch = GENESIS, []
    began = time.perf_counter()
    with db.atomic():
        for i in range(1, n + 1):
            at = (start + timedelta(seconds=i * 7, microseconds=i % 1000)).replace(tzinfo=None)
            stored = str(at)
            details = canonical_json({"status": "published", "version": i % 9 + 1, "title": f"Berita ke-{i}"})
            article = i // 5 if i % 3 else None
            login, action = LOGINS[i % len(LOGINS)], ACTIONS[i % len(ACTIONS)]
            previous = link(previous, encoding(i, at_text(stored), login, action, article, details))
            batch.append((i, stored, login, action, article, details, previous))
            if len(batch) == 20_000:
                db.cursor().executemany("INSERT INTO audit_event (id, at, login, action, article, details, hash) "
                                        "VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
                batch.clear()
        if batch:
            db.cursor().executemany("INSERT INTO audit_event (id, at, login, action, article, details, hash) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
    print(f"seeded {n:,} events in {time.perf_counter() - began:.1f} s")
    close_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    from beritatui.core import audit, audit_chain
    from beritatui.core.database import current_database, open_database

    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "chain.db"
        if not path.exists():
            seed(path, args.n)
        open_database(str(path))
        db = current_database()
        began = time.perf_counter()
        result = audit_chain.verify(db)
        walked = time.perf_counter() - began
        assert result.ok, result.problem
        print(f"verify: {result.events:,} events in {walked:.2f} s "
              f"({walked / max(result.events, 1) * 1e6:.2f} µs an event); head {result.head[:16]}…")
        heads = []
        for _ in range(200):
            began = time.perf_counter()
            audit_chain.head(db)
            heads.append(time.perf_counter() - began)
        print(f"head: median {statistics.median(heads) * 1e3:.3f} ms, max {max(heads) * 1e3:.3f} ms")
        records = []
        for n in range(50):
            began = time.perf_counter()
            with db.atomic():
                audit.record("ani", "bench.record", None, n=n)
            records.append(time.perf_counter() - began)
        print(f"record (one event, its own transaction): median {statistics.median(records) * 1e3:.2f} ms")
        print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
