"""Articles: create, read and save content, with optimistic concurrency and revisions.

Rendering happens before the write transaction opens, so the write lock is held
only for the short burst of SQL that records the change.
"""

from __future__ import annotations

import unicodedata
import uuid as uuidlib
from dataclasses import asdict, dataclass, field
from typing import Any

from beritatui.core import audit, clock, search, slugs, urls, workflow
from beritatui.core.charcheck import refuse_hidden
from beritatui.core.database import current_database
from beritatui.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from beritatui.core.models import Article, ArticleTag, Byline, Reactions, Revision, Tag, User
from beritatui.core.tags import assign_tags, check_tag_names
from beritatui.i18n import _, ngettext

MAX_TITLE = 255
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_SUMMARY = 2000
MAX_BYLINES = 20
MAX_NAME = 128
SPACE_CONTROLS = "\t\n\v\f\r\x1c\x1d\x1e\x1f\x85"  # whitespace, collapsed rather than dropped
CONTENT_FIELDS = ("title", "slug", "summary", "body", "tags", "bylines", "language", "image_url", "image_alt")


@dataclass
class ArticleDraft:
    """What a person changes; ``None`` leaves a field as it is.  ``bylines`` are (name, unit) pairs."""

    title: str | None = None
    slug: str | None = None
    summary: str | None = None
    body: str | None = None
    tags: list[str] | None = None
    bylines: list[tuple[str, str]] | None = None
    language: str | None = None
    image_url: str | None = None
    image_alt: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        return {k: v for k, v in data.items() if v is not None}


def parse_byline(text: str) -> tuple[str, str]:
    """``"A. Yudistira (Lapas Watampone)"`` -> ``("A. Yudistira", "Lapas Watampone")``."""
    text = " ".join(text.split())
    if text.endswith(")") and "(" in text:
        name, unit = text[:-1].rsplit("(", 1)
        return name.strip(), unit.strip()
    return text, ""


def format_byline(name: str, unit: str) -> str:
    return f"{name} ({unit})" if unit else name


def _render(body: str) -> tuple[str, str]:
    """Markdown to (html, text); imported on first use so opening the list does not load the renderer."""
    from beritatui.core.render import render

    return render(body)


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


def article_bylines(article_id: int) -> list[tuple[str, str]]:
    rows = Byline.select().where(Byline.article == article_id).order_by(Byline.position)
    return [(row.name, row.unit) for row in rows]


def reactions_of(article_id: int) -> dict[str, int]:
    row = Reactions.get_or_none(Reactions.article == article_id)
    return row.as_dict() if row else dict.fromkeys(("like", "dislike", "love", "funny", "angry", "sad", "wow"), 0)


def snapshot(article: Article) -> dict[str, Any]:
    """The article's content and state as plain data (for conflicts, JSON and diffs)."""
    return {
        "id": article.id,
        "uuid": article.uuid,
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "tags": [t.name for t in article_tags(article.id)],
        "bylines": [list(b) for b in article_bylines(article.id)],
        "language": article.language,
        "image_url": article.image_url,
        "image_alt": article.image_alt,
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
        title=article.title,
        slug=article.slug,
        summary=article.summary,
        body=article.body,
        tags=[t.name for t in article_tags(article.id)],
        bylines=[list(b) for b in article_bylines(article.id)],
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


def _changed_fields(article: Article, draft: ArticleDraft, current: dict[str, Any]) -> dict[str, Any]:
    changes = {}
    for name, value in draft.as_dict().items():
        have = current[name]
        if name == "bylines":
            value = [list(b) for b in value]
        if value != have:
            changes[name] = value
    return changes


def save_article(actor: User, ref: str | int, base_version: int, draft: ArticleDraft, *,
                 reason: str | None = None, prerendered: Rendered | None = None) -> Article:
    """Save ``draft`` over the article if nobody saved since ``base_version``.

    Raises :class:`Conflict` (writing nothing) when the article moved on.
    Editing a published article is recorded as a ``correction``.
    """
    draft = _clean(draft)
    rendered = _rendered(draft.body, prerendered)
    from beritatui.core.users import refreshed

    with current_database().atomic():
        actor = refreshed(actor)  # the role as it is now, not as it was when the app opened
        article = get_article(ref)
        if article.version != base_version:
            raise Conflict(
                _("{who} saved this article after you opened it (version {theirs}, yours was {base})").format(
                    who=article.updated_by.display_name, theirs=article.version, base=base_version
                ),
                base_version=base_version, theirs=snapshot(article), yours=draft.as_dict(),
            )
        problem = workflow.edit_problem(actor, article)
        if problem:
            raise PermissionDenied(problem)
        current = snapshot(article)
        changes = _changed_fields(article, draft, current)
        if not changes:
            return article
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
