"""Corrections of published articles: a pending correction, its review, the four-eyes rule, drop, direct mode."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beritatui.core import correction_review, corrections, inbox, revisions, transitions, unit_settings, units
from beritatui.core.articles import ArticleDraft, create_article, get_article, save_article
from beritatui.core.content import Content
from beritatui.core.database import current_database
from beritatui.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationError
from beritatui.core.models import AuditEvent, Correction, Revision


def set_unit(key: str, value: str | None) -> None:
    with current_database().atomic():
        unit_settings.store(units.root_id(), key, value)


@pytest.fixture
def live(newsroom, sample_draft):
    """A published article written by wati (a writer), published by eko."""
    article = create_article(newsroom.writer, sample_draft(body="Hasil panen dua puluh ikat."))
    transitions.submit(newsroom.writer, article.id)
    return transitions.publish(newsroom.editor, article.id)


def test_a_save_of_a_published_article_waits_and_the_live_text_stays(newsroom, live):
    saved = save_article(newsroom.editor, live.id, live.version, ArticleDraft(body="Hasil panen tiga puluh ikat."))
    assert saved.body == "Hasil panen dua puluh ikat." and saved.body_html == live.body_html
    assert saved.modified_at == live.modified_at and saved.version == live.version + 1
    pending = corrections.pending_for(saved)
    assert pending is not None and pending.body == "Hasil panen tiga puluh ikat." and pending.base_version == live.version
    assert "tiga puluh" in pending.body_html
    assert corrections.editing_content(saved).body == "Hasil panen tiga puluh ikat."
    assert Revision.select().where(Revision.article == live.id).order_by(Revision.number.desc()).first().reason == \
        corrections.PENDING_REASON
    again = save_article(newsroom.editor, live.id, saved.version, ArticleDraft(title="Judul baru"))
    assert again.title == live.title and Correction.select().count() == 1
    pending = corrections.pending_for(again)
    assert pending.title == "Judul baru" and pending.body == "Hasil panen tiga puluh ikat."


def test_two_people_correcting_meet_a_conflict_holding_the_pending_text(newsroom, live):
    save_article(newsroom.editor, live.id, live.version, ArticleDraft(body="versi eko"))
    with pytest.raises(Conflict) as refused:
        save_article(newsroom.admin, live.id, live.version, ArticleDraft(body="versi ani"))
    assert refused.value.theirs["body"] == "versi eko" and refused.value.theirs["version"] == live.version + 1
    # the merge base of a later save is found at the version the correction's save made
    assert revisions.content_at(get_article(live.id), live.version + 1).body == "versi eko"


def test_publishing_applies_it_with_the_note_and_four_eyes(newsroom, live):
    pending = save_article(newsroom.editor, live.id, live.version, ArticleDraft(body="Tiga puluh ikat."))
    with pytest.raises(ValidationError, match="public note"):
        correction_review.publish_correction(newsroom.admin, live.slug, "  ")
    with pytest.raises(PermissionDenied, match="another editor"):
        correction_review.publish_correction(newsroom.editor, live.slug, "Jumlah ikat diperbaiki")
    with pytest.raises(PermissionDenied):
        correction_review.publish_correction(newsroom.writer, live.slug, "Jumlah ikat diperbaiki")
    done = correction_review.publish_correction(newsroom.admin, live.slug, "Jumlah  ikat diperbaiki")
    assert done.body == "Tiga puluh ikat." and done.version == pending.version + 1 and done.modified_at > live.modified_at
    assert corrections.pending_for(done) is None
    applied = correction_review.applied(live.id)
    assert [(c.note, c.decided_by, c.status) for c in applied] == [("Jumlah ikat diperbaiki", "ani", "applied")]
    last = Revision.select().where(Revision.article == live.id).order_by(Revision.number.desc()).first()
    assert last.reason == "correction" and last.body == "Tiga puluh ikat."
    event = AuditEvent.select().where(AuditEvent.action == "article.correction-published").get()
    assert event.login == "ani" and event.details["self_approved"] is False and event.details["writers"] == ["eko"]


def test_self_approval_on_lets_the_writer_of_the_correction_publish_it_and_the_audit_says_so(newsroom, live):
    set_unit("self_approval", "on")
    save_article(newsroom.editor, live.id, live.version, ArticleDraft(body="Koreksi sendiri."))
    done = correction_review.publish_correction(newsroom.editor, live.slug, "Salah ketik")
    assert done.body == "Koreksi sendiri."
    event = AuditEvent.select().where(AuditEvent.action == "article.correction-published").get()
    assert event.details["self_approved"] is True


def test_the_author_may_propose_a_correction_but_not_publish_it(newsroom, live):
    proposed = save_article(newsroom.writer, live.id, live.version, ArticleDraft(summary="Ringkasan baru."))
    assert proposed.summary == live.summary and corrections.pending_for(proposed).writers == ["wati"]
    with pytest.raises(PermissionDenied):
        save_article(newsroom.writer2, live.id, proposed.version, ArticleDraft(summary="bukan miliknya"))
    done = correction_review.publish_correction(newsroom.editor, live.slug, "Ringkasan diperbaiki")
    assert done.summary == "Ringkasan baru."


def test_the_author_sees_the_applied_correction_in_the_inbox(newsroom, live):
    inbox.inbox(newsroom.writer)  # looked now: only what follows is news
    save_article(newsroom.editor, live.id, live.version, ArticleDraft(body="Dikoreksi."))
    assert inbox.inbox(newsroom.writer, mark_seen=False).news == []  # pending: not news yet
    correction_review.publish_correction(newsroom.admin, live.slug, "Angka diperbaiki")
    news = inbox.inbox(newsroom.writer).news
    assert [(n.slug, n.what, n.by) for n in news] == [(live.slug, "corrected", "ani")]


def test_drop_keeps_the_text_recorded_and_editors_continue_the_live_text(newsroom, live):
    saved = save_article(newsroom.editor, live.id, live.version, ArticleDraft(body="akan dibuang"))
    with pytest.raises(PermissionDenied):
        correction_review.drop_correction(newsroom.writer2, live.slug)
    dropped = correction_review.drop_correction(newsroom.editor, live.slug)
    assert dropped.status == "dropped" and dropped.body == "akan dibuang" and dropped.decided_by == "eko"
    article = get_article(live.id)
    assert article.version == saved.version + 1 and corrections.pending_for(article) is None
    assert corrections.editing_content(article) == Content.of_article(live)
    with pytest.raises(NotFound):
        correction_review.drop_correction(newsroom.editor, live.slug)
    with pytest.raises(NotFound):
        correction_review.publish_correction(newsroom.admin, live.slug, "tidak ada")


def test_unpublishing_leaves_the_pending_correction_behind(newsroom, live):
    save_article(newsroom.editor, live.id, live.version, ArticleDraft(body="tertunda"))
    archived = transitions.unpublish(newsroom.editor, live.id)
    assert corrections.pending_for(archived) is None
    with pytest.raises(InvalidTransition):
        correction_review.publish_correction(newsroom.admin, live.slug, "catatan")
    draft = transitions.reopen(newsroom.editor, live.id)
    edited = save_article(newsroom.editor, live.id, draft.version, ArticleDraft(body="draf biasa"))
    assert edited.body == "draf biasa"


def test_direct_mode_saves_live_and_a_note_may_follow(newsroom, live):
    set_unit("corrections", "direct")
    saved = save_article(newsroom.editor, live.id, live.version, ArticleDraft(body="langsung tayang"))
    assert saved.body == "langsung tayang" and corrections.pending_for(saved) is None
    with pytest.raises(PermissionDenied):  # a writer still edits only their drafts when corrections go direct
        save_article(newsroom.writer, live.id, saved.version, ArticleDraft(body="tidak"))
    noted = correction_review.publish_correction(newsroom.editor, live.slug, "Salah ketik diperbaiki")
    assert noted.version == saved.version + 1 and noted.body == "langsung tayang"
    assert [c.note for c in correction_review.applied(live.id)] == ["Salah ketik diperbaiki"]


def test_a_pending_correction_goes_live_when_the_unit_turns_direct(newsroom, live):
    save_article(newsroom.editor, live.id, live.version, ArticleDraft(body="tertunda"))
    set_unit("corrections", "direct")
    article = get_article(live.id)
    saved = save_article(newsroom.editor, live.id, article.version, ArticleDraft(title="Judul langsung"))
    assert saved.title == "Judul langsung"
    assert Correction.get().status == "applied"


@pytest.mark.parametrize("stored", ["REVIEW", "", "nonsense", None])
def test_a_bad_or_missing_setting_reads_as_review(newsroom, live, stored):
    set_unit("corrections", stored)
    assert corrections.mode(live) == "review"


def test_diff_goes_from_live_to_the_correction(newsroom, live):
    save_article(newsroom.editor, live.id, live.version, ArticleDraft(body="Hasil panen tiga puluh ikat."))
    lines = correction_review.diff_lines(live.slug)
    assert lines[0].startswith("--- live") and lines[1].startswith("+++ correction")
    assert "-Hasil panen dua puluh ikat." in lines and "+Hasil panen tiga puluh ikat." in lines
    assert corrections.pending_ids([live.id, live.id + 1000]) == {live.id}


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60))
def test_any_note_is_kept_as_one_line_or_refused(newsroom_template, tmp_path_factory, note):
    import shutil

    from beritatui.core.database import close_database, open_database
    from beritatui.core.models import User

    path = tmp_path_factory.mktemp("n") / "db.sqlite"
    shutil.copyfile(newsroom_template, path)
    open_database(str(path))
    try:
        editor, admin = User.get(User.login == "eko"), User.get(User.login == "ani")
        article = create_article(editor, ArticleDraft(title="Judul", body="a"))
        transitions.submit(editor, article.id)
        article = transitions.publish(admin, article.id)
        save_article(editor, article.id, article.version, ArticleDraft(body="b"))
        try:
            correction_review.publish_correction(admin, article.id, note)
        except ValidationError:
            assert not note.split()
        else:
            assert correction_review.applied(article.id)[0].note == " ".join(note.split())
    finally:
        close_database()


def test_the_inbox_lists_the_corrections_a_login_may_publish(newsroom, live):
    save_article(newsroom.editor, live.id, live.version, ArticleDraft(body="Menunggu."))
    [waiting] = inbox.inbox(newsroom.admin, mark_seen=False).corrections
    assert (waiting.slug, waiting.byline) == (live.slug, "eko")
    assert inbox.inbox(newsroom.editor, mark_seen=False).corrections == []  # he wrote it
    assert inbox.inbox(newsroom.writer, mark_seen=False).corrections == []  # not an editor
    correction_review.publish_correction(newsroom.admin, live.slug, "Sudah")
    assert inbox.inbox(newsroom.admin, mark_seen=False).corrections == []
