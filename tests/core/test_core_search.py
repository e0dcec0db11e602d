"""Search (FTS over title, summary, body, tags and bylines) and lists (filters, keyset pages)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beritatui.core import clock, transitions
from beritatui.core.articles import ArticleDraft, create_article, save_article
from beritatui.core.errors import NotFound, ValidationError
from beritatui.core.listing import SORTS, ArticleQuery, count_by_status, list_articles, review_queue
from beritatui.core.models import Article

T0 = datetime(2026, 10, 1, 1, 0, tzinfo=UTC)


def found(**filters) -> list[str]:
    return sorted(r.title for r in list_articles(ArticleQuery(limit=500, **filters)).rows)


@pytest.fixture
def desk(newsroom):
    """Four articles, each with one word no other article has, in a different field."""
    create_article(newsroom.writer, ArticleDraft(title="Kopí Pagi Bersama Petugas", body="Suasana akrab."))
    create_article(newsroom.writer, ArticleDraft(title="Rapat Kerja Tahunan", summary="Membahas anggaran"
                                                 " dan rencana kerja.", body="Rapat kerja dibuka."))
    create_article(newsroom.writer2, ArticleDraft(title="Kerja Bakti Rapat Blok", body="Warga binaan menyapu "
                                                  "halaman.", tags=["Kebersihan"]))
    create_article(newsroom.editor, ArticleDraft(title="Lomba Voli", body="Pertandingan seru.",
                                                 bylines=[("Andi Yudistira", "Lapas Sengkang")]))
    return newsroom


@pytest.mark.parametrize(("query", "titles"), [
    ("kopi", ["Kopí Pagi Bersama Petugas"]),
    ("KOPÍ", ["Kopí Pagi Bersama Petugas"]),
    ("anggaran", ["Rapat Kerja Tahunan"]),
    ("menyapu", ["Kerja Bakti Rapat Blok"]),
    ("kebersihan", ["Kerja Bakti Rapat Blok"]),
    ("yudistira", ["Lomba Voli"]),
    ("sengkang", ["Lomba Voli"]),
    ("handayani", ["Kopí Pagi Bersama Petugas", "Rapat Kerja Tahunan"]),
    ('"rapat kerja"', ["Rapat Kerja Tahunan"]),
    ("rapat kerja", ["Kerja Bakti Rapat Blok", "Rapat Kerja Tahunan"]),
    ("rapat -bakti", ["Rapat Kerja Tahunan"]),
    ("pertandi", ["Lomba Voli"]),
    ("tidakada", []),
])
def test_search(desk, query, titles):
    assert found(text=query) == titles


@pytest.mark.parametrize("query", ['"', "(((", "*", "jam:10", "NEAR(", "a OR", "-", "title:", "'; DROP TABLE",
                                   "0\x00", "kopi\x00rapat"])
def test_odd_search_text_never_fails(desk, query):
    """Regression for the NUL cases: FTS5 raised "unterminated string"."""
    assert isinstance(found(text=query), list)


def test_search_follows_saves(desk):
    article = Article.get(Article.title == "Lomba Voli")
    save_article(desk.editor, article.id, article.version, ArticleDraft(body="Final bola basket."))
    assert found(text="basket") == ["Lomba Voli"]
    assert found(text="pertandingan") == []


def test_trash_is_left_out_unless_asked_for(desk):
    article = Article.get(Article.title == "Lomba Voli")
    transitions.trash(desk.editor, article.id)
    assert found(text="voli") == []
    assert found(text="voli", status="trash") == ["Lomba Voli"]


def test_filters_by_status(desk):
    article = Article.get(Article.title == "Lomba Voli")
    transitions.submit(desk.editor, article.id)
    assert found(status="review") == ["Lomba Voli"]
    assert len(found(status="draft")) == 3


def test_filters_by_tag(desk):
    assert found(tag="kebersihan") == ["Kerja Bakti Rapat Blok"]
    with pytest.raises(NotFound):
        found(tag="Tidak Ada")


def test_filters_by_author_and_unit(desk):
    assert found(author="budi") == ["Kerja Bakti Rapat Blok"]
    assert found(unit="watampone") == ["Kopí Pagi Bersama Petugas", "Rapat Kerja Tahunan"]
    assert found(author="yudistira", unit="sengkang") == ["Lomba Voli"]


def test_filters_by_date_range(newsroom):
    for day in range(4):
        clock.freeze(T0 + timedelta(days=day))
        create_article(newsroom.writer, ArticleDraft(title=f"Hari {day}"))
    assert found(since=T0 + timedelta(days=1), until=T0 + timedelta(days=3)) == ["Hari 1", "Hari 2"]


def test_unknown_status_or_sort_is_refused(newsroom):
    with pytest.raises(ValidationError, match="Unknown status"):
        list_articles(ArticleQuery(status="terbit"))
    with pytest.raises(ValidationError, match="Sort by"):
        list_articles(ArticleQuery(sort="acak"))


def test_rows_carry_byline_primary_tag_and_reactions(newsroom):
    from beritatui.core.reactions import import_tallies

    article = create_article(newsroom.writer, ArticleDraft(title="Satu", tags=["Humas", "Agama"]))
    import_tallies(newsroom.editor, {article.slug: {"like": 3, "love": 2}})
    row, = list_articles(ArticleQuery()).rows
    assert (row.primary_tag, row.byline, row.reactions) == ("Humas", "Wati Handayani (Lapas Watampone)", 5)


def test_count_by_status_and_review_queue(newsroom):
    clock.freeze(T0)
    older = create_article(newsroom.writer, ArticleDraft(title="Lama"))
    newer = create_article(newsroom.writer, ArticleDraft(title="Baru"))
    transitions.submit(newsroom.writer, newer.id)
    clock.freeze(T0 + timedelta(hours=1))
    transitions.submit(newsroom.writer, older.id)
    binned = create_article(newsroom.writer, ArticleDraft(title="Buang"))
    transitions.trash(newsroom.writer, binned.id)
    counts = count_by_status()
    assert (counts["review"], counts["trash"], counts["all"]) == (2, 1, 2)
    assert [r.title for r in review_queue()] == ["Baru", "Lama"]


def _crowded_newsroom(newsroom) -> set[int]:
    """35 articles sharing a handful of timestamps and titles, some published at the same instant."""
    if Article.select().count():
        return {a.id for a in Article.select(Article.id)}
    for n in range(35):
        clock.freeze(T0 + timedelta(seconds=n // 10))
        article = create_article(newsroom.editor, ArticleDraft(title=f"Berita {n % 4}"))
        if n % 3 == 0:
            clock.freeze(T0 + timedelta(hours=1))
            transitions.submit(newsroom.editor, article.id)
            transitions.publish(newsroom.admin, article.id)  # four-eyes: not by its writer
    clock.freeze(None)
    return {a.id for a in Article.select(Article.id)}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(min_value=1, max_value=40), sort=st.sampled_from(SORTS))
def test_keyset_pages_return_every_row_once(newsroom, size, sort):
    every = _crowded_newsroom(newsroom)
    expected = {a.id for a in Article.select(Article.id).where(Article.published_at.is_null(False))} \
        if sort == "published" else every
    seen: list[int] = []
    after = None
    for _page in range(100):
        page = list_articles(ArticleQuery(sort=sort, limit=size, after=after))
        assert len(page.rows) <= size
        seen.extend(r.id for r in page.rows)
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert len(seen) == len(set(seen))
    assert set(seen) == expected
    first_page = [r.id for r in list_articles(ArticleQuery(sort=sort, limit=500)).rows]
    assert seen == first_page


SEARCH_BITS = st.sampled_from(['"', "-", "*", "(", ")", ":", "^", "+", "OR", "AND", "NOT", "NEAR", " ", "kopi",
                               "rapat", "'", "\\", "{", "}", "title", "é", "\x00", "\t"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.one_of(st.text(max_size=30), st.lists(SEARCH_BITS, max_size=10).map("".join)))
def test_any_typed_search_text_lists_without_error(desk, typed):
    rows = list_articles(ArticleQuery(text=typed, limit=10)).rows
    assert len(rows) <= 4
