"""Health checks, backups and restores.

``check`` also looks for what it can see of tampering, because on SQLite the roles are not
a wall: every member of the newsroom's group can write the file, and so change it with the
``sqlite3`` tool.  See :func:`trust_model` and docs/security.md.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from beritatui.core import (
    audit,
    audit_chain,
    clock,
    fsio,
    migrations,
    sqlite,
    sqlite_backup,
    sqlite_integrity,
)
from beritatui.core.charcheck import shown
from beritatui.core.database import current_database, is_sqlite, sqlite_path
from beritatui.core.errors import DatabaseError, PermissionDenied, ValidationError
from beritatui.core.models import MODELS, AuditEvent, User
from beritatui.i18n import _

RESTORE_ACTION = "restore-backup"
USER_ACTIONS = ("user.add", "user.set-role", "user.deactivate")
PATH_SHOWN = 200  # characters of a path echoed in a message


def trust_model() -> str:
    """The SQLite trust model in one sentence, for ``init`` and ``check`` (an admin reads it there)."""
    return _("Trust model: on SQLite every member of the group that can write the database file can change "
             "anything in it with the sqlite3 tool; the roles guide the workflow, they do not stop a determined "
             "member. Roles the database itself enforces come with the PostgreSQL backend.")


def check_limits() -> str:
    """What ``check`` can see of tampering, said where its result is read."""
    return _("check finds some changes made outside beritatui (missing audit guards, users and roles that differ "
             "from the audit trail, removed audit events), not all of them; see docs/security.md.")


def check() -> list[str]:
    """Problems found (empty when healthy): schema version, integrity, search index, audit trail and its hash
    chain (core.audit_chain), users."""
    db = current_database()
    problems = []
    found = migrations.schema_version(db)
    if found != migrations.CURRENT_VERSION:
        problems.append(_("Schema version is {found}, expected {expected}").format(
            found=found, expected=migrations.CURRENT_VERSION))
    if is_sqlite():
        from beritatui.core.demo import is_demo_database

        # a demo newsroom's history is made up and back-dated on purpose: its event dates are not compared
        problems.extend(sqlite_integrity.integrity_problems(db, audit_dates=not is_demo_database()))
    if found == migrations.CURRENT_VERSION:
        chain = audit_chain.verify(db)
        # removed events are each named by the sequence check already (SQLite); the chain names the rest
        if not chain.ok and not (chain.kind == "removed" and is_sqlite()):
            problems.append(chain.problem)
    problems.extend(user_problems())
    return problems


def expected_users() -> tuple[dict[str, tuple[str, bool]], list[str]]:
    """Each login's (role, active) as the audit trail says it should be; and what the trail itself lacks.

    Every change of the user table through the core records an event in the same transaction:
    ``user.add`` (role, active), ``user.set-role`` (role; a person raising themself, which only
    ``init``/the demo do, is also made active), ``user.deactivate``.  The system login that
    publishes scheduled articles is not in the trail; it must stay an inactive editor.
    """
    expected: dict[str, tuple[str, bool]] = {}
    lacking: list[str] = []
    query = AuditEvent.select().where(AuditEvent.action.in_(USER_ACTIONS)).order_by(AuditEvent.id)
    for event in query:
        details = event.details if isinstance(event.details, dict) else {}
        target = details.get("target")
        if not isinstance(target, str):
            continue
        if event.action == "user.add":
            expected[target] = (str(details.get("role", "writer")), True)
            continue
        if target not in expected:
            lacking.append(_("The audit trail changes {login!r} (event {id}), who was never added: their user.add "
                             "event is missing").format(login=target, id=event.id))
        role, active = expected.get(target, ("writer", True))
        if event.action == "user.set-role":
            expected[target] = (str(details.get("role", role)), active or event.login == target)
        else:
            expected[target] = (role, False)
    return expected, lacking


def user_problems() -> list[str]:
    """Every difference between the user table and what the audit trail says it should be, named."""
    from beritatui.core.users import SYSTEM_LOGIN

    expected, problems = expected_users()
    state = {"yes": _("active"), "no": _("deactivated")}
    seen = set()
    for user in User.select().order_by(User.login):
        seen.add(user.login)
        if user.login == SYSTEM_LOGIN:
            if (user.role, bool(user.active)) != ("editor", False):
                problems.append(_("The system login {login!r} is {role} and {state}; it must be an inactive "
                                  "editor: changed outside beritatui").format(
                    login=user.login, role=user.role, state=state["yes" if user.active else "no"]))
            continue
        if user.login not in expected:
            problems.append(_("User {login!r} ({role}) is not in the audit trail: added or renamed outside "
                              "beritatui").format(login=user.login, role=user.role))
            continue
        role, active = expected[user.login]
        if user.role != role:
            problems.append(_("User {login!r} is {role}; the audit trail says {expected}: changed outside "
                              "beritatui").format(login=user.login, role=user.role, expected=role))
        if bool(user.active) != active:
            problems.append(_("User {login!r} is {state}; the audit trail says {expected}: changed outside "
                              "beritatui").format(login=user.login, state=state["yes" if user.active else "no"],
                                                  expected=state["yes" if active else "no"]))
    for login in sorted(set(expected) - seen):
        problems.append(_("User {login!r} is in the audit trail but not in the user table: removed or renamed "
                          "outside beritatui").format(login=login))
    return problems


# --- backups ------------------------------------------------------------------------------------


def _dated_name(folder: Path) -> Path:
    """``beritatui-YYYYmmdd-HHMMSS.db`` in ``folder``, with ``-2``, ``-3`` ... when that name is taken."""
    stem = f"beritatui-{clock.utcnow():%Y%m%d-%H%M%S}"
    candidate, n = folder / f"{stem}.db", 2
    while os.path.lexists(candidate):
        candidate, n = folder / f"{stem}-{n}.db", n + 1
    return candidate


def _write_failure(exc: BaseException, path: Path, what: str) -> DatabaseError:
    """One line for a backup or restore that could not be written: the disk is full, or why not."""
    if sqlite.is_disk_full(exc):
        return DatabaseError(_("The disk is full in {folder}; {what}").format(
            folder=shown(str(path.parent), PATH_SHOWN), what=what))
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return DatabaseError(_("Cannot write {path}: {reason}; {what}").format(
        path=shown(str(path), PATH_SHOWN), reason=reason, what=what))


def backup(actor: User, dest: Path, *, force: bool = False) -> Path:
    """A consistent copy of the open SQLite database at ``dest`` (a file, or a directory to put it in).

    Never the live database (or its -wal/-shm) by any name; never over an existing file
    unless ``force``; written to a new temporary file beside ``dest``, fsync-ed and renamed.
    """
    if not is_sqlite():
        raise ValidationError(_("backup works on SQLite databases; use pg_dump for PostgreSQL"))
    try:
        if dest.is_dir():
            dest = _dated_name(dest)
        sqlite_backup.backup(current_database(), dest, force=force)
    except (OSError, sqlite3.Error) as exc:
        raise _write_failure(exc, dest, _("no backup was made")) from exc
    with current_database().atomic():
        audit.record(actor.login, "backup", path=str(dest))
    return dest


# --- restores -----------------------------------------------------------------------------------


def _is_active_admin(connection: sqlite3.Connection, login: str) -> bool:
    row = connection.execute('SELECT role, active FROM "user" WHERE login = ?', (login,)).fetchone()
    return row is not None and row[0] == "admin" and bool(row[1])


def _require_admin_of_target(target: Path, login: str) -> None:
    """The person replacing a database must be an active admin of it (read from the file, read-only)."""
    try:
        sqlite.check_file(target)
        probe = sqlite.connect_read_only(target)
        try:
            admin = _is_active_admin(probe, login)
        finally:
            probe.close()
    except (DatabaseError, sqlite3.Error) as exc:
        raise DatabaseError(
            _("Cannot tell whether {login} is an admin of {path} ({reason}); nothing was replaced. If it is damaged, "
              "move it away first: where no database exists, an active admin in the backup may restore it").format(
                login=login, path=shown(str(target), PATH_SHOWN), reason=shown(str(exc), PATH_SHOWN))) from exc
    if not admin:
        raise PermissionDenied(_("Only an active admin of {path} may replace it with a backup; {login} is not one")
                               .format(path=shown(str(target), PATH_SHOWN), login=login))


def backup_problems(connection: sqlite3.Connection) -> list[str]:
    """Why a copy of a backup is not a beritatui database this version can use (empty: it is one).

    Its integrity, a schema version table with a version this beritatui knows, every table of
    the schema (and the search index), and the audit trail's guards.
    """
    result = [row[0] for row in connection.execute("PRAGMA integrity_check").fetchall()]
    if result != ["ok"]:
        return [_("it fails its integrity check ({detail})").format(detail=shown(result[0], 120))]
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "schema_version" not in tables:
        return [_("it is not a beritatui database (no schema version)")]
    version = connection.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    if not isinstance(version, int):
        return [_("it is not a beritatui database (no schema version)")]
    if version > migrations.CURRENT_VERSION:
        return [_("it has schema version {found}; this beritatui knows up to {known}. Upgrade beritatui to "
                  "restore it").format(found=version, known=migrations.CURRENT_VERSION)]
    wanted = {model._meta.table_name for model in MODELS} | {"article_fts"}
    problems = []
    missing = sorted(wanted - tables)
    if missing:
        problems.append(_("it lacks the tables {names}").format(names=", ".join(missing)))
    if "audit_event" in tables:
        problems.extend(sqlite_integrity.audit_guard_problems(connection))
    return problems


def restore(source: Path, spec: str, *, login: str, force: bool = False) -> Path:
    """Put a backup in place of the database at ``spec``, as ``login``; recorded in the restored database.

    Who may: where a database exists, only an active admin of it (and only with ``force``);
    where none exists yet, only an active admin in the backup.  The backup is copied first
    (read-only, by path) into a new temporary file beside the target, and the *copy* is
    checked (integrity, schema version, beritatui's tables and audit guards), so what is
    checked is what is put in place.  The copy's first new audit event says who restored it,
    from which file, and the backup's own last event id.
    """
    target = sqlite_path(spec)
    if target is None:
        raise ValidationError(_("restore works on SQLite databases"))
    if not source.exists():
        raise ValidationError(_("No backup file at {path}").format(path=shown(str(source), PATH_SHOWN)))
    sqlite.check_file(source)
    if not source.is_file():
        raise ValidationError(_("No backup file at {path}").format(path=shown(str(source), PATH_SHOWN)))
    replacing = os.path.lexists(target)
    if replacing and sqlite_backup.is_live_file(source, target):
        raise ValidationError(_("{path} is the database itself, not a backup of it").format(
            path=shown(str(source), PATH_SHOWN)))
    if replacing and not force:
        raise ValidationError(
            _("{path} exists; it may be in use. Stop all editors, then run again with --force").format(
                path=shown(str(target), PATH_SHOWN)))
    if replacing:
        _require_admin_of_target(target, login)
    def check_and_record(copy: sqlite3.Connection) -> None:
        problems = backup_problems(copy)
        if problems:
            raise DatabaseError(_("{path} is not a usable backup: {reasons}; nothing was replaced").format(
                path=shown(str(source), PATH_SHOWN), reasons="; ".join(problems)))
        if not replacing and not _is_active_admin(copy, login):
            raise PermissionDenied(
                _("Where no database exists yet, only an active admin in the backup may restore it; {login} is not "
                  "one in {path}").format(login=login, path=shown(str(source), PATH_SHOWN)))
        last = copy.execute("SELECT max(id) FROM audit_event").fetchone()[0] or 0
        details = {"source": str(source.resolve()), "target": str(target), "backup_last_event": last,
                   "replaced": replacing}
        audit.record_raw(copy, _stored_time(), login, RESTORE_ACTION, None, details)

    try:
        target.parent.mkdir(parents=True, exist_ok=True)  # restoring onto a new server: the folder may not exist
        probe = sqlite.connect_read_only(source)
        try:
            tmp = sqlite_backup.snapshot_into(probe, target.parent, target.name, prepare=check_and_record)
        finally:
            probe.close()
    except sqlite3.Error as exc:
        if sqlite.is_disk_full(exc):
            raise _write_failure(exc, target, _("nothing was replaced")) from exc
        raise DatabaseError(_("{path} is not a usable backup: {reason}; nothing was replaced").format(
            path=shown(str(source), PATH_SHOWN), reason=exc)) from exc
    except OSError as exc:
        raise _write_failure(exc, target, _("nothing was replaced")) from exc
    try:
        for suffix in ("-wal", "-shm"):  # the old database's: they must never be read with the restored file
            side = target.with_name(target.name + suffix)
            if os.path.lexists(side):
                side.unlink()
        os.replace(tmp, target)
    except OSError as exc:
        _discard(tmp)
        raise _write_failure(exc, target, _("nothing was replaced")) from exc
    fsio.fsync_dir(target.parent)
    return target


def _stored_time() -> str:
    """Now, as the models store a time (naive UTC text that sorts), for a row written without peewee."""
    value = AuditEvent.at.db_value(clock.utcnow())
    return value.isoformat(" ") if hasattr(value, "isoformat") else str(value)


def _discard(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
