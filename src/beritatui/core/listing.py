"""Lists of articles with filters and keyset pagination (no OFFSET: page 2000 costs what page 1 costs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from peewee import SQL, Tuple, fn

from beritatui.core import search
from beritatui.core.content import bylines_display
from beritatui.core.database import current_database, is_sqlite
from beritatui.core.errors import ValidationError
from beritatui.core.models import REACTIONS, STATUSES, Article, ArticleTag, Byline, Unit
from beritatui.core.tags import find_tag
from beritatui.i18n import _

SORTS = ("updated", "published", "created", "title")
MAX_PAGE = 500
# A filter on a set of articles (search words, a tag) is answered one of two ways.  When few articles are
# in the set, they are read and sorted (``SPARSE`` or fewer).  Otherwise the list's own index is walked
# in order, a window at a time, and only the part of the set inside the window's id range is read: the
# first page of a word found in every article then costs one window instead of sorting 100 000 rows.
SPARSE = 500
FIRST_WINDOW = 500
MAX_WINDOW = 20_000  # ids a window passes as query parameters (SQLite allows 32 766)


@dataclass
class ArticleQuery:
    """Filters for a list.  ``status=None`` means every status but trash."""

    status: str | None = None
    tag: str | None = None
    author: str | None = None
    unit: str | None = None  # a byline's unit (free text)
    unit_ids: tuple[int, ...] | None = None  # articles of these units (core.units); None: every unit
    text: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    sort: str = "updated"
    limit: int = 50
    after: tuple[Any, int] | None = None
    # The read rule as a condition (core.visibility.list_scope): None when the person reads every listed unit.
    reader: Any = None


@dataclass
class ArticleRow:
    """What a list shows of one article."""

    id: int
    uuid: str
    title: str
    slug: str
    status: str
    version: int
    updated_at: datetime
    published_at: datetime | None
    scheduled_at: datetime | None
    created_at: datetime
    created_by: int
    bylines: list[tuple[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    reactions: int = 0
    previous_status: str | None = None
    expires_at: datetime | None = None
    unit_id: int | None = None

    @property
    def primary_tag(self) -> str:
        return self.tags[0] if self.tags else ""

    @property
    def byline(self) -> str:
        return bylines_display(self.bylines)


def row_article(row: ArticleRow) -> Article:
    """An unsaved Article holding a row's workflow fields, so surfaces can ask
    :mod:`workflow` what is allowed without another query."""
    return Article(id=row.id, uuid=row.uuid, title=row.title, slug=row.slug, status=row.status,
                   previous_status=row.previous_status, version=row.version, created_by=row.created_by,
                   published_at=row.published_at, scheduled_at=row.scheduled_at, expires_at=row.expires_at,
                   unit=row.unit_id)


@dataclass
class Page:
    rows: list[ArticleRow]
    next_cursor: tuple[Any, int] | None


def _sort_field(sort: str):  # noqa: ANN202 - a peewee field
    return {"updated": Article.updated_at, "published": Article.published_at,
            "created": Article.created_at, "title": Article.title}[sort]


def _where(query: ArticleQuery, *, sets: bool = True):  # noqa: ANN202 - a peewee expression list
    """The filters as conditions; ``sets=False`` leaves out the tag and the search words (see :class:`_Set`)."""
    conditions = []
    if query.status is None:
        conditions.append(Article.status != "trash")
    elif query.status not in STATUSES:
        raise ValidationError(_("Unknown status {status!r}; known: {known}").format(
            status=query.status, known=", ".join(STATUSES)))
    else:
        conditions.append(Article.status == query.status)
    if query.tag and sets:
        tag = find_tag(query.tag)
        conditions.append(Article.id.in_(ArticleTag.select(ArticleTag.article).where(ArticleTag.tag == tag.id)))
    if query.author:
        conditions.append(Article.id.in_(Byline.select(Byline.article).where(Byline.name.contains(query.author))))
    if query.unit:
        conditions.append(Article.id.in_(Byline.select(Byline.article).where(Byline.unit.contains(query.unit))))
    if query.unit_ids is not None:
        conditions.extend(_unit_condition(query.unit_ids))
    if query.reader is not None:
        conditions.append(_readable(query.reader))
    if query.since:
        conditions.append(Article.updated_at >= query.since)
    if query.until:
        conditions.append(Article.updated_at < query.until)
    if query.text and (sets or not is_sqlite()):
        matched = search.condition(query.text)
        if matched is not None:
            conditions.append(matched)
    if query.sort == "published":
        conditions.append(Article.published_at.is_null(False))
    return conditions


SMALL_SCOPE = 500  # articles: up to this many, a unit's list is read from its own index and sorted


def _unit_condition(unit_ids: tuple[int, ...]) -> list[Any]:
    """Articles of these units; nothing when they are every unit there is.

    A small scope is read from the (unit, status, updated_at) index and sorted; a larger one is read in
    list order from the list indexes, which carry the unit (``unit_id + 0`` keeps the planner off the
    unit index, which would sort thousands of rows for one page).
    """
    ids = sorted(set(unit_ids))
    if not ids:
        return [Article.id < 0]
    if len(ids) >= Unit.select().count():
        return []
    many = Article.select().where(Article.unit.in_(ids)).limit(SMALL_SCOPE + 1).count() > SMALL_SCOPE
    return [(Article.unit + 0).in_(ids) if many else Article.unit.in_(ids)]


def _readable(reader: Any):  # noqa: ANN202 - a peewee expression
    """What a person may read of the listed articles (core.visibility): published, their units', their own."""
    from beritatui.core.visibility import OPEN_STATUSES

    condition = Article.status.in_(list(OPEN_STATUSES))
    if reader.unit_ids:
        condition |= Article.unit.in_(list(reader.unit_ids))
    if reader.user_id is not None:
        condition |= Article.created_by == reader.user_id
    return condition


class _Set:
    """Articles in a tag or matching search words, read by id range (SQLite; both are indexed by id)."""

    def __init__(self, sql: str, params: tuple[Any, ...]):
        self.sql, self.params = sql, params

    @classmethod
    def of(cls, query: ArticleQuery) -> list[_Set]:
        sets = []
        if query.tag:
            sets.append(cls("SELECT article_id FROM article_tag WHERE tag_id = ?", (find_tag(query.tag).id,)))
        if query.text and is_sqlite():
            match = search.fts_match(query.text)
            if match is not None:
                sets.append(cls("SELECT rowid FROM article_fts WHERE article_fts MATCH ?", (match,)))
        return sets

    def first(self, n: int) -> list[int]:
        return [row[0] for row in current_database().execute_sql(f"{self.sql} LIMIT {int(n)}", self.params)]

    def among(self, ids: list[int]) -> set[int]:
        """Which of ``ids`` are in the set.  FTS5 reads the ids' range of its match list (a search
        rebuilds that list per query, so one query per window, not one per id); an old article
        corrected today widens the range, and the ``+rowid IN`` filter then keeps Python out of it."""
        marks = ",".join("?" * len(ids))
        if "article_fts" in self.sql:
            sql = f"{self.sql} AND rowid BETWEEN ? AND ? AND +rowid IN ({marks})"
            params = (*self.params, min(ids), max(ids), *ids)
        else:
            sql, params = f"{self.sql} AND article_id IN ({marks})", (*self.params, *ids)
        return {row[0] for row in current_database().execute_sql(sql, params)}


def _ordered(conditions: list[Any], order: Any, ascending: bool, n: int) -> list[tuple[int, Any]]:
    """Up to ``n`` (id, stored sort value) in list order; index-only for the usual filters."""
    select = Article.select(Article.id, order)
    for condition in conditions:
        select = select.where(condition)
    select = select.order_by(order.asc() if ascending else order.desc(),
                             Article.id.asc() if ascending else Article.id.desc()).limit(n)
    return [(row[0], row[1]) for row in current_database().execute_sql(*select.sql())]


def _ordered_ids(conditions: list[Any], order: Any, ascending: bool, n: int) -> list[int]:
    return [article_id for article_id, _value in _ordered(conditions, order, ascending, n)]


def _page_ids(query: ArticleQuery, conditions: list[Any], order: Any, ascending: bool, n: int) -> list[int]:
    """The ids of up to ``n`` articles of the page, in list order."""
    sets = _Set.of(query)
    if not sets:
        return _ordered_ids(conditions, order, ascending, n)
    hits: list[int] = []
    window, after, checked_sparse, seen = FIRST_WINDOW, None, False, 0
    while len(hits) < n:
        candidates = _ordered(conditions if after is None else [*conditions, after], order, ascending, window)
        if not candidates:
            break
        ids = [article_id for article_id, _value in candidates]
        members = [one.among(ids) for one in sets]
        hits += [i for i in ids if all(i in m for m in members)]
        if len(candidates) < window or len(hits) >= n:
            break
        if not checked_sparse:
            checked_sparse = True
            for one in sets:
                few = one.first(SPARSE + 1)
                if len(few) <= SPARSE:  # few articles in this set: read them all and sort them instead
                    rest = [Article.id.in_(SQL(f"({m.sql})", m.params)) for m in sets if m is not one]
                    return _ordered_ids([*conditions, Article.id.in_(few), *rest], order, ascending, n)
        last_id, last_value = candidates[-1]
        after = _after(order, ascending, last_value, last_id)
        seen += len(candidates)
        # Size the next window from the share of hits so far, so that a word in one article in fifty
        # costs two or three windows rather than a dozen (each reads the set's range once).
        share = max(len(hits), 1) / seen
        window = min(window * 16, MAX_WINDOW, max(window * 2, int((n - len(hits)) / share * 1.5)))
    return hits[:n]


def _after(order: Any, ascending: bool, stored_value: Any, last_id: int) -> Any:
    """Rows after (value, id) in list order: one row-value comparison, which the index serves as a range."""
    key, bound = Tuple(order, Article.id), Tuple(stored_value, last_id)
    return key > bound if ascending else key < bound


_ROW_SQL = (
    "SELECT id, uuid, title, slug, status, version, updated_at, published_at, scheduled_at, created_at, "
    "created_by_id, previous_status, expires_at, unit_id FROM article WHERE id IN ({marks})"
)


def list_articles(query: ArticleQuery) -> Page:
    """One page, newest first (title: A to Z); pass ``next_cursor`` back as ``after`` for the next."""
    if query.sort not in SORTS:
        raise ValidationError(_("Sort by one of: {sorts}").format(sorts=", ".join(SORTS)))
    limit = max(1, min(query.limit, MAX_PAGE))
    order = _sort_field(query.sort)
    ascending = query.sort == "title"
    conditions = _where(query, sets=False)
    if query.after is not None:
        value, last_id = query.after
        conditions.append(_after(order, ascending, order.db_value(value), last_id))
    ids = _page_ids(query, conditions, order, ascending, limit + 1)
    more = len(ids) > limit
    ids = ids[:limit]
    articles = _fetch(ids)
    rows = _rows(articles)
    cursor = None
    if more and articles:
        last = articles[-1]
        cursor = (getattr(last, order.name), last.id)
    return Page(rows, cursor)


def _fetch(ids: list[int]) -> list[Article]:
    """Unsaved Article objects holding the list's columns, in ``ids`` order (one query, no model rows)."""
    if not ids:
        return []
    fields = (Article.id, Article.uuid, Article.title, Article.slug, Article.status, Article.version,
              Article.updated_at, Article.published_at, Article.scheduled_at, Article.created_at,
              Article.created_by, Article.previous_status, Article.expires_at, Article.unit)
    found = {}
    db = current_database()
    for record in db.execute_sql(_ROW_SQL.format(marks=",".join([db.param] * len(ids))), ids):
        values = {field.name: field.python_value(value) for field, value in zip(fields, record, strict=True)}
        created_by, unit = values.pop("created_by"), values.pop("unit")
        found[record[0]] = Article(**values, created_by_id=created_by, unit_id=unit)
    return [found[i] for i in ids if i in found]


def rows_for(ids: list[int]) -> list[ArticleRow]:
    """What a list shows of these articles, in ``ids`` order (the review queue's page)."""
    return _rows(_fetch(ids))


_TOTAL = " + ".join(f"{name}_count" for name in REACTIONS)


def _rows(articles: list[Article]) -> list[ArticleRow]:
    """Bylines, tags and reaction totals of a page: three indexed queries, read as plain tuples."""
    ids = [a.id for a in articles]
    bylines: dict[int, list[tuple[str, str]]] = {i: [] for i in ids}
    tags: dict[int, list[str]] = {i: [] for i in ids}
    totals: dict[int, int] = {}
    if ids:
        db = current_database()
        marks = ",".join([db.param] * len(ids))
        for article_id, name, unit in db.execute_sql(
                f"SELECT article_id, name, unit FROM byline WHERE article_id IN ({marks}) "
                "ORDER BY article_id, position", ids):
            bylines[article_id].append((name, unit))
        for article_id, name in db.execute_sql(
                f"SELECT at.article_id, t.name FROM article_tag at JOIN tag t ON t.id = at.tag_id "
                f"WHERE at.article_id IN ({marks}) ORDER BY at.article_id, at.position", ids):
            tags[article_id].append(name)
        for article_id, total in db.execute_sql(
                f"SELECT article_id, {_TOTAL} FROM reactions WHERE article_id IN ({marks})", ids):
            totals[article_id] = total
    return [
        ArticleRow(
            id=a.id, uuid=a.uuid, title=a.title, slug=a.slug, status=a.status, version=a.version,
            updated_at=a.updated_at, published_at=a.published_at, scheduled_at=a.scheduled_at,
            created_at=a.created_at, created_by=a.created_by_id, bylines=bylines[a.id], tags=tags[a.id],
            reactions=totals.get(a.id, 0), previous_status=a.previous_status, expires_at=a.expires_at,
            unit_id=a.unit_id,
        )
        for a in articles
    ]


def count_by_status() -> dict[str, int]:
    """Articles per status (the list's view counts); ``all`` excludes trash."""
    counts = dict.fromkeys(STATUSES, 0)
    for row in Article.select(Article.status, fn.COUNT(Article.id).alias("n")).group_by(Article.status):
        counts[row.status] = row.n
    counts["all"] = sum(n for status, n in counts.items() if status != "trash")
    return counts


def count_in_status(status: str, unit_ids: tuple[int, ...] | None = None) -> int:
    """Articles in one status (in ``unit_ids``, ``None``: every unit): an index lookup, where
    :func:`count_by_status` reads every article's status."""
    if status not in STATUSES:
        raise ValidationError(_("Unknown status {status!r}; known: {known}").format(
            status=status, known=", ".join(STATUSES)))
    query = Article.select().where(Article.status == status)
    if unit_ids is not None:
        query = query.where(Article.unit.in_(list(unit_ids)))
    return query.count()


def review_queue(limit: int = 200) -> list[ArticleRow]:
    """Articles in review, oldest first (by the time they last changed)."""
    articles = list(
        Article.select().where(Article.status == "review").order_by(Article.updated_at.asc(), Article.id.asc())
        .limit(limit)
    )
    return _rows(articles)
