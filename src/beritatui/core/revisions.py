"""Revisions: every explicit save, submit, publish and restore leaves one; history only grows."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from beritatui.core.articles import KEPT, get_article, save_article
from beritatui.core.content import VERSIONED_SINCE_5, Content, bylines_field
from beritatui.core.errors import NotFound
from beritatui.core.models import Article, AuditEvent, Revision, User
from beritatui.i18n import _


def _for(ref: str | int, reader: User | None) -> Article:
    """The article, checked against the read rule (core.visibility) when a person (``reader``) asks."""
    from beritatui.core.visibility import readable_article

    return get_article(ref) if reader is None else readable_article(reader, ref)


def list_revisions(ref: str | int, reader: User | None = None) -> list[Revision]:
    """Newest first; ``reader``: the person asking, who must be allowed to read the article."""
    article = _for(ref, reader)
    return list(Revision.select().where(Revision.article == article.id).order_by(Revision.number.desc()))


def get_revision(ref: str | int, number: int) -> Revision:
    article = get_article(ref)
    revision = Revision.get_or_none((Revision.article == article.id) & (Revision.number == number))
    if revision is None:
        raise NotFound(_("Article {slug!r} has no revision {n}").format(slug=article.slug, n=number))
    return revision


def content_at(article: Article, version: int) -> Content | None:
    """The article's content as it was at ``version``: what the revision written at that version recorded
    (the newest one, a kept text aside), or ``None`` when no revision was written at that version."""
    revision = (Revision.select().where((Revision.article == article.id) & (Revision.article_version == version)
                                        & (Revision.reason != KEPT))
                .order_by(Revision.number.desc()).first())
    return Content.of_revision(revision) if revision is not None else None


def as_text(data: Content | Revision | Article | Mapping[str, Any]) -> str:
    """The article as one text a person can diff: title, slug, summary, tags, byline, language, image, then
    the body.  A revision written before schema version 5 did not record the language and the image: their
    lines are left out, not shown empty."""
    unrecorded: tuple[str, ...] = ()
    if isinstance(data, Article):
        data = Content.of_article(data)
    elif isinstance(data, Revision):
        unrecorded = tuple(name for name in VERSIONED_SINCE_5 if getattr(data, name) is None)
        data = Content.of_revision(data)
    elif not isinstance(data, Content):
        data = Content.from_payload(data)
    head = [
        f"{_('Title')}: {data.title}",
        f"{_('Slug')}: {data.slug}",
        f"{_('Summary')}: {data.summary}",
        f"{_('Tags')}: {', '.join(data.tags)}",
        f"{_('Byline')}: {bylines_field(data.bylines)}",
    ]
    for name, label in (("language", _("Language")), ("image_url", _("Image")), ("image_alt", _("Image alt"))):
        if name not in unrecorded:
            head.append(f"{label}: {getattr(data, name)}")
    return "\n".join([*head, ""]) + data.body


def unified_diff(old: str, new: str, old_label: str, new_label: str) -> list[str]:
    return list(difflib.unified_diff(old.splitlines(), new.splitlines(), old_label, new_label, lineterm=""))


def diff_line_kind(line: str) -> str:
    """What a unified-diff line is: ``header``, ``hunk``, ``added``, ``removed`` or ``context`` (for colouring)."""
    if line.startswith(("+++", "---")):
        return "header"
    if line.startswith("@@"):
        return "hunk"
    if line.startswith("+"):
        return "added"
    if line.startswith("-"):
        return "removed"
    return "context"


def diff(ref: str | int, a: int, b: int | None = None, reader: User | None = None) -> list[str]:
    """Unified diff from revision ``a`` to revision ``b`` (or to the current article); ``reader`` as in
    :func:`list_revisions`."""
    _for(ref, reader)
    old = get_revision(ref, a)
    if b is None:
        new_text, new_label = as_text(get_article(ref)), _("current")
    else:
        new_text, new_label = as_text(get_revision(ref, b)), _("revision {n}").format(n=b)
    return unified_diff(as_text(old), new_text, _("revision {n}").format(n=a), new_label)


def restore_revision(actor: User, ref: str | int, number: int, base_version: int | None = None) -> Article:
    """Bring back revision ``number`` as a new revision (reason ``restore``); nothing is deleted.

    What the revision did not record (the language and the image, before schema version 5) stays as
    the article has it; the slug comes back only while it still follows the title.
    """
    article = get_article(ref)
    revision = get_revision(ref, number)
    content = Content.of_revision(revision, base=Content.of_article(article))
    follows_title = not article.slug_locked and article.published_at is None
    draft = content.as_draft(slug=revision.slug != article.slug and follows_title)
    return save_article(actor, article.id, article.version if base_version is None else base_version, draft,
                        reason="restore")


def review_baseline(ref: str | int) -> Revision | None:
    """What a reviewer compares the article with: the last published revision, else the one current when
    it was last sent back (request changes), else ``None`` (a first submission).
    """
    article = get_article(ref)
    revisions = Revision.select().where(Revision.article == article.id)
    published = revisions.where(Revision.reason == "publish").order_by(Revision.number.desc()).first()
    if published is not None:
        return published
    sent_back = (AuditEvent.select().where((AuditEvent.article == article.id)
                                           & (AuditEvent.action == "article.request-changes"))
                 .order_by(AuditEvent.id.desc()).first())
    if sent_back is None:
        return None
    return (revisions.where((Revision.created_at <= sent_back.at) & (Revision.reason != KEPT))
            .order_by(Revision.number.desc()).first())
