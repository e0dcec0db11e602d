"""The list's fast paths (index windows, sparse sets, row-value cursors) give the plain query's answer."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from beritatui.core import bulk, listing
from beritatui.core.database import close_database, current_database, open_database
from beritatui.core.listing import ArticleQuery, list_articles
from beritatui.core.models import Article, ArticleTag

FIXTURE = Path(__file__).parent.parent / "fixtures" / "schema-v1.db"
WORDS = ["kunjungan", "pembinaan", "kesehatan", "remisi"]


@pytest.fixture
def archive(newsroom, monkeypatch):
    """300 articles; small windows so that every path (window, wider window, sparse set) is taken."""
    monkeypatch.setattr(listing, "FIRST_WINDOW", 8)
    monkeypatch.setattr(listing, "SPARSE", 12)
    start = datetime(2021, 1, 1, tzinfo=UTC)
    statuses = ("published", "draft", "review", "archived", "trash")
    items = []
    for i in range(300):
        words = [w for k, w in enumerate(WORDS) if i % (k * 7 + 2) == 0] or ["umum"]
        when = start + timedelta(hours=(i * 37) % 300)  # updated order differs from id order, with ties
        items.append(bulk.BulkArticle(
            title=f"Berita {i} {' '.join(words)}", body=f"Isi {' '.join(words)} nomor {i}.",
            status=statuses[i % 5], created_at=when, modified_at=when,
            tags=["Langka"] if i in (5, 150, 295) else ["Humas", words[0].title()]))
    bulk.insert_articles(newsroom.admin, items, batch_size=100)
    # Some old articles were touched recently, so their ids are low but they come first.
    Article.update(updated_at=start + timedelta(days=30)).where(Article.id.in_([3, 4, 7])).execute()
    return newsroom


def _plain(query: ArticleQuery) -> list[int]:
    """The reference answer: every filter as one SQL query, ordered, no windows."""
    select = Article.select(Article.id)
    for condition in listing._where(query):
        select = select.where(condition)
    order = listing._sort_field(query.sort)
    ascending = query.sort == "title"
    select = select.order_by(order.asc() if ascending else order.desc(),
                             Article.id.asc() if ascending else Article.id.desc())
    return [row[0] for row in select.tuples()]


def _paged(query: ArticleQuery) -> list[int]:
    ids, after = [], None
    while True:
        page = list_articles(ArticleQuery(**{**query.__dict__, "after": after}))
        ids += [row.id for row in page.rows]
        if page.next_cursor is None:
            return ids
        after = page.next_cursor


def test_every_page_matches_the_plain_query(archive):
    for text, tag in [(None, None), ("kunjungan", None), ("kesehatan remi", None), ("umum", None), (None, "Humas"),
                      (None, "Langka"), ("pembinaan", "Humas"), ("tidakada", None), ("nomor", "Langka")]:
        for status in (None, "published", "draft", "trash"):
            for sort in ("updated", "title", "created"):
                query = ArticleQuery(status=status, sort=sort, text=text, tag=tag, limit=7)
                assert _paged(query) == _plain(query), query


def test_rows_carry_bylines_tags_and_reactions(archive):
    row = list_articles(ArticleQuery(tag="Langka", status="published", limit=5)).rows[0]
    assert row.tags == ["Langka"] and row.bylines and row.reactions == 0
    assert row.updated_at.tzinfo is not None and row.created_by == archive.admin.id
    assert ArticleTag.select().where(ArticleTag.article == row.id).count() == 1


def test_an_upgraded_database_has_the_indexes_of_a_new_one(tmp_path, newsroom):
    def indexes() -> set[str]:
        return {row[0] for row in current_database().execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('article', 'article_tag') "
            "AND sql IS NOT NULL")}

    fresh = indexes()
    close_database()
    copy = tmp_path / "lama.db"
    shutil.copyfile(FIXTURE, copy)
    open_database(str(copy))
    assert indexes() == fresh
    assert "article_updated_at_id_status_unit_id" in fresh and "article_updated_at_id" not in fresh
    assert "article_updated_at_id_status" not in fresh and "article_status_updated_at_id_unit_id" in fresh
    assert "article_tag_article_id_position_tag_id" in fresh
