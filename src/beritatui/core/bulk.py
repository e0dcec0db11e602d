"""Many articles at once (seeding a corpus, migrating an archive): large transactions, executemany inserts.

Saving 100 000 articles one by one costs 100 000 transactions and as many
revision lookups; here each batch is one transaction and each table gets one
``executemany``.  The same rows are written as a single save would write them:
rendered HTML and text, bylines, ordered tags, reactions, a revision and the
search index.  SQLite only (it fills the FTS5 index directly).
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from beritatui.core import audit, clock, slugs, units
from beritatui.core.articles import format_byline
from beritatui.core.charcheck import refuse_hidden
from beritatui.core.content import Content
from beritatui.core.database import current_database, is_sqlite
from beritatui.core.errors import DatabaseError, ValidationError
from beritatui.core.models import REACTIONS, STATUSES, Article, User
from beritatui.core.tags import MAX_TAGS_PER_ARTICLE, check_tag_names, get_or_create_tag, name_key
from beritatui.core.users import require
from beritatui.core.validation import clean_bylines
from beritatui.i18n import _


@dataclass(frozen=True, kw_only=True)
class BulkArticle(Content):
    """One article to insert as it should end up: its content, and its status, times and reactions.

    ``body_html``/``body_text`` may be given when the caller rendered the body
    already (with :func:`beritatui.core.render.render`); otherwise it is rendered here.
    """

    language: str = "id"
    status: str = "draft"
    created_at: datetime | None = None
    published_at: datetime | None = None
    modified_at: datetime | None = None
    scheduled_at: datetime | None = None
    uuid: str = ""
    reactions: dict[str, int] = field(default_factory=dict)
    body_html: str | None = None
    body_text: str | None = None
    unit_id: int | None = None  # the unit it belongs to (core.units); None: the root unit


_ARTICLE_SQL = (
    "INSERT INTO article (id, uuid, title, slug, slug_locked, summary, body, body_html, body_text, language, "
    "image_url, image_alt, status, previous_status, created_at, updated_at, modified_at, published_at, "
    "scheduled_at, trashed_at, version, created_by_id, updated_by_id, unit_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_BYLINE_SQL = "INSERT INTO byline (article_id, position, name, unit) VALUES (?, ?, ?, ?)"
_TAG_SQL = "INSERT INTO article_tag (article_id, tag_id, position) VALUES (?, ?, ?)"
_REACTIONS_SQL = (
    "INSERT INTO reactions (article_id, " + ", ".join(f"{name}_count" for name in REACTIONS) + ") VALUES (?"
    + ", ?" * len(REACTIONS) + ")"
)
_REVISION_SQL = (
    "INSERT INTO revision (article_id, number, article_version, title, slug, summary, body, tags, bylines, "
    "login, created_at, reason, language, image_url, image_alt) VALUES (?, 1, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_FTS_SQL = "INSERT INTO article_fts(rowid, title, summary, body, tags, bylines) VALUES (?, ?, ?, ?, ?, ?)"


def _chunks(items: Iterable[BulkArticle], size: int) -> Iterator[list[BulkArticle]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _when(value: datetime | None) -> object:
    return Article.created_at.db_value(value) if value is not None else None


def _json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class _Inserter:
    """State shared across batches: taken slugs, known tags, the next id."""

    def __init__(self, actor: User, reason: str):
        db = current_database()
        self.actor, self.reason = actor, reason
        self.slugs = {row[0] for row in db.execute_sql("SELECT slug FROM article")}
        self.next_id = int(db.execute_sql("SELECT COALESCE(MAX(id), 0) FROM article").fetchone()[0]) + 1
        self.tag_ids: dict[str, int] = {}
        self.unit_ids = {row[0] for row in db.execute_sql("SELECT id FROM unit")}
        self.root_unit = units.root_id()
        # An archive repeats the same few hundred tag lists and bylines: each distinct one is checked once.
        self.checked_tags: dict[str, list[str]] = {}
        self.checked_bylines: dict[tuple[tuple[str, str], ...], list[tuple[str, str]]] = {}

    def _unit(self, unit_id: int | None) -> int:
        if unit_id is None:
            return self.root_unit
        if unit_id not in self.unit_ids:
            raise ValidationError(_("No unit with id {id}").format(id=unit_id))
        return unit_id

    def _slug(self, item: BulkArticle, uuid: str) -> str:
        wanted = slugs.normalize_slug(item.slug) if item.slug else ""
        slug = slugs.unique_slug(wanted or slugs.base_slug(item.title, uuid), self.slugs.__contains__)
        self.slugs.add(slug)
        return slug

    def _tags(self, names: list[str]) -> list[str]:
        """``check_tag_names`` with each distinct name checked once (lists vary, names repeat)."""
        cleaned = []
        for raw in names:
            if raw not in self.checked_tags:
                if len(self.checked_tags) > 20_000:  # an archive of ever-different names: keep memory flat
                    self.checked_tags.clear()
                self.checked_tags[raw] = check_tag_names([raw])
            cleaned += self.checked_tags[raw]
        if len(cleaned) > MAX_TAGS_PER_ARTICLE or len({name_key(name) for name in cleaned}) != len(cleaned):
            return check_tag_names(cleaned)  # drops duplicates and refuses too many, as a save does
        return cleaned

    def _bylines(self, bylines: list[tuple[str, str]]) -> list[tuple[str, str]]:
        key = tuple(tuple(b) for b in bylines)
        if key not in self.checked_bylines:
            if len(self.checked_bylines) > 20_000:
                self.checked_bylines.clear()
            self.checked_bylines[key] = clean_bylines(bylines) or [(self.actor.display_name, self.actor.unit)]
        return list(self.checked_bylines[key])

    def _tag_id(self, name: str) -> int:
        key = name_key(name)
        if key not in self.tag_ids:
            self.tag_ids[key] = get_or_create_tag(name).id
        return self.tag_ids[key]

    def insert(self, batch: list[BulkArticle], rendered: list[tuple[str, str | None]]) -> int:
        """Insert ``batch`` (inside the caller's transaction); ``rendered`` holds each body's (html, text)."""
        rows: dict[str, list[tuple]] = {"article": [], "byline": [], "tag": [], "reactions": [], "revision": [],
                                        "fts": []}
        now = clock.utcnow()
        for item, (body_html, body_text) in zip(batch, rendered, strict=True):
            if item.status not in STATUSES:
                raise ValidationError(_("Unknown status {status!r}").format(status=item.status))
            title = " ".join(item.title.split())
            if not title:
                raise ValidationError(_("A title is required"))
            refuse_hidden(title, _("The title"))
            uuid = item.uuid or str(uuidlib.uuid4())
            article_id, self.next_id = self.next_id, self.next_id + 1
            slug = self._slug(item, uuid)
            tags = self._tags(item.tags)
            bylines = self._bylines(item.bylines)
            created = item.created_at or now
            modified = item.modified_at or created
            published = item.published_at if item.status in ("published", "archived") or (
                item.status == "trash" and item.published_at) else None
            if item.status == "published" and published is None:
                published = created
            rows["article"].append((
                article_id, uuid, title, slug, published is not None, item.summary, item.body, body_html,
                body_text, item.language, item.image_url, item.image_alt, item.status,
                "draft" if item.status == "trash" else None, _when(created), _when(modified), _when(modified),
                _when(published), _when(item.scheduled_at if item.status == "scheduled" else None),
                _when(modified if item.status == "trash" else None), 1, self.actor.id, self.actor.id,
                self._unit(item.unit_id)))
            rows["byline"] += [(article_id, pos, name, unit) for pos, (name, unit) in enumerate(bylines)]
            rows["tag"] += [(article_id, self._tag_id(name), pos) for pos, name in enumerate(tags)]
            rows["reactions"].append((article_id, *(int(item.reactions.get(name, 0)) for name in REACTIONS)))
            rows["revision"].append((article_id, title, slug, item.summary, item.body, _json(tags),
                                     _json([list(b) for b in bylines]), self.actor.login, _when(created),
                                     self.reason, item.language, item.image_url, item.image_alt))
            rows["fts"].append((article_id, title, item.summary, body_text, " ".join(tags),
                                " ".join(format_byline(n, u) for n, u in bylines)))
        cursor = current_database().cursor()
        for sql, key in ((_ARTICLE_SQL, "article"), (_BYLINE_SQL, "byline"), (_TAG_SQL, "tag"),
                         (_REACTIONS_SQL, "reactions"), (_REVISION_SQL, "revision"), (_FTS_SQL, "fts")):
            cursor.executemany(sql, rows[key])
        return len(batch)


def _rendered(batch: list[BulkArticle]) -> list[tuple[str, str | None]]:
    """Each article's (html, text): as given, or rendered now (outside any transaction)."""
    from beritatui.core.render import render

    return [(item.body_html, item.body_text) if item.body_html is not None else render(item.body)
            for item in batch]


def insert_articles(actor: User, articles: Iterable[BulkArticle], *, batch_size: int = 2000,
                    reason: str = "import", progress: Callable[[int], None] | None = None) -> int:
    """Insert ``articles`` in transactions of ``batch_size``; returns how many were inserted.

    Only an admin may do this: it bypasses review.  One audit event per batch.
    """
    refusal = _("Only an admin may insert articles in bulk")
    actor = require(actor, "admin", refusal)  # before any rendering; again in each batch's transaction
    if not is_sqlite():
        raise DatabaseError(_("Bulk insert needs an SQLite database"))
    db = current_database()
    inserter = _Inserter(actor, reason)
    total = 0
    for batch in _chunks(articles, batch_size):
        rendered = _rendered(batch)  # before the transaction: 2 000 renders would hold the write lock for seconds
        with db.atomic():
            require(actor, "admin", refusal)
            first = inserter.next_id
            total += inserter.insert(batch, rendered)
            audit.record(actor.login, "article.bulk-insert", None, count=len(batch), first_id=first)
        if progress is not None:
            progress(total)
    return total


IMPORT_STATES = ("draft", "review", "published", "archived")


def set_imported_state(actor: User, article_id: int, status: str, *, published_at: datetime | None = None,
                       modified_at: datetime | None = None, reactions: dict[str, int] | None = None) -> bool:
    """Give an imported article the status and dates its source had (inside the import's transaction).

    An import carries articles that were already published elsewhere, so it sets
    the status directly instead of walking the review workflow; only an editor
    may import, and the change is audited.  Returns whether anything changed.
    """
    from beritatui.core.articles import reactions_of
    from beritatui.core.reactions import set_tallies

    actor = require(actor, "editor", _("Only an editor may import articles"))
    if status not in IMPORT_STATES:
        raise ValidationError(_("An import may set only: {states}").format(states=", ".join(IMPORT_STATES)))
    article = Article.get_by_id(article_id)
    updates: dict[str, object] = {}
    if article.status != status:
        updates["status"] = status
    if article.scheduled_at is not None:
        updates["scheduled_at"] = None
    if status in ("published", "archived"):
        when = published_at or article.published_at or clock.utcnow()
        if article.published_at != when:
            updates["published_at"] = when
        if not article.slug_locked:
            updates["slug_locked"] = True
    if modified_at is not None and article.modified_at != modified_at:
        updates["modified_at"] = modified_at
    changed = bool(updates)
    if updates:
        updates.update(version=article.version + 1, updated_at=clock.utcnow(), updated_by=actor.id)
        Article.update(**updates).where(Article.id == article_id).execute()
    if reactions is not None and {k: v for k, v in reactions_of(article_id).items() if k in reactions} != reactions:
        set_tallies(article_id, reactions)
        changed = True
    if changed:
        audit.record(actor.login, "article.import", article_id, status=status)
    return changed
