"""Everything that only SQLite has: file creation, pragmas, FTS5, triggers, backup.

Keeping it here leaves room for another backend (PostgreSQL) beside it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import random
import sqlite3
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peewee import OperationalError, SqliteDatabase
from playhouse.sqlite_ext import FTS5Model, SearchField

from beritatui.core import fsio
from beritatui.core.charcheck import shown
from beritatui.core.errors import DatabaseBusy, DatabaseError, ValidationError
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
    """Refuse a file that exists but is not an SQLite database (empty, truncated, text, binary).

    An empty (0-byte) file is refused too: SQLite would take it for a new database and the
    newsroom would silently start again from nothing (a disk that filled during a copy, a
    ``> berita.db`` typed by mistake).  Only a file that does not exist is ever created.
    """
    if not path.exists():
        return
    if path.is_dir():
        raise DatabaseError(_("{path} is a directory, not a database file").format(path=path))
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseError(_("Cannot read {path}: {reason}").format(path=path, reason=exc.strerror)) from exc
    if not header:
        raise DatabaseError(
            _("{path} is an empty file (0 bytes), not a database; nothing was changed. If it was the newsroom, "
              "restore a backup; if you meant a new database, remove the file and run beritatui init")
            .format(path=path))
    if header != SQLITE_HEADER:
        raise DatabaseError(_("{path} is not a beritatui database (not an SQLite file)").format(path=path))


def connect_read_only(path: Path, **kwargs: Any) -> sqlite3.Connection:
    """A read-only connection to the existing file ``path``.

    SQLite reads a URI for ``mode=ro``; the URI is made by :meth:`pathlib.Path.as_uri`, which
    escapes ``#``, ``?`` and ``%``.  A URI pasted together from a name (``f"file:{path}?mode=ro"``)
    reads ``backup#1.db`` as the file ``backup`` with a fragment, or ``a?mode=rw.db`` as options.
    """
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, **kwargs)


def check_not_foreign(path: Path) -> None:
    """Refuse another program's SQLite file before our pragmas (WAL) rewrite its header."""
    try:
        probe = connect_read_only(path)
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


def integrity_problems(db: SqliteDatabase, *, audit_dates: bool = True) -> list[str]:
    """``PRAGMA integrity_check``, FTS consistency and the audit trail's guards and numbering.

    An empty list means healthy.  What the audit checks can and cannot see is explained in
    :func:`audit_guard_problems` and :func:`audit_sequence_problems`.
    """
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
    connection = db.connection()
    problems.extend(audit_guard_problems(connection))
    problems.extend(audit_sequence_problems(connection, dates=audit_dates))
    return problems


def _normalized(sql: str) -> str:
    return " ".join(sql.replace("IF NOT EXISTS ", "").split())


def audit_guard_problems(connection: sqlite3.Connection) -> list[str]:
    """The triggers that refuse ``UPDATE`` and ``DELETE`` on the audit trail: each missing or changed one, named.

    SQLite keeps a trigger's ``CREATE`` statement as it was given, so one dropped and made
    again to do nothing (same name, another body) shows as changed.
    """
    found = dict(connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                    "AND tbl_name = 'audit_event'").fetchall())
    problems = []
    for statement in AUDIT_GUARDS:
        name = statement.split()[5]  # CREATE TRIGGER IF NOT EXISTS <name> ...
        if name not in found:
            problems.append(_("The audit trail's guard {name} is missing: the trail can be edited or emptied "
                              "(someone changed the file outside beritatui)").format(name=name))
        elif _normalized(found[name] or "") != _normalized(statement):
            problems.append(_("The audit trail's guard {name} was changed outside beritatui").format(name=name))
    return problems


AUDIT_SEQUENCE_SHOWN = 10  # at most this many gaps are named one by one; the rest are counted


def audit_sequence_problems(connection: sqlite3.Connection, *, dates: bool = True) -> list[str]:
    """Audit event ids that do not follow each other (1, 2, 3, ...), and (``dates``) events dated before the
    previous one.

    On SQLite an event's id is the largest id plus one (no ``AUTOINCREMENT``; a rolled-back
    transaction leaves no hole), so a gap means events were removed with the guards dropped.
    An event dated before the one before it was inserted later by hand, or the server's clock
    went back (a demo newsroom's made-up history is back-dated on purpose: ``dates=False``).
    What this cannot see: the newest events removed (the next id fills their place), or
    events inserted in order with believable times; see docs/security.md.
    """
    problems = []
    first = connection.execute("SELECT min(id) FROM audit_event").fetchone()[0]
    if first is not None and first != 1:
        problems.append(_("The audit trail starts at event {id}: events 1 to {last} were removed").format(
            id=first, last=first - 1))
    rows = connection.execute(
        "SELECT id, previous, at, previous_at FROM ("
        "SELECT id, at, lag(id) OVER (ORDER BY id) AS previous, lag(at) OVER (ORDER BY id) AS previous_at "
        "FROM audit_event) WHERE id != previous + 1 OR (? AND at < previous_at) ORDER BY id", (dates,)).fetchall()
    for index, (event, previous, at, previous_at) in enumerate(rows):
        if index == AUDIT_SEQUENCE_SHOWN:
            problems.append(_("… and {n} more gaps or out-of-order events in the audit trail").format(
                n=len(rows) - index))
            break
        if event != previous + 1:
            problems.append(_("Audit events {first} to {last} are missing (removed outside beritatui)").format(
                first=previous + 1, last=event - 1))
        else:
            problems.append(_("Audit event {id} is dated {at}, before event {previous} ({previous_at}): "
                              "inserted out of order, or the clock went back").format(
                id=event, at=at, previous=previous, previous_at=previous_at))
    return problems


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk (or the file system's quota) is full: SQLITE_FULL or ENOSPC/EDQUOT."""
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(exc)
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


DISK_NEARLY_FULL = 256 * 1024  # free bytes under which an I/O error on the database is taken for a full disk


def full_disk_behind(exc: BaseException, path: Path | None) -> bool:
    """Whether a database error was caused by a full disk, looking through the chain of errors.

    SQLite says SQLITE_FULL when a write finds no room; but when the room runs out while its
    shared-memory index or journal grows it says "disk I/O error", and a failed commit that
    SQLite already rolled back surfaces as peewee's "cannot rollback - no transaction is
    active".  So the causes are searched for SQLITE_FULL/ENOSPC, and an I/O error counts as a
    full disk when the database's file system has (almost) no free space left.
    """
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 8:
        chain.append(current)
        current = current.__cause__ or current.__context__
    if any(is_disk_full(error) for error in chain):
        return True
    io_error = any(isinstance(error, sqlite3.Error) and (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF == 10
                   or "disk i/o error" in str(error).lower() for error in chain)
    if not io_error or path is None:
        return False
    try:
        stats = os.statvfs(path.parent)
    except OSError:
        return False
    return stats.f_bavail * stats.f_frsize < DISK_NEARLY_FULL


def snapshot_into(source: sqlite3.Connection, directory: Path, target_name: str, *,
                  prepare: Callable[[sqlite3.Connection], None] | None = None) -> Path:
    """A consistent, self-contained copy of ``source`` in a new temporary file of ``directory``; its path.

    The temporary file is created exclusively (``core.fsio``: a random name, ``O_EXCL``,
    ``O_NOFOLLOW``, mode 0660).  SQLite's online backup then writes the whole snapshot into
    it in one step (``pages=-1``: copying in small steps restarts from the first page
    whenever another process commits in between, so with editors saving every few seconds a
    large database never finished; in WAL mode the single step only holds a read snapshot,
    which blocks nobody's saves).  The copy is written with no journal (a failed copy is
    thrown away, never used) and its header is then marked as a rollback-journal database,
    so the copy is one file and SQLite never creates a ``-journal``, ``-wal`` or ``-shm`` name
    beside it.  ``prepare``, if given, runs on a connection to the copy before it is
    fsync-ed (to check it, or add a row; raising throws the copy away).  The name is checked
    to still be the file we created, and the file is fsync-ed.  The caller renames it into
    place (and fsyncs the directory) or removes it.
    """
    name = fsio.temp_name(target_name)
    tmp = directory / name
    fd = fsio.create_exclusive(directory, name, fsio.SHARED)
    try:
        target = sqlite3.connect(str(tmp))  # by name: checked below to still be the file created above
        try:
            target.execute("PRAGMA journal_mode = OFF")
            target.execute("PRAGMA synchronous = OFF")  # fsync-ed once, below, through our own descriptor
            source.backup(target, pages=-1)
        finally:
            target.close()
        if not fsio.same_file(fd, tmp):
            raise DatabaseError(_("The temporary file {path} was replaced while the copy was written; "
                                  "nothing was kept").format(path=tmp))
        if os.fstat(fd).st_size < 100:
            raise DatabaseError(_("The copy in {path} came out empty; nothing was kept").format(path=tmp))
        os.pwrite(fd, b"\x01\x01", 18)  # file format versions 1/1: rollback journal, not WAL (no sidecars)
        if prepare is not None:
            copy = sqlite3.connect(str(tmp), isolation_level=None)
            try:
                copy.execute("PRAGMA journal_mode = OFF")
                copy.execute("BEGIN")
                prepare(copy)
                copy.execute("COMMIT")
            finally:
                copy.close()
            if not fsio.same_file(fd, tmp):
                raise DatabaseError(_("The temporary file {path} was replaced while the copy was written; "
                                      "nothing was kept").format(path=tmp))
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    os.close(fd)
    return tmp


SIDECARS = ("-wal", "-shm", "-journal")


def live_files(path: Path) -> list[Path]:
    """The database file and the names SQLite keeps beside it (as given, and with symlinks resolved)."""
    names = []
    for base in (path, Path(os.path.realpath(path))):
        names += [base, *(base.with_name(base.name + suffix) for suffix in SIDECARS)]
    return names


def is_live_file(path: Path, database: Path) -> bool:
    """Whether writing ``path`` would write the live ``database`` or one of its -wal/-shm/-journal files.

    By name (after following every symlink, compared by the directory's device and inode, so
    another spelling of the same folder is caught) and by the file itself (a hard link).
    """
    resolved = Path(os.path.realpath(path))
    try:
        folder = os.stat(resolved.parent)
    except OSError:
        folder = None
    for live in live_files(database):
        if folder is not None and resolved.name == live.name:
            try:
                live_folder = os.stat(live.parent)
            except OSError:
                continue
            if (folder.st_dev, folder.st_ino) == (live_folder.st_dev, live_folder.st_ino):
                return True
    try:
        mine = os.stat(resolved)
    except OSError:
        return False
    for live in live_files(database):
        try:
            other = os.stat(live)
        except OSError:
            continue
        if (mine.st_dev, mine.st_ino) == (other.st_dev, other.st_ino):
            return True
    return False


def backup(db: SqliteDatabase, dest: Path, *, force: bool = False) -> None:
    """Copy a consistent snapshot of the open database to the file ``dest`` (safe while others write).

    Refused: ``dest`` being the live database or one of its sidecars, by any name (symlink,
    hard link, another path to the folder), and an existing ``dest`` unless ``force``.  The
    copy is made by :func:`snapshot_into` in ``dest``'s folder and renamed to ``dest`` at
    the end; without ``force`` the rename refuses a name that appeared meanwhile.
    """
    if is_live_file(dest, Path(db.database)):
        raise ValidationError(_("{path} is the database itself (or its -wal/-shm file); a backup must go to "
                                "another file").format(path=shown(str(dest), 200)))
    if os.path.lexists(dest) and not force:
        raise ValidationError(_("{path} exists; choose another name, or add --force to replace it").format(
            path=shown(str(dest), 200)))
    if dest.is_dir():
        raise ValidationError(_("{path} is a directory").format(path=shown(str(dest), 200)))
    directory = dest.parent
    directory.mkdir(parents=True, exist_ok=True)
    tmp = snapshot_into(db.connection(), directory, dest.name)
    try:
        if force:
            os.replace(tmp, dest)
        else:
            fsio.rename_new(tmp, dest)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, FileExistsError):
            raise ValidationError(_("{path} exists; choose another name, or add --force to replace it").format(
                path=shown(str(dest), 200))) from exc
        raise
    fsio.fsync_dir(directory)
