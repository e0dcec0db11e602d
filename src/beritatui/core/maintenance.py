"""Health checks, backups and restores."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from beritatui.core import audit, migrations, sqlite
from beritatui.core.database import current_database, is_sqlite, sqlite_path
from beritatui.core.errors import DatabaseError, ValidationError
from beritatui.core.models import User
from beritatui.i18n import _


def check() -> list[str]:
    """Problems found (empty when healthy): integrity, search index, schema version."""
    db = current_database()
    problems = []
    found = migrations.schema_version(db)
    if found != migrations.CURRENT_VERSION:
        problems.append(_("Schema version is {found}, expected {expected}").format(
            found=found, expected=migrations.CURRENT_VERSION))
    if is_sqlite():
        problems.extend(sqlite.integrity_problems(db))
    return problems


def backup(actor: User, dest: Path) -> Path:
    """A consistent copy of the open SQLite database at ``dest`` (a file, or a directory to put it in)."""
    if not is_sqlite():
        raise ValidationError(_("backup works on SQLite databases; use pg_dump for PostgreSQL"))
    if dest.is_dir():
        from beritatui.core import clock

        dest = dest / f"beritatui-{clock.utcnow():%Y%m%d-%H%M%S}.db"
    sqlite.backup(current_database(), dest)
    with current_database().atomic():
        audit.record(actor.login, "backup", path=str(dest))
    return dest


def restore(source: Path, spec: str, *, force: bool = False) -> Path:
    """Put a backup in place of the database at ``spec``; refuses to replace an existing one without ``force``."""
    target = sqlite_path(spec)
    if target is None:
        raise ValidationError(_("restore works on SQLite databases"))
    sqlite.check_file(source)
    if not source.is_file():
        raise ValidationError(_("No backup file at {path}").format(path=source))
    if target.exists() and not force:
        raise ValidationError(
            _("{path} exists; it may be in use. Stop all editors, then run again with --force").format(path=target))
    import sqlite3

    probe = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        result = probe.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(_("{path} is not a usable backup: {reason}").format(path=source, reason=exc)) from exc
    finally:
        probe.close()
    if result != "ok":
        raise DatabaseError(_("{path} fails its integrity check; not restored").format(path=source))
    tmp = target.with_name(target.name + ".restore")
    target.parent.mkdir(parents=True, exist_ok=True)  # restoring onto a new server: the folder may not exist
    shutil.copyfile(source, tmp)
    os.chmod(tmp, sqlite.FILE_MODE)
    for suffix in ("-wal", "-shm"):
        side = target.with_name(target.name + suffix)
        if side.exists():
            side.unlink()
    os.replace(tmp, target)
    return target
