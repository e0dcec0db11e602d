"""Revisions: each save, submit, publish, correction and restore leaves exactly one; nothing is ever deleted."""

from __future__ import annotations

import pytest

from beritatui.core import revisions, transitions, unit_settings, units
from beritatui.core.articles import ArticleDraft, article_tags, create_article, get_article, save_article
from beritatui.core.database import current_database
from beritatui.core.errors import Conflict, NotFound
from beritatui.core.models import Revision


def reasons(article_id: int) -> list[str]:
    return [r.reason for r in Revision.select().where(Revision.article == article_id).order_by(Revision.number)]


def test_each_step_writes_one_revision_with_its_reason(newsroom):
    with current_database().atomic():  # edits of a published article go live (no pending correction)
        unit_settings.store(units.root_id(), "corrections", "direct")
    article = create_article(newsroom.writer, ArticleDraft(title="Pameran Hasil Karya", body="Draf pertama."))
    article = save_article(newsroom.writer, article.id, article.version, ArticleDraft(body="Draf kedua."))
    transitions.submit(newsroom.writer, article.id)
    transitions.publish(newsroom.editor, article.id)
    article = get_article(article.id)
    save_article(newsroom.editor, article.id, article.version, ArticleDraft(body="Draf kedua, diralat."))
    revisions.restore_revision(newsroom.editor, article.id, 1)
    assert reasons(article.id) == ["save", "save", "submit", "publish", "correction", "restore"]


def test_transitions_without_content_write_no_revision(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Pameran Hasil Karya"))
    transitions.trash(newsroom.writer, article.id)
    transitions.restore(newsroom.writer, article.id)
    assert reasons(article.id) == ["save"]


def test_revisions_are_numbered_and_listed_newest_first(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Pameran Hasil Karya", body="satu"))
    for body in ("dua", "tiga"):
        article = save_article(newsroom.writer, article.id, article.version, ArticleDraft(body=body))
    listed = revisions.list_revisions(article.slug)
    assert [r.number for r in listed] == [3, 2, 1]
    assert [r.body for r in listed] == ["tiga", "dua", "satu"]
    assert [r.article_version for r in listed] == [3, 2, 1]


def test_revision_records_tags_bylines_and_login(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(
        title="Pameran Hasil Karya", tags=["Humas", "#cek"], bylines=[("A. Yudistira", "Lapas Watampone")]))
    revision = revisions.get_revision(article.id, 1)
    assert revision.tags == ["Humas", "#cek"]
    assert revision.bylines == [["A. Yudistira", "Lapas Watampone"]]
    assert revision.login == "wati"


def test_diff_of_two_revisions(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Pameran", body="baris satu\nbaris dua"))
    save_article(newsroom.writer, article.id, article.version, ArticleDraft(body="baris satu\nbaris DUA"))
    lines = revisions.diff(article.id, 1, 2)
    assert lines[0] == "--- revision 1" and lines[1] == "+++ revision 2"
    assert "-baris dua" in lines and "+baris DUA" in lines
    assert "+baris satu" not in lines


def test_diff_against_the_current_article(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Pameran", tags=["Humas"]))
    save_article(newsroom.writer, article.id, article.version, ArticleDraft(tags=["Humas", "Pembinaan"]))
    lines = revisions.diff(article.id, 1)
    assert lines[1] == "+++ current"
    assert "+Tags: Humas, Pembinaan" in lines


def test_restore_adds_a_revision_and_deletes_nothing(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Pameran", body="asli", tags=["Humas"]))
    article = save_article(newsroom.writer, article.id, article.version,
                           ArticleDraft(title="Pameran Besar", body="ubah", tags=["Lain"]))
    before = [(r.number, r.body) for r in revisions.list_revisions(article.id)]
    restored = revisions.restore_revision(newsroom.writer, article.id, 1)
    after = revisions.list_revisions(article.id)
    assert [(r.number, r.body) for r in after[1:]] == before
    assert (after[0].number, after[0].reason, after[0].body) == (3, "restore", "asli")
    assert (restored.title, restored.body) == ("Pameran", "asli")
    assert restored.slug == "pameran"
    assert [t.name for t in article_tags(restored.id)] == ["Humas"]


def test_restore_keeps_the_slug_of_a_published_article(newsroom):
    with current_database().atomic():  # edits of a published article go live (no pending correction)
        unit_settings.store(units.root_id(), "corrections", "direct")
    article = create_article(newsroom.writer, ArticleDraft(title="Pameran"))
    article = save_article(newsroom.writer, article.id, article.version, ArticleDraft(title="Pameran Besar"))
    transitions.submit(newsroom.writer, article.id)
    transitions.publish(newsroom.editor, article.id)
    restored = revisions.restore_revision(newsroom.editor, article.id, 1)
    assert (restored.title, restored.slug) == ("Pameran", "pameran-besar")


def test_missing_revision_is_not_found(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Pameran"))
    with pytest.raises(NotFound, match="no revision 9"):
        revisions.get_revision(article.id, 9)


FOTO_1 = "https://humas.lapas-watampone.example.id/foto/penyuluhan-hukum.jpg"
FOTO_2 = "https://humas.lapas-watampone.example.id/foto/penyuluhan-hukum-2.jpg"


def test_revisions_record_the_language_the_image_and_its_description(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(
        title="Penyuluhan Hukum bagi Warga Binaan", body="Materi hak dan kewajiban.", language="id",
        image_url=FOTO_1, image_alt="Petugas memberi materi di aula"))
    save_article(newsroom.writer, article.id, article.version, ArticleDraft(
        language="en", image_url=FOTO_2, image_alt="Warga binaan bertanya"))
    first, second = revisions.get_revision(article.id, 1), revisions.get_revision(article.id, 2)
    assert (first.language, first.image_url, first.image_alt) == ("id", FOTO_1, "Petugas memberi materi di aula")
    assert (second.language, second.image_url, second.image_alt) == ("en", FOTO_2, "Warga binaan bertanya")
    lines = revisions.diff(article.id, 1, 2)
    assert {"-Language: id", "+Language: en", f"-Image: {FOTO_1}", f"+Image: {FOTO_2}",
            "-Image alt: Petugas memberi materi di aula", "+Image alt: Warga binaan bertanya"} <= set(lines)


def test_restore_brings_back_the_language_and_the_image(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(
        title="Penyuluhan Hukum bagi Warga Binaan", body="Materi.", image_url=FOTO_1, image_alt="Aula"))
    save_article(newsroom.writer, article.id, article.version, ArticleDraft(
        language="en", image_url="", image_alt=""))
    restored = revisions.restore_revision(newsroom.writer, article.id, 1)
    assert (restored.language, restored.image_url, restored.image_alt) == ("id", FOTO_1, "Aula")
    assert revisions.diff(article.id, 1) == []  # the restored article is revision 1 again, every field


def test_a_refused_save_that_changes_only_the_image_is_kept_with_it(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Penyuluhan Hukum", body="Materi."))
    transitions.trash(newsroom.editor, article.id)
    with pytest.raises(Conflict) as refused:
        save_article(newsroom.writer, article.id, 1, ArticleDraft(image_url=FOTO_1, image_alt="Aula"))
    kept = revisions.get_revision(article.id, refused.value.kept)
    assert (kept.reason, kept.image_url, kept.image_alt, kept.body) == ("kept", FOTO_1, "Aula", "Materi.")
    assert get_article(article.id).image_url == ""
