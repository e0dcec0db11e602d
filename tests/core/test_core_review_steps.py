"""Approval chains (core.review_steps): steps approved in order by the right editors, the four-eyes rule,
rounds that start at each submit, and the queue that shows each person only what awaits their step."""

from __future__ import annotations

from datetime import timedelta

import pytest

from beritatui.core import audit, clock, review_steps, transitions, unit_admin, unit_settings
from beritatui.core.articles import ArticleDraft, create_article, get_article
from beritatui.core.database import current_database
from beritatui.core.errors import InvalidTransition, PermissionDenied
from beritatui.core.inbox import inbox
from beritatui.core.models import Approval
from beritatui.core.review_queue import queue_for
from beritatui.core.users import add_user


def set_rule(unit_id: int, key: str, value: str | None) -> None:
    with current_database().atomic():
        unit_settings.store(unit_id, key, value)


@pytest.fixture
def region(newsroom):
    """Kanwil (under the root) with Lapas Watampone under it: a regional editor, a unit editor, a writer."""
    admin = newsroom.admin
    kanwil = unit_admin.add_unit(admin, "Kanwil Sulawesi Selatan")
    lapas = unit_admin.add_unit(admin, "Lapas Watampone", parent=kanwil.id)
    people = {
        "rina": add_user(admin, "rina", display_name="Rina", role="editor", member_of=kanwil.id),
        "lukman": add_user(admin, "lukman", display_name="Lukman", role="editor", member_of=lapas.id),
        "andi": add_user(admin, "andi", display_name="Andi", role="editor", member_of=lapas.id),
        "yudi": add_user(admin, "yudi", display_name="A. Yudistira", role="writer", member_of=lapas.id),
    }
    return kanwil, lapas, people


def in_review(writer, unit, title="Panen kangkung", bylines=None):
    draft = ArticleDraft(title=title, body="Isi berita.", **({"bylines": bylines} if bylines else {}))
    article = create_article(writer, draft, unit=unit.id)
    return transitions.submit(writer, article.id)


def test_parse_steps_keeps_known_words_in_order_and_falls_back_to_unit():
    assert review_steps.parse_steps("unit, Parent") == ("unit", "parent")
    assert review_steps.parse_steps("parent,bogus,root") == ("parent", "root")
    assert review_steps.parse_steps("") == ("unit",)
    assert review_steps.parse_steps(None) == ("unit",)
    assert review_steps.parse_steps("bogus") == ("unit",)
    assert review_steps.parse_on("ON") and not review_steps.parse_on("maybe") and not review_steps.parse_on(None)


def test_the_rules_are_inherited_from_the_unit_above(region):
    kanwil, lapas, _people = region
    assert (review_steps.steps_for(lapas.id), review_steps.self_approval_on(lapas.id)) == (("unit",), False)
    set_rule(kanwil.id, "review_steps", "unit,parent")
    set_rule(kanwil.id, "self_approval", "on")
    assert (review_steps.steps_for(lapas.id), review_steps.self_approval_on(lapas.id)) == (("unit", "parent"), True)
    set_rule(lapas.id, "review_steps", "root")
    assert review_steps.steps_for(lapas.id) == ("root",) and review_steps.steps_for(kanwil.id) == ("unit", "parent")


def test_the_approvers_of_each_step(region, newsroom):
    kanwil, lapas, _people = region
    from beritatui.core import units

    root = units.root_id()
    assert review_steps.approver_unit("unit", lapas.id) == lapas.id
    assert review_steps.approver_unit("parent", lapas.id) == kanwil.id
    assert review_steps.approver_unit("root", lapas.id) == root
    assert review_steps.approver_unit("parent", root) == root  # the root's parent: the root itself


def test_a_one_step_chain_publishes_as_before(region):
    _kanwil, lapas, people = region
    article = in_review(people["yudi"], lapas)
    assert review_steps.chain_of(article).label() == "step 1/1 (unit)"
    with pytest.raises(InvalidTransition, match="last step.*beritatui publish"):
        review_steps.approve(people["lukman"], article.id)
    done = transitions.publish(people["lukman"], article.id)
    assert done.status == "published"
    (row,) = Approval.select()
    assert (row.step, row.step_name, row.login, row.round, row.self_approved) == (1, "unit", "lukman", 1, False)
    event = audit.events(article.id, limit=1)[0]
    assert event.action == "article.publish" and event.details["step"] == 1 and "self_approved" not in event.details


def test_a_two_step_chain_unit_then_parent(region):
    kanwil, lapas, people = region
    set_rule(lapas.id, "review_steps", "unit,parent")
    article = in_review(people["yudi"], lapas)
    with pytest.raises(InvalidTransition, match=r"Not yet: step 1/2 \(unit\) awaits an editor of Lapas Watampone"):
        transitions.publish(people["lukman"], article.id)
    with pytest.raises(InvalidTransition, match="Not yet"):
        transitions.schedule(people["rina"], article.id, clock.utcnow() + timedelta(days=1))
    chain = review_steps.approve(people["lukman"], article.id, note="Angka sudah dicek")
    assert (chain.position, chain.current, chain.done[0].login, chain.done[0].note) == (2, "parent", "lukman",
                                                                                        "Angka sudah dicek")
    assert get_article(article.id).status == "review" and get_article(article.id).version == article.version
    with pytest.raises(PermissionDenied, match=r"step 2/2 \(parent\) awaits an editor of Kanwil"):
        transitions.publish(people["andi"], article.id)  # an editor of the unit, not of its parent
    with pytest.raises(InvalidTransition, match="last step"):
        review_steps.approve(people["rina"], article.id)
    done = transitions.schedule(people["rina"], article.id, clock.utcnow() + timedelta(days=1))
    assert done.status == "scheduled"
    assert [(a.step, a.step_name, a.login) for a in Approval.select().order_by(Approval.step)] == [
        (1, "unit", "lukman"), (2, "parent", "rina")]
    assert audit.events(article.id, limit=2)[1].action == "article.approve"


def test_one_person_approves_one_step_of_a_round(region):
    _kanwil, lapas, people = region
    set_rule(lapas.id, "review_steps", "unit,parent")
    article = in_review(people["yudi"], lapas)
    review_steps.approve(people["rina"], article.id)  # the regional editor is an editor of the unit too
    with pytest.raises(PermissionDenied, match="approved step 1 of this round already"):
        transitions.publish(people["rina"], article.id)
    assert [item.row.id for item in queue_for(people["rina"])] == []


def test_a_new_round_starts_at_each_submit(region):
    _kanwil, lapas, people = region
    set_rule(lapas.id, "review_steps", "unit,parent")
    article = in_review(people["yudi"], lapas)
    review_steps.approve(people["lukman"], article.id)
    transitions.request_changes(people["rina"], article.id, "Foto kurang jelas")
    again = transitions.submit(people["yudi"], article.id)
    chain = review_steps.chain_of(again)
    assert (chain.round, chain.position, chain.done) == (2, 1, ())
    assert Approval.select().count() == 1  # the first round's approval stays, as history
    review_steps.approve(people["lukman"], article.id)
    assert review_steps.chain_of(get_article(article.id)).position == 2


def test_four_eyes_nobody_approves_or_publishes_their_own_article(region, sample_draft):
    _kanwil, lapas, people = region
    set_rule(lapas.id, "review_steps", "unit,parent")
    mine = in_review(people["lukman"], lapas, title="Tulisan Lukman")
    with pytest.raises(PermissionDenied, match="four-eyes rule"):
        review_steps.approve(people["lukman"], mine.id)
    bylined = in_review(people["yudi"], lapas, title="Bersama Rina", bylines=[("rina", "Kanwil")])
    review_steps.approve(people["lukman"], bylined.id)
    with pytest.raises(PermissionDenied, match="on its byline"):
        transitions.publish(people["rina"], bylined.id)  # "rina" is her display name, in another case
    draft = create_article(people["andi"], ArticleDraft(title="Draf Andi", body="Isi."), unit=lapas.id)
    set_rule(lapas.id, "review_steps", None)
    with pytest.raises(PermissionDenied, match="four-eyes"):
        transitions.schedule(people["andi"], draft.id, clock.utcnow() + timedelta(days=1))
    assert mine.id not in [item.row.id for item in queue_for(people["lukman"])]


def test_self_approval_on_lets_a_one_person_unit_publish_and_the_audit_says_so(region):
    _kanwil, lapas, people = region
    set_rule(lapas.id, "self_approval", "on")
    mine = in_review(people["lukman"], lapas, title="Tulisan Lukman")
    assert mine.id in [item.row.id for item in queue_for(people["lukman"])]
    transitions.publish(people["lukman"], mine.id)
    event = audit.events(mine.id, limit=1)[0]
    assert event.action == "article.publish" and event.details["self_approved"] is True
    assert Approval.get(Approval.article == mine.id).self_approved


def test_scheduling_a_draft_needs_a_one_step_chain(region):
    _kanwil, lapas, people = region
    draft = create_article(people["yudi"], ArticleDraft(title="Draf Yudi", body="Isi."), unit=lapas.id)
    set_rule(lapas.id, "review_steps", "unit,parent")
    with pytest.raises(InvalidTransition, match="needs 2 approvals: submit it for review first"):
        transitions.schedule(people["rina"], draft.id, clock.utcnow() + timedelta(days=1))
    set_rule(lapas.id, "review_steps", "unit")
    done = transitions.schedule(people["lukman"], draft.id, clock.utcnow() + timedelta(days=1))
    assert done.review_round == 1 and Approval.get(Approval.article == draft.id).login == "lukman"


def test_the_queue_shows_each_person_what_awaits_their_step(region):
    _kanwil, lapas, people = region
    set_rule(lapas.id, "review_steps", "unit,parent")
    first = in_review(people["yudi"], lapas, title="Pertama")
    second = in_review(people["yudi"], lapas, title="Kedua")
    review_steps.approve(people["lukman"], second.id)
    ids = {login: [item.row.id for item in queue_for(people[login])] for login in ("rina", "lukman", "andi", "yudi")}
    assert ids["lukman"] == [first.id]  # he approved step 1 of the second: step 2 is not his
    assert ids["andi"] == [first.id]  # an editor of the unit, not of its parent
    assert ids["rina"] == [first.id, second.id]  # the regional editor may approve either step
    assert ids["yudi"] == []
    (item,) = [i for i in queue_for(people["rina"]) if i.row.id == second.id]
    assert item.chain.label() == "step 2/2 (parent)" and item.chain.done_lines() == ["unit: approved by lukman"]
    assert [r.step for r in inbox(people["rina"], mark_seen=False).review] == ["step 1/2 (unit)",
                                                                                "step 2/2 (parent)"]
    assert [r.article_id for r in inbox(people["lukman"], mark_seen=False).review] == [first.id]


def test_approve_refuses_what_is_not_in_review_and_a_stale_version(region):
    from beritatui.core.errors import Conflict

    _kanwil, lapas, people = region
    set_rule(lapas.id, "review_steps", "unit,parent")
    draft = create_article(people["yudi"], ArticleDraft(title="Draf", body="Isi."), unit=lapas.id)
    with pytest.raises(InvalidTransition, match="Only an article in review"):
        review_steps.approve(people["lukman"], draft.id)
    article = in_review(people["yudi"], lapas, title="Lama")
    with pytest.raises(Conflict):
        review_steps.approve(people["lukman"], article.id, base_version=article.version - 1)
    with pytest.raises(PermissionDenied):
        review_steps.approve(people["yudi"], article.id)


def test_a_root_step_and_a_self_approved_step_in_the_audit(region, newsroom):
    _kanwil, lapas, people = region
    set_rule(lapas.id, "review_steps", "unit,root")
    set_rule(lapas.id, "self_approval", "on")
    mine = in_review(people["lukman"], lapas, title="Tulisan Lukman")
    chain = review_steps.approve(people["lukman"], mine.id)
    event = audit.events(mine.id, limit=1)[0]
    assert (event.action, event.details["self_approved"], event.details["step_name"]) == ("article.approve", True,
                                                                                           "unit")
    assert chain.label() == "step 2/2 (root)"
    with pytest.raises(PermissionDenied, match=r"step 2/2 \(root\) awaits an editor of"):
        transitions.publish(people["rina"], mine.id)  # the region's editor is not an editor of the root
    assert transitions.publish(newsroom.editor, mine.id).status == "published"
