"""The article list and the review queue move articles through the workflow with the core's one table of
actions (``core.transitions.ACTIONS``, as the command line does), passing the version the person saw."""

from __future__ import annotations

from beritatui.core import transitions
from beritatui.core.articles import ArticleDraft, create_article, get_article
from beritatui.tui.review import ReviewScreen

from .conftest import settle, type_text, wait_for


class Spy:
    """Stands in for one action of the table; records each call and runs the real one."""

    def __init__(self, real):
        self.real = real
        self.calls: list[tuple[tuple, dict]] = []

    def __call__(self, *args, **kwargs):
        self.calls.append((args, kwargs))
        return self.real(*args, **kwargs)


def _spy_on(monkeypatch, *names: str) -> dict[str, Spy]:
    spies = {name: Spy(transitions.ACTIONS[name]) for name in names}
    for name, spy in spies.items():
        monkeypatch.setitem(transitions.ACTIONS, name, spy)
    return spies


async def test_the_list_keys_apply_the_core_actions(newsroom, make_app, monkeypatch):
    spies = _spy_on(monkeypatch, "submit", "publish", "trash", "restore")
    # The writer's draft: the editor submits and publishes it (four-eyes: not their own).
    article = create_article(newsroom.writer, ArticleDraft(title="Penyuluhan Hukum bagi Warga Binaan"))
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: get_article(article.id).status == "review")
        await pilot.press("p", "y")
        await wait_for(pilot, lambda: get_article(article.id).status == "published")
        await pilot.press("d", "y")
        await wait_for(pilot, lambda: get_article(article.id).status == "trash")
        await pilot.press("7")
        await settle(pilot)
        await pilot.press("u")
        await wait_for(pilot, lambda: get_article(article.id).status == "published")
    assert [len(spy.calls) for spy in spies.values()] == [1, 1, 1, 1]
    assert spies["submit"].calls[0] == ((app.session.actor, article.id), {"base_version": 1})
    assert spies["publish"].calls[0][1] == {"base_version": 2}  # the row as read after the submit
    assert spies["trash"].calls[0][1] == {} and spies["restore"].calls[0][1] == {}


async def test_the_review_queue_applies_the_core_actions(newsroom, make_app, monkeypatch):
    spies = _spy_on(monkeypatch, "publish", "request-changes")
    first = transitions.submit(newsroom.writer, create_article(
        newsroom.writer, ArticleDraft(title="Kunjungan Keluarga Warga Binaan")).id)
    second = transitions.submit(newsroom.writer, create_article(
        newsroom.writer, ArticleDraft(title="Pelatihan Barista bagi Warga Binaan")).id)
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(ReviewScreen())
        screen = app.screen
        await wait_for(pilot, lambda: screen.current is not None and screen.current.article.id == first.id)
        await pilot.press("a", "y")
        await wait_for(pilot, lambda: get_article(first.id).status == "published")
        await wait_for(pilot, lambda: screen.current is not None and screen.current.article.id == second.id)
        await pilot.press("c")
        await type_text(pilot, "Lengkapi foto kegiatan")
        await pilot.press("enter")
        await wait_for(pilot, lambda: get_article(second.id).status == "draft")
    assert spies["publish"].calls == [((app.session.actor, first.id), {"base_version": first.version})]
    assert spies["request-changes"].calls == [
        ((app.session.actor, second.id, "Lengkapi foto kegiatan"), {"base_version": second.version})]
