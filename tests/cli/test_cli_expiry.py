"""``publish --until``, ``expire --at|--never`` and ``publish-due`` taking expired articles off the site, from
the command line (times in the site's zone, Asia/Makassar = UTC+8); bad times give one line, no traceback."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from beritatui.core import clock
from beritatui.core.models import Article, AuditEvent
from beritatui.core.site import set_setting

NOW = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)  # 10:00 in Makassar


@pytest.fixture
def in_review(cli, wati_draft, newsroom):
    set_setting(newsroom.admin, "timezone", "Asia/Makassar")
    clock.freeze(NOW)
    cli.ok("submit", wati_draft.slug, login="wati")
    yield wati_draft
    clock.freeze(None)


def test_publish_until_then_publish_due_takes_it_off_the_site(cli, in_review):
    out = cli.ok("publish", in_review.slug, "--until", "2026-11-30 17:00", login="eko").stdout
    assert out.splitlines() == [f"Published: {in_review.title}",
                                "Comes off the site at 2026-11-30 17:00 (Asia/Makassar)"]
    assert Article.get_by_id(in_review.id).expires_at == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert json.loads(cli.ok("show", in_review.slug, "--json").stdout)["expires_at"] == "2026-11-30T17:00:00+08:00"
    assert "Until:      2026-11-30 17:00" in cli.ok("show", in_review.slug).stdout.splitlines()
    [row] = json.loads(cli.ok("list", "--json").stdout)
    assert row["expires_at"] == "2026-11-30T17:00:00+08:00"
    clock.freeze(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    result = cli.ok("publish-due", login="cron")
    assert result.stdout == f"Expired, taken off the site: {in_review.slug} ({in_review.title})\n"
    assert Article.get_by_id(in_review.id).status == "archived"
    assert AuditEvent.select().where(AuditEvent.action == "article.expire").count() == 1


def test_publish_at_and_until_schedules_both(cli, in_review):
    out = cli.ok("publish", in_review.slug, "--at", "2026-12-01 09:00", "--until", "2026-12-08 09:00",
                 login="eko").stdout
    assert "Scheduled for 2026-12-01 09:00 (Asia/Makassar)" in out
    assert "Comes off the site at 2026-12-08 09:00 (Asia/Makassar)" in out
    row = Article.get_by_id(in_review.id)
    assert (row.status, row.scheduled_at, row.expires_at) == (
        "scheduled", datetime(2026, 12, 1, 1, 0, tzinfo=UTC), datetime(2026, 12, 8, 1, 0, tzinfo=UTC))


@pytest.mark.parametrize(("args", "words"), [
    (("--until", "2026-11-29 09:59"), "must be in the future"),
    (("--at", "2026-12-01 09:00", "--until", "2026-12-01 08:00"), "after the time it is published"),
    (("--at", "2026-12-01 09:00", "--until", "2026-12-01 09:00"), "after the time it is published"),
    (("--until", "lusa sore"), "Cannot read 'lusa sore'"),
    (("--until", ""), "Give a date and time"),
])
def test_bad_until_times_are_refused_in_one_line(cli, in_review, args, words):
    before = Article.get_by_id(in_review.id)
    result = cli.refused("publish", in_review.slug, *args, login="eko")
    assert words in result.stderr
    after = Article.get_by_id(in_review.id)
    assert (after.status, after.version, after.expires_at) == (before.status, before.version, None)


def test_expire_sets_and_clears_the_time_under_the_unpublish_rule(cli, in_review):
    cli.ok("publish", in_review.slug, login="eko")
    assert "Only an editor" in cli.refused("expire", in_review.slug, "--at", "2026-12-31 17:00", login="wati").stderr
    out = cli.ok("expire", in_review.slug, "--at", "2026-12-31 17:00", login="eko").stdout
    assert out == f"Comes off the site at 2026-12-31 17:00 (Asia/Makassar): {in_review.title}\n"
    assert Article.get_by_id(in_review.id).expires_at == datetime(2026, 12, 31, 9, 0, tzinfo=UTC)
    out = cli.ok("expire", in_review.slug, "--never", login="ani").stdout
    assert out == f"No expiry, it stays on the site: {in_review.title}\n"
    assert Article.get_by_id(in_review.id).expires_at is None
    events = AuditEvent.select().where(AuditEvent.action == "article.set-expiry").order_by(AuditEvent.id)
    assert [(e.login, e.details["expires_at"]) for e in events] == [("eko", "2026-12-31T09:00:00+00:00"),
                                                                    ("ani", None)]
    assert "in the future" in cli.refused("expire", in_review.slug, "--at", "2026-11-01 09:00", login="eko").stderr


def test_expire_refuses_a_draft_and_wants_exactly_one_of_at_or_never(cli, in_review):
    result = cli.refused("expire", in_review.slug, "--at", "2026-12-31 17:00", login="eko")
    assert "only when scheduled, published" in result.stderr
    for args in ((), ("--at", "2026-12-31 17:00", "--never")):
        result = cli("expire", in_review.slug, *args, login="eko")
        assert result.exit_code == 2 and result.stderr == "Give either --at TIME or --never\n"
