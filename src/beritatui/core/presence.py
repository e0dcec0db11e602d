"""Who else has an article open, kept with a heartbeat; stale after two minutes."""

from __future__ import annotations

from datetime import timedelta

from beritatui.core import clock
from beritatui.core.database import current_database
from beritatui.core.models import Presence, User

STALE_AFTER = timedelta(minutes=2)
HEARTBEAT_SECONDS = 30


def heartbeat(article_id: int, user: User) -> None:
    with current_database().atomic():
        Presence.insert(article=article_id, login=user.login, display_name=user.display_name,
                        heartbeat_at=clock.utcnow()).on_conflict(
            conflict_target=[Presence.article, Presence.login],
            update={Presence.heartbeat_at: clock.utcnow()},
        ).execute()


def leave(article_id: int, login: str) -> None:
    with current_database().atomic():
        Presence.delete().where((Presence.article == article_id) & (Presence.login == login)).execute()


def others(article_id: int, login: str) -> list[str]:
    """Display names of the other logins with a fresh heartbeat on this article."""
    fresh = clock.utcnow() - STALE_AFTER
    rows = Presence.select().where(
        (Presence.article == article_id) & (Presence.login != login) & (Presence.heartbeat_at >= fresh))
    return [row.display_name for row in rows]
