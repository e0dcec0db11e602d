"""SQLite's full-text index (FTS5) of the articles: its table, its rows, and search-box queries.

:mod:`beritatui.core.search` is the backend-neutral side (kept in step with every save, queried
from the list); this is what only SQLite has.
"""

from __future__ import annotations

from peewee import SqliteDatabase
from playhouse.sqlite_ext import FTS5Model, SearchField

from beritatui.core.models import database_proxy


class ArticleSearch(FTS5Model):
    """The FTS5 index: one row per article, rowid = article id (used to parse search-box queries)."""

    title = SearchField()
    summary = SearchField()
    body = SearchField()
    tags = SearchField()
    bylines = SearchField()

    class Meta:
        database = database_proxy
        table_name = "article_fts"


FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS article_fts USING fts5("
    "title, summary, body, tags, bylines, tokenize='unicode61 remove_diacritics 2')"
)


def index_article(db: SqliteDatabase, article_id: int, title: str, summary: str, body_text: str,
                  tags: list[str], bylines: list[str]) -> None:
    """Replace the article's FTS row (inside the caller's write transaction)."""
    db.execute_sql("DELETE FROM article_fts WHERE rowid = ?", (article_id,))
    db.execute_sql(
        "INSERT INTO article_fts(rowid, title, summary, body, tags, bylines) VALUES (?, ?, ?, ?, ?, ?)",
        (article_id, title, summary, body_text, " ".join(tags), " ".join(bylines)),
    )


def index_articles(db: SqliteDatabase, rows: list[tuple[int, str, str, str, list[str], list[str]]]) -> None:
    """Replace many articles' FTS rows in two statements (inside the caller's write transaction)."""
    db.cursor().executemany("DELETE FROM article_fts WHERE rowid = ?", [(row[0],) for row in rows])
    db.cursor().executemany(
        "INSERT INTO article_fts(rowid, title, summary, body, tags, bylines) VALUES (?, ?, ?, ?, ?, ?)",
        [(i, title, summary, text, " ".join(tags), " ".join(bylines)) for i, title, summary, text, tags, bylines
         in rows])


def match_query(text: str) -> str:
    """A person's search-box text (phrases, OR, -word) as a safe FTS5 MATCH expression."""
    return ArticleSearch.web_query(text)
