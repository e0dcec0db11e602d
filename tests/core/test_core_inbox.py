"""core.inbox: what awaits a login now (to review, drafts with open notes, news since they last looked)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from beritatui.core import clock, notes, transitions
from beritatui.core.articles import ArticleDraft, create_article, get_article, save_article
from beritatui.core.correction_review import publish_correction
from beritatui.core.inbox import FIRST_LOOK_DAYS, inbox
from beritatui.core.models import InboxSeen

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    clock.freeze(T0)
    yield
    clock.freeze(None)


def later(**delta) -> None:
    clock.freeze(clock.utcnow() + timedelta(**delta))


def draft(user, title="Penyuluhan Hukum bagi Warga Binaan"):
    return create_article(user, ArticleDraft(title=title, body="Kegiatan dimulai pukul sembilan pagi."))


def slugs(items) -> list[str]:
    return [item.slug for item in items]


def test_an_editor_sees_the_review_queue_a_writer_does_not(newsroom):
    first = transitions.submit(newsroom.writer, draft(newsroom.writer, "Donor Darah di Aula Lapas").id)
    later(minutes=5)
    second = transitions.submit(newsroom.writer2, draft(newsroom.writer2, "Panen Sayur di Kebun Lapas").id)
    assert slugs(inbox(newsroom.editor).review) == [first.slug, second.slug]  # the queue's order: oldest first
    assert inbox(newsroom.writer).review == [] and inbox(newsroom.writer).empty


def test_a_sent_back_draft_waits_in_its_writer_s_inbox_until_its_notes_are_resolved(newsroom):
    article = transitions.submit(newsroom.writer, draft(newsroom.writer).id)
    transitions.request_changes(newsroom.editor, article.id, "Nama penyuluh belum ada.")
    notes.add_note(newsroom.writer, article.id, "Sudah saya tambahkan.")  # her own reply is not waiting for her
    [item] = inbox(newsroom.writer).notes
    assert item.slug == article.slug
    assert [(n.number, n.login, n.text) for n in item.open_notes] == [(1, "eko", "Nama penyuluh belum ada.")]
    assert inbox(newsroom.writer2).notes == [] and inbox(newsroom.editor).notes == []
    notes.resolve_number(newsroom.writer, article.id, 1)
    assert inbox(newsroom.writer).notes == []


def test_a_draft_submitted_again_leaves_the_notes_list(newsroom):
    article = transitions.submit(newsroom.writer, draft(newsroom.writer).id)
    transitions.request_changes(newsroom.editor, article.id, "Tambah foto.")
    transitions.submit(newsroom.writer, article.id)
    assert inbox(newsroom.writer).notes == []


def test_news_are_what_others_did_to_my_articles_since_i_last_looked(newsroom):
    assert inbox(newsroom.writer).news == []  # she looked now
    article = transitions.submit(newsroom.writer, draft(newsroom.writer).id)
    later(hours=1)
    transitions.publish(newsroom.editor, article.id)
    [news] = inbox(newsroom.writer, mark_seen=False).news
    assert (news.slug, news.what, news.by, news.at) == (article.slug, "published", "eko", T0 + timedelta(hours=1))
    assert len(inbox(newsroom.writer, mark_seen=False).news) == 1  # a peek leaves them new
    assert len(inbox(newsroom.writer).news) == 1
    assert inbox(newsroom.writer).news == []  # looked: seen
    later(hours=1)
    current = get_article(article.id)
    save_article(newsroom.editor, article.id, current.version, ArticleDraft(title=current.title, body="Diralat."))
    assert inbox(newsroom.writer, mark_seen=False).news == []  # a pending correction is not on the site yet
    publish_correction(newsroom.admin, article.id, "Isi diralat")
    [news] = inbox(newsroom.writer).news
    assert (news.what, news.by) == ("corrected", "ani")
    assert inbox(newsroom.editor).news == []  # eko did it: not news to him; and they are not his articles


def test_what_i_did_myself_is_not_news(newsroom):
    from beritatui.core import unit_settings
    from beritatui.core.database import current_database

    article = transitions.submit(newsroom.editor, draft(newsroom.editor).id)
    with current_database().atomic():  # a one-person unit: the editor may publish their own article
        unit_settings.store(article.unit_id, "self_approval", "on")
    transitions.publish(newsroom.editor, article.id)
    assert inbox(newsroom.editor).news == []


def test_scheduled_articles_going_live_are_news_too(newsroom):
    article = draft(newsroom.writer)
    inbox(newsroom.writer)
    transitions.schedule(newsroom.editor, article.id, T0 + timedelta(hours=2))
    later(hours=3)
    transitions.publish_due()
    [news] = inbox(newsroom.writer).news
    assert (news.what, news.by) == ("published", "beritatui")


def test_a_login_that_never_looked_sees_the_last_week(newsroom):
    old = transitions.submit(newsroom.writer, draft(newsroom.writer, "Rapat Koordinasi Akhir Tahun").id)
    transitions.publish(newsroom.editor, old.id)
    later(days=FIRST_LOOK_DAYS + 1)
    recent = transitions.submit(newsroom.writer, draft(newsroom.writer, "Panen Sayur di Kebun Lapas").id)
    transitions.publish(newsroom.editor, recent.id)
    found = inbox(newsroom.writer)
    assert found.since is None and slugs(found.news) == [recent.slug]
    assert inbox(newsroom.writer).since == T0 + timedelta(days=FIRST_LOOK_DAYS + 1)


def test_a_clock_set_back_hides_no_news(newsroom):
    """"Last looked" is the newest audit event then, not a time: an event stamped before it still counts."""
    article = transitions.submit(newsroom.writer, draft(newsroom.writer).id)
    inbox(newsroom.writer)
    clock.freeze(T0 - timedelta(hours=3))
    transitions.publish(newsroom.editor, article.id)
    assert slugs(inbox(newsroom.writer).news) == [article.slug]


def test_a_peek_writes_nothing(newsroom):
    inbox(newsroom.writer, mark_seen=False)
    assert not InboxSeen.select().exists()
    inbox(newsroom.writer)
    assert [(row.login, row.seen_at) for row in InboxSeen.select()] == [("wati", T0)]
