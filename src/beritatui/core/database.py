"""Opening a database: a path means SQLite, a URL goes through ``playhouse.db_url``.

After :func:`open_database` the models are bound and the schema is current.
"""

from __future__ import annotations

from pathlib import Path

import peewee

from beritatui.core import migrations, sqlite
from beritatui.core.errors import DatabaseError, MissingDatabase
from beritatui.core.models import database_proxy
from beritatui.i18n import _


def is_url(spec: str) -> bool:
    return "://" in spec


def sqlite_path(spec: str) -> Path | None:
    """The file behind ``spec`` when it is SQLite, else ``None``."""
    if not is_url(spec):
        return Path(spec).expanduser()
    if spec.startswith("sqlite:///"):
        return Path(spec[len("sqlite:///"):]).expanduser() if spec != "sqlite:///:memory:" else None
    return None


def open_database(spec: str, *, create: bool = True, init_hint: str | None = None) -> peewee.Database:
    """Connect, bind the models, and migrate.

    ``create=False`` (what every command but ``init`` and ``demo`` uses) refuses a missing SQLite
    file with :class:`MissingDatabase`, naming the path and ``init_hint`` (the command that creates it),
    and creates no folder: a mistyped path must not become a new, empty newsroom.
    """
    path = sqlite_path(spec)
    try:
        if path is not None:
            sqlite.share_with_group(path)
            sqlite.check_file(path)
            if path.exists():
                sqlite.check_not_foreign(path)
            else:
                if not create:
                    raise missing_database(path, init_hint)
                sqlite.create_file(path)
            db: peewee.Database = sqlite.open_sqlite(path)
        else:
            # Only for URLs: it imports every server backend peewee has, which a SQLite launch never needs.
            from playhouse.db_url import connect as connect_url

            try:
                db = connect_url(spec)
            except (RuntimeError, ValueError) as exc:  # an unknown scheme, a malformed address
                from beritatui.core.charcheck import shown

                raise DatabaseError(_("Cannot use the database address {spec}: {reason}").format(
                    spec=shown(spec, 200), reason=shown(str(exc), 200))) from exc
        close_database()
        database_proxy.initialize(db)
        db.connect(reuse_if_open=True)
        migrations.migrate(db)
    except peewee.DatabaseError as exc:
        close_database()
        raise DatabaseError(describe_db_error(exc, spec)) from exc
    except ImportError as exc:
        raise DatabaseError(
            _("The database driver for {spec} is not installed: {reason}").format(spec=spec, reason=exc)
        ) from exc
    return db


def missing_database(path: Path, init_hint: str | None = None) -> MissingDatabase:
    hint = init_hint or "beritatui init"
    if not path.parent.is_dir():
        message = _("No database at {path} (the folder {folder} does not exist either). Check the path, or create "
                    "the database with: {command}").format(path=path, folder=path.parent, command=hint)
    else:
        message = _("No database at {path}. Check the path, or create the database with: {command}").format(
            path=path, command=hint)
    return MissingDatabase(message, path)


def describe_db_error(exc: Exception, spec: str) -> str:
    """One line for a person from a driver error."""
    text = str(exc)
    lowered = text.lower()
    if sqlite.full_disk_behind(exc, sqlite_path(spec) if spec else None):
        return _("The disk is full; nothing was saved").format()
    if "readonly" in lowered or "read-only" in lowered:
        return _("The database {spec} is read-only for you; ask an admin to check its file mode").format(spec=spec)
    if "locked" in lowered or "busy" in lowered:
        return sqlite.busy_message()
    if "not a database" in lowered or "malformed" in lowered or "file is encrypted" in lowered:
        return _("{spec} is damaged or not a beritatui database").format(spec=spec)
    if "unable to open" in lowered:
        return _("Cannot open the database {spec}; check the path and its permissions").format(spec=spec)
    if "disk" in lowered and "full" in lowered:
        return _("The disk is full; nothing was saved").format()
    return _("Database error: {reason}").format(reason=text)


def close_database() -> None:
    db = database_proxy.obj
    if db is not None and not db.is_closed():
        db.close()


def current_database() -> peewee.Database:
    if database_proxy.obj is None:
        raise DatabaseError(_("No database is open"))
    return database_proxy.obj  # type: ignore[return-value]


def is_sqlite() -> bool:
    return isinstance(current_database(), peewee.SqliteDatabase)


def release_thread_connection() -> None:
    """Close this thread's connection (call at the end of a worker thread so connections never pile up)."""
    db = database_proxy.obj
    if db is not None and not db.is_closed():
        db.close()
