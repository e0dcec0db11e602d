"""The review queue, driven by an editor's key presses."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input

from beritatui.core import clock, transitions
from beritatui.core.articles import ArticleDraft, create_article, get_article, save_article
from beritatui.core.models import Note
from beritatui.core.notes import list_notes
from beritatui.tui.review import ReviewScreen


def in_review(newsroom, sample_draft, author=None, **overrides):
    author = author or newsroom.writer
    article = create_article(author, sample_draft(**overrides))
    return transitions.submit(author, article.id)




async def test_approve_publishes_after_confirmation(make_app, newsroom, sample_draft, settle):
    first = in_review(newsroom, sample_draft, title="Donor Darah di Aula Lapas")
    second = in_review(newsroom, sample_draft, author=newsroom.writer2, title="Pelatihan Menjahit Warga Binaan")
    app = make_app(newsroom.editor, ReviewScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.current is not None)
        assert screen.current.article.id == first.id  # oldest first
        await pilot.press("j")
        await settle(pilot, lambda: screen.current.article.id == second.id)
        await pilot.press("k")
        await settle(pilot, lambda: screen.current.article.id == first.id)
        await pilot.press("a")
        await pilot.press("n")  # changed my mind: nothing happens
        await pilot.pause()
        assert get_article(first.id).status == "review"
        await pilot.press("a")
        await pilot.press("y")
        await settle(pilot, lambda: get_article(first.id).status == "published")
        await settle(pilot, lambda: len(screen.queue) == 1)
        assert screen.current is not None and screen.current.article.id == second.id


async def test_request_changes_requires_a_note_and_sends_back(make_app, newsroom, sample_draft, settle):
    article = in_review(newsroom, sample_draft)
    app = make_app(newsroom.editor, ReviewScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.current is not None)
        await pilot.press("c")
        await pilot.press("enter")  # empty: the prompt stays and says why
        assert "cannot be empty" in str(app.screen.query_one("#error").render())
        await pilot.press(*"Tambah foto", "enter")
        await settle(pilot, lambda: get_article(article.id).status == "draft")
        await settle(pilot, lambda: screen.current is None)
    assert [n.text for n in list_notes(article.id)] == ["Tambah foto"]
    assert Note.get().login == "eko"


async def test_schedule_rejects_a_bad_time_then_accepts_a_future_one(make_app, newsroom, sample_draft, settle,
                                                                    frozen_clock):
    article = in_review(newsroom, sample_draft)
    app = make_app(newsroom.editor, ReviewScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.current is not None)
        await pilot.press("S")
        prompt = app.screen.query_one(Input)
        assert prompt.value == "2026-11-30 09:00"  # tomorrow morning, site time (Makassar)
        prompt.value = "kemarin sore"
        await pilot.press("enter")
        await settle(pilot, lambda: "Cannot read" in str(app.screen.query_one("Label").render()))
        app.screen.query_one(Input).value = "2026-11-29 08:00"  # already past in Makassar (10:42 now)
        await pilot.press("enter")
        await settle(pilot, lambda: "future" in str(app.screen.query_one("Label").render()))
        app.screen.query_one(Input).value = "2026-12-01 08:30"
        await pilot.press("enter")
        await settle(pilot, lambda: get_article(article.id).status == "scheduled")
    scheduled = get_article(article.id)
    assert scheduled.scheduled_at == frozen_clock.replace(day=1, month=12, hour=0, minute=30)


async def test_diff_shows_changes_since_the_version_sent_back(make_app, newsroom, sample_draft, settle):
    clock.freeze(clock.utcnow() - timedelta(hours=2))
    article = in_review(newsroom, sample_draft, body="Paragraf pertama.\n\nParagraf kedua.")
    transitions.request_changes(newsroom.editor, article.id, "Lengkapi paragraf kedua")
    clock.freeze(clock.utcnow() + timedelta(hours=1))
    article = save_article(newsroom.writer, article.id, get_article(article.id).version,
                           ArticleDraft(body="Paragraf pertama.\n\nParagraf kedua, kini lengkap."))
    transitions.submit(newsroom.writer, article.id)
    clock.freeze(None)
    app = make_app(newsroom.editor, ReviewScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.current is not None)
        assert "Lengkapi paragraf kedua" in str(screen.query_one("#notes").render())
        await pilot.press("D")
        assert screen.has_class("-diff")
        diff = str(screen.query_one("#diff").render())
        assert "-Paragraf kedua." in diff and "+Paragraf kedua, kini lengkap." in diff
        await pilot.press("m", *"Sudah baik", "enter")
        await settle(pilot, lambda: len(list_notes(article.id)) == 2)


async def test_writer_is_turned_away_and_core_refuses(make_app, newsroom, sample_draft, settle):
    import pytest

    from beritatui.core.errors import PermissionDenied

    article = in_review(newsroom, sample_draft)
    app = make_app(newsroom.writer, ReviewScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.dismissed)
        assert any("Only editors" in str(n.message) for n in app._notifications)
    with pytest.raises(PermissionDenied):
        transitions.publish(newsroom.writer, article.id)
    assert get_article(article.id).status == "review"
