"""Autosave slots: unsaved editor text per article (or new draft) and login.

Writing a slot is one small upsert, so the editor can call it often; reading it
back on open is how text survives a dropped SSH connection.
"""

from __future__ import annotations

from typing import Any

from beritatui.core import clock
from beritatui.core.database import current_database
from beritatui.core.models import Autosave


def slot_for(article_uuid: str | None, new_token: str | None = None) -> str:
    """The slot name: the article's uuid, or ``new:<token>`` for a draft never saved."""
    return article_uuid if article_uuid else f"new:{new_token or 'draft'}"


def store(slot: str, login: str, payload: dict[str, Any], *, article_id: int | None = None,
          base_version: int | None = None) -> None:
    with current_database().atomic():
        Autosave.insert(slot=slot, login=login, article=article_id, base_version=base_version, payload=payload,
                        saved_at=clock.utcnow()).on_conflict(
            conflict_target=[Autosave.slot, Autosave.login],
            update={Autosave.payload: payload, Autosave.base_version: base_version,
                    Autosave.saved_at: clock.utcnow(), Autosave.article: article_id},
        ).execute()


def load(slot: str, login: str) -> Autosave | None:
    return Autosave.get_or_none((Autosave.slot == slot) & (Autosave.login == login))


def pending(login: str) -> list[Autosave]:
    """Every slot a login left behind, newest first (new drafts included)."""
    return list(Autosave.select().where(Autosave.login == login).order_by(Autosave.saved_at.desc()))


def discard(slot: str, login: str) -> None:
    with current_database().atomic():
        Autosave.delete().where((Autosave.slot == slot) & (Autosave.login == login)).execute()
