"""Autosave slots as the screens read them: a slot's payload over its article, and the texts waiting.

Kept apart from the editor so the article list can announce waiting text on start without importing the
editor (the list opens before anything else is loaded).  Database work here runs in thread workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from beritatui.core import autosave, workflow
from beritatui.core.articles import ArticleDraft, get_article, keep_unsaved, snapshot
from beritatui.core.models import Article
from beritatui.i18n import _

FIELDS = ("title", "slug", "summary", "tags", "bylines", "language", "image_url", "image_alt", "body")


def content_of(data: dict[str, Any]) -> dict[str, Any]:
    """Only the content fields of a snapshot or payload, in the editor's shapes."""
    return {
        "title": data.get("title") or "", "slug": data.get("slug") or "", "summary": data.get("summary") or "",
        "tags": list(data.get("tags") or []), "bylines": [list(b) for b in data.get("bylines") or []],
        "language": data.get("language") or "", "image_url": data.get("image_url") or "",
        "image_alt": data.get("image_alt") or "", "body": data.get("body") or "",
    }


def recovered_content(payload: Any, article: dict[str, Any]) -> dict[str, Any]:
    """The fields an autosave slot holds, over the article's own: a field the slot lacks (or holds in a
    shape the editor cannot read) is unchanged from the article, never blanked.

    Slots come from this editor and from the command line's ``beritatui edit`` (which stores the
    article's content with the edited body); both use the editor's shapes.
    """
    payload = payload if isinstance(payload, dict) else {}
    shapes = {"tags": list, "bylines": list}
    merged = dict(article)
    for name in FIELDS:
        value = payload.get(name)
        if value is None or not isinstance(value, shapes.get(name, str)):
            continue
        if name == "bylines" and not all(isinstance(b, list | tuple) and len(b) == 2
                                         and all(isinstance(part, str) for part in b) for b in value):
            continue
        if name == "tags" and not all(isinstance(tag, str) for tag in value):
            continue
        merged[name] = value
    return content_of(merged)


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
        content = content_of(snapshot(article))
        if recovered_content(payload, content) == content:
            autosave.discard(slot.slot, actor.login)
            continue
        found.append(Waiting(slot.slot, article.id, article.title, slot.saved_at, article.status,
                             workflow.edit_problem(actor, article)))
    return found


def keep_waiting(actor: Any, waiting: Waiting) -> int | None:
    """Text that can no longer go into its article (trashed, not this login's now): keep it as a revision
    ``kept`` and clear the slot; the revision number, or ``None`` if the article already held it all."""
    slot = autosave.load(waiting.slot, actor.login)
    if slot is None or waiting.article_id is None:
        return None
    article = get_article(waiting.article_id)
    content = recovered_content(slot.payload, content_of(snapshot(article)))
    revision = keep_unsaved(actor, article.id, ArticleDraft(
        title=content["title"], summary=content["summary"], body=content["body"], tags=content["tags"],
        bylines=[tuple(b) for b in content["bylines"]]))
    autosave.discard(waiting.slot, actor.login)
    return revision.number if revision is not None else None
