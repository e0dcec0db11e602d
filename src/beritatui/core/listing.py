"""Lists of articles with filters and keyset pagination (no OFFSET: page 2000 costs what page 1 costs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from peewee import fn

from beritatui.core import search
from beritatui.core.errors import ValidationError
from beritatui.core.models import STATUSES, Article, ArticleTag, Byline, Reactions, Tag
from beritatui.core.tags import find_tag
from beritatui.i18n import _

SORTS = ("updated", "published", "created", "title")
MAX_PAGE = 500


@dataclass
class ArticleQuery:
    """Filters for a list.  ``status=None`` means every status but trash."""

    status: str | None = None
    tag: str | None = None
    author: str | None = None
    unit: str | None = None
    text: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    sort: str = "updated"
    limit: int = 50
    after: tuple[Any, int] | None = None


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

    @property
    def primary_tag(self) -> str:
        return self.tags[0] if self.tags else ""

    @property
    def byline(self) -> str:
        return ", ".join(f"{n} ({u})" if u else n for n, u in self.bylines)


def row_article(row: ArticleRow) -> Article:
    """An unsaved Article holding a row's workflow fields, so surfaces can ask
    :mod:`workflow` what is allowed without another query."""
    return Article(id=row.id, uuid=row.uuid, title=row.title, slug=row.slug, status=row.status,
                   previous_status=row.previous_status, version=row.version, created_by=row.created_by,
                   published_at=row.published_at, scheduled_at=row.scheduled_at)


@dataclass
class Page:
    rows: list[ArticleRow]
    next_cursor: tuple[Any, int] | None


def _sort_field(sort: str):  # noqa: ANN202 - a peewee field
    return {"updated": Article.updated_at, "published": Article.published_at,
            "created": Article.created_at, "title": Article.title}[sort]


def _where(query: ArticleQuery):  # noqa: ANN202 - a peewee expression list
    conditions = []
    if query.status is None:
        conditions.append(Article.status != "trash")
    elif query.status not in STATUSES:
        raise ValidationError(_("Unknown status {status!r}; known: {known}").format(
            status=query.status, known=", ".join(STATUSES)))
    else:
        conditions.append(Article.status == query.status)
    if query.tag:
        tag = find_tag(query.tag)
        conditions.append(Article.id.in_(ArticleTag.select(ArticleTag.article).where(ArticleTag.tag == tag.id)))
    if query.author:
        conditions.append(Article.id.in_(Byline.select(Byline.article).where(Byline.name.contains(query.author))))
    if query.unit:
        conditions.append(Article.id.in_(Byline.select(Byline.article).where(Byline.unit.contains(query.unit))))
    if query.since:
        conditions.append(Article.updated_at >= query.since)
    if query.until:
        conditions.append(Article.updated_at < query.until)
    if query.text:
        matched = search.condition(query.text)
        if matched is not None:
            conditions.append(matched)
    if query.sort == "published":
        conditions.append(Article.published_at.is_null(False))
    return conditions


def list_articles(query: ArticleQuery) -> Page:
    """One page, newest first (title: A to Z); pass ``next_cursor`` back as ``after`` for the next."""
    if query.sort not in SORTS:
        raise ValidationError(_("Sort by one of: {sorts}").format(sorts=", ".join(SORTS)))
    limit = max(1, min(query.limit, MAX_PAGE))
    order = _sort_field(query.sort)
    ascending = query.sort == "title"
    select = Article.select(
        Article.id, Article.uuid, Article.title, Article.slug, Article.status, Article.version,
        Article.updated_at, Article.published_at, Article.scheduled_at, Article.created_at, Article.created_by,
        Article.previous_status,
    )
    conditions = _where(query)
    if query.after is not None:
        value, last_id = query.after
        if ascending:
            conditions.append((order > value) | ((order == value) & (Article.id > last_id)))
        else:
            conditions.append((order < value) | ((order == value) & (Article.id < last_id)))
    for condition in conditions:
        select = select.where(condition)
    select = select.order_by(order.asc() if ascending else order.desc(),
                             Article.id.asc() if ascending else Article.id.desc()).limit(limit + 1)
    articles = list(select)
    more = len(articles) > limit
    articles = articles[:limit]
    rows = _rows(articles)
    cursor = None
    if more and articles:
        last = articles[-1]
        cursor = (getattr(last, order.name), last.id)
    return Page(rows, cursor)


def _rows(articles: list[Article]) -> list[ArticleRow]:
    ids = [a.id for a in articles]
    bylines: dict[int, list[tuple[str, str]]] = {i: [] for i in ids}
    tags: dict[int, list[str]] = {i: [] for i in ids}
    totals: dict[int, int] = {}
    if ids:
        for b in Byline.select().where(Byline.article.in_(ids)).order_by(Byline.article, Byline.position):
            bylines[b.article_id].append((b.name, b.unit))
        for link in (ArticleTag.select(ArticleTag.article, Tag.name).join(Tag)
                     .where(ArticleTag.article.in_(ids)).order_by(ArticleTag.article, ArticleTag.position)):
            tags[link.article_id].append(link.tag.name)
        total = (Reactions.like + Reactions.dislike + Reactions.love + Reactions.funny + Reactions.angry
                 + Reactions.sad + Reactions.wow)
        for r in Reactions.select(Reactions.article, total.alias("total")).where(Reactions.article.in_(ids)):
            totals[r.article_id] = r.total
    return [
        ArticleRow(
            id=a.id, uuid=a.uuid, title=a.title, slug=a.slug, status=a.status, version=a.version,
            updated_at=a.updated_at, published_at=a.published_at, scheduled_at=a.scheduled_at,
            created_at=a.created_at, created_by=a.created_by_id, bylines=bylines[a.id], tags=tags[a.id],
            reactions=totals.get(a.id, 0), previous_status=a.previous_status,
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


def review_queue(limit: int = 200) -> list[ArticleRow]:
    """Articles in review, oldest first (by the time they last changed)."""
    articles = list(
        Article.select().where(Article.status == "review").order_by(Article.updated_at.asc(), Article.id.asc())
        .limit(limit)
    )
    return _rows(articles)
