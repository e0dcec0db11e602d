"""A colleague trashes, unpublishes or publishes the article being edited: the save is refused with what
really happened and who did it, and the text is kept (revision ``kept``), never Discard as the only door."""

from __future__ import annotations

from textual.widgets import TextArea

from beritatui.core import autosave, transitions
from beritatui.core.articles import ArticleDraft, create_article, get_article
from beritatui.core.models import Revision
from beritatui.tui.conflict import ConflictScreen
from beritatui.tui.editor import EditorScreen
from beritatui.tui.movedon import MovedOnScreen


async def type_into_body(pilot, screen, text):
    area = screen.query_one("#body", TextArea)
    area.focus()
    area.move_cursor((0, len(area.document.get_line(0))))
    await pilot.press(*text)


def reasons(article_id):
    return [(r.reason, r.body) for r in Revision.select().where(Revision.article == article_id)
            .order_by(Revision.number)]


async def test_a_trashed_draft_refuses_the_save_keeps_the_text_and_closes_without_loss(make_app, newsroom, settle):
    draft = create_article(newsroom.writer, ArticleDraft(title="Bakti Sosial di Rutan", body="Pembagian sembako."))
    app = make_app(newsroom.writer, lambda: EditorScreen(draft.id))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.loaded)
        transitions.trash(newsroom.editor, draft.id)  # Eko, in his own terminal
        await type_into_body(pilot, screen, " Ramai.")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, MovedOnScreen))
        dialog = app.screen
        message = str(dialog.query_one("#message").render())
        assert "Eko Prasetyo moved this article to the trash" in message
        assert "revision 2" in message and "saved this article" not in message
        assert not dialog.query("#save")  # a trashed article cannot take the save
        assert reasons(draft.id) == [("save", "Pembagian sembako."), ("kept", "Pembagian sembako. Ramai.")]
        assert get_article(draft.id).body == "Pembagian sembako."  # the kept revision changed nothing
        await pilot.press("escape")  # keep editing: the text is still on screen
        assert app.screen is screen and screen.query_one("#body", TextArea).text == "Pembagian sembako. Ramai."
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, MovedOnScreen))
        assert len(reasons(draft.id)) == 2  # the same text is kept once
        await pilot.press("f7")  # close: nothing is lost, the history holds it
        await settle(pilot, lambda: app.dismissed)
    assert autosave.load(draft.uuid, "wati") is None


async def test_an_unpublished_article_says_so_and_may_still_take_the_save(make_app, newsroom, settle):
    article = create_article(newsroom.editor, ArticleDraft(title="Upacara Hari Bakti", body="Upacara."))
    transitions.submit(newsroom.editor, article.id)
    transitions.publish(newsroom.admin, article.id)  # four-eyes: not by its writer
    app = make_app(newsroom.editor, lambda: EditorScreen(article.id))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.loaded)
        archived = transitions.unpublish(newsroom.admin, article.id)
        await type_into_body(pilot, screen, " Khidmat.")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, MovedOnScreen))
        message = str(app.screen.query_one("#message").render())
        assert "Ani Rahmawati unpublished this article; it is archived, off the site" in message
        assert "as it is now (archived)" in message
        await pilot.press("f8")  # save into the archived article, knowingly
        await settle(pilot, lambda: get_article(article.id).version == archived.version + 1)
        assert not isinstance(app.screen, ConflictScreen)
    saved = get_article(article.id)
    assert (saved.status, saved.body) == ("archived", "Upacara. Khidmat.")


async def test_a_writer_whose_draft_was_sent_to_review_cannot_save_but_loses_nothing(make_app, newsroom, settle):
    draft = create_article(newsroom.writer, ArticleDraft(title="Panen Sayur", body="Kangkung."))
    app = make_app(newsroom.writer, lambda: EditorScreen(draft.id))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.loaded)
        transitions.submit(newsroom.editor, draft.id)
        await type_into_body(pilot, screen, " Bayam.")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, MovedOnScreen))
        message = str(app.screen.query_one("#message").render())
        assert "Eko Prasetyo sent this article for review" in message
        assert "cannot be saved into the article now: A writer may only edit their own drafts" in message
        assert reasons(draft.id)[-1] == ("kept", "Kangkung. Bayam.")

