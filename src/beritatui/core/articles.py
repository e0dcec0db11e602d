"""Articles: create and save content, with optimistic concurrency and revisions.

Rendering happens before the write transaction opens, so the write lock is held
only for the short burst of SQL that records the change.

This is also where callers take an article's API from; each rule it applies has its own module,
re-exported here: finding an article and what belongs to it (:mod:`.lookup`), the limits and
cleaning of input (:mod:`.validation`), unresolved merge markers (:mod:`.markers`), text kept
from a refused save (:mod:`.kept`), reading time (:mod:`.readingtime`).
"""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass
from typing import Any

from beritatui.core import audit, clock, corrections, search, slugs, workflow

# Re-exported: callers take the change request, an article's (name, unit) pairs and the byline forms from here.
from beritatui.core.content import ArticleDraft as ArticleDraft
from beritatui.core.content import Content
from beritatui.core.content import bylines_of as article_bylines  # noqa: F401 - re-exported under this name
from beritatui.core.content import format_byline as format_byline
from beritatui.core.content import parse_byline as parse_byline
from beritatui.core.database import current_database
from beritatui.core.errors import Conflict, PermissionDenied, ValidationError

# Re-exported too: the rules a save applies, each from its own module.
from beritatui.core.kept import KEPT as KEPT
from beritatui.core.kept import MovedOn as MovedOn
from beritatui.core.kept import keep_unsaved as keep_unsaved
from beritatui.core.kept import refuse_moved
from beritatui.core.lookup import article_tags as article_tags
from beritatui.core.lookup import get_article as get_article
from beritatui.core.lookup import reactions_of as reactions_of
from beritatui.core.lookup import snapshot as snapshot
from beritatui.core.markers import conflict_block_line as conflict_block_line
from beritatui.core.markers import conflict_marker_problem as conflict_marker_problem
from beritatui.core.models import Article, Byline, Reactions, Revision, User
from beritatui.core.readingtime import describe_reading as describe_reading
from beritatui.core.tags import assign_tags, name_key
from beritatui.core.validation import MAX_BODY_BYTES as MAX_BODY_BYTES
from beritatui.core.validation import MAX_TITLE as MAX_TITLE
from beritatui.core.validation import clean_body, clean_draft
from beritatui.i18n import _

PUBLIC_STATUSES = ("published", "scheduled")  # on the site now, or on its own at a set time


def _render(body: str) -> tuple[str, str]:
    """Markdown to (html, text); imported on first use so opening the list does not load the renderer."""
    from beritatui.core.render import render

    return render(body)


@dataclass(frozen=True)
class Rendered:
    """A body rendered ahead of time, for a caller whose own transaction wraps the save (import, conflicts)."""

    body: str
    html: str
    text: str


def prerender(body: str | None) -> Rendered | None:
    """Render ``body`` now, outside any transaction: rendering a long body must never hold the write lock."""
    if body is None:
        return None
    clean = clean_body(body)
    html, text = _render(clean)
    return Rendered(clean, html, text)


def _rendered(body: str | None, ready: Rendered | None) -> tuple[str, str] | None:
    """(html, text) for the cleaned ``body``: the prerendered one when it is for this body, else rendered now."""
    if body is None:
        return None
    if ready is not None and ready.body == body:
        return ready.html, ready.text
    return _render(body)


def _slug_taken(slug: str, article_id: int | None) -> bool:
    query = Article.select().where(Article.slug == slug)
    if article_id is not None:
        query = query.where(Article.id != article_id)
    return query.exists()


def _resolve_slug(wanted: str, uuid: str, article_id: int | None) -> str:
    return slugs.unique_slug(wanted, lambda s: _slug_taken(s, article_id))


def _write_bylines(article_id: int, bylines: list[tuple[str, str]]) -> None:
    Byline.delete().where(Byline.article == article_id).execute()
    for position, (name, unit) in enumerate(bylines):
        Byline.create(article=article_id, position=position, name=name, unit=unit)


def write_revision(article: Article, login: str, reason: str) -> Revision:
    """Record the article as it now stands (inside the caller's transaction)."""
    last = Revision.select(Revision.number).where(Revision.article == article.id).order_by(
        Revision.number.desc()).first()
    return Revision.create(
        article=article.id,
        number=(last.number + 1) if last else 1,
        article_version=article.version,
        **Content.of_article(article).revision_fields(),
        login=login,
        created_at=clock.utcnow(),
        reason=reason,
    )


def create_article(actor: User, draft: ArticleDraft, *, reason: str = "save",
                   article_uuid: str | None = None, prerendered: Rendered | None = None,
                   unit: str | int | None = None) -> Article:
    """A new draft by ``actor`` in ``unit`` (default: the actor's own unit, ``units.home_unit``).

    Bylines default to the actor's name and profile unit.  Writing in a unit takes a role there or above.
    """
    draft = clean_draft(draft)
    if not draft.title:
        raise ValidationError(_("A title is required"))
    body = draft.body or ""
    body_html, body_text = _rendered(body, prerendered)
    new_uuid = article_uuid or str(uuidlib.uuid4())
    bylines = draft.bylines or [(actor.display_name, actor.unit)]
    now = clock.utcnow()
    from beritatui.core.site import get_settings

    language = draft.language or get_settings().language
    from beritatui.core.users import refreshed

    with current_database().atomic():
        actor = refreshed(actor)  # a login deactivated while its app is open writes nothing more
        unit_id = _writable_unit(actor, unit)
        wanted = slugs.normalize_slug(draft.slug) if draft.slug else ""
        slug = _resolve_slug(wanted or slugs.base_slug(draft.title, new_uuid), new_uuid, None)
        article = Article.create(
            uuid=new_uuid, title=draft.title, slug=slug, slug_locked=bool(wanted), summary=draft.summary or "",
            body=body, body_html=body_html, body_text=body_text, language=language,
            image_url=draft.image_url or "", image_alt=draft.image_alt or "", status="draft",
            created_at=now, updated_at=now, modified_at=now, version=1, created_by=actor.id, updated_by=actor.id,
            unit=unit_id,
        )
        _write_bylines(article.id, bylines)
        assign_tags(article.id, draft.tags or [], actor)
        Reactions.create(article=article.id)
        search.reindex(article)
        write_revision(article, actor.login, reason)
        audit.record(actor.login, "article.create", article.id, title=article.title, slug=article.slug)
    return article


def _writable_unit(actor: User, unit: str | int | None) -> int:
    """The unit a new article of ``actor`` goes to: ``unit`` if they may write there, else refused."""
    from beritatui.core import units

    unit_id = units.home_unit(actor) if unit is None else units.get_unit(unit).id
    if not units.holds(actor, "writer", unit_id):
        raise PermissionDenied(_("You may not write in {unit}; you write in: {yours}").format(
            unit=units.get_unit(unit_id).name,
            yours=", ".join(u.name for u in units.all_units() if u.id in set(units.units_where(actor))) or "-"))
    return unit_id


def _changed_fields(current: Content, draft: ArticleDraft) -> dict[str, Any]:
    """The fields ``draft`` changes, with their new values (in the content's shapes)."""
    wanted = current.with_changes(draft)
    return {name: getattr(wanted, name) for name in current.differing(wanted)}


def save_article(actor: User, ref: str | int, base_version: int, draft: ArticleDraft, *,
                 reason: str | None = None, prerendered: Rendered | None = None) -> Article:
    """Save ``draft`` over the article if nobody saved since ``base_version``.

    Raises :class:`Conflict` (writing nothing) when the article's content moved on, and
    :class:`MovedOn` when its status did (trashed, unpublished, published, sent back…): then the
    draft is kept as a revision ``kept`` that leaves the article as it is, and the error says who did
    what.  A published article whose unit reviews corrections keeps its live text: the save goes into its
    pending correction (:func:`beritatui.core.corrections.store`).  Otherwise editing a published article
    is recorded as a ``correction``.
    """
    draft = clean_draft(draft)
    rendered = _rendered(draft.body, prerendered)
    from beritatui.core.users import refreshed

    refused: MovedOn | None = None
    with current_database().atomic():
        actor = refreshed(actor)  # the role as it is now, not as it was when the app opened
        article = get_article(ref)
        if article.version != base_version:
            refused = refuse_moved(actor, article, base_version, draft)
            if refused is None:
                raise Conflict(
                    _("{who} saved this article after you opened it (version {theirs}, yours was {base})").format(
                        who=article.updated_by.display_name, theirs=article.version, base=base_version
                    ),
                    base_version=base_version, theirs=corrections.editing_snapshot(article), yours=draft.as_dict(),
                )
        elif corrections.goes_to_review(article):  # the live article stays: the edit waits for review
            article = corrections.store(actor, article, draft, rendered, reason)
        else:
            pending = corrections.pending_for(article)
            article = _save_now(actor, article, draft, reason, rendered)
            corrections.settle_direct(actor, pending, article)
    if refused is not None:
        raise refused  # after the commit: the kept revision stays
    return article


def apply_content(actor: User, article: Article, draft: ArticleDraft, reason: str,
                  rendered: tuple[str, str] | None) -> Article:
    """Write ``draft`` into the live article inside the caller's transaction (a correction being published)."""
    return _save_now(actor, article, draft, reason, rendered)


def _save_now(actor: User, article: Article, draft: ArticleDraft, reason: str | None,
              rendered: tuple[str, str] | None) -> Article:
    """The save itself, inside the caller's transaction, once the version matched."""
    problem = workflow.edit_problem(actor, article)
    if problem:
        raise PermissionDenied(problem)
    changes = _changed_fields(Content.of_article(article), draft)
    if not changes:
        return article
    if article.status in PUBLIC_STATUSES:
        markers = conflict_marker_problem(changes.get("title"), changes.get("summary"), changes.get("body"))
        if markers:
            raise ValidationError(_("Not saved: this article is {status} and the save would put its conflict "
                                    "markers on the site. {problem}").format(
                                        status=workflow.status_label(article.status), problem=markers))
    now = clock.utcnow()
    updates: dict[str, Any] = {"version": article.version + 1, "updated_at": now, "modified_at": now,
                               "updated_by": actor.id}
    for name in ("title", "summary", "language", "image_url", "image_alt"):
        if name in changes:
            updates[name] = changes[name]
    if rendered is not None and "body" in changes:
        updates["body"] = draft.body
        updates["body_html"], updates["body_text"] = rendered
    updates.update(_slug_updates(actor, article, draft, changes))
    Article.update(**updates).where(Article.id == article.id).execute()
    if "bylines" in changes:
        _write_bylines(article.id, draft.bylines or [(actor.display_name, actor.unit)])
    if "tags" in changes:
        assign_tags(article.id, draft.tags or [], actor)
    article = Article.get_by_id(article.id)
    search.reindex(article)
    reason = reason or ("correction" if article.status == "published" else "save")
    write_revision(article, actor.login, reason)
    audit.record(actor.login, f"article.{reason}", article.id, version=article.version,
                 fields=sorted(changes))
    return article


def tag_article(actor: User, ref: str, add: list[str], remove: list[str]) -> Article:
    """Add and remove tags on one article (a save, with a revision)."""
    article = get_article(ref)
    current = [t.name for t in article_tags(article.id)]
    drop = {name_key(n) for n in remove}
    missing = [n for n in remove if name_key(n) not in {name_key(c) for c in current}]
    if missing:
        raise ValidationError(_("The article has no tag {name!r}").format(name=missing[0]))
    names = [n for n in current if name_key(n) not in drop] + list(add)
    return save_article(actor, article.id, article.version, ArticleDraft(tags=names))


def keep_theirs(actor: User, ref: str | int, theirs_version: int, yours: ArticleDraft,
                theirs: ArticleDraft) -> Article:
    """Settle a conflict for the other person's text without losing yours.

    In one transaction yours is saved over theirs (revision reason ``conflict-yours``) and
    theirs saved back on top (``conflict-theirs``), so both texts stay in the history and the
    article ends as they left it.
    """
    mine_ready, theirs_ready = prerender(yours.body), prerender(theirs.body)  # before the lock, not inside it
    with current_database().atomic():
        mine = save_article(actor, ref, theirs_version, yours, reason="conflict-yours", prerendered=mine_ready)
        return save_article(actor, ref, mine.version, theirs, reason="conflict-theirs", prerendered=theirs_ready)


def _slug_updates(actor: User, article: Article, draft: ArticleDraft, changes: dict[str, Any]) -> dict[str, Any]:
    """The slug follows the title until a person edits it or the article is first published."""
    if "slug" in changes:
        if not workflow.may_change_slug(actor, article):
            raise PermissionDenied(_("After publishing only an editor may change the slug"))
        wanted = slugs.normalize_slug(draft.slug or "")
        if not wanted:
            raise ValidationError(_("The slug must contain letters or digits"))
        return {"slug": _resolve_slug(wanted, article.uuid, article.id), "slug_locked": True}
    if "title" in changes and not article.slug_locked and article.published_at is None:
        return {"slug": _resolve_slug(slugs.base_slug(changes["title"], article.uuid), article.uuid, article.id)}
    return {}


def preview_slug(title: str, article: Article | None = None) -> str:
    """The slug a title would get now (for the editor's slug field)."""
    uuid = article.uuid if article else "00000000"
    return _resolve_slug(slugs.base_slug(title, uuid), uuid, article.id if article else None)
