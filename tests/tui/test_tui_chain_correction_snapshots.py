"""Issue 13's screens at 80x24 on the demo newsroom, in English and Bahasa Indonesia: a pending correction's
diff (f6) and its publish note (f7) in the editor, the review screen's two-step chain line, and the note asked
when approving a chain's first step.  Regenerate with ``--snapshot-update`` and look at them."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from beritatui import i18n
from beritatui.core import transitions
from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.models import User
from beritatui.core.units import get_unit
from beritatui.tui.articles import ArticlesScreen
from beritatui.tui.correcting import CorrectionDiffScreen
from beritatui.tui.editor import EditorScreen
from beritatui.tui.review import ReviewScreen
from beritatui.tui.widgets.confirm import TextPromptModal

from .conftest import settle, wait_for

SIZE = (80, 24)
LANGS = pytest.mark.parametrize("lang", ["en", "id"])


async def _open_in_editor(pilot, title: str) -> EditorScreen:
    """Select the article titled ``title`` in the list and open it with enter, as a person would."""
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ArticlesScreen)
    index = next(i for i, row in enumerate(screen.rows) if row.title == title)
    screen.query_one(DataTable).move_cursor(row=index, animate=False)
    await settle(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, EditorScreen) and pilot.app.screen.loaded
                   and pilot.app.screen.editing.may_publish_correction)
    return pilot.app.screen


@LANGS
def test_correction_diff(demo, make_app, snap_compare, lang):
    """Rahmat's proposed correction of the Bapas Bone article against the live text, as the region's editor."""
    i18n.set_language(lang)
    app = make_app(demo.people["nurul.hidayah"])

    async def run(pilot) -> None:
        await _open_in_editor(pilot, demo.articles["usaha-klien"].title)
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CorrectionDiffScreen)
                       and pilot.app.screen.lines is not None)

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


@LANGS
def test_correction_publish_note(demo, make_app, snap_compare, lang):
    """f7 on the pending correction asks for the public note readers see (typed halfway)."""
    i18n.set_language(lang)
    app = make_app(demo.people["nurul.hidayah"])

    async def run(pilot) -> None:
        await _open_in_editor(pilot, demo.articles["usaha-klien"].title)
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, TextPromptModal))
        await pilot.press(*"Jumlah peserta")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


async def _review(pilot) -> None:
    await settle(pilot)
    await pilot.press("r")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen) and pilot.app.screen.current is not None)


@LANGS
def test_review_at_step_two_of_two(demo, make_app, snap_compare, lang):
    """The Lapas article Hasan approved waits for the region: the chain line says so and who approved step 1."""
    i18n.set_language(lang)
    app = make_app(demo.people["nurul.hidayah"])

    async def run(pilot) -> None:
        await _review(pilot)
        title = demo.articles["pramuka-saka"].title
        for _ in range(len(pilot.app.screen.queue)):
            if pilot.app.screen.current.article.title == title:
                break
            await pilot.press("j")
            await settle(pilot)
        assert pilot.app.screen.current.article.title == title

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


@LANGS
def test_approve_step_one_asks_for_a_note(demo, make_app, snap_compare, lang):
    """Andi sends a Lapas article; Hasan (step 1 of unit,parent) presses a and is asked for an optional note."""
    andi = demo.people["andi.pratama"]
    draft = create_article(andi, ArticleDraft(title="Warga Binaan Lapas Watampone Panen Kangkung",
                                              body="Hasil panen dijual ke koperasi."),
                           unit=get_unit("Lapas Watampone").id)
    transitions.submit(andi, draft.id)
    i18n.set_language(lang)
    app = make_app(User.get(User.login == "hasan.basri"))

    async def run(pilot) -> None:
        await _review(pilot)
        assert pilot.app.screen.current.article.id == draft.id
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, TextPromptModal))
        await pilot.press(*"Angka sudah dicek")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run)
