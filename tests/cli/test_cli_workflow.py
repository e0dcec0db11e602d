"""The workflow from the command line: who may move an article where, and what the DB looks like after a refusal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from beritatui.core import clock
from beritatui.core.models import Article, AuditEvent, Note, Revision


def _state(article: Article) -> tuple:
    row = Article.get_by_id(article.id)
    revisions = Revision.select().where(Revision.article == article.id).count()
    return row.status, row.version, row.published_at, revisions, AuditEvent.select().count()


def test_the_whole_road_from_draft_to_trash_and_back(cli, wati_draft):
    slug = wati_draft.slug
    assert "Submitted for review" in cli.ok("submit", slug, login="wati").stdout
    assert "Sent back to draft" in cli.ok("request-changes", slug, "--note", "Tambah foto.", login="eko").stdout
    assert Note.get(Note.article == wati_draft.id).text == "Tambah foto."
    cli.ok("submit", slug, login="wati")
    assert "Published: " in cli.ok("publish", slug, login="eko").stdout
    assert Article.get_by_id(wati_draft.id).published_at is not None
    assert "archived" in cli.ok("unpublish", slug, login="eko").stdout
    assert "draft" in cli.ok("reopen", slug, login="eko").stdout
    cli.ok("trash", slug, login="eko")
    assert Article.get_by_id(wati_draft.id).status == "trash"
    assert "draft" in cli.ok("restore", slug, login="eko").stdout
    assert Article.get_by_id(wati_draft.id).status == "draft"


def test_schedule_and_unschedule(cli, wati_draft):
    cli.ok("submit", wati_draft.slug, login="wati")
    future = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    assert "Scheduled for" in cli.ok("publish", wati_draft.slug, "--at", future, login="eko").stdout
    assert Article.get_by_id(wati_draft.id).status == "scheduled"
    cli.ok("unschedule", wati_draft.slug, login="eko")
    assert Article.get_by_id(wati_draft.id).status == "draft"


@pytest.mark.parametrize("when", ["2001-01-01 09:00", "besok pagi", ""])
def test_publish_at_refuses_past_or_unreadable_times(cli, wati_draft, when):
    cli.ok("submit", wati_draft.slug, login="wati")
    before = _state(wati_draft)
    cli.refused("publish", wati_draft.slug, "--at", when, login="eko")
    assert _state(wati_draft) == before


def test_a_writer_cannot_publish(cli, wati_draft):
    cli.ok("submit", wati_draft.slug, login="wati")
    before = _state(wati_draft)
    result = cli.refused("publish", wati_draft.slug, login="wati")
    assert result.stderr.strip() == "Error: Only an editor may do this (Publish)"
    assert _state(wati_draft) == before
    cli.refused("publish", wati_draft.slug, "--at", "2099-01-01 09:00", login="wati")
    assert _state(wati_draft) == before


@pytest.mark.parametrize(("command", "login"), [
    ("unschedule", "eko"), ("unpublish", "eko"), ("reopen", "eko"), ("restore", "eko"), ("publish", "eko"),
    ("submit", "budi"), ("trash", "budi"),
])
def test_refused_moves_change_nothing(cli, wati_draft, command, login):
    before = _state(wati_draft)
    cli.refused(command, wati_draft.slug, login=login)
    assert _state(wati_draft) == before


def test_request_changes_needs_a_note(cli, wati_draft):
    cli.ok("submit", wati_draft.slug, login="wati")
    assert cli("request-changes", wati_draft.slug, login="eko").exit_code == 2
    cli.refused("request-changes", wati_draft.slug, "--note", " ", login="eko")
    assert Article.get_by_id(wati_draft.id).status == "review"


def test_publish_due_prints_what_it_published_even_for_a_cron_login(cli, wati_draft):
    start = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)
    clock.freeze(start)
    cli.ok("submit", wati_draft.slug, login="wati")
    cli.ok("publish", wati_draft.slug, "--at", "2026-11-01T02:00:00+00:00", login="eko")
    assert cli.ok("publish-due", login="cron").stdout == ""
    clock.freeze(start + timedelta(hours=2))
    result = cli.ok("publish-due", login="cron")
    assert result.stdout.strip() == f"Published: {wati_draft.slug} ({wati_draft.title})"
    assert Article.get_by_id(wati_draft.id).status == "published"
    assert cli.ok("publish-due", login="cron").stdout == ""


def test_publish_due_does_not_create_a_missing_database(bare_cli, db_path):
    assert "No database" in bare_cli.refused("publish-due").stderr
    assert not db_path.exists()


def test_submit_with_unresolved_conflict_markers_is_refused_in_one_line(cli, wati_draft):
    from beritatui.core.articles import ArticleDraft, save_article

    body = "Awal.\n<<<<<<< yours\nPukul delapan.\n=======\nPukul sembilan.\n>>>>>>> theirs\n"
    save_article(wati_draft.created_by, wati_draft.id, wati_draft.version, ArticleDraft(body=body))
    result = cli.refused("submit", wati_draft.slug, login="wati")
    assert "unresolved conflict" in result.stderr and "line 2" in result.stderr
    assert Article.get_by_id(wati_draft.id).status == "draft"
