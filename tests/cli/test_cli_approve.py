"""``beritatui approve`` and ``beritatui review``: a two-step chain from the command line, and its refusals."""

from __future__ import annotations

import json

import pytest

from beritatui.core import transitions, unit_admin, unit_settings
from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.database import current_database
from beritatui.core.models import Approval, Article, AuditEvent
from beritatui.core.users import add_user


@pytest.fixture
def chain(newsroom):
    """Lapas Watampone under Kanwil, reviewed in two steps (unit, then parent); lukman edits the unit, rina the
    region; yudi's article waits in review."""
    admin = newsroom.admin
    kanwil = unit_admin.add_unit(admin, "Kanwil Sulawesi Selatan")
    lapas = unit_admin.add_unit(admin, "Lapas Watampone", parent=kanwil.id)
    add_user(admin, "rina", display_name="Rina", role="editor", member_of=kanwil.id)
    add_user(admin, "lukman", display_name="Lukman", role="editor", member_of=lapas.id)
    yudi = add_user(admin, "yudi", display_name="A. Yudistira", role="writer", member_of=lapas.id)
    with current_database().atomic():
        unit_settings.store(lapas.id, "review_steps", "unit,parent")
    article = create_article(yudi, ArticleDraft(title="Panen Kangkung", body="Isi berita."), unit=lapas.id)
    return transitions.submit(yudi, article.id)


def test_approve_then_publish_as_the_parent_editor(cli, chain):
    slug = chain.slug
    refused = cli.refused("publish", slug, login="lukman")
    assert "Not yet: step 1/2 (unit) awaits an editor of Lapas Watampone" in refused.stderr
    out = cli.ok("approve", slug, "--note", "Angka sudah dicek", login="lukman").stdout
    assert "Approved; step 2/2 (parent) awaits an editor of Kanwil Sulawesi Selatan" in out
    assert "last step" in cli.refused("approve", slug, login="rina").stderr
    assert "You cannot approve this: step 2/2 (parent)" in cli.refused("publish", slug, login="lukman").stderr
    assert "Published: " in cli.ok("publish", slug, login="rina").stdout
    assert Article.get_by_id(chain.id).status == "published"
    assert [(a.step, a.login, a.note) for a in Approval.select().order_by(Approval.step)] == [
        (1, "lukman", "Angka sudah dicek"), (2, "rina", "")]
    assert AuditEvent.select().where(AuditEvent.action == "article.approve").count() == 1


def test_review_lists_only_what_awaits_my_step(cli, chain):
    assert chain.slug in cli.ok("review", login="lukman").stdout
    assert "step 1/2 (unit)" in cli.ok("review", login="rina").stdout
    assert "Nothing awaits your review." in cli.ok("review", login="yudi").stdout
    cli.ok("approve", chain.slug, login="lukman")
    assert "Nothing awaits your review." in cli.ok("review", login="lukman").stdout
    data = json.loads(cli.ok("review", "--json", login="rina").stdout)
    (item,) = data["articles"]
    assert item["slug"] == chain.slug and item["unit"] == "Lapas Watampone"
    assert item["step"] == {"number": 2, "of": 2, "name": "parent", "last": True}
    assert [(d["step"], d["name"], d["login"]) for d in item["done"]] == [(1, "unit", "lukman")]
    table = cli.ok("review", login="rina").stdout
    assert "step 2/2 (parent)" in table and "unit: approved by lukman" in table


def test_nobody_publishes_their_own_article_unless_the_unit_allows_it(cli, newsroom, wati_draft):
    eko_draft = create_article(newsroom.editor, ArticleDraft(title="Tulisan Eko", body="Isi."))
    cli.ok("submit", eko_draft.slug, login="eko")
    refused = cli.refused("publish", eko_draft.slug, login="eko")
    assert "four-eyes rule" in refused.stderr
    assert Article.get_by_id(eko_draft.id).status == "review"
    with current_database().atomic():
        unit_settings.store(eko_draft.unit_id, "self_approval", "on")
    assert "Published: " in cli.ok("publish", eko_draft.slug, login="eko").stdout
    event = AuditEvent.select().where(AuditEvent.action == "article.publish").get()
    assert event.details["self_approved"] is True
