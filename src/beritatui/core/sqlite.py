"""Opening SQLite: the file checked and created, pragmas, writes that wait their turn, full disks.

Everything that only SQLite has lives in ``core/sqlite*.py``, leaving room for another backend
(PostgreSQL) beside it: this module opens the file; :mod:`.sqlite_fts` is the full-text index,
:mod:`.sqlite_integrity` the integrity and tamper checks, :mod:`.sqlite_backup` the online copy.
"""

from __future__ import annotations

import errno
import os
import random
import sqlite3
import stat
import time
from pathlib import Path
from typing import Any

from peewee import OperationalError, SqliteDatabase

from beritatui.core import fsio
from beritatui.core.errors import DatabaseBusy, DatabaseError
from beritatui.core.sqlite_fts import FTS_DDL
from beritatui.core.sqlite_integrity import AUDIT_GUARDS
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


def create_extras(db: SqliteDatabase) -> None:
    """The parts of the schema only SQLite has: the FTS5 table and the triggers that guard the audit trail."""
    db.execute_sql(FTS_DDL)
    for statement in AUDIT_GUARDS:
        db.execute_sql(statement)


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

