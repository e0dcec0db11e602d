"""Embargo and expiry: an article published or scheduled ``until`` a time comes off the site (archived) when
publish-due runs after it; who may change the time; what a restore or a re-publication does with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beritatui.core import clock, transitions
from beritatui.core.articles import ArticleDraft, create_article, get_article
from beritatui.core.errors import InvalidTransition, PermissionDenied, ValidationError
from beritatui.core.models import Article, AuditEvent, Revision
from beritatui.core.users import SYSTEM_LOGIN

NOW = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)


@pytest.fixture
def now():
    clock.freeze(NOW)
    yield NOW
    clock.freeze(None)


def in_review(newsroom, title="Penyuluhan Hukum bagi Warga Binaan"):
    article = create_article(newsroom.writer, ArticleDraft(title=title, body="Penyuluhan berlangsung di aula."))
    return transitions.submit(newsroom.writer, article.id)


def events(article_id: int, action: str) -> list[AuditEvent]:
    return list(AuditEvent.select().where((AuditEvent.article == article_id) & (AuditEvent.action == action))
                .order_by(AuditEvent.id))


def later(minutes: float) -> None:
    clock.freeze(NOW + timedelta(minutes=minutes))


def test_a_published_article_comes_off_the_site_when_its_expiry_has_come(newsroom, now):
    article = in_review(newsroom)
    until = now + timedelta(hours=2)
    published = transitions.publish(newsroom.editor, article.id, until=until)
    assert (published.status, published.expires_at) == ("published", until)
    assert events(article.id, "article.publish")[-1].details["expires_at"] == until.isoformat()
    later(119)
    assert transitions.run_due().expired == []
    assert get_article(article.id).status == "published"
    later(120)
    due = transitions.run_due()
    assert [a.id for a in due.expired] == [article.id] and due.published == []
    after = get_article(article.id)
    assert (after.status, after.expires_at, after.version) == ("archived", None, published.version + 1)
    assert after.published_at == published.published_at  # it was on the site: that stays true
    [event] = events(article.id, "article.expire")
    assert event.login == SYSTEM_LOGIN
    assert event.details == {"status": "archived", "version": after.version, "was": "published",
                             "expires_at": until.isoformat()}
    assert transitions.run_due().expired == []  # once


def test_publish_due_returns_only_what_it_published_and_still_expires(newsroom, now):
    article = in_review(newsroom)
    transitions.publish(newsroom.editor, article.id, until=now + timedelta(minutes=5))
    later(6)
    assert transitions.publish_due() == []
    assert get_article(article.id).status == "archived"


def test_a_scheduled_article_goes_out_then_comes_off_at_its_until(newsroom, now):
    article = in_review(newsroom)
    at, until = now + timedelta(hours=1), now + timedelta(hours=3)
    scheduled = transitions.schedule(newsroom.editor, article.id, at, until=until)
    assert (scheduled.scheduled_at, scheduled.expires_at) == (at, until)
    later(61)
    assert [a.id for a in transitions.run_due().published] == [article.id]
    assert get_article(article.id).expires_at == until  # publication keeps its end
    later(181)
    assert [a.id for a in transitions.run_due().expired] == [article.id]


def test_a_scheduled_article_whose_expiry_passed_before_publish_due_ran_never_goes_out(newsroom, now):
    article = in_review(newsroom)
    transitions.schedule(newsroom.editor, article.id, now + timedelta(hours=1), until=now + timedelta(hours=2))
    later(24 * 60)  # cron was down the whole window
    due = transitions.run_due()
    assert due.published == [] and [a.id for a in due.expired] == [article.id]
    after = get_article(article.id)
    assert (after.status, after.published_at, after.slug_locked) == ("archived", None, False)
    assert not Revision.select().where((Revision.article == article.id) & (Revision.reason == "publish")).exists()
    assert events(article.id, "article.publish-due") == []
    assert events(article.id, "article.expire")[0].details["was"] == "scheduled"


@pytest.mark.parametrize(("at", "until", "words"), [
    (None, -1, "must be in the future"),
    (None, 0, "must be in the future"),
    (60, 30, "must be after the time it is published"),
    (60, 60, "must be after the time it is published"),
])
def test_an_until_in_the_past_or_not_after_the_publication_is_refused(newsroom, now, at, until, words):
    article = in_review(newsroom)
    before = (get_article(article.id).version, AuditEvent.select().count())
    end = now + timedelta(minutes=until)
    with pytest.raises(ValidationError, match=words):
        if at is None:
            transitions.publish(newsroom.editor, article.id, until=end)
        else:
            transitions.schedule(newsroom.editor, article.id, now + timedelta(minutes=at), until=end)
    assert get_article(article.id).status == "review"
    assert (get_article(article.id).version, AuditEvent.select().count()) == before


def test_an_until_without_a_time_zone_is_refused(newsroom, now):
    article = in_review(newsroom)
    with pytest.raises(ValidationError, match="time zone"):
        transitions.publish(newsroom.editor, article.id, until=datetime(2030, 1, 1, 9, 0))


def test_set_expiry_is_audited_and_never_changes_the_content_version(newsroom, now):
    article = transitions.publish(newsroom.editor, in_review(newsroom).id)
    assert article.expires_at is None
    until = now + timedelta(days=7)
    changed = transitions.set_expiry(newsroom.editor, article.slug, until)
    assert (changed.expires_at, changed.version, changed.updated_at) == (until, article.version, article.updated_at)
    cleared = transitions.set_expiry(newsroom.admin, article.id, None)
    assert cleared.expires_at is None
    assert [(e.login, e.details) for e in events(article.id, "article.set-expiry")] == [
        ("eko", {"status": "published", "expires_at": until.isoformat(), "previous": None}),
        ("ani", {"status": "published", "expires_at": None, "previous": until.isoformat()}),
    ]
    transitions.set_expiry(newsroom.admin, article.id, None)  # nothing to change: nothing recorded
    assert len(events(article.id, "article.set-expiry")) == 2


def test_set_expiry_follows_the_unpublish_rule_and_the_status(newsroom, now):
    article = in_review(newsroom)
    with pytest.raises(InvalidTransition, match="comes off the site"):
        transitions.set_expiry(newsroom.editor, article.id, now + timedelta(days=1))
    transitions.publish(newsroom.editor, article.id)
    for writer in (newsroom.writer, newsroom.writer2):  # the author too: only who may unpublish may
        with pytest.raises(PermissionDenied, match="Only an editor"):
            transitions.set_expiry(writer, article.id, now + timedelta(days=1))
    with pytest.raises(ValidationError, match="in the future"):
        transitions.set_expiry(newsroom.editor, article.id, now - timedelta(minutes=1))
    assert get_article(article.id).expires_at is None
    assert events(article.id, "article.set-expiry") == []


def test_set_expiry_on_a_scheduled_article_must_come_after_its_publication(newsroom, now):
    article = in_review(newsroom)
    at = now + timedelta(days=1)
    transitions.schedule(newsroom.editor, article.id, at)
    with pytest.raises(ValidationError, match="after the time it is published"):
        transitions.set_expiry(newsroom.editor, article.id, at - timedelta(hours=1))
    assert transitions.set_expiry(newsroom.editor, article.id, at + timedelta(hours=1)).expires_at == at + timedelta(
        hours=1)


def test_leaving_the_site_clears_the_expiry_and_a_republication_only_has_the_one_given_again(newsroom, now):
    article = in_review(newsroom)
    transitions.publish(newsroom.editor, article.id, until=now + timedelta(days=3))
    assert transitions.unpublish(newsroom.editor, article.id).expires_at is None
    transitions.reopen(newsroom.editor, article.id)
    transitions.submit(newsroom.writer, article.id)
    assert transitions.publish(newsroom.editor, article.id).expires_at is None
    scheduled = in_review(newsroom, "Pelatihan Barista Warga Binaan")
    transitions.schedule(newsroom.editor, scheduled.id, now + timedelta(days=1), until=now + timedelta(days=2))
    assert transitions.unschedule(newsroom.editor, scheduled.id).expires_at is None


def test_the_trash_keeps_the_expiry_and_a_restore_after_it_passed_stays_off_the_site(newsroom, now):
    article = in_review(newsroom)
    until = now + timedelta(hours=1)
    transitions.publish(newsroom.editor, article.id, until=until)
    assert transitions.trash(newsroom.editor, article.id).expires_at == until
    assert transitions.restore(newsroom.editor, article.id).expires_at == until  # before it: back on, same end
    transitions.trash(newsroom.editor, article.id)
    later(90)
    assert transitions.run_due().expired == []  # the trash is not on the site
    restored = transitions.restore(newsroom.editor, article.id)
    assert (restored.status, restored.expires_at) == ("archived", None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(at=st.one_of(st.none(), st.integers(1, 600)), until=st.integers(-30, 900),
       runs=st.lists(st.integers(0, 1200), min_size=1, max_size=6))
def test_whatever_the_times_an_article_is_never_published_at_or_after_its_expiry(newsroom, at, until, runs):
    """Any pair of times and any moments publish-due runs at: never on the site once its until has come."""
    clock.freeze(NOW)
    try:
        article = in_review(newsroom)
        end = NOW + timedelta(minutes=until)
        try:
            if at is None:
                transitions.publish(newsroom.editor, article.id, until=end)
            else:
                transitions.schedule(newsroom.editor, article.id, NOW + timedelta(minutes=at), until=end)
        except ValidationError:
            assert end <= NOW or (at is not None and end <= NOW + timedelta(minutes=at))
            assert get_article(article.id).status == "review"
            return
        for minutes in sorted(runs):
            moment = NOW + timedelta(minutes=minutes)
            clock.freeze(moment)
            transitions.run_due()
            status = Article.get_by_id(article.id).status
            if moment >= end:
                assert status == "archived", (at, until, minutes)
            elif at is None or moment >= NOW + timedelta(minutes=at):
                assert status == "published", (at, until, minutes)
            else:
                assert status == "scheduled", (at, until, minutes)
    finally:
        clock.freeze(None)
