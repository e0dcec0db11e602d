"""The article list with real key presses: paging, status views, search, tag filter, sort, trash and
restore with confirmation, role gating (hidden key AND refusing core)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import DataTable, Input

from beritatui.core import listing, transitions
from beritatui.core.articles import ArticleDraft, create_article, get_article
from beritatui.core.errors import BeritaError, PermissionDenied
from beritatui.core.models import Article
from beritatui.tui.articles import PAGE_SIZE, ArticlesScreen
from beritatui.tui.widgets.confirm import ConfirmationModal

from .conftest import settle, type_text, wait_for


def _articles(pilot) -> ArticlesScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ArticlesScreen)
    return screen


def _titles(pilot) -> list[str]:
    return [row.title for row in _articles(pilot).rows]


def _select(pilot, title: str) -> None:
    screen = _articles(pilot)
    index = next(i for i, row in enumerate(screen.rows) if row.title == title)
    screen.query_one(DataTable).move_cursor(row=index, animate=False)


async def test_list_loads_page_by_page(newsroom, make_app, monkeypatch):
    for n in range(PAGE_SIZE * 2 + 30):
        create_article(newsroom.writer, ArticleDraft(title=f"Kegiatan pembinaan ke-{n}", body="Isi singkat."))
    asked: list[int] = []
    real = listing.list_articles

    def spy(query):
        asked.append(query.limit)
        return real(query)

    monkeypatch.setattr("beritatui.tui.articles.list_articles", spy)
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = _articles(pilot)
        assert len(screen.rows) == PAGE_SIZE
        assert screen.cursor_value is not None
        await pilot.press("ctrl+end")
        await wait_for(pilot, lambda: len(screen.rows) == PAGE_SIZE * 2)
        await pilot.press("pagedown", "ctrl+end")
        await wait_for(pilot, lambda: len(screen.rows) == PAGE_SIZE * 2 + 30)
        assert screen.cursor_value is None
        assert len({row.id for row in screen.rows}) == len(screen.rows)
    assert asked and all(limit == PAGE_SIZE for limit in asked)


async def test_status_views_show_counts_and_filter(newsroom, make_app, sample_draft):
    draft = create_article(newsroom.writer, sample_draft(title="Bakti Sosial di Panti Asuhan"))
    sent = create_article(newsroom.writer, sample_draft(title="Lomba Kebersihan Blok Hunian"))
    transitions.submit(newsroom.writer, sent.id)
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert set(_titles(pilot)) == {draft.title, sent.title}
        views = str(_articles(pilot).query_one("#views").render())
        assert "Review (1)" in views
        await pilot.press("3")
        await settle(pilot)
        assert _titles(pilot) == [sent.title]
        await pilot.press("2")
        await settle(pilot)
        assert _titles(pilot) == [draft.title]
        await pilot.press("7")
        await settle(pilot)
        assert _titles(pilot) == []
        assert _articles(pilot).query_one("#empty").display


async def test_search_as_you_type_and_escape_clears(newsroom, make_app, sample_draft):
    create_article(newsroom.writer, sample_draft(title="Panen Lele di Kolam Lapas"))
    create_article(newsroom.writer, sample_draft(title="Upacara Hari Bhakti"))
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert len(_titles(pilot)) == 2
        await pilot.press("slash")
        search = _articles(pilot).query_one("#search", Input)
        assert search.has_focus
        await type_text(pilot, "lele")
        await wait_for(pilot, lambda: _titles(pilot) == ["Panen Lele di Kolam Lapas"])
        assert _articles(pilot).query_state.text == "lele"
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(_titles(pilot)) == 2)
        assert not search.display
        assert _articles(pilot).query_one(DataTable).has_focus


async def test_tag_filter_and_sort(newsroom, make_app, sample_draft):
    create_article(newsroom.writer, sample_draft(title="Senam Pagi Bersama", tags=["Olahraga"]))
    published = create_article(newsroom.writer, sample_draft(title="Turnamen Voli Antarblok", tags=["Olahraga"]))
    create_article(newsroom.writer, sample_draft(title="Pelatihan Menjahit", tags=["Kemandirian"]))
    transitions.submit(newsroom.writer, published.id)
    transitions.publish(newsroom.editor, published.id)
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await type_text(pilot, "Olahraga")
        await pilot.press("enter")
        await settle(pilot)
        assert sorted(_titles(pilot)) == ["Senam Pagi Bersama", "Turnamen Voli Antarblok"]
        await pilot.press("o")
        await settle(pilot)
        assert _articles(pilot).query_state.sort == "published"
        assert _titles(pilot) == ["Turnamen Voli Antarblok"]


async def test_trash_and_restore_ask_first(newsroom, make_app, sample_draft):
    article = create_article(newsroom.writer, sample_draft(title="Donor Darah Petugas"))
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _select(pilot, article.title)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmationModal)
        await pilot.press("n")
        await settle(pilot)
        assert get_article(article.id).status == "draft"
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert get_article(article.id).status == "trash"
        assert _titles(pilot) == []
        await pilot.press("7")
        await settle(pilot)
        assert _titles(pilot) == [article.title]
        await pilot.press("u")
        await settle(pilot)
        assert get_article(article.id).status == "draft"


async def test_editor_publishes_with_confirmation(newsroom, make_app, sample_draft):
    article = create_article(newsroom.writer, sample_draft(title="Pameran Karya Warga Binaan"))
    transitions.submit(newsroom.writer, article.id)
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _select(pilot, article.title)
        await settle(pilot)
        assert "p" in app.screen.active_bindings
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmationModal)
        await pilot.press("y")
        await settle(pilot)
        assert get_article(article.id).status == "published"


async def test_writer_cannot_publish_key_hidden_and_core_refuses(newsroom, make_app, sample_draft):
    article = create_article(newsroom.writer, sample_draft(title="Kerja Bakti Lingkungan"))
    transitions.submit(newsroom.writer, article.id)
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _select(pilot, article.title)
        await settle(pilot)
        screen = _articles(pilot)
        bindings = app.screen.active_bindings
        assert "p" not in bindings or not bindings["p"].enabled or bindings["p"].binding.action != "publish"
        assert screen.check_action("publish", ()) is False
        assert screen.check_action("review", ()) is False
        footer_actions = {b.binding.action for b in bindings.values() if b.binding.show and b.enabled}
        assert "publish" not in footer_actions and "review" not in footer_actions
        await pilot.press("p")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmationModal)
        assert get_article(article.id).status == "review"
    with pytest.raises(PermissionDenied):
        transitions.publish(newsroom.writer, article.id)


async def test_writer_sees_submit_only_on_own_draft(newsroom, make_app, sample_draft):
    own = create_article(newsroom.writer, sample_draft(title="Pengajian Rutin Jumat"))
    other = create_article(newsroom.writer2, sample_draft(title="Kelas Melukis"))
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _select(pilot, own.title)
        assert _articles(pilot).check_action("submit", ()) is True
        await pilot.press("s")
        await settle(pilot)
        assert get_article(own.id).status == "review"
        _select(pilot, other.title)
        assert _articles(pilot).check_action("submit", ()) is False
        assert _articles(pilot).check_action("trash", ()) is False


async def test_core_error_becomes_a_notification(newsroom, make_app, sample_draft):
    article = create_article(newsroom.writer, sample_draft(title="Sosialisasi Remisi"))
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _select(pilot, article.title)
        transitions.submit(newsroom.writer, article.id)  # someone else was quicker; the row is stale
        await pilot.press("s")
        await settle(pilot)
        assert any(n.severity == "error" for n in app._notifications)
        assert isinstance(app.screen, ArticlesScreen)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=40))
def test_whatever_is_typed_in_search_the_list_query_answers_or_explains(newsroom, sample_draft, text):
    """The search box hands the typed text to the core as is: it must answer or raise a BeritaError."""
    if not Article.select().exists():
        create_article(newsroom.writer, sample_draft(title="Razia Kamar Hunian"))
    try:
        page = listing.list_articles(listing.ArticleQuery(text=text, limit=PAGE_SIZE))
    except BeritaError:
        return
    assert len(page.rows) <= PAGE_SIZE


async def test_odd_search_text_never_breaks_the_screen(newsroom, make_app, sample_draft):
    create_article(newsroom.writer, sample_draft(title="Razia Kamar Hunian"))
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        search = _articles(pilot).query_one("#search", Input)
        for text in ('"', "*", "AND OR NOT", "(", "razia -", "ü💥", "NEAR(a b)", "title:x", "'"):
            search.value = text
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ArticlesScreen)
            await pilot.press("slash")
        search.value = "razia"
        await pilot.press("enter")
        await settle(pilot)
        assert _titles(pilot) == ["Razia Kamar Hunian"]


async def test_the_footer_lets_go_of_the_keys_it_replaced(newsroom, make_app):
    """Rebuilt over and over (moving between rows that allow other keys), the footer holds no more keys
    than it shows."""
    from textual.widgets._footer import FooterKey

    from beritatui.tui.widgets.footer import Footer

    draft = create_article(newsroom.editor, ArticleDraft(title="Draf Rilis Kegiatan Pramuka"))
    create_article(newsroom.editor, ArticleDraft(title="Rilis Penerimaan Remisi"))
    transitions.submit(newsroom.editor, draft.id)
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        first_keys = list(footer.query(FooterKey))
        for _ in range(8):
            await pilot.press("down")
            await settle(pilot, rounds=1)
            await pilot.press("up")
            await settle(pilot, rounds=1)
        keys = list(footer.query(FooterKey))
        watching = getattr(footer, "__watchers", {}).get("compact", [])
        assert keys and not set(map(id, keys)) & set(map(id, first_keys))  # it was rebuilt
        assert len(watching) <= len(keys)


async def test_a_screen_taken_down_widget_by_widget_answers_without_its_table(newsroom, make_app):
    """Textual removes a closing screen's widgets one at a time; a footer rebuild or a key check that lands
    in between finds the table gone and must not crash (CI once saw this after a language switch)."""
    from beritatui.tui.widgets.footer import Footer

    create_article(newsroom.editor, ArticleDraft(title="Rilis Kunjungan Keluarga"))
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        footer = screen.query_one(Footer)
        assert screen.current_row() is not None
        await screen.query_one(DataTable).remove()
        assert screen.current_row() is None
        assert screen.check_action("open", ()) is False
        shown = footer._shown
        footer._shown = None
        screen._pruning = True  # what Textual marks a screen it is taking down
        try:
            await footer._rebuild()
            assert footer._shown is None  # no keys built for a screen on its way out
        finally:
            screen._pruning = False
        footer._shown = shown
