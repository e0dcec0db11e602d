"""The whole job from the home screen with real keys: a writer writes, tags, saves and submits; an editor
opens the review queue from the list and publishes; the list shows each step."""

from __future__ import annotations

from textual.widgets import TextArea

from beritatui.core.articles import article_tags
from beritatui.core.models import Article
from beritatui.tui.articles import ArticlesScreen
from beritatui.tui.editor import EditorScreen
from beritatui.tui.review import ReviewScreen
from beritatui.tui.widgets.confirm import ConfirmationModal

from .conftest import settle, type_text, wait_for


async def test_write_submit_then_review_and_publish(newsroom, make_app):
    writer_app = make_app(newsroom.writer)
    async with writer_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(writer_app.screen, EditorScreen) and writer_app.screen.loaded)
        editor = writer_app.screen
        await type_text(pilot, "Pelatihan Las Warga Binaan")
        await pilot.press("tab", "tab")
        await type_text(pilot, "Kemandirian, Pelatihan")
        editor.query_one("#body", TextArea).focus()
        await type_text(pilot, "Dua puluh peserta belajar mengelas.")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: editor.article_id is not None and not editor.saving)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(writer_app.screen, ArticlesScreen))
        home = writer_app.screen
        await wait_for(pilot, lambda: [r.status for r in home.rows] == ["review"])
        assert home.rows[0].title == "Pelatihan Las Warga Binaan"
        assert home.check_action("publish", ()) is False
    article = Article.get(Article.title == "Pelatihan Las Warga Binaan")
    assert [t.name for t in article_tags(article.id)] == ["Kemandirian", "Pelatihan"]

    editor_app = make_app(newsroom.editor)
    async with editor_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Review (1)" in str(editor_app.screen.query_one("#views").render())
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(editor_app.screen, ReviewScreen))
        await settle(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(editor_app.screen, ConfirmationModal))
        await pilot.press("y")
        await wait_for(pilot, lambda: Article.get_by_id(article.id).status == "published")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(editor_app.screen, ArticlesScreen))
        home = editor_app.screen
        await wait_for(pilot, lambda: [r.status for r in home.rows] == ["published"])
