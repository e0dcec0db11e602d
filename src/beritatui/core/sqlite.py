"""Everything that only SQLite has: file creation, pragmas, FTS5, triggers, backup.

Keeping it here leaves room for another backend (PostgreSQL) beside it.
"""

from __future__ import annotations

import os
import random
import sqlite3
import stat
import time
from pathlib import Path
from urllib.parse import quote

from peewee import OperationalError, SqliteDatabase
from playhouse.sqlite_ext import FTS5Model, SearchField

from beritatui.core import fsio
from beritatui.core.errors import DatabaseBusy, DatabaseError
from beritatui.core.models import database_proxy
from beritatui.i18n import _

SQLITE_HEADER = b"SQLite format 3\x00"
PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5_000,  # one attempt; beginning a write retries on top of it (WriteQueueDatabase.begin)
    "synchronous": "NORMAL",
    "cache_size": -16_000,
}
FILE_MODE = 0o660
WRITE_WAIT_SECONDS = 30.0  # how long a write waits for the lock, in all, before "the database is busy"
RETRY_PAUSE = (0.005, 0.25)  # the first pause between attempts, and the longest (doubling, jittered)


def check_file(path: Path) -> None:
    """Refuse a file that exists but is not an SQLite database (truncated, text, binary)."""
    if not path.exists():
        return
    if path.is_dir():
        raise DatabaseError(_("{path} is a directory, not a database file").format(path=path))
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseError(_("Cannot read {path}: {reason}").format(path=path, reason=exc.strerror)) from exc
    if header and header != SQLITE_HEADER:
        raise DatabaseError(_("{path} is not a beritatui database (not an SQLite file)").format(path=path))


def check_not_foreign(path: Path) -> None:
    """Refuse another program's SQLite file before our pragmas (WAL) rewrite its header."""
    try:
        probe = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            probe.close()
    except sqlite3.Error:
        return  # opening it the normal way reports the problem in the usual words
    if tables - {"sqlite_sequence"} and "schema_version" not in tables:
        raise DatabaseError(_("This database was not made by beritatui (unknown tables, no schema version)"))


def create_file(path: Path) -> None:
    """Create an empty database file with mode 0660 so a group of editors can share it.

    Missing folders are created too: only ``init`` and ``demo`` come here, where creating is the point.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = fsio.create_exclusive(path.parent, path.name, FILE_MODE)
    os.close(fd)
    fsio.fsync_dir(path.parent)


def is_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked" / "database is busy": somebody else holds the lock."""
    text = str(exc).lower()
    return isinstance(exc, (OperationalError, sqlite3.OperationalError)) and ("locked" in text or "busy" in text)


class WriteQueueDatabase(SqliteDatabase):
    """SQLite whose write transactions wait their turn for the lock, boundedly.

    Every write of the core goes through ``db.atomic()``, which begins with
    ``BEGIN IMMEDIATE`` here: the write lock is taken first or not at all.
    SQLite's own busy handler polls with growing sleeps, so a writer that has
    waited long sleeps longest and a newcomer can take the lock before it again
    and again.  So beginning is retried: each attempt waits up to
    ``busy_timeout``, then a short jittered pause (doubling up to 0.25 s), until
    :data:`WRITE_WAIT_SECONDS` have passed in all.  Only then does the person
    get :class:`DatabaseBusy` ("the database is busy"), and nothing was written.
    A failed ``BEGIN`` leaves no transaction open, so trying again is safe.
    """

    def begin(self, lock_type: str | None = None) -> None:
        deadline = time.monotonic() + WRITE_WAIT_SECONDS
        pause = RETRY_PAUSE[0]
        while True:
            try:
                super().begin(lock_type)
                return
            except OperationalError as exc:
                if not is_busy(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise DatabaseBusy(busy_message()) from exc
            time.sleep(random.uniform(pause / 2, pause))
            pause = min(pause * 2, RETRY_PAUSE[1])


def busy_message() -> str:
    return _("The database is busy (another editor holds a long write); try again")


def open_sqlite(path: Path) -> SqliteDatabase:
    """An SQLite connection whose write transactions begin IMMEDIATE (and wait their turn for the lock)."""
    share_with_group(path)
    return WriteQueueDatabase(str(path), pragmas=PRAGMAS, lock_type="IMMEDIATE", check_same_thread=False)


def share_with_group(path: Path) -> None:
    """Before anything opens ``path`` (even a read-only probe creates ``-wal``/``-shm``): a shared folder's
    database gets files its group can write, whatever this person's umask (:func:`keep_group_access`)."""
    if _shared_directory(path.parent):
        keep_group_access()


def _shared_directory(folder: Path) -> bool:
    """A folder the group may write in (``chmod 2770``, as docs/admin.md sets up): a newsroom's database."""
    try:
        return bool(os.stat(folder).st_mode & stat.S_IWGRP)
    except OSError:
        return False


def keep_group_access() -> None:
    """Never let this process's umask take the group's access away from the files it creates.

    SQLite makes ``-wal`` and ``-shm`` with ``open(O_CREAT, <the database's mode>)``,
    which the kernel narrows by the umask, and ``fchmod``-s them to the database's
    mode only afterwards.  Under a colleague's umask 022 the file is 0640 for that
    moment, and a process of another login that opens it just then gets it
    read-only for as long as it runs ("attempt to write a readonly database").
    Clearing the group bits of the umask closes that moment; the other bits stay
    as the person set them.  Files meant for one person are private anyway: they
    are created with an explicit mode (``core.fsio``).  Exports, backups and the
    workers started from here inherit the same umask.
    """
    current = _read_umask()
    wanted = current & ~0o070
    if wanted != current:
        os.umask(wanted)


def _read_umask() -> int:
    """The umask without changing it even for a moment (Linux tells it in /proc); a set-and-restore elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0o077)  # the most private value for the instant it is in force
    os.umask(current)
    return current


class ArticleSearch(FTS5Model):
    """The FTS5 index: one row per article, rowid = article id (used to parse search-box queries)."""

    title = SearchField()
    summary = SearchField()
    body = SearchField()
    tags = SearchField()
    bylines = SearchField()

    class Meta:
        database = database_proxy
        table_name = "article_fts"


FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS article_fts USING fts5("
    "title, summary, body, tags, bylines, tokenize='unicode61 remove_diacritics 2')"
)

AUDIT_GUARDS = (
    "CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit events cannot be removed'); END",
)


def create_extras(db: SqliteDatabase) -> None:
    db.execute_sql(FTS_DDL)
    for statement in AUDIT_GUARDS:
        db.execute_sql(statement)


def index_article(db: SqliteDatabase, article_id: int, title: str, summary: str, body_text: str,
                  tags: list[str], bylines: list[str]) -> None:
    """Replace the article's FTS row (inside the caller's write transaction)."""
    db.execute_sql("DELETE FROM article_fts WHERE rowid = ?", (article_id,))
    db.execute_sql(
        "INSERT INTO article_fts(rowid, title, summary, body, tags, bylines) VALUES (?, ?, ?, ?, ?, ?)",
        (article_id, title, summary, body_text, " ".join(tags), " ".join(bylines)),
    )


def index_articles(db: SqliteDatabase, rows: list[tuple[int, str, str, str, list[str], list[str]]]) -> None:
    """Replace many articles' FTS rows in two statements (inside the caller's write transaction)."""
    db.cursor().executemany("DELETE FROM article_fts WHERE rowid = ?", [(row[0],) for row in rows])
    db.cursor().executemany(
        "INSERT INTO article_fts(rowid, title, summary, body, tags, bylines) VALUES (?, ?, ?, ?, ?, ?)",
        [(i, title, summary, text, " ".join(tags), " ".join(bylines)) for i, title, summary, text, tags, bylines
         in rows])


def match_query(text: str) -> str:
    """A person's search-box text (phrases, OR, -word) as a safe FTS5 MATCH expression."""
    return ArticleSearch.web_query(text)


def integrity_problems(db: SqliteDatabase) -> list[str]:
    """``PRAGMA integrity_check`` and FTS consistency; an empty list means healthy."""
    problems = [row[0] for row in db.execute_sql("PRAGMA integrity_check").fetchall() if row[0] != "ok"]
    try:
        db.execute_sql("INSERT INTO article_fts(article_fts) VALUES('integrity-check')")
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        problems.append(_("search index damaged: {reason}").format(reason=exc))
    missing = db.execute_sql(
        "SELECT count(*) FROM article a WHERE NOT EXISTS (SELECT 1 FROM article_fts f WHERE f.rowid = a.id)"
    ).fetchone()[0]
    extra = db.execute_sql(
        "SELECT count(*) FROM article_fts f WHERE NOT EXISTS (SELECT 1 FROM article a WHERE a.id = f.rowid)"
    ).fetchone()[0]
    if missing:
        problems.append(_("{n} articles are missing from the search index").format(n=missing))
    if extra:
        problems.append(_("{n} search index rows have no article").format(n=extra))
    return problems


def backup(db: SqliteDatabase, dest: Path) -> None:
    """Copy a consistent snapshot with SQLite's online backup API (safe while others write).

    One step (``pages=-1``): copying in small steps restarts from the first page
    whenever another process commits in between, so with editors saving every few
    seconds a large database never finished.  In WAL mode the single step only
    holds a read snapshot, which does not block anyone's saves.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    if tmp.exists():
        tmp.unlink()
    target = sqlite3.connect(str(tmp))
    try:
        db.connection().backup(target, pages=-1)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    os.chmod(tmp, FILE_MODE)
    os.replace(tmp, dest)
