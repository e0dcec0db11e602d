"""Two people save one article: merged when the changes do not overlap, a choice when they do; nothing lost."""

from __future__ import annotations

from contextlib import asynccontextmanager

import pytest
from textual.widgets import TextArea

from beritatui.core.articles import ArticleDraft, create_article, get_article
from beritatui.core.merge import merge_body, merge_fields
from beritatui.core.models import Revision
from beritatui.tui.conflict import ConflictScreen
from beritatui.tui.editor import EditorScreen

BODY = "Paragraf pembuka.\n\nParagraf tengah.\n\nParagraf penutup.\n"


def bodies(article_id):
    return [r.body for r in Revision.select().where(Revision.article == article_id).order_by(Revision.number)]


async def type_at(pilot, screen, row, text):
    area = screen.query_one("#body", TextArea)
    area.focus()
    area.move_cursor((row, len(area.document.get_line(row))))
    await pilot.press(*text)


@asynccontextmanager
async def two_editors_save(make_app, newsroom, settle, first_row, first_text, second_row, second_text):
    """Wati and Eko open the same draft; Wati saves first, then Eko saves and meets the conflict."""
    article = create_article(newsroom.writer, ArticleDraft(title="Bakti Sosial di Rutan", body=BODY))
    wati = make_app(newsroom.writer, lambda: EditorScreen(article.id))
    eko = make_app(newsroom.editor, lambda: EditorScreen(article.id))
    async with wati.run_test(size=(80, 24)) as wati_pilot, eko.run_test(size=(80, 24)) as eko_pilot:
        wati_screen, eko_screen = wati.screen, eko.screen
        await settle(wati_pilot, lambda: wati_screen.loaded)
        await settle(eko_pilot, lambda: eko_screen.loaded)
        eko_screen.beat()  # presence: Eko sees that Wati has the article open too
        await settle(eko_pilot, lambda: "also open: Wati Handayani" in str(eko_screen.query_one("#status").render()))
        await type_at(wati_pilot, wati_screen, first_row, first_text)
        await wati_pilot.press("ctrl+s")
        await settle(wati_pilot, lambda: get_article(article.id).version == 2)
        await type_at(eko_pilot, eko_screen, second_row, second_text)
        await eko_pilot.press("ctrl+s")
        await settle(eko_pilot, lambda: isinstance(eko.screen, ConflictScreen))
        yield article, eko, eko_pilot, eko_screen


async def test_non_overlapping_changes_merge_and_both_survive(make_app, newsroom, settle):
    async with two_editors_save(make_app, newsroom, settle, 0, " Satu", 4, " Dua") as (article, eko, pilot, screen):
        assert eko.screen.result.clean
        await pilot.press("f5")
        await settle(pilot, lambda: get_article(article.id).version == 3)
        assert not screen.dirty
    body = get_article(article.id).body
    assert "Paragraf pembuka. Satu" in body and "Paragraf penutup. Dua" in body
    assert [r.reason for r in Revision.select().where(Revision.article == article.id)][-1] == "merge"


@pytest.mark.parametrize("choice", ["f6", "f7", "f8"])
async def test_overlapping_changes_offer_a_choice_and_lose_nothing(make_app, newsroom, settle, choice):
    async with two_editors_save(make_app, newsroom, settle, 2, " Wati", 2, " Eko") as (article, eko, pilot, screen):
        dialog = eko.screen
        assert not dialog.result.clean and dialog.result.conflicted == ["body"]
        await pilot.press(choice)
        if choice == "f6":  # keep editing with markers, then save: the markers are the person's to resolve
            await settle(pilot, lambda: "<<<<<<< yours" in screen.query_one("#body", TextArea).text)
            assert screen.base_version == 2
            await pilot.press("ctrl+s")
        await settle(pilot, lambda: not screen.dirty and get_article(article.id).version >= 3)
    history = "\n".join(bodies(article.id))
    assert "Paragraf tengah. Wati" in history and "Paragraf tengah. Eko" in history
    final = get_article(article.id).body
    if choice == "f7":
        assert "tengah. Wati" in final and "tengah. Eko" not in final
        assert [r.reason for r in Revision.select().where(Revision.article == article.id)][-2:] == [
            "conflict-yours", "conflict-theirs"]
    if choice == "f8":
        assert "tengah. Eko" in final and "tengah. Wati" not in final


def test_merge_fields_takes_the_side_that_changed():
    base = {"title": "A", "summary": "s", "tags": ["Humas"], "body": "x\n"}
    result = merge_fields(base, {**base, "title": "B"}, {**base, "summary": "t"})
    assert result.clean and result.fields["title"] == "B" and result.fields["summary"] == "t"
    clash = merge_fields(base, {**base, "title": "B"}, {**base, "title": "C"})
    assert not clash.clean and clash.conflicted == ["title"] and clash.fields["title"] == "B"


def test_merge_body_marks_overlaps():
    text, clean = merge_body("a\nb\nc\n", "a\nB\nc\n", "a\nb2\nc\n")
    assert not clean
    assert text.splitlines() == ["a", "<<<<<<< yours", "B", "=======", "b2", ">>>>>>> theirs", "c"]


async def test_saving_a_draft_with_markers_warns_and_submit_stays_in_the_editor(make_app, newsroom, settle):
    from beritatui.core.models import Article

    article = create_article(newsroom.writer, ArticleDraft(title="Rapat Koordinasi", body="Awal.\n"))
    app = make_app(newsroom.writer, lambda: EditorScreen(article.id))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.loaded)
        screen.query_one("#body", TextArea).load_text(
            "Awal.\n<<<<<<< yours\nPukul delapan.\n=======\nPukul sembilan.\n>>>>>>> theirs\n")
        screen.edited()
        await pilot.press("ctrl+r")  # save, then submit
        await settle(pilot, lambda: get_article(article.id).version == 2 and not screen.saving)
        await pilot.pause()
        warnings = [str(n.message) for n in app._notifications if n.severity == "warning"]
        assert any("cannot be submitted" in w and "line 2" in w for w in warnings), warnings
        assert app.screen is screen and not app.dismissed  # still editing, text on screen
        assert Article.get_by_id(article.id).status == "draft"
