"""Who may do what, through the terminal app: the key is offered only to those allowed, and when the
screen is bypassed (its action or worker called directly) the core refuses with a notification.

What the app does not offer at all (users, site settings, reaction and article import) is covered
through the command line in test_rob_permissions_cli.py.  Each test keeps to one or two app runs:
starting the app is the slow part.
"""

from __future__ import annotations

from textual.widgets import DataTable

from beritatui.core import tags as coretags
from beritatui.core import transitions
from beritatui.core.articles import ArticleDraft, create_article, get_article, save_article
from beritatui.core.listing import ArticleQuery, list_articles
from beritatui.core.models import Article, Tag
from beritatui.core.users import deactivate, set_role
from beritatui.tui.articles import ArticlesScreen
from beritatui.tui.editor import EditorScreen
from beritatui.tui.help import screen_keys
from beritatui.tui.history import HistoryScreen
from beritatui.tui.review import ReviewScreen
from beritatui.tui.tags import TagsScreen
from beritatui.tui.widgets.confirm import ConfirmationModal
from beritatui.tui.widgets.schedule import ScheduleAnswer

from .conftest import dump, settle


def _offered(screen) -> set[str]:
    """Actions a person is shown: in the footer (enabled, shown) and on the help screen."""
    footer = {b.binding.action for b in screen.active_bindings.values() if b.binding.show and b.enabled}
    return footer | {line.action for line in screen_keys(screen)}


def _errors(app) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error"]


def _article(newsroom, author, title: str, status: str) -> Article:
    """An article by ``author`` brought to ``status`` (``trash:review``: trashed from review)."""
    article = create_article(author, ArticleDraft(title=title, body="Warga binaan menampilkan tari daerah.",
                                                  tags=["Humas"]))
    save_article(author, article.id, article.version, ArticleDraft(body="Tari daerah dan paduan suara."))
    source, _sep, before = status.partition(":")
    target = before or source
    if target in ("review", "published"):
        transitions.submit(author, article.id)
    if target == "published":
        transitions.publish(newsroom.editor, article.id)
    if source == "trash":
        transitions.trash(newsroom.editor, article.id)
    return get_article(article.id)


async def _select(pilot, article) -> ArticlesScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ArticlesScreen)
    await settle(pilot, lambda: any(row.id == article.id for row in screen.rows))
    index = next(i for i, row in enumerate(screen.rows) if row.id == article.id)
    screen.query_one(DataTable).move_cursor(row=index, animate=False)
    await settle(pilot)
    return screen


async def _bypass(pilot, call, errors_before: int) -> str:
    """Run a hidden action anyway; answer yes to a confirmation; return the error it ends in."""
    call()
    await settle(pilot)
    if isinstance(pilot.app.screen, ConfirmationModal):
        await pilot.press("y")
    await settle(pilot, lambda: len(_errors(pilot.app)) > errors_before)
    return _errors(pilot.app)[-1]


async def test_a_writer_is_not_offered_what_she_may_not_do_and_the_core_refuses_it(newsroom, make_app):
    own_draft = _article(newsroom, newsroom.writer, "Pentas Seni Warga Binaan", "draft")
    in_review = _article(newsroom, newsroom.writer, "Kunjungan Kerja Kepala Kanwil", "review")
    others_draft = _article(newsroom, newsroom.writer2, "Lomba Kebersihan Blok", "draft")
    trashed = _article(newsroom, newsroom.writer, "Bazar Produk Warga Binaan", "trash:review")
    before = dump(newsroom.path)
    app = make_app(newsroom.writer)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _select(pilot, own_draft)
        assert {"submit", "trash"} <= _offered(screen)  # her own draft: she may
        assert not {"publish", "review"} & _offered(screen)

        screen = await _select(pilot, in_review)
        assert not {"publish", "trash", "submit"} & _offered(screen)
        assert "Only an editor" in await _bypass(pilot, screen.action_publish, len(_errors(app)))
        screen = await _select(pilot, in_review)
        assert "own drafts" in await _bypass(pilot, screen.action_trash, len(_errors(app)))

        screen = await _select(pilot, others_draft)
        assert not {"submit", "trash"} & _offered(screen)
        screen = await _select(pilot, others_draft)
        assert "author or an editor" in await _bypass(pilot, screen.action_submit, len(_errors(app)))

        row = next(r for r in list_articles(ArticleQuery(status="trash")).rows if r.id == trashed.id)
        assert "own drafts" in await _bypass(
            pilot, lambda: screen._transition("restore", row, "{title}"), len(_errors(app)))

        await app.push_screen(ReviewScreen())  # the review queue turns writers away
        await settle(pilot, lambda: not isinstance(app.screen, ReviewScreen))
        assert any("Only editors" in str(n.message) for n in app._notifications)
    assert dump(newsroom.path) == before


async def test_a_writer_edits_only_her_own_drafts_tags_and_history_included(newsroom, make_app):
    own_draft = _article(newsroom, newsroom.writer, "Pentas Seni Warga Binaan", "draft")
    in_review = _article(newsroom, newsroom.writer, "Kunjungan Kerja Kepala Kanwil", "review")
    others_draft = _article(newsroom, newsroom.writer2, "Lomba Kebersihan Blok", "draft")
    app = make_app(newsroom.writer)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = EditorScreen(own_draft.id)
        await app.push_screen(screen)
        await settle(pilot, lambda: screen.loaded)
        assert {"save", "submit"} <= _offered(screen)
        screen.dismiss()
        await settle(pilot)
        before = dump(newsroom.path)
        for article in (in_review, others_draft):
            screen = EditorScreen(article.id)
            await app.push_screen(screen)
            await settle(pilot, lambda screen=screen: screen.loaded)
            assert screen.read_only_reason is not None
            assert not {"save", "submit", "external_editor"} & _offered(screen)
            message = await _bypass(pilot, lambda screen=screen: screen.save(
                {**screen.values(), "title": "Judul Tanpa Izin"}, None, None), len(_errors(app)))
            assert "may only edit" in message
            screen.dismiss()
            await settle(pilot)

            history = HistoryScreen(article.id)
            await app.push_screen(history)
            await settle(pilot, lambda history=history: history.current() is not None)
            assert "restore" not in _offered(history)
            message = await _bypass(pilot, lambda history=history, article=article: history._restore(
                1, get_article(article.id).version), len(_errors(app)))
            assert "may only edit" in message
            history.dismiss()
            await settle(pilot)

        tags = TagsScreen()
        await app.push_screen(tags)
        await settle(pilot, lambda: tags.current() is not None)
        assert not {"new", "rename", "merge", "delete"} & _offered(tags)
        for change in (lambda actor: coretags.create_tag(actor, "Seni Budaya"),
                       lambda actor: coretags.rename_tag(actor, "Humas", "Kehumasan"),
                       lambda actor: coretags.delete_tag(actor, "Humas")):
            message = await _bypass(pilot, lambda change=change: tags._change(change, "{x}", x=""),
                                    len(_errors(app)))
            assert "Only an editor may manage tags" in message
    assert dump(newsroom.path) == before
    assert [t.name for t in Tag.select()] == ["Humas"]


async def test_an_editor_is_offered_everything_until_demoted_while_the_app_is_open(newsroom, make_app):
    """Roles are read when the core acts, not when the app started: a role change takes effect at once."""
    in_review = _article(newsroom, newsroom.writer, "Kunjungan Kerja Kepala Kanwil", "review")
    app = make_app(newsroom.editor)
    async with app.run_test(size=(100, 30)) as pilot:
        home = await _select(pilot, in_review)
        assert {"publish", "trash", "review"} <= _offered(home)
        review = ReviewScreen()
        await app.push_screen(review)
        await settle(pilot, lambda: review.current is not None)
        assert {"approve", "schedule", "request_changes"} <= _offered(review)
        history = HistoryScreen(in_review.id)
        await app.push_screen(history)
        await settle(pilot, lambda: history.current() is not None)
        assert "restore" in _offered(history)
        history.dismiss()
        tags = TagsScreen()
        await app.push_screen(tags)
        await settle(pilot, lambda: tags.current() is not None)
        assert {"new", "rename", "merge", "delete"} <= _offered(tags)
        tags.dismiss()
        await settle(pilot, lambda: app.screen is review)

        set_role(newsroom.admin, "eko", "writer")  # while the queue is open
        before = dump(newsroom.path)
        article = get_article(in_review.id)
        for call in (lambda: review.run_transition("publish", article),
                     lambda: review.run_transition("request-changes", article, "Ganti foto"),
                     lambda: review.schedule(article, ScheduleAnswer("2099-01-02 09:00"))):
            assert "Only an editor" in await _bypass(pilot, call, len(_errors(app)))
    assert dump(newsroom.path) == before
    assert get_article(in_review.id).status == "review"


async def test_a_login_deactivated_while_the_app_is_open_can_no_longer_save(newsroom, make_app):
    article = _article(newsroom, newsroom.writer, "Pentas Seni Warga Binaan", "draft")
    app = make_app(newsroom.writer)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = EditorScreen(article.id)
        await app.push_screen(screen)
        await settle(pilot, lambda: screen.loaded)
        deactivate(newsroom.admin, "wati")
        message = await _bypass(pilot, lambda: screen.save(
            {**screen.values(), "title": "Judul Setelah Dinonaktifkan"}, None, None), len(_errors(app)))
        assert "not an editor of this database" in message
    assert get_article(article.id).title == "Pentas Seni Warga Binaan"
