"""Every transition of core/workflow.py: from which statuses, by whom, and what it leaves behind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from beritatui.core import clock, corrections, transitions, unit_settings, units, workflow
from beritatui.core.articles import ArticleDraft, create_article, get_article, save_article
from beritatui.core.config import Config
from beritatui.core.database import close_database, current_database
from beritatui.core.errors import InvalidTransition, PermissionDenied, ValidationError
from beritatui.core.models import STATUSES, Note, Revision
from beritatui.core.session import open_session

NOON = datetime(2026, 11, 2, 4, 0, tzinfo=UTC)
NOTE = "Mohon lengkapi nama narasumber dan jam kegiatan."


def reach(newsroom, status: str, author=None):
    """A fresh article by ``author`` (the writer) brought to ``status`` the ordinary way."""
    author = author or newsroom.writer
    article = create_article(author, ArticleDraft(title=f"Berita menuju {status}", body="Isi berita."))
    if status == "draft":
        return article
    if status == "trash":
        return transitions.trash(author, article.id)
    transitions.submit(author, article.id)
    if status == "review":
        return get_article(article.id)
    if status == "scheduled":
        return transitions.schedule(newsroom.editor, article.id, clock.utcnow() + timedelta(hours=2))
    transitions.publish(newsroom.editor, article.id)
    if status == "published":
        return get_article(article.id)
    assert status == "archived"
    return transitions.unpublish(newsroom.editor, article.id)


def act(action: str, actor, ref):
    if action == "request-changes":
        return transitions.request_changes(actor, ref, NOTE)
    if action == "schedule":
        return transitions.schedule(actor, ref, clock.utcnow() + timedelta(days=1))
    return getattr(transitions, action.replace("-", "_"))(actor, ref)


PERSON_ACTIONS = [name for name, t in workflow.TRANSITIONS.items() if t.who != workflow.SYSTEM]
CASES = [(action, status) for action in PERSON_ACTIONS for status in STATUSES]


@pytest.mark.parametrize(("action", "status"), CASES)
def test_each_action_moves_only_from_its_source_statuses(newsroom, action, status):
    article = reach(newsroom, status)
    transition = workflow.TRANSITIONS[action]
    if status in transition.sources:
        moved = act(action, newsroom.editor, article.id)
        expected = transition.target or article.previous_status
        assert moved.status == expected
        assert moved.version == article.version + 1
    else:
        with pytest.raises(InvalidTransition):
            act(action, newsroom.editor, article.id)
        assert get_article(article.id).status == status
        assert get_article(article.id).version == article.version


EDITOR_ONLY = [(a, t.sources[0]) for a, t in workflow.TRANSITIONS.items() if t.who == workflow.EDITOR]


@pytest.mark.parametrize(("action", "status"), EDITOR_ONLY)
def test_writer_may_not_take_editor_actions_even_as_author(newsroom, action, status):
    article = reach(newsroom, status)
    with pytest.raises(PermissionDenied):
        act(action, newsroom.writer, article.id)
    assert get_article(article.id).status == status


def test_author_submits_own_draft(newsroom):
    article = reach(newsroom, "draft")
    assert transitions.submit(newsroom.writer, article.id).status == "review"


def test_other_writer_may_not_submit(newsroom):
    article = reach(newsroom, "draft")
    with pytest.raises(PermissionDenied, match="Only the author or an editor"):
        transitions.submit(newsroom.writer2, article.id)


def test_editor_submits_anyones_draft(newsroom):
    article = reach(newsroom, "draft")
    assert transitions.submit(newsroom.editor, article.id).status == "review"


def test_writer_trashes_and_restores_own_draft(newsroom):
    article = reach(newsroom, "draft")
    assert transitions.trash(newsroom.writer, article.id).status == "trash"
    assert transitions.restore(newsroom.writer, article.id).status == "draft"


@pytest.mark.parametrize("status", ["review", "published", "archived"])
def test_writer_may_not_trash_own_article_past_draft(newsroom, status):
    article = reach(newsroom, status)
    with pytest.raises(PermissionDenied, match="own drafts"):
        transitions.trash(newsroom.writer, article.id)


def test_writer_may_not_trash_another_writers_draft(newsroom):
    article = reach(newsroom, "draft")
    with pytest.raises(PermissionDenied):
        transitions.trash(newsroom.writer2, article.id)


def test_writer_may_not_restore_own_article_trashed_from_review(newsroom):
    article = reach(newsroom, "review")
    transitions.trash(newsroom.editor, article.id)
    with pytest.raises(PermissionDenied):
        transitions.restore(newsroom.writer, article.id)


@pytest.mark.parametrize("note", ["", "   \n "])
def test_request_changes_needs_a_note(newsroom, note):
    article = reach(newsroom, "review")
    with pytest.raises(ValidationError, match="note is required"):
        transitions.request_changes(newsroom.editor, article.id, note)
    assert get_article(article.id).status == "review"


def test_request_changes_keeps_the_note(newsroom):
    article = reach(newsroom, "review")
    transitions.request_changes(newsroom.editor, article.id, "  " + NOTE + " ")
    note = Note.get(Note.article == article.id)
    assert (note.text, note.login) == (NOTE, "eko")


def test_schedule_must_be_in_the_future(newsroom):
    clock.freeze(NOON)
    article = reach(newsroom, "review")
    for moment in (NOON, NOON - timedelta(minutes=1)):
        with pytest.raises(ValidationError, match="future"):
            transitions.schedule(newsroom.editor, article.id, moment)
    assert get_article(article.id).status == "review"


def test_schedule_needs_a_time_zone(newsroom):
    article = reach(newsroom, "review")
    with pytest.raises(ValidationError, match="time zone"):
        transitions.schedule(newsroom.editor, article.id, datetime(2030, 1, 1, 9, 0))


def test_unschedule_clears_the_time(newsroom):
    article = reach(newsroom, "scheduled")
    article = transitions.unschedule(newsroom.editor, article.id)
    assert (article.status, article.scheduled_at) == ("draft", None)


def test_publish_due_publishes_only_what_is_due(newsroom):
    clock.freeze(NOON)
    early = reach(newsroom, "review")
    late = reach(newsroom, "review")
    transitions.schedule(newsroom.editor, early.id, NOON + timedelta(hours=1))
    transitions.schedule(newsroom.editor, late.id, NOON + timedelta(hours=3))
    assert transitions.publish_due() == []
    published = transitions.publish_due(NOON + timedelta(hours=2))
    assert [a.id for a in published] == [early.id]
    early = get_article(early.id)
    assert (early.status, early.published_at, early.scheduled_at) == ("published", NOON + timedelta(hours=1), None)
    assert early.slug_locked
    assert get_article(late.id).status == "scheduled"
    last = Revision.select().where(Revision.article == early.id).order_by(Revision.number.desc()).first()
    assert (last.reason, last.login) == ("publish", "beritatui")


def test_opening_a_session_publishes_what_is_due(newsroom):
    clock.freeze(NOON)
    article = reach(newsroom, "scheduled")
    close_database()
    clock.freeze(NOON + timedelta(days=1))
    session = open_session(str(newsroom.path), Config(), login="eko")
    assert session.actor.login == "eko"
    assert get_article(article.id).status == "published"


@pytest.mark.parametrize("status", ["draft", "review", "scheduled", "published", "archived"])
def test_restore_goes_back_to_the_status_before_trash(newsroom, status):
    article = reach(newsroom, status)
    trashed = transitions.trash(newsroom.editor, article.id)
    assert (trashed.status, trashed.previous_status) == ("trash", status)
    assert trashed.trashed_at is not None
    restored = transitions.restore(newsroom.editor, article.id)
    assert (restored.status, restored.previous_status, restored.trashed_at) == (status, None, None)
    assert restored.published_at == article.published_at


def test_restored_scheduled_article_keeps_its_time(newsroom):
    """Regression: trash used to clear scheduled_at, so restore gave a scheduled article with no time."""
    article = reach(newsroom, "scheduled")
    transitions.trash(newsroom.editor, article.id)
    restored = transitions.restore(newsroom.editor, article.id)
    assert restored.scheduled_at == article.scheduled_at
    transitions.publish_due(article.scheduled_at)
    assert get_article(article.id).status == "published"


def test_scheduled_article_whose_time_passed_in_the_trash_comes_back_as_draft(newsroom):
    clock.freeze(NOON)
    article = reach(newsroom, "scheduled")
    transitions.trash(newsroom.editor, article.id)
    clock.freeze(NOON + timedelta(days=1))
    restored = transitions.restore(newsroom.editor, article.id)
    assert (restored.status, restored.scheduled_at) == ("draft", None)
    assert transitions.publish_due() == []


def test_trashed_scheduled_article_is_never_published(newsroom):
    article = reach(newsroom, "scheduled")
    transitions.trash(newsroom.editor, article.id)
    assert transitions.publish_due(article.scheduled_at + timedelta(hours=1)) == []
    assert get_article(article.id).status == "trash"


def test_publish_sets_published_at_once(newsroom):
    clock.freeze(NOON)
    article = reach(newsroom, "published")
    assert article.published_at == NOON
    transitions.unpublish(newsroom.editor, article.id)
    transitions.reopen(newsroom.editor, article.id)
    transitions.submit(newsroom.editor, article.id)
    clock.freeze(NOON + timedelta(days=3))
    assert transitions.publish(newsroom.editor, article.id).published_at == NOON


def test_stale_base_version_refuses_a_transition(newsroom):
    from beritatui.core.errors import Conflict

    article = reach(newsroom, "review")
    with pytest.raises(Conflict):
        transitions.publish(newsroom.editor, article.id, base_version=article.version - 1)
    assert get_article(article.id).status == "review"


def test_writer_edits_own_draft(newsroom):
    article = reach(newsroom, "draft")
    saved = save_article(newsroom.writer, article.id, article.version, ArticleDraft(body="Isi yang diperbaiki."))
    assert saved.body == "Isi yang diperbaiki."


def test_writer_may_not_edit_another_writers_draft(newsroom):
    article = reach(newsroom, "draft")
    with pytest.raises(PermissionDenied, match="own drafts"):
        save_article(newsroom.writer2, article.id, article.version, ArticleDraft(body="Coba ubah."))
    assert get_article(article.id).version == article.version


@pytest.mark.parametrize("status", ["review", "scheduled", "archived"])  # published: a correction (core.corrections)
def test_writer_may_not_edit_own_article_past_draft(newsroom, status):
    article = reach(newsroom, status)
    with pytest.raises(PermissionDenied):
        save_article(newsroom.writer, article.id, article.version, ArticleDraft(body="Coba ubah."))


@pytest.mark.parametrize("status", ["draft", "review", "scheduled", "published", "archived"])
def test_editor_edits_anything_outside_the_trash(newsroom, status):
    article = reach(newsroom, status)
    saved = save_article(newsroom.editor, article.id, article.version, ArticleDraft(summary="Ringkasan editor."))
    assert corrections.editing_content(saved).summary == "Ringkasan editor."  # published: its pending correction


def test_nobody_edits_in_the_trash(newsroom):
    article = reach(newsroom, "trash")
    with pytest.raises(PermissionDenied, match="trash"):
        save_article(newsroom.admin, article.id, article.version, ArticleDraft(body="x"))


def test_editing_published_writes_a_correction_and_moves_modified_at(newsroom):
    with current_database().atomic():  # edits of a published article go live (no pending correction)
        unit_settings.store(units.root_id(), "corrections", "direct")
    clock.freeze(NOON)
    article = reach(newsroom, "published")
    clock.freeze(NOON + timedelta(hours=5))
    saved = save_article(newsroom.editor, article.id, article.version, ArticleDraft(body="Ralat: jumlah peserta 40."))
    assert saved.modified_at == NOON + timedelta(hours=5)
    assert saved.published_at == NOON
    last = Revision.select().where(Revision.article == article.id).order_by(Revision.number.desc()).first()
    assert (last.reason, last.body) == ("correction", "Ralat: jumlah peserta 40.")


def test_available_actions_follow_role_and_status(newsroom):
    draft = reach(newsroom, "draft")
    assert transitions.available_actions(newsroom.writer, draft) == ["submit", "trash"]
    assert transitions.available_actions(newsroom.writer2, draft) == []
    review = reach(newsroom, "review")
    assert transitions.available_actions(newsroom.writer, review) == []
    assert transitions.available_actions(newsroom.editor, review) == [
        "request-changes", "publish", "schedule", "trash"]


def test_status_labels_cover_every_status():
    assert {workflow.status_label(s) for s in STATUSES} == {
        "draft", "in review", "scheduled", "published", "archived", "trash"}


def test_times_are_stored_and_returned_as_aware_utc(newsroom):
    article = reach(newsroom, "review")
    wita = timezone(timedelta(hours=8))
    at = datetime(2030, 1, 2, 9, 0, tzinfo=wita)
    scheduled = transitions.schedule(newsroom.editor, article.id, at)
    assert scheduled.scheduled_at == at
    assert scheduled.scheduled_at.utcoffset() == timedelta(0)
    assert scheduled.scheduled_at.hour == 1


# -- one table of actions for every surface ---------------------------------------------------------

def test_every_action_a_person_takes_has_its_function():
    people = {name for name, t in workflow.TRANSITIONS.items() if t.who != workflow.SYSTEM}
    assert set(transitions.ACTIONS) == people


@pytest.mark.parametrize("action", sorted(transitions.ACTIONS))
def test_each_function_of_the_table_applies_its_own_action(newsroom, action):
    from beritatui.core import audit

    transition = workflow.TRANSITIONS[action]
    article = reach(newsroom, transition.sources[0])
    extra = {"request-changes": (NOTE,), "schedule": (clock.utcnow() + timedelta(days=3),)}.get(action, ())
    moved = transitions.ACTIONS[action](newsroom.editor, article.id, *extra)
    assert audit.events(article.id, limit=1)[0].action == f"article.{action}"
    assert moved.status == (transition.target or "draft")  # restore: back to the draft it was
