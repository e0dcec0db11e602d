"""Autosave slots as the screens read them: the texts waiting, and keeping those that cannot go back.

A slot's payload is read over its article's content (:meth:`beritatui.core.content.Content.from_payload`):
a field the slot lacks, or holds in a shape it cannot say, is the article's own, never blanked.

Kept apart from the editor so the article list can announce waiting text on start without importing the
editor (the list opens before anything else is loaded).  Database work here runs in thread workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from beritatui.core import autosave, corrections
from beritatui.core.articles import get_article, keep_unsaved
from beritatui.core.content import VERSIONED_SINCE_5, Content
from beritatui.core.corrections import editing_content
from beritatui.core.errors import ValidationError
from beritatui.core.models import Article
from beritatui.i18n import _


@dataclass(frozen=True)
class Waiting:
    """Unsaved text left in an autosave slot, as the article list announces it."""

    slot: str
    article_id: int | None  # None: a draft never saved
    title: str
    saved_at: Any
    status: str | None = None
    read_only_reason: str | None = None  # why it cannot go back into its article (then it is kept instead)


def waiting_texts(actor: Any) -> list[Waiting]:
    """Every slot this login left that holds something the article does not, newest first (in a worker).

    A slot that matches its article (typing undone before a crash) is cleared on the way.
    """
    found: list[Waiting] = []
    for slot in autosave.pending(actor.login):
        payload = slot.payload if isinstance(slot.payload, dict) else {}
        article = None
        if not slot.slot.startswith("new:"):
            article = Article.get_or_none(Article.id == slot.article) if slot.article else None
            article = article or Article.get_or_none(Article.uuid == slot.slot)
        if article is None:
            title = payload.get("title") if isinstance(payload.get("title"), str) else ""
            found.append(Waiting(slot.slot, None, " ".join(title.split()) or _("new draft"), slot.saved_at))
            continue
        content = editing_content(article)
        if Content.from_payload(payload, content) == content:
            autosave.discard(slot.slot, actor.login)
            continue
        found.append(Waiting(slot.slot, article.id, article.title, slot.saved_at, article.status,
                             corrections.edit_problem(actor, article)))
    return found


def keep_waiting(actor: Any, waiting: Waiting) -> int | None:
    """Text that can no longer go into its article (trashed, not this login's now): keep it as a revision
    ``kept`` and clear the slot; the revision number, or ``None`` if the article already held it all."""
    slot = autosave.load(waiting.slot, actor.login)
    if slot is None or waiting.article_id is None:
        return None
    article = get_article(waiting.article_id)
    current = editing_content(article)
    content = Content.from_payload(slot.payload, current)
    try:
        revision = keep_unsaved(actor, article.id, content.as_draft(slug=False))
    except ValidationError:  # an image address or a language the core refuses (typed, never saved): keep the words
        words = content.replace(**{name: getattr(current, name) for name in VERSIONED_SINCE_5})
        revision = keep_unsaved(actor, article.id, words.as_draft(slug=False))
    autosave.discard(waiting.slot, actor.login)
    return revision.number if revision is not None else None
