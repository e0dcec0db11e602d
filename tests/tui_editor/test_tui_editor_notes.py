"""The notes panel (f5 in the editor): the writer reads why the draft came back, replies and resolves."""

from __future__ import annotations

from textual.widgets import OptionList

from beritatui.core import notes, transitions
from beritatui.core.articles import ArticleDraft, create_article
from beritatui.tui.editor import EditorScreen
from beritatui.tui.notes import NotesScreen
from beritatui.tui.review import ReviewScreen


def sent_for_review(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(
        title="Penyuluhan Hukum bagi Warga Binaan", summary="Warga binaan bertanya tentang remisi.",
        body="Kegiatan dimulai pukul sembilan pagi di aula utama."))
    return transitions.submit(newsroom.writer, article.id)


def footer_keys(screen) -> list[str]:
    """The ids of the screen's own keys the footer shows now."""
    return [binding.id for _key, binding in screen._bindings if binding.show and screen.check_action(binding.action, ())]


async def test_the_writer_finds_the_reviewer_s_note_replies_and_resolves_it(make_app, newsroom, settle):
    article = sent_for_review(newsroom)
    review = make_app(newsroom.editor, ReviewScreen)
    async with review.run_test(size=(80, 24)) as pilot:  # the editor sends it back from the review queue
        screen = review.screen
        await settle(pilot, lambda: screen.current is not None)
        await pilot.press("c", *"Nama penyuluh belum ada", "enter")
        await settle(pilot, lambda: notes.list_notes(article.id) != [])

    app = make_app(newsroom.writer, lambda: EditorScreen(article.id))
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.screen
        await settle(pilot, lambda: editor.loaded)
        await settle(pilot, lambda: any("1 open note" in str(n.message) for n in app._notifications))
        assert "editor.notes" in footer_keys(editor)
        await pilot.press("f5")
        await settle(pilot, lambda: isinstance(app.screen, NotesScreen) and app.screen.notes != [])
        panel = app.screen
        [sent_back] = panel.notes
        assert (sent_back.number, sent_back.login, sent_back.text, sent_back.resolved) == (
            1, "eko", "Nama penyuluh belum ada", False)
        shown = str(panel.query_one(OptionList).get_option_at_index(0).prompt)
        assert "#1 Eko Prasetyo" in shown and "Nama penyuluh belum ada" in shown and "open" in shown

        await pilot.press("r", *"Sudah saya tambahkan: Bapak Andi", "enter")
        await settle(pilot, lambda: len(panel.notes) == 2)
        assert panel.selected().number == 2  # the reply, as the writer just wrote it
        await pilot.press("up", "x")
        await settle(pilot, lambda: panel.notes[0].resolved)
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is editor)

    first, reply = notes.list_notes(article.id)
    assert (first.resolved, first.resolved_by) == (True, "wati")
    assert (reply.login, reply.text, reply.resolved) == ("wati", "Sudah saya tambahkan: Bapak Andi", False)


async def test_x_reopens_and_is_not_offered_to_who_may_not_resolve(make_app, newsroom, settle):
    article = create_article(newsroom.writer, ArticleDraft(title="Panen Sayur di Kebun Lapas"))
    notes.add_note(newsroom.editor, article.id, "Foto panen kurang terang.")
    notes.add_note(newsroom.writer2, article.id, "Saya punya foto lain.")
    notes.resolve_number(newsroom.editor, article.id, 1)

    app = make_app(newsroom.writer2, lambda: NotesScreen(article.id))  # budi: not the writer, not an editor
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.screen
        await settle(pilot, lambda: panel.notes != [])
        assert [n.number for n in panel.notes] == [2]  # only his own note: the editor's is wati's to read
        assert "notes.toggle" in footer_keys(panel)  # his own note: he may resolve it

    app = make_app(newsroom.editor, lambda: NotesScreen(article.id))
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.screen
        await settle(pilot, lambda: len(panel.notes) == 2)
        assert panel.selected().number == 2  # the first open note is where the cursor starts
        await pilot.press("up", "x")
        await settle(pilot, lambda: not panel.notes[0].resolved)
    assert [n.resolved for n in notes.list_notes(article.id)] == [False, False]


async def test_an_article_without_notes_offers_only_a_first_reply(make_app, newsroom, settle):
    article = create_article(newsroom.writer, ArticleDraft(title="Rapat Koordinasi Keamanan"))
    app = make_app(newsroom.writer, lambda: NotesScreen(article.id))
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.screen
        await settle(pilot, lambda: panel.article is not None)
        assert footer_keys(panel) == ["notes.reply", "notes.back"]  # nothing to resolve
        assert "No notes yet" in str(panel.query_one(OptionList).get_option_at_index(0).prompt)
        await pilot.press("x")  # nothing happens, nothing breaks
        await pilot.press("r", *"Mohon dicek sebelum dikirim.", "enter")
        await settle(pilot, lambda: len(panel.notes) == 1)
        assert "notes.toggle" in footer_keys(panel)
    assert [n.text for n in notes.list_notes(article.id)] == ["Mohon dicek sebelum dikirim."]
