"""Long write transactions are forbidden: rendering happens before the lock, tag changes are set-based."""

from __future__ import annotations

import pytest

from beritatui.core import articles, search, tags
from beritatui.core import render as render_module
from beritatui.core.articles import ArticleDraft, create_article, get_article, keep_theirs, save_article
from beritatui.core.bulk import BulkArticle, insert_articles
from beritatui.core.database import current_database
from beritatui.core.models import Article, ArticleTag
from beritatui.feeds.importers import import_paths


@pytest.fixture
def render_calls(monkeypatch):
    """Every Markdown render, with whether a transaction was open at that moment."""
    calls: list[bool] = []
    real = render_module.render

    def spy(body: str):
        calls.append(current_database().in_transaction())
        return real(body)

    monkeypatch.setattr(render_module, "render", spy)
    return calls


def _markdown_files(folder, n=3):
    folder.mkdir()
    for i in range(n):
        (folder / f"berita-{i}.md").write_text(
            f"---\ntitle: Kunjungan Ombudsman ke Lapas {i}\ntags: [Humas]\ndate: 2025-03-0{i + 1}\n---\n\n"
            f"Tim Ombudsman meninjau **layanan pengaduan** hari ke-{i}.\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("dry_run", [False, True])
def test_import_renders_every_body_before_the_write_transaction(newsroom, tmp_path, render_calls, dry_run):
    report = import_paths(newsroom.editor, [_markdown_files(tmp_path / "impor")], dry_run=dry_run)
    assert report.created == 3 and not report.problems
    assert len(render_calls) >= 3
    assert not any(render_calls), "a body was rendered while the write lock was held"
    assert Article.select().count() == (0 if dry_run else 3)


def test_reimport_renders_outside_the_transaction_too(newsroom, tmp_path, render_calls):
    folder = _markdown_files(tmp_path / "impor")
    import_paths(newsroom.editor, [folder])
    (folder / "berita-0.md").write_text(
        "---\ntitle: Kunjungan Ombudsman ke Lapas 0\n---\n\nIsi yang diperbarui.\n", encoding="utf-8")
    render_calls.clear()
    report = import_paths(newsroom.editor, [folder])
    assert report.updated == 1 and report.unchanged == 2
    assert render_calls and not any(render_calls)
    assert "diperbarui" in get_article("berita-0").body_html


def test_keeping_theirs_renders_both_texts_before_the_lock(newsroom, render_calls):
    article = create_article(newsroom.editor, ArticleDraft(title="Pemeriksaan Kesehatan", body="Awal."))
    save_article(newsroom.admin, article.id, 1, ArticleDraft(body="Versi *mereka*."))
    render_calls.clear()
    final = keep_theirs(newsroom.editor, article.id, 2, ArticleDraft(body="Versi **saya**."),
                        ArticleDraft(body="Versi *mereka*."))
    assert final.version == 4 and final.body == "Versi *mereka*." and "<em>mereka</em>" in final.body_html
    assert len(render_calls) == 2 and not any(render_calls)


def test_a_prerendered_body_for_another_text_is_not_used(newsroom):
    ready = articles.prerender("Teks **lama**.")
    article = create_article(newsroom.editor, ArticleDraft(title="Apel Pagi", body="Teks *baru*."),
                             prerendered=ready)
    assert "<em>baru</em>" in article.body_html and "lama" not in article.body_html


def test_bulk_insert_renders_before_each_batch_transaction(newsroom, render_calls):
    insert_articles(newsroom.admin, [BulkArticle(title=f"Sidang TPP {n}", body=f"Sidang ke-**{n}**.")
                                     for n in range(5)], batch_size=2)
    assert len(render_calls) == 5 and not any(render_calls)
    assert "<strong>4</strong>" in Article.get(Article.title == "Sidang TPP 4").body_html


@pytest.fixture
def statements(monkeypatch):
    """How many SQL statements go through the database (executemany counts once)."""
    db = current_database()
    real = db.execute_sql
    count = [0]

    def counting(sql, params=None, *args, **kwargs):
        count[0] += 1
        return real(sql, params, *args, **kwargs)

    monkeypatch.setattr(db, "execute_sql", counting)
    return count


def _tagged_corpus(admin, n):
    insert_articles(admin, [BulkArticle(title=f"Berita Pembinaan {i}", body="Isi.", body_html="<p>Isi.</p>",
                                        body_text="Isi.", tags=["Humas", "Pembinaan"] if i % 2 else ["Humas"],
                                        bylines=[("Andi Saputra", "Lapas Watampone")]) for i in range(n)])


def _search_ids(text):
    return {row.id for row in Article.select(Article.id).where(search.condition(text))}


def test_renaming_a_tag_on_1200_articles_takes_a_bounded_number_of_statements(newsroom, statements):
    """Regression: every article was re-indexed one by one (4 statements each) inside the rename's
    write transaction; 5 000 articles held the lock for about 10 s."""
    _tagged_corpus(newsroom.admin, 1200)
    before = {a.id: a.version for a in Article.select(Article.id, Article.version)}
    statements[0] = 0
    tags.rename_tag(newsroom.editor, "Humas", "Kehumasan")
    assert statements[0] < 40, statements[0]
    assert {a.id: a.version - 1 for a in Article.select(Article.id, Article.version)} == before
    assert len(_search_ids("Kehumasan")) == 1200 and not _search_ids("Humas")
    assert _search_ids("Saputra") == set(before)  # bylines stay in the index
    from beritatui.core import maintenance

    assert maintenance.check() == []


def test_merging_tags_is_set_based_and_touches_only_the_moved_articles(newsroom, statements):
    _tagged_corpus(newsroom.admin, 600)
    only_target = create_article(newsroom.editor, ArticleDraft(title="Hanya Berita Lain", tags=["Berita Lain"]))
    statements[0] = 0
    tags.merge_tags(newsroom.editor, "Pembinaan", "Humas")
    assert statements[0] < 40, statements[0]
    humas = tags.find_tag("Humas")
    assert ArticleTag.select().where(ArticleTag.tag == humas.id).count() == 600
    assert tags.list_tags()[0].name == "Berita Lain"
    assert get_article(only_target.id).version == 1
    both = Article.get(Article.title == "Berita Pembinaan 1")
    assert [t.name for t in articles.article_tags(both.id)] == ["Humas"] and both.version == 2
    assert not _search_ids("Pembinaan") - _search_ids("Berita")  # titles still match, tag text gone
    assert len(_search_ids("Humas")) == 600
