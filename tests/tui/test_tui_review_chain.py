"""The review screen walks a two-step approval chain with real keys: the unit's editor approves step 1 (with
a note), the region's editor sees step 2 with who approved step 1, and publishes."""

from __future__ import annotations

from textual.widgets import Static

from beritatui.core import transitions, unit_admin, unit_settings
from beritatui.core.articles import ArticleDraft, create_article, get_article
from beritatui.core.database import current_database
from beritatui.core.models import Approval
from beritatui.core.users import add_user
from beritatui.tui.review import ReviewScreen

from .conftest import settle, type_text, wait_for


def footer_text(app) -> str:
    return " ".join(str(binding.description) for _node, binding, enabled, _tip in app.screen.active_bindings.values()
                    if enabled and binding.show)


async def test_approve_step_one_then_publish_at_step_two(newsroom, make_app):
    admin = newsroom.admin
    kanwil = unit_admin.add_unit(admin, "Kanwil Sulawesi Selatan")
    lapas = unit_admin.add_unit(admin, "Lapas Watampone", parent=kanwil.id)
    rina = add_user(admin, "rina", display_name="Rina", role="editor", member_of=kanwil.id)
    lukman = add_user(admin, "lukman", display_name="Lukman", role="editor", member_of=lapas.id)
    yudi = add_user(admin, "yudi", display_name="A. Yudistira", role="writer", member_of=lapas.id)
    with current_database().atomic():
        unit_settings.store(lapas.id, "review_steps", "unit,parent")
    article = transitions.submit(yudi, create_article(yudi, ArticleDraft(title="Panen Kangkung", body="Isi."),
                                                      unit=lapas.id).id)

    app = make_app(lukman)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.current is not None)
        screen = app.screen
        assert "step 1/2 (unit)" in str(screen.query_one("#chain", Static).render())
        assert "Approve" in footer_text(app) and "Publish" not in footer_text(app)
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "Angka sudah dicek")
        await pilot.press("enter")
        await wait_for(pilot, lambda: Approval.select().count() == 1)
        await wait_for(pilot, lambda: screen.current is None)  # step 2 is not his: his queue is empty
    assert get_article(article.id).status == "review"
    assert (Approval.get().login, Approval.get().note) == ("lukman", "Angka sudah dicek")

    app = make_app(rina)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.current is not None)
        chain = str(app.screen.query_one("#chain", Static).render())
        assert "step 2/2 (parent)" in chain and "unit: approved by lukman" in chain
        assert "Publish" in footer_text(app) and "Approve" not in footer_text(app)
        await pilot.press("a", "y")
        await wait_for(pilot, lambda: get_article(article.id).status == "published")
    assert [(a.step, a.login) for a in Approval.select().order_by(Approval.step)] == [(1, "lukman"), (2, "rina")]
