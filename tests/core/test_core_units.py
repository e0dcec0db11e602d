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
