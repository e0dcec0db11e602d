"""Crash harness: ``python bench/crash.py --iterations N``.

A child process saves, publishes, unpublishes, imports and exports in a loop on
one newsroom database and export directory; the parent kills it with SIGKILL at
a random moment, then checks what a crash must never leave behind:

* ``PRAGMA integrity_check`` fails, or the search index disagrees with the
  articles (``maintenance.check()``), or an article has no revision;
* a feed file in the export directory that is not valid JSON Feed 1.1
  (tests/jsonfeed-1.1.schema.json), or a ``next_url`` or an item whose article
  file does not exist;
* a save the child was told had succeeded (its acknowledgement log) missing
  from the database: a committed transaction must survive the kill.

The child is forked from the parent (modules already imported), so an iteration
costs a few tenths of a second and 500 of them run in minutes.  After the last
kill one uninterrupted export runs and everything is checked once more.  Prints
the figures; ``--json FILE`` also writes them for tests.  Exit status 1 when any
check failed.
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
import signal
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SCHEMA_PATH = HERE.parent / "tests" / "jsonfeed-1.1.schema.json"
BASE_URL = "https://lapas-watampone.example.go.id"
TAGS = ("Humas", "Pembinaan", "Kemandirian", "Keamanan", "Layanan Kunjungan", "#internal-rapat")
OPS = ("save", "save", "publish", "unpublish", "import", "export", "export")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- checks (also used by bench/stress_editors.py) ---------------------------------------------------

def _validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def feed_problems(out: Path, base_url: str, validator: Any = None) -> tuple[int, list[str]]:
    """(feed files of articles checked, problems): every feed file valid JSON Feed, every link resolvable;
    the change log's pages, redirects.json and withdrawn article files are checked too (not counted)."""
    validator = validator or _validator()
    problems: list[str] = []
    checked = 0
    if not out.exists():
        return 0, problems
    for path in sorted(out.rglob("*.json")):
        rel = path.relative_to(out)
        if any(part.startswith(".") for part in rel.parts):
            continue  # the manifest and temporary files
        if rel.as_posix() == "audit-head.json":  # the audit chain's head, not a feed: whole, never torn
            try:
                head = json.loads(path.read_bytes())
            except ValueError as exc:
                problems.append(f"{rel}: not JSON ({exc})")
                continue
            if not isinstance(head, dict) or not isinstance(head.get("hash"), str) or "events" not in head:
                problems.append(f"{rel}: no audit chain head")
            continue
        try:
            data = json.loads(path.read_bytes())
        except ValueError as exc:
            problems.append(f"{rel}: not JSON ({exc})")
            continue
        if str(rel) == "redirects.json" or (isinstance(data, dict) and data.get("withdrawn") is True):
            if not isinstance(data, dict) or not (isinstance(data.get("redirects"), dict) or "withdrawn_at" in data):
                problems.append(f"{rel}: neither redirects nor a withdrawn article")
            continue
        log = rel.name.startswith("changes")  # its items are events, not articles
        checked += not log
        errors = list(validator.iter_errors(data))
        if errors:
            problems.append(f"{rel}: not JSON Feed 1.1 ({errors[0].message})")
            continue
        next_url = data.get("next_url")
        if next_url:
            if not next_url.startswith(base_url + "/") or not (out / next_url[len(base_url) + 1:]).is_file():
                problems.append(f"{rel}: next_url {next_url} points at nothing")
        for item in data.get("items", []) if not log else ():
            slug = item.get("_beritatui", {}).get("slug", "")
            if not (out / "articles" / f"{slug}.json").is_file():
                problems.append(f"{rel}: item {item.get('id')} has no article file articles/{slug}.json")
    return checked, problems


def database_problems() -> list[str]:
    """Integrity, search index and schema (``maintenance.check``), and every article having a revision."""
    from beritatui.core import maintenance
    from beritatui.core.database import current_database

    problems = list(maintenance.check())
    orphans = current_database().execute_sql(
        "SELECT count(*) FROM article a WHERE NOT EXISTS (SELECT 1 FROM revision r WHERE r.article_id = a.id)"
    ).fetchone()[0]
    if orphans:
        problems.append(f"{orphans} articles have no revision")
    return problems


def missing_acks(lines: list[str]) -> list[str]:
    """Acknowledged saves (``save <article> <version> <sha>``) that are not in the database."""
    from beritatui.core.models import Revision

    missing = []
    for line in lines:
        kind, article_id, version, digest = line.split()
        if kind != "save":
            continue
        revision = Revision.get_or_none((Revision.article == int(article_id))
                                        & (Revision.article_version == int(version)))
        if revision is None or sha(revision.body) != digest:
            missing.append(line)
    return missing


# -- the newsroom --------------------------------------------------------------------------------------

def setup(db: Path, out: Path) -> None:
    """An admin and an editor, the site's settings, a few published articles."""
    from beritatui.core import site, transitions
    from beritatui.core.articles import ArticleDraft, create_article
    from beritatui.core.database import close_database, open_database
    from beritatui.core.users import add_user, make_admin

    open_database(str(db))
    admin = make_admin("kasubsi", "Rahmat Hidayat", "Lapas Watampone")
    editor = add_user(admin, "redaktur", display_name="Sri Wahyuni", unit="Lapas Watampone", role="editor")
    site.set_setting(admin, "base_url", BASE_URL)
    site.set_setting(admin, "feed_page_size", "5")
    site.set_setting(admin, "export_dir", str(out))
    from beritatui.core import unit_settings, units
    from beritatui.core.database import current_database

    with current_database().atomic():  # a one-editor desk publishes its own articles (four-eyes off)
        unit_settings.store(units.root_id(), "self_approval", "on")
    for n in range(12):
        article = create_article(editor, ArticleDraft(
            title=f"Kegiatan Pembinaan Warga Binaan Pekan {n + 1}", body=_body(n, "awal"),
            tags=random.sample(TAGS, 2)))
        transitions.submit(editor, article.id)
        transitions.publish(editor, article.id)
    close_database()


def _body(n: int, word: str) -> str:
    return (f"## Laporan {word} {n}\n\nPetugas Lapas Watampone mendampingi warga binaan dalam kegiatan "
            f"*pembinaan kemandirian* ke-{n}.\n\n- pelatihan menjahit\n- kebun sayur\n\n"
            f"Kegiatan ditutup dengan doa bersama. Catatan: {word}.\n")


def _write_import_files(folder: Path, rng: random.Random) -> None:
    """Five Markdown files with front matter; fixed ids, so a re-import updates them."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(5):
        tags = ", ".join(rng.sample(TAGS[:5], 2))
        text = (f"---\ntitle: Arsip Berita Kunjungan Keluarga {n}\nid: arsip-kunjungan-{n}\n"
                f"date: 2025-0{n + 1}-1{n} 09:00\ntags: [{tags}]\nauthor: Andi Saputra (Lapas Watampone)\n---\n\n"
                + _body(n, f"impor {rng.randrange(10**6)}"))
        (folder / f"kunjungan-{n}.md").write_text(text, encoding="utf-8")


# -- the child ---------------------------------------------------------------------------------------

class Child:
    """The loop that gets killed: each operation announces itself on the pipe, each save is acknowledged."""

    def __init__(self, db: Path, out: Path, import_dir: Path, ack_path: Path, pipe: int, seed: int):
        from beritatui.core.database import open_database
        from beritatui.core.users import get_user

        self.rng = random.Random(seed)
        open_database(str(db))
        self.editor = get_user("redaktur")
        self.out, self.import_dir, self.pipe = out, import_dir, pipe
        self.ack = os.open(ack_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def say(self, text: str) -> None:
        os.write(self.pipe, (text + "\n").encode())

    def run(self) -> None:
        self.say("ready")
        n = 0
        while True:
            n += 1
            op = self.rng.choice(OPS)
            self.say(op)
            getattr(self, op)(n)

    def _pick(self, *statuses: str):
        from beritatui.core.models import Article

        rows = list(Article.select(Article.id).where(Article.status.in_(statuses)))
        return self.rng.choice(rows).id if rows else None

    def save(self, n: int) -> None:
        from beritatui.core.articles import ArticleDraft, get_article, save_article
        from beritatui.core.errors import Conflict

        article_id = self._pick("draft", "review", "published", "archived")
        if article_id is None:
            return
        article = get_article(article_id)
        body = _body(n, f"ralat {self.rng.randrange(10**9)}")
        draft = ArticleDraft(body=body, tags=self.rng.sample(TAGS, self.rng.randint(0, 3)))
        if self.rng.random() < 0.15:
            draft.slug = f"{article.slug.rsplit('-v', 1)[0]}-v{n}"  # an editor renames a published file
        try:
            saved = save_article(self.editor, article.id, article.version, draft)
        except Conflict:
            return
        os.write(self.ack, f"save {saved.id} {saved.version} {sha(body)}\n".encode())

    def publish(self, n: int) -> None:
        from beritatui.core import transitions
        from beritatui.core.articles import ArticleDraft, create_article
        from beritatui.core.models import Article

        article_id = self._pick("archived") if Article.select().count() > 60 else None
        if article_id is not None:
            transitions.reopen(self.editor, article_id)
        else:
            article_id = create_article(self.editor, ArticleDraft(
                title=f"Penyerahan Remisi Khusus Gelombang {n}", body=_body(n, "terbit"),
                tags=self.rng.sample(TAGS, 2))).id
        transitions.submit(self.editor, article_id)
        transitions.publish(self.editor, article_id)

    def unpublish(self, n: int) -> None:
        from beritatui.core import transitions
        from beritatui.core.models import Article

        if Article.select().where(Article.status == "published").count() > 8:
            transitions.unpublish(self.editor, self._pick("published"))

    def import_(self, n: int) -> None:
        from beritatui.feeds.importers import import_paths

        _write_import_files(self.import_dir, self.rng)
        import_paths(self.editor, [self.import_dir], keep_status=True)  # as the source says: published

    def export(self, n: int) -> None:
        from beritatui.feeds.export import export_feeds

        export_feeds(self.out)

    def __getattr__(self, name: str):
        if name == "import":
            return self.import_
        raise AttributeError(name)


def child_main(args: argparse.Namespace, pipe: int, seed: int) -> None:
    """Runs in the forked child until killed; an unexpected error is reported and ends it with status 3."""
    try:
        Child(args.db, args.out, args.work / "import", args.work / "acks.log", pipe, seed).run()
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which counts it
        os.write(pipe, f"error {type(exc).__name__}: {exc}\n".encode())
        os._exit(3)


# -- the parent ----------------------------------------------------------------------------------------

def _read_lines(fd: int) -> list[str]:
    chunks = []
    while True:
        data = os.read(fd, 65536)
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks).decode("utf-8", "replace").splitlines()


def one_iteration(args: argparse.Namespace, rng: random.Random) -> tuple[str, list[str]]:
    """Fork, let the child work for a random moment, SIGKILL it; returns (op it was in, its error lines)."""
    read_end, write_end = os.pipe()
    seed = rng.randrange(2**32)
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        child_main(args, write_end, seed)
    os.close(write_end)
    ready = b""
    while not ready.endswith(b"ready\n"):
        data = os.read(read_end, 1)
        if not data:
            break
        ready += data
    time.sleep(rng.uniform(0, args.max_delay))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    lines = _read_lines(read_end)
    os.close(read_end)
    errors = [line for line in lines if line.startswith("error ")]
    ops = [line for line in lines if not line.startswith("error ")]
    return (ops[-1] if ops else "starting"), errors


def run(args: argparse.Namespace) -> dict[str, Any]:
    from beritatui.core.database import close_database, open_database
    from beritatui.feeds.export import export_feeds

    rng = random.Random(args.seed)
    args.work.mkdir(parents=True, exist_ok=True)
    setup(args.db, args.out)
    validator = _validator()
    killed_in: Counter[str] = Counter()
    result: dict[str, Any] = {"iterations": 0, "integrity_failures": 0, "feed_failures": 0, "lost_saves": 0,
                              "child_errors": 0, "acknowledged_saves": 0, "problems": []}
    acks_seen = 0
    started = time.perf_counter()

    def check(label: str) -> None:
        nonlocal acks_seen
        open_database(str(args.db))
        try:
            db_problems = database_problems()
            ack_path = args.work / "acks.log"
            lines = ack_path.read_text().splitlines() if ack_path.exists() else []
            lost = missing_acks(lines[acks_seen:])
            result["acknowledged_saves"] = len(lines)
            acks_seen = len(lines)
        finally:
            close_database()
        files, problems = feed_problems(args.out, BASE_URL, validator)
        result["feed_files_checked"] = result.get("feed_files_checked", 0) + files
        result["integrity_failures"] += bool(db_problems)
        result["feed_failures"] += bool(problems)
        result["lost_saves"] += len(lost)
        for problem in db_problems + problems + [f"lost: {line}" for line in lost]:
            if len(result["problems"]) < 50:
                result["problems"].append(f"{label}: {problem}")

    for iteration in range(1, args.iterations + 1):
        op, errors = one_iteration(args, rng)
        killed_in[op] += 1
        result["child_errors"] += len(errors)
        result["problems"].extend(f"iteration {iteration}: {line}" for line in errors[:3])
        result["iterations"] = iteration
        check(f"iteration {iteration} (killed in {op})")
        if not args.quiet and iteration % 50 == 0:
            print(f"  {iteration} iterations, {time.perf_counter() - started:.1f} s", file=sys.stderr)
    open_database(str(args.db))
    try:
        report = export_feeds(args.out)
        result["final_export"] = report.as_dict()
        from beritatui.core.models import Article

        result["articles"] = Article.select().count()
        result["published"] = Article.select().where(Article.status == "published").count()
    finally:
        close_database()
    check("after a clean export")
    result["killed_in"] = dict(sorted(killed_in.items()))
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["leftover_tmp_files"] = sum(1 for p in args.out.rglob(".*.tmp"))
    return result


def print_result(result: dict[str, Any]) -> None:
    print(f"iterations: {result['iterations']} in {result['seconds']} s")
    print("killed during: " + ", ".join(f"{op} {n}" for op, n in result["killed_in"].items()))
    print(f"acknowledged saves: {result['acknowledged_saves']}, lost: {result['lost_saves']}")
    print(f"articles at the end: {result['articles']} ({result['published']} published); "
          f"feed files checked: {result['feed_files_checked']}")
    print(f"integrity failures (integrity_check, FTS, revisions): {result['integrity_failures']}")
    print(f"feed failures (schema, next_url, item files): {result['feed_failures']}")
    print(f"unexpected child errors: {result['child_errors']}")
    print(f"temporary files left by killed exports: {result['leftover_tmp_files']}")
    for problem in result["problems"][:20]:
        print(f"  ! {problem}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=500)
    parser.add_argument("--max-delay", type=float, default=0.3, help="longest the child runs before the kill (s)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--work", type=Path, help="working directory (default: a new temporary one)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    args.seed = args.seed if args.seed is not None else random.randrange(2**32)
    args.work = (args.work or Path(tempfile.mkdtemp(prefix="beritatui-crash-"))).resolve()
    args.db, args.out = args.work / "berita.db", args.work / "feeds"
    os.environ.setdefault("BERITATUI_CONFIG", str(args.work / "config.toml"))
    print(f"seed {args.seed}, work {args.work}")
    result = run(args)
    result["seed"] = args.seed
    print_result(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    failed = result["integrity_failures"] or result["feed_failures"] or result["lost_saves"] or result[
        "child_errors"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
