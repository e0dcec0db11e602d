"""A save against an article whose status moved on (trashed, unpublished, published…) is refused, and the
text is kept as a revision ``kept`` that leaves the article as it is."""

from __future__ import annotations

import pytest

from beritatui.core import transitions
from beritatui.core.articles import KEPT, ArticleDraft, MovedOn, create_article, get_article, save_article
from beritatui.core.errors import Conflict
from beritatui.core.models import AuditEvent, Revision
from beritatui.core.revisions import list_revisions, restore_revision, review_baseline
from beritatui.core.site import set_setting


def revisions(article_id):
    return [(r.reason, r.login, r.body) for r in Revision.select().where(Revision.article == article_id)
            .order_by(Revision.number)]


def test_a_save_after_a_colleague_trashed_the_draft_is_refused_and_kept(newsroom):
    set_setting(newsroom.admin, "timezone", "Asia/Makassar")
    draft = create_article(newsroom.writer, ArticleDraft(title="Bakti Sosial", body="Awal.\n"))
    trashed = transitions.trash(newsroom.editor, draft.id)
    with pytest.raises(MovedOn) as refused:
        save_article(newsroom.writer, draft.id, 1, ArticleDraft(title="Bakti Sosial", body="Awal. Ramai.\n"))
    moved = refused.value
    assert isinstance(moved, Conflict)  # callers that only know Conflict still refuse
    assert moved.action == "trash" and moved.login == "eko" and moved.kept == 2
    assert str(moved).startswith("Eko Prasetyo moved this article to the trash (")
    assert "kept in its history as revision 2 (kept)" in str(moved)
    after = get_article(draft.id)
    assert (after.status, after.version, after.body) == ("trash", trashed.version, "Awal.\n")
    assert revisions(draft.id) == [("save", "wati", "Awal.\n"), (KEPT, "wati", "Awal. Ramai.\n")]
    assert AuditEvent.select().where(AuditEvent.action == "article.kept").count() == 1


def test_the_same_text_is_kept_once_and_nothing_new_keeps_nothing(newsroom):
    draft = create_article(newsroom.writer, ArticleDraft(title="Panen Sayur", body="Kangkung.\n"))
    transitions.trash(newsroom.writer, draft.id)
    for _ in range(2):
        with pytest.raises(MovedOn):
            save_article(newsroom.writer, draft.id, 1, ArticleDraft(body="Kangkung dan bayam.\n"))
    with pytest.raises(MovedOn) as unchanged:
        save_article(newsroom.writer, draft.id, 1, ArticleDraft(body="Kangkung.\n"))
    assert unchanged.value.kept is None and "were not saved into it" in str(unchanged.value)
    assert [r[0] for r in revisions(draft.id)] == ["save", KEPT]


def test_an_unpublish_is_not_an_edit(newsroom):
    article = create_article(newsroom.editor, ArticleDraft(title="Upacara Hari Bakti", body="Upacara.\n"))
    transitions.submit(newsroom.editor, article.id)
    live = transitions.publish(newsroom.admin, article.id)  # four-eyes: not by its writer
    transitions.unpublish(newsroom.admin, article.id)
    with pytest.raises(MovedOn) as refused:
        save_article(newsroom.editor, article.id, live.version, ArticleDraft(body="Upacara khidmat.\n"))
    assert refused.value.action == "unpublish"
    assert str(refused.value).startswith("Ani Rahmawati unpublished this article; it is archived, off the site")
    assert get_article(article.id).status == "archived" and get_article(article.id).body == "Upacara.\n"


def test_a_content_save_meanwhile_stays_an_ordinary_conflict(newsroom):
    draft = create_article(newsroom.writer, ArticleDraft(title="Senam Pagi", body="Senam.\n"))
    save_article(newsroom.editor, draft.id, 1, ArticleDraft(body="Senam bersama.\n"))
    with pytest.raises(Conflict) as refused:
        save_article(newsroom.writer, draft.id, 1, ArticleDraft(body="Senam pagi.\n"))
    assert not isinstance(refused.value, MovedOn)
    assert "saved this article after you opened it" in str(refused.value)
    assert [r[0] for r in revisions(draft.id)] == ["save", "save"]


def test_someone_who_may_not_add_to_the_history_is_refused_without_a_revision(newsroom):
    draft = create_article(newsroom.writer, ArticleDraft(title="Kunjungan Keluarga", body="Jadwal.\n"))
    transitions.trash(newsroom.editor, draft.id)
    with pytest.raises(MovedOn) as refused:
        save_article(newsroom.writer2, draft.id, 1, ArticleDraft(body="Jadwal baru.\n"))
    assert refused.value.kept is None
    assert [r[0] for r in revisions(draft.id)] == ["save"]


def test_kept_text_comes_back_by_restoring_its_revision_and_never_counts_as_a_baseline(newsroom):
    draft = create_article(newsroom.writer, ArticleDraft(title="Pelatihan Menjahit", body="Pola dasar.\n"))
    transitions.submit(newsroom.writer, draft.id)
    sent_back = transitions.request_changes(newsroom.editor, draft.id, "Tambah foto.")
    transitions.trash(newsroom.editor, draft.id)
    with pytest.raises(MovedOn):
        save_article(newsroom.writer, draft.id, sent_back.version, ArticleDraft(body="Pola dasar dan kerah.\n"))
    restored = transitions.restore(newsroom.editor, draft.id)
    kept = next(r for r in list_revisions(draft.id) if r.reason == KEPT)
    assert review_baseline(draft.id).reason != KEPT
    back = restore_revision(newsroom.writer, draft.id, kept.number, base_version=restored.version)
    assert back.body == "Pola dasar dan kerah.\n" and back.status == "draft"
