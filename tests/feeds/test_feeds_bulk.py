"""The bulk path used to seed corpora: rows as complete as a normal save leaves them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from beritatui.core import bulk, maintenance
from beritatui.core.articles import article_bylines, article_tags, reactions_of
from beritatui.core.errors import PermissionDenied
from beritatui.core.listing import ArticleQuery, list_articles
from beritatui.core.models import Article, Revision


def _batch(n):
    start = datetime(2020, 1, 1, tzinfo=UTC)
    statuses = ("published", "draft", "review", "archived", "trash", "scheduled")
    for i in range(n):
        yield bulk.BulkArticle(
            title=f"Penyuluhan Kesehatan Blok {i}", body=f"Petugas klinik memeriksa **{i}** warga binaan.\n\n- tensi",
            status=statuses[i % len(statuses)], created_at=start + timedelta(days=i),
            published_at=start + timedelta(days=i, hours=1),
            scheduled_at=datetime(2040, 1, 1, tzinfo=UTC), tags=["Kesehatan", "#cek"] if i % 2 else ["Kesehatan"],
            bylines=[("Sri Wahyuni", "Rutan Sinjai")], reactions={"like": i})


def test_bulk_rows_match_what_a_save_leaves(newsroom, desk):
    assert bulk.insert_articles(desk, _batch(12), batch_size=5) == 12
    assert Article.select().count() == 12
    first = Article.get(Article.title == "Penyuluhan Kesehatan Blok 1")
    assert first.status == "draft" and "<strong>1</strong>" in first.body_html and "• tensi" in first.body_text
    assert [t.name for t in article_tags(first.id)] == ["Kesehatan", "#cek"]
    assert article_bylines(first.id) == [("Sri Wahyuni", "Rutan Sinjai")]
    assert reactions_of(first.id)["like"] == 1
    assert Revision.get(Revision.article == first.id).reason == "import"
    published = Article.get(Article.title == "Penyuluhan Kesehatan Blok 0")
    assert published.status == "published" and published.slug_locked
    assert published.published_at == datetime(2020, 1, 1, 1, tzinfo=UTC)
    assert Article.get(Article.title == "Penyuluhan Kesehatan Blok 4").trashed_at is not None
    assert len(list_articles(ArticleQuery(text="klinik", limit=50)).rows) == 10  # all but the trashed two
    assert maintenance.check() == []
    bulk.insert_articles(desk, _batch(1))
    assert Article.get(Article.id == 13).slug == "penyuluhan-kesehatan-blok-0-2"


def test_only_an_admin_may_insert_in_bulk(newsroom):
    with pytest.raises(PermissionDenied):
        bulk.insert_articles(newsroom.editor, _batch(1))


def test_bulk_revisions_record_the_language_and_the_image(newsroom, desk):
    image = "https://humas.rutan-sinjai.example.id/foto/senam-pagi.jpg"
    bulk.insert_articles(desk, [bulk.BulkArticle(title="Senam Pagi Warga Binaan", body="Senam bersama.",
                                                 language="en", image_url=image, image_alt="Lapangan rutan")])
    revision = Revision.get()
    assert (revision.language, revision.image_url, revision.image_alt) == ("en", image, "Lapangan rutan")
