"""The corrections rule: an edit to a published article waits for review instead of going live.

A unit's setting ``corrections`` (inherited, core.unit_settings) says how an edit of a published article
goes: ``review`` (the default) keeps the live article as it is and stores the edit as the article's one
*pending correction* (table ``correction``, schema 10), which an editor of the unit publishes with a public
note (:mod:`beritatui.core.correction_review`); ``direct`` lets an editor's save go live at once, as before.

The pending correction is the text the article's editors continue: :func:`editing_content` is what the
editor and ``beritatui edit`` load, and its version is the article's (every save into it moves the
article's ``version`` on, not its content), so two people correcting at once meet the same conflict rules
as two people editing a draft.  A correction is pending only while the article is published and still at
the version its last save made (:func:`pending_for`): anything else that moves the article on (unpublish,
trash) leaves it behind, recorded but no longer offered.

This module sits below :mod:`beritatui.core.articles` (``save_article`` calls :func:`store`); publishing,
dropping and diffing a correction are in :mod:`beritatui.core.correction_review`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from beritatui.core import audit, clock, slugs, unit_settings, workflow
from beritatui.core.content import ArticleDraft, Content
from beritatui.core.errors import PermissionDenied, ValidationError
from beritatui.core.lookup import snapshot
from beritatui.core.models import Article, Correction, Revision, User
from beritatui.i18n import _

REVIEW = "review"
DIRECT = "direct"
MODES = (REVIEW, DIRECT)
PENDING, APPLIED, DROPPED = "pending", "applied", "dropped"
PENDING_REASON = "correction-pending"  # the revision a save into a pending correction writes
DROPPED_REASON = "correction-dropped"  # the revision that says the article is back to its live text


def mode(article: Article) -> str:
    """``review`` or ``direct`` for the article's unit; anything else stored reads as the safe default."""
    found = (unit_settings.value(article.unit_id, "corrections", REVIEW) or REVIEW).strip().lower()
    return found if found in MODES else REVIEW


def self_approval(article: Article) -> bool:
    """Whether the unit lets an editor publish a correction they wrote (``self_approval`` on; default off)."""
    found = (unit_settings.value(article.unit_id, "self_approval", "off") or "off").strip().lower()
    return found in ("on", "true", "yes", "1")


def pending_for(article: Article) -> Correction | None:
    """The article's pending correction, while it is the text its editors continue (see the module doc)."""
    if article.status != "published":
        return None
    return (Correction.select().where((Correction.article == article.id) & (Correction.status == PENDING)
                                      & (Correction.version == article.version))
            .order_by(Correction.id.desc()).first())


def pending_ids(ids: Iterable[int]) -> set[int]:
    """Which of these articles have a pending correction (one query, for lists)."""
    ids = list(ids)
    if not ids:
        return set()
    query = (Correction.select(Correction.article).join(Article, on=(Correction.article == Article.id))
             .where(Correction.article.in_(ids) & (Correction.status == PENDING) & (Article.status == "published")
                    & (Correction.version == Article.version)).tuples())
    return {article_id for (article_id,) in query}


def content_of(correction: Correction) -> Content:
    return Content(title=correction.title, slug=correction.slug, summary=correction.summary, body=correction.body,
                   tags=tuple(correction.tags or ()), bylines=tuple(tuple(b) for b in correction.bylines or ()),
                   language=correction.language, image_url=correction.image_url, image_alt=correction.image_alt)


def editing_content(article: Article) -> Content:
    """What an editor of the article continues: its pending correction, else the article as it stands."""
    pending = pending_for(article)
    return content_of(pending) if pending is not None else Content.of_article(article)


def editing_snapshot(article: Article) -> dict[str, Any]:
    """:func:`~beritatui.core.lookup.snapshot` with the pending correction's content (a conflict's "theirs")."""
    data = snapshot(article)
    pending = pending_for(article)
    if pending is not None:
        data.update(content_of(pending).as_payload())
    return data


def goes_to_review(article: Article) -> bool:
    """Whether a save of this article becomes (or continues) a pending correction."""
    return article.status == "published" and mode(article) == REVIEW


def edit_problem(actor: User, article: Article) -> str | None:
    """:func:`workflow.edit_problem`, but that the author of a published article may propose a correction
    when the unit reviews corrections (it goes live only when an editor publishes it)."""
    problem = workflow.edit_problem(actor, article)
    if problem is not None and goes_to_review(article) and workflow.is_author(actor, article):
        return None
    return problem


def store(actor: User, article: Article, draft: ArticleDraft, rendered: tuple[str, str] | None,
          reason: str | None = None) -> Article:
    """Save ``draft`` into the article's pending correction (started from the live text when there is none),
    inside the caller's transaction, once the version matched.  The live article keeps its content; its
    version moves on, so every open editor sees that the text they continue changed."""
    problem = edit_problem(actor, article)
    if problem:
        raise PermissionDenied(problem)
    pending = pending_for(article)
    current = content_of(pending) if pending is not None else Content.of_article(article)
    wanted = current.with_changes(draft)
    changed = current.differing(wanted)
    if not changed:
        return article
    if not wanted.title:
        raise ValidationError(_("A title is required"))
    if "slug" in changed:
        if not workflow.may_change_slug(actor, article):
            raise PermissionDenied(_("After publishing only an editor may change the slug"))
        wanted = wanted.replace(slug=slugs.normalize_slug(wanted.slug))
        if not wanted.slug:
            raise ValidationError(_("The slug must contain letters or digits"))
    if not wanted.bylines:
        wanted = wanted.replace(bylines=((actor.display_name, actor.unit),))
    html, text = _texts(pending, article, wanted, rendered)
    now, version = clock.utcnow(), article.version + 1
    fields = {**wanted.as_payload(), "body_html": html, "body_text": text, "updated_at": now, "version": version}
    if pending is None:
        _leave_stale(article)
        Correction.create(article=article.id, status=PENDING, login=actor.login, writers=[actor.login],
                          created_at=now, base_version=article.version, **fields)
    else:
        writers = list(pending.writers or [])
        writers += [actor.login] if actor.login not in writers else []
        Correction.update(writers=writers, **fields).where(Correction.id == pending.id).execute()
    Article.update(version=version, updated_at=now, updated_by=actor.id).where(Article.id == article.id).execute()
    record_revision(article.id, version, wanted, actor.login, PENDING_REASON)
    audit.record(actor.login, "article.correction-pending", article.id, version=version, fields=changed,
                 why=reason or "save")
    return Article.get_by_id(article.id)


def _texts(pending: Correction | None, article: Article, wanted: Content,
           rendered: tuple[str, str] | None) -> tuple[str, str]:
    """The rendered body of ``wanted``: the save's rendering when it brought the body, else the one kept."""
    if rendered is not None:
        return rendered
    if pending is not None and pending.body == wanted.body:
        return pending.body_html, pending.body_text
    if article.body == wanted.body:
        return article.body_html, article.body_text
    from beritatui.core.render import render

    return render(wanted.body)


def _leave_stale(article: Article) -> None:
    """A pending correction the article moved past (unpublished, trashed…) is recorded as dropped."""
    (Correction.update(status=DROPPED, decided_at=clock.utcnow())
     .where((Correction.article == article.id) & (Correction.status == PENDING)).execute())


def record_revision(article_id: int, version: int, content: Content, login: str, reason: str) -> Revision:
    """A revision recording ``content`` at ``version`` (the merge of a conflict finds its base there)."""
    last = Revision.select(Revision.number).where(Revision.article == article_id).order_by(
        Revision.number.desc()).first()
    return Revision.create(article=article_id, number=(last.number + 1) if last else 1, article_version=version,
                           **content.revision_fields(), login=login, created_at=clock.utcnow(), reason=reason)


def settle_direct(actor: User, pending: Correction | None, article: Article) -> None:
    """An editor's direct save (``corrections`` = ``direct``) took the pending text live: it is applied."""
    if pending is None or article.version == pending.version:
        return
    Correction.update(status=APPLIED, decided_by=actor.login, decided_at=article.modified_at,
                      version=article.version).where(Correction.id == pending.id).execute()
