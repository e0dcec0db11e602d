"""The audit trail: who did what, when.  Events are only ever added (triggers refuse changes)."""

from __future__ import annotations

from typing import Any

from beritatui.core import clock
from beritatui.core.models import AuditEvent


def record(login: str, action: str, article: int | None = None, **details: Any) -> AuditEvent:
    """Add one event; call inside the write transaction of the change it describes."""
    return AuditEvent.create(at=clock.utcnow(), login=login, action=action, article=article, details=details)


def events(article: int | None = None, limit: int = 100) -> list[AuditEvent]:
    """Newest first, optionally for one article."""
    query = AuditEvent.select().order_by(AuditEvent.id.desc()).limit(limit)
    if article is not None:
        query = query.where(AuditEvent.article == article)
    return list(query)
