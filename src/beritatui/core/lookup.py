"""Reading one article: by id, slug or uuid, what belongs to it (tags, reactions), and its snapshot.

Every surface and rule finds an article the same way here; nothing in this module writes.
"""

from __future__ import annotations

from typing import Any

from beritatui.core.content import Content
from beritatui.core.errors import Conflict, NotFound
from beritatui.core.models import REACTIONS, Article, ArticleTag, Reactions, Tag
from beritatui.i18n import _


def get_article(ref: str | int) -> Article:
    """An article by id, slug or uuid."""
    article: Article | None = None
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isascii() and ref.isdigit()):
        if 0 < int(ref) < 2**63:  # beyond SQLite's integers: no such id (and no driver error)
            article = Article.get_or_none(Article.id == int(ref))
    if article is None and isinstance(ref, str):
        key = ref.strip()
        if key.startswith("urn:uuid:"):
            key = key[len("urn:uuid:"):]
        article = Article.get_or_none((Article.slug == key) | (Article.uuid == key))
    if article is None:
        raise NotFound(_("No article {ref!r}").format(ref=str(ref)))
    return article


def article_tags(article_id: int) -> list[Tag]:
    return list(
        Tag.select().join(ArticleTag).where(ArticleTag.article == article_id).order_by(ArticleTag.position)
    )


def reactions_of(article_id: int) -> dict[str, int]:
    row = Reactions.get_or_none(Reactions.article == article_id)
    return row.as_dict() if row else dict.fromkeys(REACTIONS, 0)


def snapshot(article: Article) -> dict[str, Any]:
    """The article's content and state as plain data (for conflicts, JSON and diffs)."""
    return {
        "id": article.id,
        "uuid": article.uuid,
        **Content.of_article(article).as_payload(),
        "status": article.status,
        "version": article.version,
        "created_at": article.created_at,
        "updated_at": article.updated_at,
        "modified_at": article.modified_at,
        "published_at": article.published_at,
        "scheduled_at": article.scheduled_at,
        "trashed_at": article.trashed_at,
        "updated_by": article.updated_by.login,
        "created_by": article.created_by.login,
    }


def article_at(ref: str | int, base_version: int | None) -> Article:
    """The article, if nobody changed it since ``base_version`` (``None``: whatever its version now);
    else :class:`~beritatui.core.errors.Conflict` with its current state, for the surface to show.

    Every action taken on what a person saw (a transition, an approval, publishing a correction) asks
    here inside its write transaction, so a colleague's change in between is never acted over.
    """
    article = get_article(ref)
    if base_version is not None and article.version != base_version:
        raise Conflict(_("Someone changed this article meanwhile; reload and try again"),
                       base_version=base_version, theirs=snapshot(article), yours={})
    return article
