"""The search index: kept in step with every save, queried from the list.

SQLite uses FTS5 (``core.sqlite_fts``); other backends fall back to a LIKE scan.
"""

from __future__ import annotations

import re

from peewee import Expression

from beritatui.core import sqlite_fts
from beritatui.core.content import bylines_of, format_byline
from beritatui.core.database import current_database, is_sqlite
from beritatui.core.lookup import article_tags
from beritatui.core.models import Article

_TRAILING_WORD = re.compile(r'"([^"\s]+)"$')
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # a NUL cuts FTS5's quoted string short


def index(article_id: int, title: str, summary: str, body_text: str, tags: list[str], bylines: list[str]) -> None:
    """Refresh one article's index row; call inside the save's transaction."""
    if is_sqlite():
        sqlite_fts.index_article(current_database(), article_id, title, summary, body_text, tags, bylines)


def index_many(rows: list[tuple[int, str, str, str, list[str], list[str]]]) -> None:
    """Refresh many index rows at once: (id, title, summary, body_text, tags, bylines) each."""
    if is_sqlite() and rows:
        sqlite_fts.index_articles(current_database(), rows)


def reindex(article: Article) -> None:
    """Refresh one article's index row from the article as it now stands (inside its save's transaction)."""
    tags = [t.name for t in article_tags(article.id)]
    bylines = [format_byline(n, u) for n, u in bylines_of(article.id)]
    index(article.id, article.title, article.summary, article.body_text, tags, bylines)


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
        index_many([(i, title, summary, text, tags.get(i, []), bylines.get(i, []))
                    for i, title, summary, text in rows.fetchall()])


def match_expression(text: str, *, prefix: bool = True) -> str:
    """The FTS5 MATCH text for a search box; the last word matches as a prefix while typing."""
    text = _CONTROLS.sub(" ", text)
    query = sqlite_fts.match_query(text)
    if prefix and text and not text[-1].isspace() and not text.rstrip().endswith('"'):
        query = _TRAILING_WORD.sub(lambda m: f'"{m.group(1)}"*', query)
    return query


def fts_match(text: str) -> str | None:
    """The FTS5 MATCH text for search-box ``text``, or ``None`` when it filters nothing."""
    text = _CONTROLS.sub(" ", text)
    if not text.strip():
        return None
    query = match_expression(text)
    return None if query == '""' else query


def condition(text: str) -> Expression | None:
    """A WHERE condition on Article for search-box ``text``, or ``None`` for an empty query."""
    text = _CONTROLS.sub(" ", text)
    if not text.strip():
        return None
    if is_sqlite():
        query = match_expression(text)
        if query == '""':
            return None
        fts = sqlite_fts.ArticleSearch
        return Article.id.in_(fts.select(fts.rowid).where(fts.match(query)))
    like = f"%{text.strip()}%"
    return Article.title.contains(text.strip()) | Article.summary ** like | Article.body_text ** like
