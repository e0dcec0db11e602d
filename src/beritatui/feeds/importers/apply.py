"""One source into the database, through the same core functions an editor uses.

A source is matched by uuid, then slug, so importing it again updates instead of duplicating; an
article past the draft stage is never changed by an import that did not ask for a status.
"""

from __future__ import annotations

from beritatui.core import slugs
from beritatui.core.articles import Rendered, create_article, prerender, save_article
from beritatui.core.bulk import set_imported_state
from beritatui.core.database import current_database
from beritatui.core.models import Article, User
from beritatui.core.workflow import status_label
from beritatui.i18n import _

from .source import ImportProblem, Source


def _match(source: Source) -> Article | None:
    """The article this source updates: same uuid, else same slug (as given or as the title makes it)."""
    if source.uuid:
        found = Article.get_or_none(Article.uuid == source.uuid)
        if found is not None:
            return found
    slug = slugs.normalize_slug(source.slug) or slugs.base_slug(source.title, source.uuid or "00000000")
    return Article.get_or_none(Article.slug == slug)


class _LeftAlone(Exception):
    """An article past the draft stage that an import which did not ask for a status would change."""


def apply_source(actor: User, source: Source, status: str | None,
                 rendered: Rendered | None = None, *, keep_status: bool = False) -> tuple[str, Article]:
    """Create or update one article; returns ("created"|"updated"|"unchanged", article).

    Where it ends: ``status`` when given; with ``keep_status``, what the source says (``draft: true``
    gives a draft, anything else is published); otherwise a draft.  Without either, an article that is
    already in review, scheduled, published or archived is left as it is: changing its text would put
    it on the site (or in an editor's queue) unreviewed, so such a source raises :class:`ImportProblem`.

    The body is rendered before the transaction opens (or was, by the caller: ``rendered``),
    so the write lock is held only for the SQL.
    """
    asked = status is not None or keep_status
    target = status or ("draft" if source.draft or not keep_status else "published")
    draft = source.as_draft(slug=False)
    draft.bylines = draft.bylines or None  # a file that names nobody keeps the article's bylines
    rendered = rendered or prerender(source.body)
    with current_database().atomic():
        existing = _match(source)
        if existing is not None and source.page_form:
            return "unchanged", existing
        if existing is None:
            draft.slug = source.slug or None
            article = create_article(actor, draft, reason="import", article_uuid=source.uuid or None,
                                     prerendered=rendered)
            action = "created"
        else:
            if source.slug and slugs.normalize_slug(source.slug) != existing.slug:
                draft.slug = source.slug
            before = existing.version
            try:
                with current_database().atomic():  # a savepoint: undone when the article must be left alone
                    article = save_article(actor, existing.id, existing.version, draft, reason="import",
                                           prerendered=rendered)
                    if not asked and existing.status != "draft" and article.version != before:
                        raise _LeftAlone
            except _LeftAlone:
                raise ImportProblem(_(
                    "{slug} is {status} and the file would change it; import it with --status or --keep-status "
                    "to change it").format(slug=existing.slug, status=status_label(existing.status))) from None
            action = "updated" if article.version != before else "unchanged"
            if not asked and existing.status != "draft":
                return action, Article.get_by_id(article.id)  # unchanged, and left where it is
        changed = set_imported_state(actor, article.id, target, published_at=source.published_at,
                                     modified_at=source.modified_at, reactions=source.reactions)
        if changed and action == "unchanged":
            action = "updated"
    return action, Article.get_by_id(article.id)
