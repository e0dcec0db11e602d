"""Units: the tree, roles that cover a subtree, and the workflow's rights following the tree."""

from __future__ import annotations

import pytest

from beritatui.core import transitions, unit_admin, units, workflow
from beritatui.core.articles import create_article, save_article
from beritatui.core.errors import NotFound, PermissionDenied, ValidationError
from beritatui.core.lookup import get_article
from beritatui.core.models import User
from beritatui.core.users import add_user


@pytest.fixture
def region(newsroom):
    """Kanwil (under the root) with Lapas Watampone and Rutan Makassar; an editor and a writer in each unit."""
    admin = newsroom.admin
    kanwil = unit_admin.add_unit(admin, "Kanwil Sulawesi Selatan")
    lapas = unit_admin.add_unit(admin, "Lapas Watampone", parent="Kanwil Sulawesi Selatan")
    rutan = unit_admin.add_unit(admin, "Rutan Makassar", parent=kanwil.id)
    people = {
        "rina": add_user(admin, "rina", display_name="Rina", role="editor", member_of="Kanwil Sulawesi Selatan"),
        "lukman": add_user(admin, "lukman", display_name="Lukman", role="editor", member_of="Lapas Watampone"),
        "yudi": add_user(admin, "yudi", display_name="A. Yudistira", role="writer", member_of="Lapas Watampone"),
        "rusdi": add_user(admin, "rusdi", display_name="Rusdi", role="editor", member_of="Rutan Makassar"),
    }
    return kanwil, lapas, rutan, people


def test_the_tree_keeps_paths_and_refuses_a_loop(newsroom, region):
    kanwil, lapas, rutan, _people = region
    root = units.root()
    assert lapas.path == f"/{root.id}/{kanwil.id}/{lapas.id}/"
    assert set(units.subtree_ids(kanwil)) == {kanwil.id, lapas.id, rutan.id}
    assert [u.name for u in units.all_units()][:2] == [root.name, "Kanwil Sulawesi Selatan"]
    with pytest.raises(ValidationError):
        unit_admin.move_unit(newsroom.admin, kanwil, lapas)
    with pytest.raises(ValidationError):
        unit_admin.add_unit(newsroom.admin, "lapas watampone")
    moved = unit_admin.move_unit(newsroom.admin, lapas, root)
    assert moved.path == f"/{root.id}/{lapas.id}/"
    assert set(units.subtree_ids(kanwil)) == {kanwil.id, rutan.id}
    renamed = unit_admin.rename_unit(newsroom.admin, rutan, "Rutan Kelas I Makassar")
    assert renamed.slug == "rutan-kelas-i-makassar" and units.get_unit("RUTAN KELAS I MAKASSAR").id == rutan.id
    with pytest.raises(NotFound):
        units.get_unit("Bapas Bone")


def test_a_role_covers_the_subtree_and_nothing_beside_it(region):
    kanwil, lapas, rutan, people = region
    assert units.role_in(people["rina"], lapas.id) == "editor"
    assert units.role_in(people["lukman"], lapas.id) == "editor"
    assert units.role_in(people["lukman"], rutan.id) is None
    assert units.role_in(people["lukman"], kanwil.id) is None
    assert not people["rina"].is_admin and people["rina"].is_editor


def test_rights_follow_the_tree_for_publish_edit_and_trash(newsroom, region, sample_draft):
    _kanwil, lapas, _rutan, people = region
    article = create_article(people["yudi"], sample_draft())
    assert article.unit_id == lapas.id  # the writer's own unit by default
    transitions.submit(people["yudi"], article.slug)
    for outsider_action in (lambda: transitions.publish(people["rusdi"], article.slug),
                            lambda: transitions.trash(people["rusdi"], article.slug),
                            lambda: save_article(people["rusdi"], article.slug, 2, sample_draft(title="Diubah"))):
        with pytest.raises(PermissionDenied):
            outsider_action()
    assert get_article(article.slug).status == "review"
    assert workflow.allowed(people["rina"], "publish", get_article(article.slug))
    published = transitions.publish(people["rina"], article.slug)  # the parent unit's editor may
    assert published.status == "published"
    assert not workflow.allowed(people["rusdi"], "unpublish", published)


def test_a_writer_writes_only_where_they_hold_a_role(newsroom, region, sample_draft):
    _kanwil, _lapas, rutan, people = region
    with pytest.raises(PermissionDenied):
        create_article(people["yudi"], sample_draft(), unit=rutan.id)
    assert create_article(people["rusdi"], sample_draft(), unit="Rutan Makassar").unit_id == rutan.id


def test_grant_revoke_and_the_last_admin_of_everything(newsroom, region):
    _kanwil, lapas, rutan, people = region
    unit_admin.grant(newsroom.admin, "yudi", rutan, "editor")
    assert units.role_in(User.get(User.login == "yudi"), rutan.id) == "editor"
    unit_admin.revoke(newsroom.admin, "yudi", rutan)
    assert units.role_in(User.get(User.login == "yudi"), rutan.id) is None
    with pytest.raises(PermissionDenied):  # an editor of a unit gives no roles
        unit_admin.grant(people["lukman"], "yudi", lapas, "editor")
    with pytest.raises(ValidationError):
        unit_admin.revoke(newsroom.admin, "ani", units.root())
    unit_admin.grant(newsroom.admin, "lukman", lapas, "admin")  # a unit's admin manages that unit only
    unit_admin.grant(User.get(User.login == "lukman"), "yudi", lapas, "editor")
    with pytest.raises(PermissionDenied):
        unit_admin.grant(User.get(User.login == "lukman"), "yudi", rutan, "editor")


def test_settings_are_inherited_down_the_tree_and_say_where_from(newsroom, region):
    from beritatui.core import unit_settings
    from beritatui.core.database import current_database

    kanwil, lapas, rutan, _people = region
    root = units.root()
    with current_database().atomic():
        unit_settings.store(root.id, "timezone", "Asia/Jakarta")
        unit_settings.store(kanwil.id, "timezone", "Asia/Makassar")
        unit_settings.store(lapas.id, "title", "Lapas Watampone")
    assert unit_settings.effective(lapas.id)["timezone"] == unit_settings.Inherited("Asia/Makassar", kanwil.id)
    assert unit_settings.value(lapas.id, "title") == "Lapas Watampone"
    assert unit_settings.value(rutan.id, "title") is None
    assert unit_settings.value(root.id, "timezone") == "Asia/Jakarta"
    with current_database().atomic():
        unit_settings.store(kanwil.id, "timezone", None)
    assert unit_settings.effective(rutan.id)["timezone"] == unit_settings.Inherited("Asia/Jakarta", root.id)


# -- moves, renames, the names people type ------------------------------------------------------------


def test_a_move_takes_the_whole_subtree_and_the_roles_follow(newsroom, region, sample_draft):
    kanwil, lapas, rutan, people = region
    pos = unit_admin.add_unit(newsroom.admin, "Pos Pelayanan Bone", parent=lapas)
    barat = unit_admin.add_unit(newsroom.admin, "Kanwil Sulawesi Barat")
    article = create_article(people["yudi"], sample_draft(), unit=pos.id)
    unit_admin.move_unit(newsroom.admin, lapas, barat)
    pos = units.get_unit(pos.id)
    assert pos.path == f"/{units.root_id()}/{barat.id}/{lapas.id}/{pos.id}/"
    assert units.ancestor_ids(pos.id) == [units.root_id(), barat.id, lapas.id, pos.id]
    assert set(units.subtree_ids(barat)) == {barat.id, lapas.id, pos.id}
    assert set(units.subtree_ids(kanwil)) == {kanwil.id, rutan.id}
    rina = User.get(User.login == "rina")  # editor of the old parent: no longer covers what moved
    assert units.role_in(rina, pos.id) is None and not workflow.is_editor_of(rina, get_article(article.id))
    assert units.role_in(User.get(User.login == "lukman"), pos.id) == "editor"  # held in the moved unit itself
    with pytest.raises(ValidationError):
        unit_admin.move_unit(newsroom.admin, barat, pos)  # under its own sub-unit
    with pytest.raises(PermissionDenied):
        unit_admin.move_unit(people["rina"], rutan, barat)


def test_a_rename_keeps_articles_people_and_sub_units(newsroom, region, sample_draft):
    _kanwil, lapas, _rutan, people = region
    pos = unit_admin.add_unit(newsroom.admin, "Pos Pelayanan Bone", parent=lapas)
    article = create_article(people["yudi"], sample_draft())
    renamed = unit_admin.rename_unit(newsroom.admin, "Lapas Watampone", "Lapas Kelas IIA Watampone")
    assert renamed.id == lapas.id and renamed.path == lapas.path and renamed.slug == "lapas-kelas-iia-watampone"
    assert get_article(article.id).unit_id == lapas.id
    assert {u.login for u, _role in units.members(renamed)} == {"lukman", "yudi"}
    assert units.get_unit(pos.id).parent_id == lapas.id
    with pytest.raises(NotFound):
        units.get_unit("Lapas Watampone")
    with pytest.raises(ValidationError):
        unit_admin.rename_unit(newsroom.admin, renamed, "rutan makassar")
    assert unit_admin.rename_unit(newsroom.admin, renamed, "LAPAS KELAS IIA WATAMPONE").name == \
        "LAPAS KELAS IIA WATAMPONE"  # its own name in another case is not taken


def test_names_are_found_in_any_case_before_slugs(newsroom):
    accented = unit_admin.add_unit(newsroom.admin, "Ümit Ödemiş")
    plain = unit_admin.add_unit(newsroom.admin, "umit-odemis")  # a name that is the other unit's slug
    assert accented.slug == "umit-odemis" and plain.slug == "umit-odemis-2"
    assert units.get_unit("ümit ödemiş").id == accented.id  # beyond ASCII, which SQLite's LOWER misses
    assert units.get_unit("UMIT-ODEMIS").id == plain.id  # a name first
    assert units.get_unit("umit-odemis-2").id == plain.id and units.get_unit(str(plain.id)).id == plain.id
    with pytest.raises(ValidationError):
        unit_admin.add_unit(newsroom.admin, "ÜMIT ÖDEMIŞ")
    with pytest.raises(ValidationError):
        unit_admin.add_unit(newsroom.admin, "Lapas \udcff")
    assert unit_admin.add_unit(newsroom.admin, "Rutan\x1b[31m  Maros").name == "Rutan[31m Maros"


# -- the read rule ----------------------------------------------------------------------------------


def test_the_read_rule_follows_the_tree_and_opens_at_publication(newsroom, region, sample_draft):
    from beritatui.core import notes, revisions, visibility

    _kanwil, lapas, rutan, people = region
    draft = create_article(people["yudi"], sample_draft())
    readers = {login: visibility.may_read(user, draft) for login, user in people.items()}
    assert readers == {"rina": True, "lukman": True, "yudi": True, "rusdi": False}
    assert visibility.may_read(newsroom.admin, draft) and visibility.may_read(newsroom.editor, draft)
    for read in (lambda: visibility.readable_article(people["rusdi"], draft.slug),
                 lambda: notes.notes_for(people["rusdi"], draft.slug),
                 lambda: revisions.list_revisions(draft.slug, reader=people["rusdi"]),
                 lambda: revisions.diff(draft.slug, 1, reader=people["rusdi"])):
        with pytest.raises(PermissionDenied, match="Lapas Watampone"):
            read()
    assert revisions.list_revisions(draft.slug)  # nobody in particular (the system) reads everything
    for status_change in (transitions.submit, transitions.publish):
        status_change(people["lukman"], draft.slug)
    published = get_article(draft.slug)
    assert visibility.may_read(people["rusdi"], published)
    transitions.unpublish(people["lukman"], draft.slug)
    assert not visibility.may_read(people["rusdi"], get_article(draft.slug))  # archived: closed again
    unit_admin.revoke(newsroom.admin, "yudi", lapas)  # the writer keeps reading their own article
    assert visibility.may_read(User.get(User.login == "yudi"), get_article(draft.slug))
    assert not visibility.may_read(people["rusdi"], create_article(people["rina"], sample_draft(), unit=lapas.id))
    assert visibility.may_read(people["rusdi"], create_article(people["rusdi"], sample_draft(), unit=rutan.id))


def test_lists_apply_the_read_rule_once_per_list(newsroom, region, sample_draft):
    from beritatui.core import listing, visibility

    kanwil, lapas, rutan, people = region
    lapas_draft = create_article(people["yudi"], sample_draft())
    rutan_draft = create_article(people["rusdi"], sample_draft())
    rutan_live = create_article(people["rusdi"], sample_draft())
    transitions.submit(people["rusdi"], rutan_live.slug)
    transitions.publish(people["rina"], rutan_live.slug)  # four eyes: the region's editor

    def listed(actor: User, unit: object = None, all_units: bool = False) -> set[int]:
        scope = visibility.list_scope(actor, unit, all_units=all_units)
        page = listing.list_articles(listing.ArticleQuery(unit_ids=scope.unit_ids, reader=scope.reader, limit=500))
        return {row.id for row in page.rows}

    lukman = people["lukman"]
    assert listed(lukman) == {lapas_draft.id}
    assert listed(lukman, all_units=True) == {lapas_draft.id, rutan_live.id}
    assert listed(lukman, rutan.id) == {rutan_live.id}
    assert listed(people["rina"], kanwil.id) == {lapas_draft.id, rutan_draft.id, rutan_live.id}
    assert listed(newsroom.admin, all_units=True) >= {lapas_draft.id, rutan_draft.id, rutan_live.id}
    # who reads every listed unit gets no extra condition (the list stays on its index)
    assert visibility.list_scope(people["rina"], kanwil.id).reader is None
    assert visibility.list_scope(newsroom.admin, all_units=True) == visibility.Scope(None, None)
    assert visibility.list_scope(lukman, rutan.id).reader == visibility.Reader((lapas.id,), lukman.id)
    assert visibility.list_scope(lukman).unit_ids == (lapas.id,)
    assert visibility.list_scope(newsroom.writer) == visibility.Scope(None, None)  # a root member: every unit
    assert visibility.list_scope(lukman, units.root_id()) == visibility.Scope(None, visibility.Reader(
        (lapas.id,), lukman.id))


def test_a_root_members_list_keeps_articles_written_without_a_unit(newsroom, sample_draft):
    from beritatui.core import listing, visibility
    from beritatui.core.models import Article

    article = create_article(newsroom.writer, sample_draft())
    Article.update(unit=None).where(Article.id == article.id).execute()  # as bulk corpora write them
    scope = visibility.list_scope(newsroom.writer)
    page = listing.list_articles(listing.ArticleQuery(unit_ids=scope.unit_ids, reader=scope.reader))
    assert article.id in {row.id for row in page.rows}


def test_every_units_settings_at_once_agree_with_each_units_own_reading(newsroom, region):
    from beritatui.core import unit_settings
    from beritatui.core.database import current_database

    kanwil, lapas, rutan, _people = region
    with current_database().atomic():
        unit_settings.store(units.root_id(), "review_steps", "unit")
        unit_settings.store(kanwil.id, "review_steps", "unit,parent")
        unit_settings.store(rutan.id, "self_approval", "on")
    everywhere = unit_settings.effective_everywhere(("review_steps", "self_approval"))
    for unit in units.all_units():
        own = {key: hit for key, hit in unit_settings.effective(unit.id).items()
               if key in ("review_steps", "self_approval")}
        assert everywhere[unit.id] == own, unit.name
    assert everywhere[lapas.id]["review_steps"] == unit_settings.Inherited("unit,parent", kanwil.id)
