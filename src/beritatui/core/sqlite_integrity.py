"""Whether the database is whole: SQLite's own check, the search index, the audit trail's guards and order.

``beritatui check`` and a restore's check of a backup ask here; the triggers that guard the audit
trail are defined here too, so what is created and what is checked are one text.
"""

from __future__ import annotations

import sqlite3

from peewee import SqliteDatabase

from beritatui.i18n import _

AUDIT_GUARDS = (
    "CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit events cannot be removed'); END",
)



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
