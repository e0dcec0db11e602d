"""What a person sees at 80x24: the editor with its preview (English, Bahasa Indonesia) and the review queue."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Markdown

from beritatui import i18n
from beritatui.core import transitions
from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.notes import add_note
from beritatui.tui.editor import EditorScreen
from beritatui.tui.review import ReviewScreen
from beritatui.tui.widgets.preview import Preview

BODY = """Petugas Lapas Watampone mengajak warga binaan menanam **bibit pohon** di halaman blok hunian.

## Kegiatan

- menanam mangga dan jambu
- membersihkan saluran air

Kegiatan ditutup dengan doa bersama."""


def article(newsroom):
    return create_article(newsroom.writer, ArticleDraft(
        title="Warga Binaan Menanam Pohon", summary="Halaman blok hunian kini lebih hijau.", body=BODY,
        tags=["Lingkungan", "Pembinaan"]))


async def until_preview(pilot) -> None:
    screen = pilot.app.screen
    for _ in range(100):
        if screen.loaded:
            break
        await pilot.pause(0.02)
    await pilot.press("f2")
    for _ in range(100):
        if screen.loaded and screen.query_one(Preview)._shown and screen.query_one(Markdown).children:
            break
        await pilot.pause(0.02)
    await pilot.pause(0.1)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_editor_with_preview(snap_compare, make_app, newsroom, frozen_clock, lang):
    i18n.set_language(lang)
    draft = article(newsroom)
    app = make_app(newsroom.writer, lambda: EditorScreen(draft.id))
    assert snap_compare(app, terminal_size=(80, 24), run_before=until_preview)


def test_editor_fields(snap_compare, make_app, newsroom, frozen_clock):
    draft = article(newsroom)
    app = make_app(newsroom.writer, lambda: EditorScreen(draft.id))

    async def loaded(pilot) -> None:
        for _ in range(100):
            if pilot.app.screen.loaded:
                break
            await pilot.pause(0.02)
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(80, 24), press=["f3"], run_before=loaded)


def test_review_queue(snap_compare, make_app, newsroom, frozen_clock):
    sent = transitions.submit(newsroom.writer, article(newsroom).id)
    add_note(newsroom.editor, sent.id, "Foto kegiatan perlu keterangan.")
    app = make_app(newsroom.editor, ReviewScreen)

    async def shown(pilot) -> None:
        screen = pilot.app.screen
        for _ in range(100):
            if screen.current is not None and screen.query_one("#article", Markdown).children:
                break
            await pilot.pause(0.02)
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(80, 24), run_before=shown)


async def _loaded(pilot) -> None:
    for _ in range(100):
        if pilot.app.screen.loaded:
            break
        await pilot.pause(0.02)


async def _until(pilot, condition) -> None:
    for _ in range(200):
        if condition():
            break
        await pilot.pause(0.02)
    await pilot.pause(0.1)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_save_refused_because_a_colleague_trashed_it(snap_compare, make_app, newsroom, frozen_clock, lang):
    from beritatui.tui.movedon import MovedOnScreen

    i18n.set_language(lang)
    draft = article(newsroom)

    async def refused(pilot) -> None:
        await _loaded(pilot)
        transitions.trash(newsroom.editor, draft.id)
        await pilot.press("end", *" baru")
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: isinstance(pilot.app.screen, MovedOnScreen))

    app = make_app(newsroom.writer, lambda: EditorScreen(draft.id))
    assert snap_compare(app, terminal_size=(80, 24), run_before=refused)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_quit_with_unsaved_text_asks(snap_compare, make_app, newsroom, frozen_clock, lang):
    from beritatui.tui.editor import LeaveModal

    i18n.set_language(lang)
    draft = article(newsroom)

    async def asked(pilot) -> None:
        await _loaded(pilot)
        await pilot.press("end", *" baru")
        await pilot.press("ctrl+q")
        await _until(pilot, lambda: isinstance(pilot.app.screen, LeaveModal))

    app = make_app(newsroom.writer, lambda: EditorScreen(draft.id))
    assert snap_compare(app, terminal_size=(80, 24), run_before=asked)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_notes_panel(snap_compare, make_app, newsroom, frozen_clock, lang):
    """The writer's notes panel on a draft sent back: the reviewer's note open, an older one resolved, a reply."""
    from datetime import timedelta

    from beritatui.core import clock, notes
    from beritatui.tui.notes import NotesScreen

    i18n.set_language(lang)
    draft = article(newsroom)
    clock.freeze(frozen_clock - timedelta(days=1))
    notes.add_note(newsroom.editor, draft.id, "Judul terlalu panjang untuk beranda.")
    notes.resolve_number(newsroom.writer, draft.id, 1)
    sent = transitions.submit(newsroom.writer, draft.id)
    clock.freeze(frozen_clock - timedelta(hours=2))
    transitions.request_changes(newsroom.editor, sent.id,
                                "Foto kegiatan perlu keterangan:\nsiapa saja yang menanam, dan di blok mana.")
    clock.freeze(frozen_clock)
    notes.add_note(newsroom.writer, draft.id, "Baik, keterangan foto saya tambahkan sore ini.")
    app = make_app(newsroom.writer, lambda: NotesScreen(draft.id))

    async def shown(pilot) -> None:
        await _until(pilot, lambda: len(pilot.app.screen.notes) == 3)

    assert snap_compare(app, terminal_size=(80, 24), run_before=shown)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_editor_with_a_pending_correction(snap_compare, make_app, newsroom, frozen_clock, lang):
    """The banner above the fields and the correction keys in the footer (f6 diff, f7 publish)."""
    from beritatui.core.articles import save_article

    live = transitions.publish(newsroom.editor, transitions.submit(newsroom.writer, article(newsroom).id).id)
    save_article(newsroom.writer, live.id, live.version, ArticleDraft(summary="Halaman blok hunian kini hijau."))
    i18n.set_language(lang)
    app = make_app(newsroom.editor, lambda: EditorScreen(live.id))

    async def loaded(pilot) -> None:
        screen = pilot.app.screen
        await _until(pilot, lambda: screen.loaded and screen.editing.may_publish_correction)
        for field in screen.query(Input):  # the wait above takes a varying time: no blink phase in the picture
            field.cursor_blink = False
        await pilot.pause(0.05)

    assert snap_compare(app, terminal_size=(80, 24), run_before=loaded)
