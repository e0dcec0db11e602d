"""Unresolved merge markers never go toward the site: submit, publish, schedule and saves into a live article."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beritatui.core import clock, transitions
from beritatui.core.articles import (
    ArticleDraft,
    conflict_block_line,
    conflict_marker_problem,
    create_article,
    get_article,
    save_article,
)
from beritatui.core.correction_review import publish_correction
from beritatui.core.errors import ValidationError
from beritatui.core.models import Article

MERGED = ("Pembukaan acara.\n<<<<<<< yours\nKegiatan dimulai pukul delapan.\n=======\n"
          "Kegiatan dimulai pukul sembilan.\n>>>>>>> theirs\nPenutup.\n")


def test_the_block_a_merge_writes_is_found_at_its_first_line():
    assert conflict_block_line(MERGED) == 2
    assert conflict_block_line(MERGED.replace("<<<<<<< yours", "<<<<<<<")) == 2  # git without a label


@pytest.mark.parametrize("text", [
    "Judul Laporan\n=======\n\nIsi laporan.\n",  # a setext heading
    "> > > > > > > kutipan\n>>>>>>> juga kutipan\n",  # nested quotes
    "Contoh konflik git:\n\n```\n<<<<<<< HEAD\nsatu\n=======\ndua\n>>>>>>> cabang\n```\n",  # fenced code
    "~~~~\n<<<<<<< a\n=======\n>>>>>>> b\n~~~~\n",
    "<<<<<<< yours\nhanya pembuka, tanpa pemisah\n>>>>>>> theirs\n",  # no ======= between: not a merge block
    "<<<<<<<< delapan\n=======\n>>>>>>> tujuh\n",  # eight '<' is not a marker
    "Teks biasa <<<<<<< di tengah baris\n=======\n>>>>>>> theirs\n",
])
def test_ordinary_markdown_is_not_a_conflict(text):
    assert conflict_block_line(text) is None


def test_a_block_after_a_closed_fence_is_found():
    text = "```\nkode\n```\n" + MERGED
    assert conflict_block_line(text) == 5


@given(st.lists(st.sampled_from(["Paragraf warga binaan.", "=======", "Judul", "- butir", "> kutipan",
                                 ">>>>>>> theirs", ""]), max_size=30))
def test_without_an_opening_marker_nothing_is_ever_refused(lines):
    assert conflict_block_line("\n".join(lines)) is None


def test_title_and_summary_are_checked_too():
    assert "title" in conflict_marker_problem("<<<<<<< yours", None, None)
    assert "summary" in conflict_marker_problem("Judul", MERGED, "")
    assert conflict_marker_problem("Judul ======= biasa", "Ringkasan.", "Isi.") is None


def test_submit_publish_and_schedule_refuse_markers_and_change_nothing(newsroom):
    draft = create_article(newsroom.writer, ArticleDraft(title="Rapat Koordinasi", body=MERGED))
    with pytest.raises(ValidationError, match="unresolved conflict .* line 2"):
        transitions.submit(newsroom.writer, draft.id)
    assert get_article(draft.id).status == "draft" and get_article(draft.id).version == 1
    with pytest.raises(ValidationError, match="unresolved conflict"):
        transitions.schedule(newsroom.admin, draft.id, clock.utcnow() + timedelta(days=1))
    # An editor can still get it into review only after resolving; force it there to test publish.
    Article.update(status="review").where(Article.id == draft.id).execute()
    with pytest.raises(ValidationError, match="unresolved conflict"):
        transitions.publish(newsroom.editor, draft.id)
    assert get_article(draft.id).status == "review"


def test_a_draft_with_markers_can_be_saved_and_once_resolved_submitted(newsroom):
    draft = create_article(newsroom.writer, ArticleDraft(title="Rapat Koordinasi", body="Awal.\n"))
    saved = save_article(newsroom.writer, draft.id, 1, ArticleDraft(body=MERGED))
    assert saved.body == MERGED  # a draft may hold markers while they are being resolved
    resolved = save_article(newsroom.writer, draft.id, saved.version,
                            ArticleDraft(body="Pembukaan acara.\nKegiatan dimulai pukul sembilan.\nPenutup.\n"))
    assert transitions.submit(newsroom.writer, draft.id, base_version=resolved.version).status == "review"


@pytest.mark.parametrize("status", ["published", "scheduled"])
def test_a_save_that_would_put_markers_on_the_site_is_refused(newsroom, status):
    article = create_article(newsroom.editor, ArticleDraft(title="Panen Sayur", body="Hasil panen.\n"))
    transitions.submit(newsroom.editor, article.id)
    if status == "published":  # four-eyes: the admin approves the editor's article
        live = transitions.publish(newsroom.admin, article.id)
    else:
        live = transitions.schedule(newsroom.admin, article.id, clock.utcnow() + timedelta(days=2))
    if status == "published":  # the save waits as a pending correction; publishing that is what is refused
        live = save_article(newsroom.editor, article.id, live.version, ArticleDraft(body=MERGED))
        with pytest.raises(ValidationError, match=f"this article is {status}.*conflict markers"):
            publish_correction(newsroom.admin, article.id, "Diralat")
    else:
        with pytest.raises(ValidationError, match=f"this article is {status}.*conflict markers"):
            save_article(newsroom.editor, article.id, live.version, ArticleDraft(body=MERGED))
    assert get_article(article.id).body == "Hasil panen.\n" and get_article(article.id).version == live.version
    corrected = save_article(newsroom.editor, article.id, live.version, ArticleDraft(body="Hasil panen melimpah.\n"))
    assert corrected.version == live.version + 1
