"""Export timings and memory: ``python bench/export.py [N] [--db DB]``.

Runs, each in its own process so peak RSS is per run: a full export, an export
with nothing changed, an export after one published article changed (a
correction to an article in the middle of the archive), and one after a new
article was published (the everyday change).  Prints wall time, files written
and peak RSS for each, and each change's time over the full export's.  N defaults to 10 000; the corpus is
seeded with bench/corpus.py unless --db names an existing one.
"""

from __future__ import annotations

import sys

# A script in bench/ must not let a sibling file shadow the standard library (bench/typing.py is a script).
if sys.path and sys.path[0] == __import__("os").path.dirname(__import__("os").path.abspath(__file__)):
    sys.path.pop(0)

import argparse
import json
import os
import resource
import subprocess
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def phase(db: str, out: str, kind: str) -> dict:
    """One run inside this process (called in a child)."""
    from beritatui.core import users
    from beritatui.core.articles import ArticleDraft, create_article, save_article
    from beritatui.core.database import open_database
    from beritatui.core.models import Article, Tag
    from beritatui.feeds.export import export_feeds

    open_database(db)
    if kind == "one-new":
        from beritatui.core import transitions

        actor = users.get_user("korpus")
        tag = Tag.select().where(~Tag.name.startswith("#")).order_by(Tag.id).first()
        fresh = create_article(actor, ArticleDraft(
            title=f"Rilis Terbaru Humas {time.time_ns()}", body="Kegiatan hari ini.\n\n- pembukaan\n- penutupan",
            tags=[tag.name] if tag else []))
        from beritatui.core import unit_settings
        from beritatui.core.database import current_database

        with current_database().atomic():  # the corpus's one editor publishes it: the four-eyes rule off here
            unit_settings.store(fresh.unit_id, "self_approval", "on")
        transitions.submit(actor, fresh.id)
        transitions.publish(actor, fresh.id)
    if kind == "one-change":
        count = Article.select().where(Article.status == "published").count()
        target = (Article.select().where(Article.status == "published")
                  .order_by(Article.published_at.desc(), Article.id.desc()).offset(count // 2).first())
        actor = users.get_user("korpus")
        from beritatui.core import unit_settings, units
        from beritatui.core.database import current_database

        with current_database().atomic():  # the correction goes live at once (not a pending one): what is measured
            unit_settings.store(units.root_id(), "corrections", "direct")
        save_article(actor, target.id, target.version, ArticleDraft(body=target.body + "\n\nRalat: jam kegiatan."))
    started = time.perf_counter()
    report = export_feeds(out, full=(kind == "full"))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest export worker, if any ran
    return {"phase": kind, "seconds": round(seconds, 2), "peak_rss_mib": round(peak, 1),
            "worker_peak_rss_mib": round(workers, 1), **report.as_dict()}


def run_child(db: Path, out: Path, kind: str) -> dict:
    result = subprocess.run([sys.executable, __file__, "--phase", kind, "--db", str(db), "--out", str(out)],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--phase", choices=("full", "no-change", "one-change", "one-new"))
    args = parser.parse_args()
    os.environ.setdefault("BERITATUI_CONFIG", str(Path(tempfile.gettempdir()) / "beritatui-bench.toml"))
    if args.phase:
        print(json.dumps(phase(str(args.db), str(args.out), args.phase)))
        return
    with tempfile.TemporaryDirectory(prefix="beritatui-bench-") as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "corpus.db"
            subprocess.run([sys.executable, str(HERE / "corpus.py"), str(args.n), str(db)], check=True)
        out = args.out or Path(tmp) / "site"
        results = [run_child(db, out, kind) for kind in ("full", "no-change", "one-change", "one-new")]
        for row in results:
            print(f"{row['phase']:>10}: {row['seconds']:8.2f} s  peak RSS {row['peak_rss_mib']:6.1f} MiB "
                  f"(each worker process {row['worker_peak_rss_mib']:.1f} MiB)  "
                  f"{row['written']} written, {row['unchanged']} unchanged, {row['removed']} removed "
                  f"({row['articles']} published)")
        full = results[0]["seconds"]
        print(f"one-change / full = {results[2]['seconds'] / full:.3f}, one-new / full = {results[3]['seconds'] / full:.3f}")


if __name__ == "__main__":
    main()
