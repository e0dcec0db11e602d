"""Articles: create, read and save content, with optimistic concurrency and revisions.

Rendering happens before the write transaction opens, so the write lock is held
only for the short burst of SQL that records the change.
"""

from __future__ import annotations

import re
import unicodedata
import uuid as uuidlib
from dataclasses import dataclass
from typing import Any

from beritatui.core import audit, clock, search, slugs, urls, workflow
from beritatui.core.charcheck import refuse_hidden

# Re-exported: callers take the change request, an article's (name, unit) pairs and the byline forms from here.
from beritatui.core.content import ArticleDraft as ArticleDraft
from beritatui.core.content import Content
from beritatui.core.content import bylines_of as article_bylines
from beritatui.core.content import format_byline as format_byline
from beritatui.core.content import parse_byline as parse_byline
from beritatui.core.database import current_database
from beritatui.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from beritatui.core.models import (
    REACTIONS,
    Article,
    ArticleTag,
    AuditEvent,
    Byline,
    Reactions,
    Revision,
    Tag,
    User,
)
from beritatui.core.tags import assign_tags, check_tag_names
from beritatui.i18n import N_, _, format_datetime, ngettext

MAX_TITLE = 255
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_SUMMARY = 2000
MAX_BYLINES = 20
MAX_NAME = 128
SPACE_CONTROLS = "\t\n\v\f\r\x1c\x1d\x1e\x1f\x85"  # whitespace, collapsed rather than dropped
PUBLIC_STATUSES = ("published", "scheduled")  # on the site now, or on its own at a set time


def _render(body: str) -> tuple[str, str]:
    """Markdown to (html, text); imported on first use so opening the list does not load the renderer."""
    from beritatui.core.render import render

    return render(body)


# -- unresolved merge markers -----------------------------------------------------------------------
#
# A three-way merge that overlaps writes blocks like
#
#     <<<<<<< yours
#     our paragraph
#     =======
#     their paragraph
#     >>>>>>> theirs
#
# into the body.  Such a block is *unresolved* when, outside fenced code, a line that starts with seven
# ``<`` (then a space or the end of the line) is followed by a line of exactly seven ``=`` (trailing
# blanks allowed) and then by a line that starts with seven ``>`` (then a space or the end of the line).
# Each piece alone is ordinary Markdown: ``=======`` under a line is a setext heading, ``>>>>>>>`` a
# deeply nested quote; a fenced code block may show a conflict on purpose.  A one-line title is refused
# when it is itself a marker line (the editor keeps the title whole, so only a paste puts one there).

_MARK_OPEN = re.compile(r"<{7}(?: |$)")
_MARK_SPLIT = re.compile(r"={7}[ \t]*$")
_MARK_CLOSE = re.compile(r">{7}(?: |$)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def conflict_block_line(text: str) -> int | None:
    """The 1-based line where the first unresolved merge block of ``text`` starts, or ``None``."""
    if "<<<<<<<" not in text:
        return None
    fence: str | None = None  # the fence that opened the code block we are in
    opened: int | None = None
    split = False
    for number, line in enumerate(text.splitlines(), 1):
        found = _FENCE.match(line)
        if fence is not None:
            if found and found.group(1)[0] == fence[0] and len(found.group(1)) >= len(fence) \
                    and not line[found.end():].strip():
                fence = None
            continue
        if found and not (found.group(1)[0] == "`" and "`" in line[found.end():]):
            fence = found.group(1)
            opened, split = None, False
            continue
        if _MARK_OPEN.match(line):
            opened, split = number, False
        elif opened is not None and _MARK_SPLIT.match(line):
            split = True
        elif opened is not None and split and _MARK_CLOSE.match(line):
            return opened
    return None


def _is_marker_line(text: str) -> bool:
    text = text.strip()
    return bool(_MARK_OPEN.match(text) or _MARK_CLOSE.match(text) or _MARK_SPLIT.match(text))


def conflict_marker_problem(title: str | None, summary: str | None, body: str | None) -> str | None:
    """Why these fields may not go public (unresolved merge markers), or ``None``; ``None`` fields are skipped."""
    if title is not None and _is_marker_line(title):
        return _("The title is a conflict marker line ({title}); write the headline").format(title=title.strip())
    for label, text in ((_("summary"), summary), (_("body"), body)):
        line = conflict_block_line(text) if text else None
        if line is not None:
            return _("The {field} still has an unresolved conflict (<<<<<<< … ======= … >>>>>>>) from line "
                     "{line}: keep the text you want and delete the marker lines").format(field=label, line=line)
    return None


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


def strip_controls(text: str, keep: str = "") -> str:
    """``text`` without control characters (except those in ``keep``).

    An ESC or BEL in a title would reach every terminal that lists it; nobody types
    them on purpose, so they never enter the database.  Invisible *format* characters
    (bidi overrides, zero-width spaces) are not dropped here but refused where a name
    must be told apart from another (:mod:`beritatui.core.charcheck`).
    """
    if text.isprintable():
        return text
    return "".join(ch for ch in text if ch in keep or unicodedata.category(ch) != "Cc")


def _clean_body(body: str) -> str:
    # measured before control characters are dropped too: 50 MB of NUL bytes is a wrong file, not an empty body
    if len(body) > MAX_BODY_BYTES or len(body.encode("utf-8")) > MAX_BODY_BYTES:
        raise ValidationError(_("The body is larger than 2 MB"))
    body = strip_controls(body.replace("\r\n", "\n"), keep="\n\t")
    if len(body.encode("utf-8")) > MAX_BODY_BYTES:
        raise ValidationError(_("The body is larger than 2 MB"))
    return body


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
    clean = _clean_body(body)
    html, text = _render(clean)
    return Rendered(clean, html, text)


def _rendered(body: str | None, ready: Rendered | None) -> tuple[str, str] | None:
    """(html, text) for the cleaned ``body``: the prerendered one when it is for this body, else rendered now."""
    if body is None:
        return None
    if ready is not None and ready.body == body:
        return ready.html, ready.text
    return _render(body)


def _clean(draft: ArticleDraft) -> ArticleDraft:
    """Validate and normalize a draft; raises with a message naming the limit."""
    if draft.title is not None:
        draft.title = " ".join(strip_controls(draft.title, keep=SPACE_CONTROLS).split())
        refuse_hidden(draft.title, _("The title"))
        if not draft.title:
            raise ValidationError(_("A title is required"))
        if len(draft.title) > MAX_TITLE:
            raise ValidationError(
                _("The title is {n} characters; at most {max} are allowed").format(n=len(draft.title), max=MAX_TITLE)
            )
    if draft.slug is not None:
        refuse_hidden(draft.slug, _("The slug"))
    if draft.body is not None:
        draft.body = _clean_body(draft.body)
    if draft.summary is not None:
        draft.summary = strip_controls(draft.summary, keep="\n\t").strip()
        if len(draft.summary) > MAX_SUMMARY:
            raise ValidationError(_("The summary is at most {max} characters").format(max=MAX_SUMMARY))
    if draft.tags is not None:
        draft.tags = check_tag_names(draft.tags)
    if draft.bylines is not None:
        draft.bylines = _clean_bylines(draft.bylines)
    for name in ("image_url", "image_alt", "language"):
        value = getattr(draft, name)
        if value is not None:
            setattr(draft, name, strip_controls(value).strip())
    if draft.image_url:
        if not draft.image_url.startswith(("http://", "https://")):
            raise ValidationError(_("The image URL must start with http:// or https://"))
        problem = urls.http_url_problem(draft.image_url)  # quotes, <, >, spaces, no host: refused too
        if problem is not None:
            raise ValidationError(_("The image URL is not usable: {reason}").format(reason=problem))
    if draft.language is not None and len(draft.language) > 16:
        raise ValidationError(_("The language code is at most 16 characters"))
    return draft


def _clean_bylines(bylines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    clean = []
    for name, unit in bylines:
        name, unit = (" ".join(strip_controls(part, keep=SPACE_CONTROLS).split()) for part in (name, unit))
        if not name:
            continue
        refuse_hidden(name, _("A byline name"))
        refuse_hidden(unit, _("A byline unit"))
        if len(name) > MAX_NAME or len(unit) > MAX_NAME:
            raise ValidationError(_("A byline name or unit is at most {max} characters").format(max=MAX_NAME))
        clean.append((name, unit))
    if len(clean) > MAX_BYLINES:
        raise ValidationError(_("At most {max} bylines").format(max=MAX_BYLINES))
    return clean


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


def _reindex(article: Article) -> None:
    tags = [t.name for t in article_tags(article.id)]
    bylines = [format_byline(n, u) for n, u in article_bylines(article.id)]
    search.index(article.id, article.title, article.summary, article.body_text, tags, bylines)


def reindex_many(article_ids: list[int]) -> None:
    """Refresh the search index of many articles with a few statements per 500 (a tag rename or merge
    touches every article carrying the tag, inside its write transaction: one by one took seconds)."""
    db = current_database()
    for start in range(0, len(article_ids), 500):
        chunk = article_ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        tags: dict[int, list[str]] = {}
        for article_id, name in db.execute_sql(
                "SELECT at.article_id, t.name FROM article_tag at JOIN tag t ON t.id = at.tag_id "
                f"WHERE at.article_id IN ({marks}) ORDER BY at.article_id, at.position", chunk):
            tags.setdefault(article_id, []).append(name)
        bylines: dict[int, list[str]] = {}
        for article_id, name, unit in db.execute_sql(
                f"SELECT article_id, name, unit FROM byline WHERE article_id IN ({marks}) "
                "ORDER BY article_id, position", chunk):
            bylines.setdefault(article_id, []).append(format_byline(name, unit))
        rows = db.execute_sql(f"SELECT id, title, summary, body_text FROM article WHERE id IN ({marks})", chunk)
        search.index_many([(i, title, summary, text, tags.get(i, []), bylines.get(i, []))
                           for i, title, summary, text in rows.fetchall()])


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
                   article_uuid: str | None = None, prerendered: Rendered | None = None) -> Article:
    """A new draft by ``actor``; bylines default to the actor's name and unit."""
    draft = _clean(draft)
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
        wanted = slugs.normalize_slug(draft.slug) if draft.slug else ""
        slug = _resolve_slug(wanted or slugs.base_slug(draft.title, new_uuid), new_uuid, None)
        article = Article.create(
            uuid=new_uuid, title=draft.title, slug=slug, slug_locked=bool(wanted), summary=draft.summary or "",
            body=body, body_html=body_html, body_text=body_text, language=language,
            image_url=draft.image_url or "", image_alt=draft.image_alt or "", status="draft",
            created_at=now, updated_at=now, modified_at=now, version=1, created_by=actor.id, updated_by=actor.id,
        )
        _write_bylines(article.id, bylines)
        assign_tags(article.id, draft.tags or [], actor)
        Reactions.create(article=article.id)
        _reindex(article)
        write_revision(article, actor.login, reason)
        audit.record(actor.login, "article.create", article.id, title=article.title, slug=article.slug)
    return article


def _changed_fields(current: Content, draft: ArticleDraft) -> dict[str, Any]:
    """The fields ``draft`` changes, with their new values (in the content's shapes)."""
    wanted = current.with_changes(draft)
    return {name: getattr(wanted, name) for name in current.differing(wanted)}


class MovedOn(Conflict):
    """A save refused because the article changed status after the editor opened it (trashed, unpublished,
    published, sent back…).  The core wrote none of it into the article; the text is in revision ``kept``
    (a revision with reason ``kept`` that leaves the article as it is), unless there was nothing to keep
    or the actor may not add to this article's history.
    """

    def __init__(self, message: str, *, base_version: int, theirs: dict[str, Any], yours: dict[str, Any],
                 action: str, login: str, at: Any, kept: int | None):
        super().__init__(message, base_version=base_version, theirs=theirs, yours=yours)
        self.action = action
        self.login = login
        self.at = at
        self.kept = kept


# What a status change since the editor opened the article was, for the person whose save it refuses.
MOVES = {
    "trash": N_("{who} moved this article to the trash ({when})"),
    "restore": N_("{who} restored this article from the trash ({when})"),
    "unpublish": N_("{who} unpublished this article; it is archived, off the site ({when})"),
    "publish": N_("{who} published this article ({when})"),
    "publish-due": N_("This article was published at its scheduled time ({when})"),
    "schedule": N_("{who} scheduled this article for publication ({when})"),
    "unschedule": N_("{who} took this article off the schedule ({when})"),
    "submit": N_("{who} sent this article for review ({when})"),
    "request-changes": N_("{who} sent this article back to its writer ({when})"),
    "reopen": N_("{who} reopened this article as a draft ({when})"),
}
KEPT = "kept"  # the revision reason of text kept from a refused save (it does not change the article)


def status_move(article: Article, base_version: int) -> AuditEvent | None:
    """The last status change of ``article`` after ``base_version`` (from the audit trail), or ``None``.

    Every transition records the version it made; a trashed article counts as moved even when its
    audit event predates that (its ``updated_by`` then says who).
    """
    actions = [f"article.{name}" for name in MOVES]
    for event in (AuditEvent.select().where((AuditEvent.article == article.id) & (AuditEvent.action.in_(actions)))
                  .order_by(AuditEvent.id.desc()).limit(50)):
        version = (event.details or {}).get("version")
        if isinstance(version, int) and version > base_version:
            return event
        if isinstance(version, int):
            break
    if article.status == "trash":
        return AuditEvent(at=article.trashed_at or article.updated_at, login=article.updated_by.login,
                          action="article.trash", article=article.id, details={})
    return None


def describe_move(event: AuditEvent) -> str:
    """One sentence: who changed the status, how, and when (in the site's time zone)."""
    from beritatui.core.site import get_settings
    from beritatui.core.users import get_user

    action = event.action.removeprefix("article.")
    try:
        who = get_user(event.login).display_name or event.login
    except Exception:  # noqa: BLE001 - a removed login still shows as itself
        who = event.login
    when = format_datetime(event.at, get_settings().timezone, "short")
    return _(MOVES.get(action, N_("{who} changed this article's status ({when})"))).format(who=who, when=when)


def _may_keep(actor: User, article: Article) -> bool:
    """Who may add their refused text to an article's history: an editor, or the article's author."""
    return actor.is_editor or workflow.is_author(actor, article)


def _keep(actor: User, article: Article, draft: ArticleDraft) -> Revision | None:
    """Record ``draft`` over the article's content as a revision ``kept``, leaving the article as it is.

    Nothing is written when the draft changes nothing, when the same text was already kept by this
    login, or when the actor may not add to this article's history (then the caller's autosave slot
    still holds it).
    """
    if not _may_keep(actor, article):
        return None
    current = Content.of_article(article)
    mine = current.with_changes(draft).replace(slug=article.slug)  # a kept text never moves the slug
    mine = mine.replace(title=mine.title or current.title)
    if mine == current:
        return None
    last = Revision.select().where(Revision.article == article.id).order_by(Revision.number.desc()).first()
    if last is not None and last.reason == KEPT and last.login == actor.login and \
            Content.of_revision(last, base=mine).replace(slug=article.slug) == mine:
        return last
    revision = Revision.create(
        article=article.id, number=(last.number + 1) if last else 1, article_version=article.version,
        **mine.revision_fields(), login=actor.login, created_at=clock.utcnow(), reason=KEPT)
    audit.record(actor.login, "article.kept", article.id, version=article.version, revision=revision.number)
    return revision


def keep_unsaved(actor: User, ref: str | int, draft: ArticleDraft) -> Revision | None:
    """Keep text that can no longer be saved into the article (it was trashed, or is not this login's to
    edit now) as a revision ``kept`` that leaves the article as it is; ``None`` when nothing needed keeping.

    Refused (:class:`PermissionDenied`) for someone who is neither an editor nor the article's author.
    """
    if not (draft.title or "").strip():
        draft.title = None  # an empty title keeps the article's own
    draft = _clean(draft)
    from beritatui.core.users import refreshed

    with current_database().atomic():
        actor = refreshed(actor)
        article = get_article(ref)
        if not _may_keep(actor, article):
            raise PermissionDenied(_("Only an editor or the article's author may keep text in its history"))
        return _keep(actor, article, draft)


def _refuse_moved(actor: User, article: Article, base_version: int, draft: ArticleDraft) -> MovedOn | None:
    """The refusal of a save against a status that moved on (its text kept), or ``None`` for a plain conflict."""
    move = status_move(article, base_version)
    if move is None:
        return None
    kept = _keep(actor, article, draft)
    what = describe_move(move)
    if kept is not None:
        message = _("{what}. Your changes were not saved into it; they are kept in its history as revision "
                    "{n} (kept)").format(what=what, n=kept.number)
    else:
        message = _("{what}. Your changes were not saved into it").format(what=what)
    return MovedOn(message, base_version=base_version, theirs=snapshot(article), yours=draft.as_dict(),
                   action=move.action.removeprefix("article."), login=move.login, at=move.at,
                   kept=kept.number if kept is not None else None)


def save_article(actor: User, ref: str | int, base_version: int, draft: ArticleDraft, *,
                 reason: str | None = None, prerendered: Rendered | None = None) -> Article:
    """Save ``draft`` over the article if nobody saved since ``base_version``.

    Raises :class:`Conflict` (writing nothing) when the article's content moved on, and
    :class:`MovedOn` when its status did (trashed, unpublished, published, sent back…): then the
    draft is kept as a revision ``kept`` that leaves the article as it is, and the error says who did
    what.  Editing a published article is recorded as a ``correction``.
    """
    draft = _clean(draft)
    rendered = _rendered(draft.body, prerendered)
    from beritatui.core.users import refreshed

    refused: MovedOn | None = None
    with current_database().atomic():
        actor = refreshed(actor)  # the role as it is now, not as it was when the app opened
        article = get_article(ref)
        if article.version != base_version:
            refused = _refuse_moved(actor, article, base_version, draft)
            if refused is None:
                raise Conflict(
                    _("{who} saved this article after you opened it (version {theirs}, yours was {base})").format(
                        who=article.updated_by.display_name, theirs=article.version, base=base_version
                    ),
                    base_version=base_version, theirs=snapshot(article), yours=draft.as_dict(),
                )
        else:
            article = _save_now(actor, article, draft, reason, rendered)
    if refused is not None:
        raise refused  # after the commit: the kept revision stays
    return article


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
    _reindex(article)
    reason = reason or ("correction" if article.status == "published" else "save")
    write_revision(article, actor.login, reason)
    audit.record(actor.login, f"article.{reason}", article.id, version=article.version,
                 fields=sorted(changes))
    return article


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


def word_count(text: str) -> int:
    return len(text.split())


def reading_minutes(text: str, words_per_minute: int = 200) -> int:
    return max(1, round(word_count(text) / words_per_minute))


def describe_reading(text: str) -> str:
    words, minutes = word_count(text), reading_minutes(text)
    return ngettext("{n} word", "{n} words", words).format(n=words) + " · " + ngettext(
        "{n} min read", "{n} min read", minutes).format(n=minutes)
