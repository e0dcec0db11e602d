"""Correcting a published article in the editor: the save waits as a pending correction (banner, f6 diff), and
another editor publishes it with a public note (f7)."""

from __future__ import annotations

from textual.widgets import Static, TextArea

from beritatui.core import corrections, transitions
from beritatui.core.articles import ArticleDraft, create_article, get_article
from beritatui.core.models import Correction
from beritatui.tui.correcting import CorrectionDiffScreen
from beritatui.tui.editor import EditorScreen
from beritatui.tui.widgets.confirm import TextPromptModal

LIVE_BODY = "Hasil panen pekan ini mencapai dua puluh ikat."


def published(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Panen Sayur di Kebun Lapas", body=LIVE_BODY))
    transitions.submit(newsroom.writer, article.id)
    return transitions.publish(newsroom.editor, article.id)


def footer_keys(screen) -> list[str]:
    return [binding.id for _key, binding in screen._bindings if binding.show and screen.check_action(binding.action, ())]


def banner_shown(editor) -> bool:
    return editor.has_class("-correction") and editor.query_one("#correction-banner", Static).display


async def test_edit_save_banner_diff_then_another_editor_publishes_with_a_note(make_app, newsroom, settle):
    article = published(newsroom)
    app = make_app(newsroom.editor, lambda: EditorScreen(article.id))
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.screen
        await settle(pilot, lambda: editor.loaded)
        assert not banner_shown(editor) and "editor.correction-diff" not in footer_keys(editor)
        editor.query_one("#body", TextArea).focus()
        await pilot.press("end", *" Ralat: tiga puluh.")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: not editor.saving and editor.editing.correction_pending)
        assert get_article(article.id).body == LIVE_BODY  # the live article is as it was
        assert corrections.pending_for(get_article(article.id)).body == LIVE_BODY + " Ralat: tiga puluh."
        await settle(pilot, lambda: banner_shown(editor))
        assert "Correction pending" in str(editor.query_one("#correction-banner", Static).render())
        assert "editor.correction-diff" in footer_keys(editor)
        assert "editor.correction-publish" not in footer_keys(editor)  # he wrote it: four eyes
        await pilot.press("f6")
        await settle(pilot, lambda: isinstance(app.screen, CorrectionDiffScreen) and app.screen.lines is not None)
        lines = app.screen.lines
        assert f"-{LIVE_BODY}" in lines and f"+{LIVE_BODY} Ralat: tiga puluh." in lines
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is editor)
        await pilot.press("escape")  # nothing unsaved: leaves at once
        await settle(pilot, lambda: app.dismissed != [])

    reviewer = make_app(newsroom.admin, lambda: EditorScreen(article.id))
    async with reviewer.run_test(size=(80, 24)) as pilot:
        editor = reviewer.screen
        await settle(pilot, lambda: editor.loaded)
        assert banner_shown(editor)
        assert editor.query_one("#body", TextArea).text == LIVE_BODY + " Ralat: tiga puluh."  # the pending text
        assert "editor.correction-publish" in footer_keys(editor)
        await pilot.press("f7")
        await settle(pilot, lambda: isinstance(reviewer.screen, TextPromptModal))
        await pilot.press(*"Jumlah ikat diperbaiki", "enter")
        await settle(pilot, lambda: get_article(article.id).body.endswith("Ralat: tiga puluh."))
        await settle(pilot, lambda: editor.loaded and not banner_shown(editor))
        assert reviewer.errors == []
    assert Correction.get().note == "Jumlah ikat diperbaiki" and Correction.get().decided_by == "ani"


async def test_the_author_proposes_a_correction_and_cannot_publish_it(make_app, newsroom, settle):
    article = published(newsroom)
    app = make_app(newsroom.writer, lambda: EditorScreen(article.id))
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.screen
        await settle(pilot, lambda: editor.loaded)
        assert editor.read_only_reason is None  # a writer corrects her own published article, for review
        await pilot.press(*" (koreksi)")  # typed at the end of the title
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: editor.editing.correction_pending and banner_shown(editor))
        await pilot.press("f7")  # not offered: nothing happens
        await pilot.pause()
        assert app.screen is editor
    assert get_article(article.id).title == "Panen Sayur di Kebun Lapas"
    assert corrections.pending_for(get_article(article.id)).title == "Panen Sayur di Kebun Lapas (koreksi)"
