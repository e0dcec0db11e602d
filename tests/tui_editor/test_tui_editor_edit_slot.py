"""Text kept by ``beritatui edit`` after a hang-up is offered by the app's editor, every field intact."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from beritatui.core import autosave, unsaved
from beritatui.core.articles import ArticleDraft, create_article, get_article
from beritatui.core.content import Content
from beritatui.tui.editor import EditorScreen
from beritatui.tui.recovery import RecoveryModal


async def test_the_app_offers_what_edit_kept(make_app, newsroom, settle):
    article = create_article(newsroom.writer, ArticleDraft(
        title="Pelatihan Menjahit bagi Warga Binaan", summary="Dua belas peserta.", body="Hari pertama.",
        tags=["Pembinaan"], bylines=[("Wati Handayani", "Lapas Watampone")], image_alt="Ruang jahit"))
    unsaved.keep_in_autosave(article, "wati", Content.of_article(article),
                             "Hari pertama.\nHari kedua: menjahit kerah.\n", article.version)
    app = make_app(newsroom.writer, lambda: EditorScreen(article.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, RecoveryModal) and app.screen.query("#accept"))
        await pilot.press("f5")
        screen = app.screen
        assert screen.query_one("#body", TextArea).text == "Hari pertama.\nHari kedua: menjahit kerah."
        assert screen.query_one("#title", Input).value == "Pelatihan Menjahit bagi Warga Binaan"
        assert screen.query_one("#tags", Input).value == "Pembinaan"
        assert screen.query_one("#image_alt", Input).value == "Ruang jahit"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: get_article(article.id).version == 2)
        await settle(pilot, lambda: autosave.load(article.uuid, "wati") is None)
    saved = get_article(article.id)
    assert (saved.title, saved.summary, saved.image_alt) == ("Pelatihan Menjahit bagi Warga Binaan",
                                                             "Dua belas peserta.", "Ruang jahit")
    assert saved.body == "Hari pertama.\nHari kedua: menjahit kerah."
