"""A consistent copy of a live SQLite database, and the refusal to write over the live files.

SQLite's online backup writes the snapshot while editors keep saving; the copy is one
self-contained file, made exclusively and renamed into place (:mod:`beritatui.core.fsio`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from peewee import SqliteDatabase

from beritatui.core import fsio
from beritatui.core.charcheck import shown
from beritatui.core.errors import DatabaseError, ValidationError
from beritatui.i18n import _


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
