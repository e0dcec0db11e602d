"""The audit trail: who did what, when.  Events are only ever added (triggers refuse changes), and each
carries a hash chaining it to the one before (core.audit_hash, core.audit_chain; docs/security.md)."""

from __future__ import annotations

import sqlite3
from typing import Any

from beritatui.core import clock
from beritatui.core.audit_hash import GENESIS, at_text, canonical_json, encoding, link
from beritatui.core.models import AuditEvent


def record(login: str, action: str, article: int | None = None, **details: Any) -> AuditEvent:
    """Add one event; call inside the write transaction of the change it describes.

    The new event's id and hash follow the newest event's, read in the same transaction.  On SQLite that
    is enough: every write transaction begins with ``BEGIN IMMEDIATE`` (core.sqlite), so it holds the
    database's single write lock from its first statement to its commit, and no other writer can add an
    event between the read and the insert (and a transaction that did not take the lock first could not
    commit on a stale read: WAL refuses the upgrade).  The savepoint below begins such a transaction when
    the caller has none.  PostgreSQL (later) has concurrent writers: there the read must lock the chain's
    head (``SELECT ... FOR UPDATE`` of the newest row, or a transaction-level advisory lock) and the id is
    given explicitly, as here, instead of taken from the sequence.
    """
    at = clock.utcnow()
    text = canonical_json(details)
    with AuditEvent._meta.database.atomic():
        last = AuditEvent.select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).first()
        event_id = (last.id if last else 0) + 1
        previous = (last.hash if last else None) or GENESIS
        digest = link(previous, encoding(event_id, at_text(at), login, action, article, text))
        return AuditEvent.create(id=event_id, at=at, login=login, action=action, article=article, details=details,
                                 hash=digest)


def record_raw(connection: sqlite3.Connection, at: str, login: str, action: str, article: int | None,
               details: dict[str, Any]) -> None:
    """Add one event through a plain sqlite3 connection (a backup's copy, before it is put in place), chained.

    ``at`` is the time as the models store it.  A copy whose schema is older than 11 has no hash column:
    the event is added without one, and the upgrade to schema 11 chains it with the rest.
    """
    text = canonical_json(details)
    columns = {row[1] for row in connection.execute("PRAGMA table_info(audit_event)")}
    if "hash" not in columns:
        connection.execute("INSERT INTO audit_event (at, login, action, article, details) VALUES (?, ?, ?, ?, ?)",
                           (at, login, action, article, text))
        return
    last = connection.execute("SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()
    event_id = (last[0] if last else 0) + 1
    previous = (last[1] if last else None) or GENESIS
    digest = link(previous, encoding(event_id, at_text(at), login, action, article, text))
    connection.execute("INSERT INTO audit_event (id, at, login, action, article, details, hash) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", (event_id, at, login, action, article, text, digest))


def events(article: int | None = None, limit: int = 100) -> list[AuditEvent]:
    """Newest first, optionally for one article."""
    query = AuditEvent.select().order_by(AuditEvent.id.desc()).limit(limit)
    if article is not None:
        query = query.where(AuditEvent.article == article)
    return list(query)
