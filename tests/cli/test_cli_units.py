"""Units through the command line: ``unit add|list|show|rename|move``, roles per unit through ``user``,
``new --unit``, ``list --unit|--all-units|--byline-unit`` and the read rule on show, history, diff and notes."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from beritatui.core import transitions, units
from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.models import Unit, User
from beritatui.core.validation import strip_controls


@pytest.fixture
def region(cli):
    """Kanwil Sulawesi Selatan under the root, Lapas Watampone and Rutan Makassar under it, people in each."""
    cli.ok("unit", "add", "Kanwil Sulawesi Selatan")
    cli.ok("unit", "add", "Lapas Watampone", "--parent", "Kanwil Sulawesi Selatan")
    cli.ok("unit", "add", "Rutan Makassar", "--parent", "kanwil-sulawesi-selatan")
    cli.ok("user", "add", "rina", "--name", "Rina", "--unit", "Kanwil Sulawesi Selatan", "--role", "editor")
    cli.ok("user", "add", "lukman", "--name", "Lukman", "--unit", "Lapas Watampone", "--role", "editor")
    cli.ok("user", "add", "yudi", "--name", "A. Yudistira", "--unit", "Lapas Watampone", "--role", "writer")
    cli.ok("user", "add", "rusdi", "--name", "Rusdi", "--unit", "rutan-makassar", "--role", "editor")
    return cli


def _draft(login: str, title: str, unit: str | None = None):
    user = User.get(User.login == login)
    return create_article(user, ArticleDraft(title=title, body="Isi berita."), unit=unit)


# -- unit add / list / show -----------------------------------------------------------------------


def test_unit_list_is_the_tree_indented_and_its_json_has_the_counts(region):
    _draft("yudi", "Senam Pagi di Lapas")
    lines = region.ok("unit", "list").stdout.splitlines()
    assert lines[0].split()[:2] == ["Unit", "Slug"]
    kanwil = next(line for line in lines if "Kanwil" in line)
    lapas = next(line for line in lines if "Lapas Watampone" in line)
    assert kanwil.startswith("  Kanwil") and lapas.startswith("    Lapas Watampone")
    assert lines.index(lapas) > lines.index(kanwil) and len(lines) == 5  # the header and four units
    listed = json.loads(region.ok("unit", "list", "--json").stdout)
    assert [u["name"] for u in listed][1:] == ["Kanwil Sulawesi Selatan", "Lapas Watampone", "Rutan Makassar"]
    lapas_json = listed[2]
    assert set(lapas_json) == {"id", "name", "slug", "parent", "path", "depth", "people", "articles"}
    assert lapas_json | {"id": 0, "path": ""} == {
        "id": 0, "name": "Lapas Watampone", "slug": "lapas-watampone", "parent": "Kanwil Sulawesi Selatan",
        "path": "", "depth": 2, "people": 2, "articles": 1}
    assert lapas_json["path"] == units.get_unit("Lapas Watampone").path
    assert listed[0]["parent"] is None and listed[0]["depth"] == 0
    assert listed[0]["people"] == 4  # ani, eko, wati and budi hold their roles in the root


def test_unit_show_names_sub_units_people_and_articles_per_status(region):
    article = _draft("yudi", "Panen Sayur")
    transitions.submit(User.get(User.login == "yudi"), article.slug)
    _draft("lukman", "Kunjungan Keluarga")
    shown = json.loads(region.ok("unit", "show", "lapas watampone", "--json").stdout)
    assert shown["name"] == "Lapas Watampone" and shown["parent"] == "Kanwil Sulawesi Selatan"
    assert shown["members"] == [{"login": "lukman", "name": "Lukman", "role": "editor"},
                                {"login": "yudi", "name": "A. Yudistira", "role": "writer"}]
    assert shown["by_status"]["review"] == 1 and shown["by_status"]["draft"] == 1
    assert shown["by_status"]["published"] == 0 and shown["sub_units"] == []
    kanwil = json.loads(region.ok("unit", "show", "Kanwil Sulawesi Selatan", "--json").stdout)
    assert kanwil["sub_units"] == ["Lapas Watampone", "Rutan Makassar"]
    assert kanwil["articles"] == 0 and kanwil["articles_with_sub_units"] == 2
    text = region.ok("unit", "show", "Lapas Watampone").stdout
    assert "Kanwil Sulawesi Selatan › Lapas Watampone" in text and "lukman" in text and "in review 1" in text


def test_unit_commands_refuse_bad_input_with_one_line(region):
    assert "beritatui unit add" in region.refused("unit", "show", "Bapas Bone").stderr
    assert "beritatui unit add" in region.refused("unit", "add", "Bapas Bone", "--parent", "Kanwil Sulsel").stderr
    assert "already a unit" in region.refused("unit", "add", "RUTAN MAKASSAR").stderr
    assert "needs a name" in region.refused("unit", "add", "   ").stderr
    region.refused("unit", "add", "Lapas\u200bWatampone")  # a hidden character
    region.refused("unit", "add", "x" * 200)
    assert "Only an admin" in region.refused("unit", "add", "Bapas Bone", login="rina").stderr
    assert "Only an admin" in region.refused("unit", "rename", "Rutan Makassar", "Rutan I", login="rusdi").stderr
    assert "under itself" in region.refused("unit", "move", "Kanwil Sulawesi Selatan", "--parent",
                                            "Lapas Watampone").stderr
    assert "root unit cannot move" in region.refused("unit", "move", units.root().name, "--parent",
                                                     "Rutan Makassar").stderr
    assert region("unit", "move", "Rutan Makassar").exit_code == 2  # --parent is required
    assert json.loads(region.ok("unit", "list", "--json", login="yudi").stdout)  # anyone reads the tree


def test_a_unit_admin_adds_below_their_unit_only(region):
    region.ok("user", "grant", "lukman", "--unit", "Lapas Watampone", "--role", "admin")
    region.ok("unit", "add", "Pos Pelayanan Watampone", "--parent", "Lapas Watampone", login="lukman")
    assert units.get_unit("pos-pelayanan-watampone").parent_id == units.get_unit("Lapas Watampone").id
    region.refused("unit", "add", "Pos Rutan", "--parent", "Rutan Makassar", login="lukman")
    region.refused("unit", "add", "Kanwil Sulawesi Barat", login="lukman")  # the root's admins only


def test_rename_keeps_articles_and_move_takes_the_subtree(region):
    article = _draft("yudi", "Penyuluhan Hukum")
    out = region.ok("unit", "rename", "Lapas Watampone", "Lapas Kelas IIA Watampone").stdout
    assert "Lapas Kelas IIA Watampone (lapas-kelas-iia-watampone)" in out
    assert units.get_unit("lapas-kelas-iia-watampone").id == article.unit_id
    assert json.loads(region.ok("show", article.slug, "--json").stdout)["unit"] == "Lapas Kelas IIA Watampone"
    region.ok("unit", "add", "Pos Bone", "--parent", "Lapas Kelas IIA Watampone")
    region.ok("unit", "add", "Kanwil Sulawesi Barat")
    assert "under Kanwil Sulawesi Barat" in region.ok("unit", "move", "lapas-kelas-iia-watampone", "--parent",
                                                      "Kanwil Sulawesi Barat").stdout
    pos = units.get_unit("Pos Bone")
    barat = units.get_unit("Kanwil Sulawesi Barat")
    assert f"/{barat.id}/" in pos.path and units.depth(pos) == 3
    assert set(units.subtree_ids(barat)) == {barat.id, article.unit_id, pos.id}
    # rina (editor of Kanwil Sulawesi Selatan) no longer covers the moved unit
    assert units.role_in(User.get(User.login == "rina"), article.unit_id) is None


# -- people per unit --------------------------------------------------------------------------------


def test_user_add_grant_revoke_and_list_roles_per_unit(region):
    region.ok("user", "grant", "yudi", "--unit", "Rutan Makassar", "--role", "editor")
    listed = {u["login"]: u for u in json.loads(region.ok("user", "list", "--json").stdout)}
    assert listed["yudi"]["roles"] == [{"unit": "Lapas Watampone", "role": "writer"},
                                       {"unit": "Rutan Makassar", "role": "editor"}]
    assert listed["yudi"]["unit"] == "Lapas Watampone"  # the byline unit defaults to the unit's name
    assert listed["ani"]["roles"] == [{"unit": units.root().name, "role": "admin"}]
    assert "Lapas Watampone: writer, Rutan Makassar: editor" in region.ok("user", "list").stdout
    assert "no longer holds a role in Rutan Makassar" in region.ok("user", "revoke", "yudi", "--unit",
                                                                   "Rutan Makassar").stdout
    assert units.role_in(User.get(User.login == "yudi"), units.get_unit("Rutan Makassar").id) is None
    assert "holds no role" in region.refused("user", "revoke", "yudi", "--unit", "Rutan Makassar").stderr
    assert "beritatui unit add" in region.refused("user", "grant", "yudi", "--unit", "Bapas Bone",
                                                  "--role", "writer").stderr
    assert region("user", "grant", "yudi", "--unit", "Rutan Makassar", "--role", "boss").exit_code == 2
    assert region("user", "grant", "yudi", "--role", "writer").exit_code == 2  # --unit is required
    region.refused("user", "grant", "yudi", "--unit", "Rutan Makassar", "--role", "editor", login="rusdi")
    region.refused("user", "grant", "nobody", "--unit", "Rutan Makassar", "--role", "editor")


def test_user_add_without_unit_is_the_root_and_the_byline_unit_is_free_text(region):
    region.ok("user", "add", "sari", "--name", "Sari", "--byline-unit", "Humas Kanwil")
    sari = User.get(User.login == "sari")
    assert sari.unit == "Humas Kanwil" and units.held_role(sari, units.root_id()) == "writer"
    region.ok("user", "profile", "sari", "--byline-unit", "Lapas Bone", login="sari")
    assert "Lapas Bone" in region.ok("user", "profile", "sari").stdout
    region.refused("user", "profile", "sari", "--name", "Bukan Sari", login="yudi")
    assert "Only an admin" in region.refused("user", "add", "dewi", "--unit", "Rutan Makassar", login="rina").stderr


# -- articles in units ------------------------------------------------------------------------------


def test_new_in_a_unit_and_lists_scoped_to_units(region):
    region.ok("new", "--title", "Senam Pagi Watampone", "--unit", "Lapas Watampone", input="Isi.", login="rina")
    region.ok("new", "--title", "Layanan Kunjungan Rutan", input="Isi.", login="rusdi")  # home unit: Rutan
    region.ok("new", "--title", "Rapat Koordinasi Kanwil", input="Isi.", login="rina")
    assert "may not write in" in region.refused("new", "--title", "Salah Unit", "--unit", "Rutan Makassar",
                                                input="Isi.", login="yudi").stderr
    assert "beritatui unit add" in region.refused("new", "--title", "X", "--unit", "Bapas Bone", input="Isi.",
                                                  login="rina").stderr

    def titles(*args: str, login: str = "ani") -> set[str]:
        return {row["title"] for row in json.loads(region.ok("list", "--json", *args, login=login).stdout)}

    everything = {"Senam Pagi Watampone", "Layanan Kunjungan Rutan", "Rapat Koordinasi Kanwil"}
    assert titles() == everything
    assert titles("--unit", "Kanwil Sulawesi Selatan") == everything  # the unit and its sub-units
    assert titles("--unit", "Lapas Watampone") == {"Senam Pagi Watampone"}
    assert titles(login="lukman") == {"Senam Pagi Watampone"}  # default: the units one belongs to
    assert titles(login="rusdi") == {"Layanan Kunjungan Rutan"}
    assert titles("--all-units", login="lukman") == {"Senam Pagi Watampone"}  # drafts elsewhere stay hidden
    rows = json.loads(region.ok("list", "--json", "--unit", "Rutan Makassar").stdout)
    assert [row["unit"] for row in rows] == ["Rutan Makassar"]
    table = region.ok("list", login="rina").stdout
    assert "Unit" in table.splitlines()[0] and "Rutan Makassar" in table  # several units: a unit column
    assert "Unit" not in region.ok("list", login="lukman").stdout.splitlines()[0]


def test_all_units_shows_published_articles_and_ones_own_elsewhere(region):
    rusdi = User.get(User.login == "rusdi")
    published = _draft("rusdi", "Rutan Makassar Raih Penghargaan")
    transitions.publish(User.get(User.login == "rina"), transitions_submit(rusdi, published.slug))  # four eyes
    _draft("rusdi", "Draf Rutan")
    region.ok("user", "grant", "yudi", "--unit", "Rutan Makassar", "--role", "writer")
    own = _draft("yudi", "Tulisan Yudi di Rutan", unit="Rutan Makassar")
    region.ok("user", "revoke", "yudi", "--unit", "Rutan Makassar")
    listed = {row["title"] for row in json.loads(region.ok("list", "--json", "--all-units", login="yudi").stdout)}
    assert listed == {"Rutan Makassar Raih Penghargaan", own.title}
    listed = {row["title"] for row in json.loads(region.ok("list", "--json", "--unit", "Rutan Makassar",
                                                           login="lukman").stdout)}
    assert listed == {"Rutan Makassar Raih Penghargaan"}


def transitions_submit(actor: User, slug: str) -> str:
    transitions.submit(actor, slug)
    return slug


def test_show_history_diff_and_notes_follow_the_read_rule(region):
    draft = _draft("yudi", "Draf Lapas Watampone")
    for login in ("yudi", "lukman", "rina", "ani"):  # the writer, the unit, the unit above, the root
        data = json.loads(region.ok("show", draft.slug, "--json", login=login).stdout)
        assert data["unit"] == "Lapas Watampone"
        region.ok("history", draft.slug, login=login)
        region.ok("notes", draft.slug, login=login)
    assert "Unit:" in region.ok("show", draft.slug, login="yudi").stdout
    for args in (("show", draft.slug), ("show", draft.slug, "--json"), ("history", draft.slug),
                 ("diff", draft.slug, "1"), ("notes", draft.slug)):
        assert "only its writer and the people of Lapas Watampone" in region.refused(*args, login="rusdi").stderr
    lukman = User.get(User.login == "lukman")
    transitions.submit(lukman, draft.slug)
    transitions.publish(lukman, draft.slug)
    assert json.loads(region.ok("show", draft.slug, "--json", login="rusdi").stdout)["status"] == "published"
    region.ok("history", draft.slug, login="rusdi")


# -- typed input never tracebacks ---------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=150), parent=st.none() | st.text(max_size=30))
@example(name="Lapas \udcff Bone", parent=None)  # a byte that is not UTF-8, as a shell passes it
@example(name="Ü", parent=None)
@example(name="u", parent="Ü")
@example(name="Rutan\x00Makassar", parent=None)
def test_unit_add_with_any_text_never_tracebacks(cli, name, parent):
    args = ["unit", "add", name] + (["--parent", parent] if parent is not None else [])
    before = Unit.select().count()
    result = cli(*args)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code == 0:
        assert Unit.select().count() == before + 1
        stored = " ".join(strip_controls(name).split())  # what the name is once cleaned
        assert units.get_unit(stored).name == stored and f"Added unit {stored} (" in result.stdout
    else:
        assert isinstance(result.exception, SystemExit), result.exception
        assert Unit.select().count() == before
        if result.exit_code == 1:
            assert len(result.stderr.strip().splitlines()) == 1, result.stderr
