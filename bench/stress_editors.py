"""Many editors on one SQLite file: ``python bench/stress_editors.py --procs 8 --seconds 60``.

Each process is a different login (half editors, half writers, as on a shared
SSH server) doing a random mix, for the given time, of: saves from the version
it read (after a moment of "typing"), deliberately stale saves, submits,
publishes and other workflow moves, tag edits, notes, new drafts and exports.
Every exported run goes to ONE shared directory: ``export_feeds`` takes an
``flock`` on a lock file there, so a second export into the same directory waits
for the first to end (its latency includes the wait) and never interleaves; only
past the bound (120 s) would it be refused ("Another export ...", counted as
``busy``, kind ``export``).  A write the core refused because the write lock
stayed taken for longer than ``core.sqlite.WRITE_WAIT_SECONDS`` ("The database
is busy", ``DatabaseBusy``) is counted as ``busy`` too, kind ``database``.

Every acknowledged save is logged (article, base version, version it produced,
body hash).  At the end the parent checks:

* every acknowledged save exists as a revision with the same body;
* no lost update: every acknowledged save produced exactly base + 1, no two
  acknowledged writes produced the same version of an article, every save from
  a version known to be stale became a Conflict, and every Conflict reported a
  newer version than the one the save started from;
* no process saw an ``OperationalError`` ("database is locked") or any other
  unexpected exception, and no write was refused as "the database is busy";
* ``maintenance.check()`` passes and the shared export directory is valid JSON
  Feed with every link resolvable.

Prints counts and p50/p95/p99 latency per operation, and the save latency
p50/p95/p99 on a line of its own; ``--json FILE`` also writes the figures for
tests.  Exit status 1 when a check fails.
"""

from __future__ import annotations

import sys

# A script in bench/ must not let a sibling file shadow the standard library (bench/typing.py is a script).
if sys.path and sys.path[0] == __import__("os").path.dirname(__import__("os").path.abspath(__file__)):
    sys.path.pop(0)

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BASE_URL = "https://rutan-makassar.example.go.id"
TAGS = ("Humas", "Pembinaan", "Kemandirian", "Keamanan", "Layanan Kunjungan", "Kesehatan", "#internal-rapat")
UNITS = ("Lapas Watampone", "Rutan Makassar", "Bapas Bone", "Lapas Parepare")
# (operation, weight for an editor, weight for a writer)
MIX = (("save", 40, 40), ("stale-save", 5, 5), ("submit", 8, 10), ("publish", 8, 0), ("workflow", 6, 0),
       ("tag", 10, 8), ("note", 10, 12), ("create", 2, 5), ("export", 4, 2), ("rename-tag", 1, 0))


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def login_of(n: int) -> str:
    return f"redaksi{n:02d}"


def role_of(n: int) -> str:
    return "editor" if n % 2 == 0 else "writer"


# -- setup -------------------------------------------------------------------------------------------

def setup(db: Path, procs: int, articles: int) -> None:
    """Users (one login per process), the site, and a small pool of articles so that edits collide."""
    from beritatui.core import site, transitions
    from beritatui.core.articles import ArticleDraft, create_article
    from beritatui.core.database import close_database, open_database
    from beritatui.core.users import add_user, make_admin

    open_database(str(db))
    admin = make_admin("kakanwil", "Nurhayati", "Kanwil Sulawesi Selatan")
    people = [add_user(admin, login_of(n), display_name=f"Redaksi {n}", unit=UNITS[n % len(UNITS)],
                       role=role_of(n)) for n in range(procs)]
    site.set_setting(admin, "base_url", BASE_URL)
    site.set_setting(admin, "feed_page_size", "10")
    for n in range(articles):
        author = people[n % len(people)]
        article = create_article(author, ArticleDraft(
            title=f"Layanan Kunjungan Tatap Muka Dibuka Kembali {n + 1}", body=body_text("awal", n),
            tags=random.sample(TAGS, 2)))
        if n % 3 == 0:
            transitions.submit(admin, article.id)
            transitions.publish(admin, article.id)
    close_database()


def saved_body(article: Any) -> str:
    """The body a save stored: a published article's pending correction (core.corrections), else its own."""
    from beritatui.core.corrections import editing_content

    return editing_content(article).body


def body_text(who: str, n: int) -> str:
    return (f"Petugas {who} mencatat perubahan ke-{n}.\n\nLayanan kunjungan tatap muka dibuka setiap Senin "
            f"sampai Kamis. Pengunjung wajib membawa **kartu identitas** asli.\n\n- pendaftaran pukul 08.00\n"
            f"- kunjungan paling lama 30 menit\n")


# -- the worker ----------------------------------------------------------------------------------------

class Worker:
    """One login's random session; writes one JSON line per operation to its log."""

    def __init__(self, db: Path, login: str, export_dir: Path, log: Path, seed: int):
        from beritatui.core.database import open_database
        from beritatui.core.users import get_user

        open_database(str(db))
        self.actor = get_user(login)
        self.login, self.export_dir = login, export_dir
        self.rng = random.Random(seed)
        self.log = log.open("w", encoding="utf-8")
        self.seq = 0
        self.probing, self.thinking = False, 0.0
        self.stale: list[tuple[int, int]] = []  # (article, version) this worker knows is no longer current
        mix = [(name, ed if self.actor.is_editor else wr) for name, ed, wr in MIX]
        self.ops = [name for name, _w in mix]
        self.weights = [w for _n, w in mix]

    def record(self, **entry: Any) -> None:
        self.log.write(json.dumps(entry) + "\n")

    def pick(self, *statuses: str) -> int | None:
        """A random article (any but trash, or in ``statuses``); a writer mostly picks their own drafts."""
        from beritatui.core.models import Article

        query = Article.select(Article.id)
        own = not self.actor.is_editor and self.rng.random() < 0.8
        if own:
            query = query.where(Article.created_by == self.actor.id)
            statuses = statuses or ("draft",)
        query = query.where(Article.status.in_(statuses)) if statuses else query.where(Article.status != "trash")
        rows = [row.id for row in query]
        if not rows and own and statuses == ("draft",):
            return self._new_draft().id  # a writer with nothing left to edit starts the next story
        return self.rng.choice(rows) if rows else None

    def _new_draft(self):
        from beritatui.core.articles import ArticleDraft, create_article

        return create_article(self.actor, ArticleDraft(
            title=f"Bakti Sosial {self.login} ke-{self.seq}", body=body_text(self.login + " (baru)", self.seq),
            tags=self.rng.sample(TAGS, 2)))

    def run(self, deadline: float) -> None:
        from peewee import OperationalError

        from beritatui.core.errors import BeritaError, Conflict, DatabaseBusy

        while time.time() < deadline:
            op = self.rng.choices(self.ops, self.weights)[0]
            self.seq += 1
            entry: dict[str, Any] = {"op": op}
            self.probing, self.thinking = False, 0.0
            started = time.perf_counter()
            try:
                entry.update(getattr(self, "op_" + op.replace("-", "_"))() or {})
                entry.setdefault("outcome", "ok")
            except Conflict as exc:
                entry.update(outcome="conflict", base=exc.base_version, theirs=exc.theirs.get("version"))
            except DatabaseBusy:
                entry.update(outcome="busy", busy="database")
            except BeritaError as exc:
                entry.update(outcome="refused", error=type(exc).__name__)
            except OperationalError as exc:
                entry.update(outcome="operational-error", error=str(exc))
            except Exception as exc:  # noqa: BLE001 - counted and shown by the parent
                entry.update(outcome="unexpected", error=f"{type(exc).__name__}: {exc}",
                             trace=traceback.format_exc()[-2000:])
            entry["ms"] = round((time.perf_counter() - started - self.thinking) * 1000, 3)
            entry["probe"] = self.probing
            self.record(**entry)
        self.log.close()

    # -- operations (each returns what to log; an exception is an outcome too) ----------------------------
    def _save(self, article_id: int, base: int, body: str, tags: list[str] | None = None) -> dict[str, Any]:
        from beritatui.core.articles import ArticleDraft, save_article

        saved = save_article(self.actor, article_id, base, ArticleDraft(body=body, tags=tags))
        if saved.version == base:
            return {"outcome": "unchanged"}
        self.stale.append((article_id, base))
        return {"article": article_id, "base": base, "version": saved.version, "sha": sha(saved_body(saved)),
                "sent": sha(body)}

    def op_save(self) -> dict[str, Any]:
        """Read, type for a moment, save from the version read."""
        from beritatui.core.articles import get_article

        article_id = self.pick()
        if article_id is None:
            return {"outcome": "nothing"}
        article = get_article(article_id)
        self.thinking = self.rng.uniform(0, 0.02)
        time.sleep(self.thinking)  # typing: not part of the measured latency
        tags = self.rng.sample(TAGS, self.rng.randint(1, 3)) if self.rng.random() < 0.3 else None
        return self._save(article.id, article.version, body_text(self.login, self.seq), tags)

    def op_stale_save(self) -> dict[str, Any]:
        """A save from a version this worker knows was overtaken: it must become a Conflict."""
        if not self.stale:
            return self.op_save()
        article_id, base = self.stale.pop(self.rng.randrange(len(self.stale)))
        self.probing = True
        result = self._save(article_id, base, body_text(self.login + " (basi)", self.seq))
        return {**result, "outcome": "stale-accepted"}

    def _transition(self, action: str, *statuses: str) -> dict[str, Any]:
        from beritatui.core import transitions
        from beritatui.core.articles import get_article

        article_id = self.pick(*statuses)
        if article_id is None:
            return {"outcome": "nothing"}
        base = get_article(article_id).version
        article = getattr(transitions, action)(self.actor, article_id, base_version=base)
        self.stale.append((article_id, base))
        return {"article": article_id, "base": base, "version": article.version, "action": action}

    def op_submit(self) -> dict[str, Any]:
        return self._transition("submit", "draft")

    def op_publish(self) -> dict[str, Any]:
        return self._transition("publish", "review")

    def op_workflow(self) -> dict[str, Any]:
        """Send work back so drafts keep coming: request changes, unpublish, reopen."""
        from beritatui.core import transitions

        action = self.rng.choice(("request_changes", "unpublish", "reopen"))
        if action == "request_changes":
            article_id = self.pick("review")
            if article_id is None:
                return {"outcome": "nothing"}
            article = transitions.request_changes(self.actor, article_id, "Mohon lengkapi jam layanan.")
            return {"article": article_id, "version": article.version, "action": action}
        article_id = self.pick("published" if action == "unpublish" else "archived")
        if article_id is None:
            return {"outcome": "nothing"}
        article = getattr(transitions, action)(self.actor, article_id)
        return {"article": article_id, "version": article.version, "action": action}

    def op_tag(self) -> dict[str, Any]:
        """Add or drop a tag, as the tag field of the editor does: a save of the tags from the version read."""
        from beritatui.core.articles import ArticleDraft, article_tags, get_article, save_article

        article_id = self.pick()
        if article_id is None:
            return {"outcome": "nothing"}
        article = get_article(article_id)
        current = [t.name for t in article_tags(article_id)]
        if current and self.rng.random() < 0.5:
            current.remove(self.rng.choice(current))
        else:
            current.append(self.rng.choice([t for t in TAGS if t not in current] or ["Berita Daerah"]))
        saved = save_article(self.actor, article_id, article.version, ArticleDraft(tags=current))
        if saved.version == article.version:
            return {"outcome": "unchanged"}
        self.stale.append((article_id, article.version))
        return {"article": article_id, "base": article.version, "version": saved.version,
                "sha": sha(saved_body(saved))}

    def op_note(self) -> dict[str, Any]:
        from beritatui.core.notes import add_note

        article_id = self.pick()
        if article_id is None:
            return {"outcome": "nothing"}
        add_note(self.actor, article_id, f"Catatan {self.login} nomor {self.seq}: cek ejaan nama pejabat.")
        return {"article": article_id}

    def op_create(self) -> dict[str, Any]:
        from beritatui.core.models import Article

        if Article.select().count() >= 400:
            return self.op_save()
        article = self._new_draft()
        body = body_text(self.login + " (baru)", self.seq)
        return {"article": article.id, "base": 0, "version": article.version, "sha": sha(body), "sent": sha(body)}

    def op_export(self) -> dict[str, Any]:
        from beritatui.feeds.export import ExportError, export_feeds

        try:
            report = export_feeds(self.export_dir)
        except ExportError as exc:
            if "Another export" in str(exc):
                return {"outcome": "busy", "busy": "export"}
            raise
        return {"written": report.written}

    def op_rename_tag(self) -> dict[str, Any]:
        """Rename a tag back and forth (every article carrying it is re-indexed and bumped)."""
        from beritatui.core.tags import rename_tag

        old, new = ("Kesehatan", "Layanan Kesehatan") if self.rng.random() < 0.5 else ("Layanan Kesehatan",
                                                                                        "Kesehatan")
        rename_tag(self.actor, old, new)
        return {"renamed": new}


def worker_main(args: argparse.Namespace) -> int:
    from beritatui.core.database import close_database

    worker = Worker(args.db, args.login, args.export_dir, args.log, args.seed)
    while time.time() < args.start:
        time.sleep(0.002)
    worker.run(args.start + args.seconds)
    close_database()
    return 0


# -- the parent --------------------------------------------------------------------------------------

def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def verify(db: Path, entries: list[dict[str, Any]], export_dir: Path) -> dict[str, Any]:
    """The invariants, from the workers' logs and the database."""
    sys.path.insert(0, str(HERE))
    from beritatui.core import maintenance
    from beritatui.core.database import close_database, open_database
    from beritatui.core.models import Revision
    from crash import feed_problems

    saves = [e for e in entries if e["outcome"] in ("ok", "stale-accepted") and "sha" in e]
    produced: Counter[tuple[int, int]] = Counter(
        (e["article"], e["version"]) for e in entries if e["outcome"] in ("ok", "stale-accepted") and "version" in e)
    problems: list[str] = []
    wrong_base = [e for e in saves if "base" in e and e["base"] and e["version"] != e["base"] + 1]
    duplicates = [key for key, n in produced.items() if n > 1]
    stale_accepted = [e for e in entries if e["outcome"] == "stale-accepted" or (
        e.get("probe") and e["outcome"] != "conflict")]
    false_conflicts = [e for e in entries if e["outcome"] == "conflict" and not (
        e.get("theirs") is not None and e["theirs"] > e["base"])]
    not_sent = [e for e in saves if "sent" in e and e["sent"] != e["sha"]]
    open_database(str(db))
    try:
        missing = []
        for e in saves:
            revision = Revision.get_or_none((Revision.article == e["article"])
                                            & (Revision.article_version == e["version"]))
            if revision is None or sha(revision.body) != e["sha"]:
                missing.append(e)
        check = maintenance.check()
    finally:
        close_database()
    files, feed = feed_problems(export_dir, BASE_URL)
    for label, items in (("acknowledged saves missing as a revision", missing),
                         ("saves that did not produce base + 1", wrong_base),
                         ("versions produced twice", duplicates), ("stale saves accepted", stale_accepted),
                         ("conflicts without a newer version", false_conflicts),
                         ("saves whose stored body differs from the one sent", not_sent)):
        if items:
            problems.append(f"{len(items)} {label}, e.g. {items[0]}")
    problems += [f"check: {p}" for p in check] + [f"feeds: {p}" for p in feed[:10]]
    lost = len(missing) + len(wrong_base) + len(duplicates) + len(stale_accepted) + len(not_sent)
    return {"acknowledged_saves": len(saves), "lost_saves": lost, "false_conflicts": len(false_conflicts),
            "check_problems": check, "feed_files": files, "feed_problems": len(feed), "problems": problems}


def run(args: argparse.Namespace) -> dict[str, Any]:
    setup(args.db, args.procs, args.articles)
    logs = [args.work / f"worker-{n:02d}.jsonl" for n in range(args.procs)]
    start = time.time() + 1.5 + 0.25 * args.procs  # every worker imports and opens before the start line
    env = dict(os.environ)
    children = [subprocess.Popen(
        [sys.executable, __file__, "--worker", "--db", str(args.db), "--login", login_of(n),
         "--export-dir", str(args.export_dir), "--log", str(logs[n]), "--seed", str(args.seed + n),
         "--start", str(start), "--seconds", str(args.seconds)], env=env) for n in range(args.procs)]
    codes = [child.wait() for child in children]
    entries = [json.loads(line) for log in logs if log.exists() for line in log.read_text().splitlines()]
    result = verify(args.db, entries, args.export_dir)
    outcomes = Counter(e["outcome"] for e in entries)
    by_op: dict[str, list[float]] = defaultdict(list)
    for e in entries:
        if e["outcome"] not in ("nothing",):
            by_op[e["op"]].append(e["ms"])
    per_op = {op: {"count": len(ms), "p50": percentile(ms, 50), "p95": percentile(ms, 95),
                   "p99": percentile(ms, 99), "max": max(ms)} for op, ms in sorted(by_op.items())}
    per_op_outcomes = {op: dict(Counter(e["outcome"] for e in entries if e["op"] == op)) for op in by_op}
    unexpected = [e for e in entries if e["outcome"] == "unexpected"]
    busy = Counter(e.get("busy", "database") for e in entries if e["outcome"] == "busy")
    save_ms = [e["ms"] for e in entries if e["op"] == "save" and e["outcome"] != "nothing"]
    result.update(
        busy_refusals=sum(busy.values()), busy_database=busy.get("database", 0), busy_export=busy.get("export", 0),
        save_latency={"count": len(save_ms), "p50": percentile(save_ms, 50) if save_ms else 0.0,
                      "p95": percentile(save_ms, 95) if save_ms else 0.0,
                      "p99": percentile(save_ms, 99) if save_ms else 0.0},
    )
    result.update(
        procs=args.procs, seconds=args.seconds, operations=len(entries), outcomes=dict(outcomes),
        conflicts=outcomes.get("conflict", 0), operational_errors=outcomes.get("operational-error", 0),
        unexpected_errors=len(unexpected), worker_exit_codes=codes, per_op=per_op, per_op_outcomes=per_op_outcomes,
        stale_probes=sum(1 for e in entries if e.get("probe")),
        stale_probe_conflicts=sum(1 for e in entries if e.get("probe") and e["outcome"] == "conflict"),
    )
    result["problems"] += [f"unexpected: {e['error']}\n{e.get('trace', '')}" for e in unexpected[:3]]
    result["problems"] += [f"operational error: {e['error']}" for e in entries
                           if e["outcome"] == "operational-error"][:3]
    return result


def print_result(result: dict[str, Any]) -> None:
    print(f"{result['procs']} processes x {result['seconds']} s: {result['operations']} operations")
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(result["outcomes"].items())))
    print(f"acknowledged saves: {result['acknowledged_saves']}, conflicts: {result['conflicts']} "
          f"(stale-save probes: {result['stale_probes']}, all conflicts: "
          f"{result['stale_probes'] == result['stale_probe_conflicts']}), lost saves: {result['lost_saves']}")
    print(f"busy refusals: {result['busy_refusals']} (the database is busy: {result['busy_database']}, "
          f"another export: {result['busy_export']})")
    latency = result["save_latency"]
    print(f"save latency: p50 {latency['p50']:.1f} ms, p95 {latency['p95']:.1f} ms, p99 {latency['p99']:.1f} ms "
          f"({latency['count']} saves)")
    print(f"OperationalError (database is locked): {result['operational_errors']}, "
          f"unexpected errors: {result['unexpected_errors']}, worker exit codes: {result['worker_exit_codes']}")
    print(f"check: {'OK' if not result['check_problems'] else result['check_problems']}; "
          f"feed files: {result['feed_files']}, feed problems: {result['feed_problems']}")
    print(f"{'operation':<12} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}  outcomes")
    for op, row in result["per_op"].items():
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(result["per_op_outcomes"][op].items()))
        print(f"{op:<12} {row['count']:>6} {row['p50']:>8.1f} {row['p95']:>8.1f} {row['p99']:>8.1f} "
              f"{row['max']:>8.1f}  {outcomes}")
    for problem in result["problems"]:
        print(f"  ! {problem}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--procs", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--articles", type=int, default=0, help="articles to start with (default: 2 per process)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--work", type=Path, help="working directory, kept afterwards (default: a temporary one, removed at the end)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    for name in ("--db", "--export-dir", "--log"):
        parser.add_argument(name, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--login", help=argparse.SUPPRESS)
    parser.add_argument("--start", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker_main(args)
    args.seed = args.seed if args.seed is not None else random.randrange(2**31)
    args.articles = args.articles or 2 * args.procs
    keep = args.work is not None  # a directory given is kept for a look afterwards; a temporary one is not
    args.work = (args.work or Path(tempfile.mkdtemp(prefix="beritatui-stress-"))).resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    try:
        return stress(args)
    finally:
        if not keep:
            shutil.rmtree(args.work, ignore_errors=True)


def stress(args: argparse.Namespace) -> int:
    args.db, args.export_dir = args.work / "berita.db", args.work / "feeds"
    os.environ.setdefault("BERITATUI_CONFIG", str(args.work / "config.toml"))
    print(f"seed {args.seed}, work {args.work}")
    result = run(args)
    result["seed"] = args.seed
    print_result(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    failed = (result["lost_saves"] or result["false_conflicts"] or result["operational_errors"]
              or result["busy_database"]
              or result["unexpected_errors"] or result["check_problems"] or result["feed_problems"]
              or any(result["worker_exit_codes"]) or not result["acknowledged_saves"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
