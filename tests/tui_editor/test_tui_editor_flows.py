"""Writing, saving and submitting an article with real key presses."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from beritatui.core.articles import article_tags, get_article
from beritatui.core.models import Article, Revision
from beritatui.core.notes import list_notes
from beritatui.core.tags import create_tag
from beritatui.tui.editor import EditorScreen


async def test_new_article_typed_saved_and_submitted(make_app, newsroom, settle):
    create_tag(newsroom.admin, "Layanan Publik")
    app = make_app(newsroom.writer, lambda: EditorScreen(None))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.loaded)
        await pilot.press(*"Kunjungan Dibuka")
        await pilot.press("tab")  # slug
        await pilot.press("tab")  # tags
        await pilot.press(*"Humas, lay")
        await settle(pilot, lambda: screen.query_one("#tags", Input)._suggestion == "Humas, layanan Publik")
        await pilot.press("right")  # accept the completion
        screen.query_one("#body", TextArea).focus()
        await pilot.press(*"Buka Senin.")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: screen.article_id is not None and not screen.saving)
        article = get_article(screen.article_id)
        assert article.title == "Kunjungan Dibuka"
        assert article.body == "Buka Senin."
        assert [t.name for t in article_tags(article.id)] == ["Humas", "Layanan Publik"]
        assert article.slug == "kunjungan-dibuka"
        assert screen.query_one("#slug", Input).value == article.slug
        assert "v1" in str(screen.query_one("#status").render())
        await pilot.press("ctrl+n", *"Cek foto", "enter")
        await settle(pilot, lambda: [n.text for n in list_notes(article.id)] == ["Cek foto"])
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: app.dismissed)
    assert Article.get_by_id(article.id).status == "review"
    assert [r.reason for r in Revision.select().where(Revision.article == article.id)] == ["save", "submit"]


async def test_writer_cannot_edit_someone_elses_article(make_app, newsroom, sample_draft, settle):
    from beritatui.core.articles import create_article

    article = create_article(newsroom.writer2, sample_draft())
    app = make_app(newsroom.writer, lambda: EditorScreen(article.id))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.loaded)
        assert screen.query_one("#body", TextArea).read_only
        assert screen.query_one("#title", Input).disabled
        assert "read only" in str(screen.query_one("#status").render())
        shown = {active.binding.id for active in screen.active_bindings.values()}
        assert "editor.save" not in shown and "editor.submit" not in shown
        assert "editor.preview" in shown
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert get_article(article.id).version == 1  # nothing saved


async def test_core_refuses_a_writer_even_if_the_screen_were_bypassed(make_app, newsroom, sample_draft, settle):
    """The key is hidden, and the core refuses anyway: calling the save worker directly changes nothing."""
    from beritatui.core.articles import create_article

    article = create_article(newsroom.writer2, sample_draft())
    app = make_app(newsroom.writer, lambda: EditorScreen(article.id))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.loaded)
        values = {**screen.values(), "title": "Judul Diganti Tanpa Izin"}
        screen.save(values, None, None)
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("own drafts" in str(n.message) for n in app._notifications)
    assert get_article(article.id).title != "Judul Diganti Tanpa Izin"


async def test_preview_sits_beside_the_body_when_wide_and_replaces_it_at_80(make_app, newsroom, sample_draft, settle):
    from beritatui.core.articles import create_article
    from beritatui.tui.widgets.preview import Preview

    article = create_article(newsroom.writer, sample_draft(body="Halo **dunia**."))
    app = make_app(newsroom.writer, lambda: EditorScreen(article.id))
    async with app.run_test(size=(130, 30)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.loaded)
        await pilot.press("f2")
        await settle(pilot, lambda: screen.query_one(Preview)._shown is not None)
        body, preview = screen.query_one("#body", TextArea), screen.query_one(Preview)
        assert body.display and preview.display and preview.region.x > body.region.x
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert screen.has_class("-narrow") and not body.display
        assert "Halo **dunia**." in screen.query_one(Preview)._shown
