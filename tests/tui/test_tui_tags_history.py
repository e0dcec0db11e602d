"""Tags (new, rename, merge, delete with confirmation; writers see none of it) and History (diff, restore)."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from beritatui.core.articles import ArticleDraft, article_tags, create_article, get_article, save_article
from beritatui.core.errors import PermissionDenied
from beritatui.core.models import Tag
from beritatui.core.revisions import list_revisions
from beritatui.core.tags import create_tag
from beritatui.tui.articles import ArticlesScreen
from beritatui.tui.history import HistoryScreen
from beritatui.tui.tags import TagsScreen
from beritatui.tui.widgets.confirm import ConfirmationModal, TextPromptModal

from .conftest import settle, type_text


def _tag_names() -> list[str]:
    return sorted(t.name for t in Tag.select())


def _select_tag(pilot, name: str) -> None:
    screen = pilot.app.screen
    index = next(i for i, tag in enumerate(screen.tags) if tag.name == name)
    screen.query_one(DataTable).move_cursor(row=index, animate=False)


async def _open_tags(pilot) -> TagsScreen:
    await settle(pilot)
    await pilot.press("g")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TagsScreen)
    return pilot.app.screen


async def _answer(pilot, text: str) -> None:
    assert isinstance(pilot.app.screen, TextPromptModal)
    await pilot.press("ctrl+a", "ctrl+k")
    await type_text(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


async def test_editor_creates_renames_merges_and_deletes_tags(newsroom, make_app):
    both = create_article(newsroom.writer, ArticleDraft(title="Pelatihan Barista", tags=["Pelatihan", "Kopi"]))
    only = create_article(newsroom.writer, ArticleDraft(title="Kursus Las", tags=["Kursus"]))
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_tags(pilot)
        assert [t.name for t in screen.tags] == ["Kopi", "Kursus", "Pelatihan"]

        await pilot.press("n")
        await _answer(pilot, "Kesehatan")
        assert "Kesehatan" in _tag_names()

        _select_tag(pilot, "Kursus")
        await pilot.press("r")
        await _answer(pilot, "Keterampilan")
        assert "Keterampilan" in _tag_names() and "Kursus" not in _tag_names()
        assert [t.name for t in article_tags(only.id)] == ["Keterampilan"]

        _select_tag(pilot, "Keterampilan")
        await pilot.press("m")
        await _answer(pilot, "Pelatihan")
        assert isinstance(app.screen, ConfirmationModal)
        await pilot.press("y")
        await settle(pilot)
        assert "Keterampilan" not in _tag_names()
        assert [t.name for t in article_tags(only.id)] == ["Pelatihan"]

        _select_tag(pilot, "Pelatihan")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmationModal)
        await pilot.press("y")
        await settle(pilot)
        assert "Pelatihan" not in _tag_names()
        assert [t.name for t in article_tags(both.id)] == ["Kopi"]
        assert [t.name for t in screen.tags] == ["Kesehatan", "Kopi"]


async def test_writer_sees_tags_but_cannot_change_them(newsroom, make_app):
    create_tag(newsroom.editor, "Humas")
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_tags(pilot)
        for action in ("new", "rename", "merge", "delete"):
            assert screen.check_action(action, ()) is False
        await pilot.press("d")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmationModal)
        assert "Humas" in _tag_names()
    try:
        from beritatui.core.tags import delete_tag

        delete_tag(newsroom.writer, "Humas")
    except PermissionDenied:
        pass
    else:
        raise AssertionError("the core let a writer delete a tag")


async def test_enter_on_a_tag_filters_the_article_list(newsroom, make_app):
    create_article(newsroom.writer, ArticleDraft(title="Panen Jagung", tags=["Pertanian"]))
    create_article(newsroom.writer, ArticleDraft(title="Futsal Antarblok", tags=["Olahraga"]))
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_tags(pilot)
        _select_tag(pilot, "Pertanian")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticlesScreen)
        assert [row.title for row in app.screen.rows] == ["Panen Jagung"]


async def test_history_shows_diff_and_restores_as_new_revision(newsroom, make_app):
    article = create_article(newsroom.writer, ArticleDraft(title="Jalan Sehat", body="Peserta seratus orang."))
    save_article(newsroom.writer, article.id, article.version,
                 ArticleDraft(body="Peserta dua ratus orang dari tiga unit."))
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert [r.number for r in screen.revisions] == [2, 1]
        screen.query_one(DataTable).move_cursor(row=1, animate=False)
        await pilot.press("enter")
        await settle(pilot)
        diff = str(screen.query_one("#diff", Static).render())
        assert "-Peserta seratus orang." in diff
        assert "+Peserta dua ratus orang dari tiga unit." in diff
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmationModal)
        await pilot.press("y")
        await settle(pilot)
        assert get_article(article.id).body == "Peserta seratus orang."
        revisions = list_revisions(article.id)
        assert [r.number for r in revisions] == [3, 2, 1]
        assert revisions[0].reason == "restore"
        assert [r.number for r in screen.revisions] == [3, 2, 1]


async def test_history_restore_hidden_for_someone_who_may_not_edit(newsroom, make_app):
    article = create_article(newsroom.writer, ArticleDraft(title="Senam Jantung Sehat", body="Pagi ini."))
    app = make_app(newsroom.writer2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.check_action("restore", ()) is False
        await pilot.press("R")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmationModal)
        assert len(list_revisions(article.id)) == 1


async def test_history_names_every_reason_as_the_command_line_does(newsroom, make_app):
    """One table of reason labels (core.vocabulary) for the history screen and ``beritatui history``."""
    from beritatui.core.articles import write_revision
    from beritatui.core.vocabulary import reason_label

    article = create_article(newsroom.writer, ArticleDraft(title="Pembinaan Kemandirian Warga Binaan"))
    reasons = ["autosave-recovered", "kept", "conflict-mine", "merge"]
    for reason in reasons:
        write_revision(get_article(article.id), newsroom.writer.login, reason)
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one(DataTable)
        shown = [str(table.get_row_at(row)[3]) for row in range(table.row_count)]
    assert shown[:len(reasons)] == [reason_label(reason) for reason in reversed(reasons)]
    assert shown[:2] == ["merge", "conflict: mine"] and shown[3] == "recovered text"
