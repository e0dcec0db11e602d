"""Units in the terminal: the list's Unit column and its default (the person's own units), the unit filter
chosen with keys, and the editor's Unit field (only the units a person may write in)."""

from __future__ import annotations

from textual.widgets import Label, OptionList, Select

from beritatui.core import unit_admin
from beritatui.core.models import Article, User
from beritatui.tui.articles import ArticlesScreen
from beritatui.tui.editor import EditorScreen
from beritatui.tui.prefetch import FirstPage
from beritatui.tui.unit_scope import EVERYTHING, MINE, UnitScope, scope_ids, unit_choices, writable_units
from beritatui.tui.widgets.unit_filter import UnitFilterModal

from .conftest import settle, type_text, wait_for


def _user(login: str) -> User:
    return User.get(User.login == login)


def _units_shown(screen: ArticlesScreen) -> set[int]:
    return {row.unit_id for row in screen.rows}


def _in(org, *names: str) -> set[int]:
    return {org.ids[name] for name in names}


async def _choose_unit(pilot, label: str) -> None:
    """U, then down until the line reads ``label``, then Enter: as a person picks a unit."""
    await pilot.press("U")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, UnitFilterModal) and pilot.app.screen.choices)
    options = pilot.app.screen.query_one(OptionList)
    for _ in range(options.option_count):
        if str(options.get_option_at_index(options.highlighted).prompt).strip() == label:
            break
        await pilot.press("down")
    else:
        raise AssertionError(f"no line {label!r} in the unit filter")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ArticlesScreen))
    await settle(pilot)


# -- the list --------------------------------------------------------------------------------------

async def test_a_writer_sees_only_their_own_units_by_default(org, make_app):
    app = make_app(_user("andi.pratama"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.rows and _units_shown(screen) == _in(org, "Lapas Watampone")
        assert screen.sub_title == "Andi Pratama · articles of my units"
        cells = screen.table.get_row_at(0)
        assert str(cells[screen.table.get_column_index("unit")]).startswith("Lapas Wata")


async def test_an_editor_of_the_region_sees_every_unit_by_default(org, make_app, demo):
    app = make_app(demo.people["nurul.hidayah"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert _units_shown(app.screen) == set(org.ids.values())
        assert app.screen.query_state.unit_ids is None  # every unit: no filter at all


async def test_choosing_a_unit_with_keys_shows_it_and_its_sub_units(org, make_app, demo):
    app = make_app(demo.people["nurul.hidayah"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _choose_unit(pilot, "Rutan Makassar")
        screen = app.screen
        assert _units_shown(screen) == _in(org, "Rutan Makassar", "Blok Hunian A")
        assert screen.sub_title == "Nurul Hidayah · articles of Rutan Makassar"
        await _choose_unit(pilot, "Blok Hunian A")
        assert _units_shown(screen) == _in(org, "Blok Hunian A") and len(screen.rows) == 1
        await _choose_unit(pilot, "My units")
        assert _units_shown(screen) == set(org.ids.values())


async def test_keys_typed_before_the_unit_tree_arrives_choose_in_it(org, make_app, demo):
    app = make_app(demo.people["nurul.hidayah"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("U", "down", "down", "down", "enter")  # no pause: the dialog holds them until ready
        await wait_for(pilot, lambda: isinstance(app.screen, ArticlesScreen) and app.screen.scope.name == "Bapas Bone")
        await settle(pilot)
        assert _units_shown(app.screen) == _in(org, "Bapas Bone")


async def test_the_review_count_follows_the_units_shown(org, make_app, demo):
    app = make_app(demo.people["nurul.hidayah"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        everywhere = app.screen.counts["review"]
        await _choose_unit(pilot, "Bapas Bone")
        assert everywhere > 0 and app.screen.counts["review"] == 0


async def test_a_writer_may_show_every_unit_and_come_back_to_their_own(org, make_app):
    app = make_app(_user("andi.pratama"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _choose_unit(pilot, "All units I may read")
        screen = app.screen
        assert screen.scope == EVERYTHING and len(_units_shown(screen)) > 1
        assert screen.sub_title == "Andi Pratama · articles of all units"
        lapas = org.ids["Lapas Watampone"]
        others = [row for row in screen.rows if row.unit_id != lapas]  # the read rule: their published ones only
        assert others and {row.status for row in others} <= {"published"}, [(r.title, r.status) for r in others]
        await _choose_unit(pilot, "My units")
        assert screen.scope == MINE and _units_shown(screen) == _in(org, "Lapas Watampone")


async def test_escape_keeps_the_units_shown(org, make_app, demo):
    app = make_app(demo.people["nurul.hidayah"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _choose_unit(pilot, "Bapas Bone")
        await pilot.press("U")
        await wait_for(pilot, lambda: isinstance(app.screen, UnitFilterModal) and app.screen.choices)
        options = app.screen.query_one(OptionList)
        assert str(options.get_option_at_index(options.highlighted).prompt).strip() == "Bapas Bone"
        await pilot.press("down", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ArticlesScreen))
        await settle(pilot)
        assert _units_shown(app.screen) == _in(org, "Bapas Bone")


async def test_pages_below_the_first_stay_in_the_units_shown(org, make_app, sample_draft):
    from beritatui.core.articles import create_article

    andi = _user("andi.pratama")
    for _ in range(130):  # more than a page (100) in Lapas Watampone
        create_article(andi, sample_draft())
    app = make_app(andi)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        screen = app.screen
        assert len(screen.rows) > 100 and _units_shown(screen) == _in(org, "Lapas Watampone")


def test_the_launch_prefetch_reads_the_first_page_in_the_persons_units(org):
    first = FirstPage.start(_user("andi.pratama"))
    page = first.page.result(timeout=10)
    assert page.rows and {row.unit_id for row in page.rows} == _in(org, "Lapas Watampone")
    assert first.unit_ids == (org.ids["Lapas Watampone"],) and first.unit_names[org.root] == "Kanwil Sulawesi Selatan"


def test_scopes_as_unit_ids(org, demo):
    andi, nurul = _user("andi.pratama"), demo.people["nurul.hidayah"]
    assert scope_ids(andi, MINE) == (org.ids["Lapas Watampone"],)
    assert scope_ids(nurul, MINE) is None  # a member of the root: every unit, no filter
    assert scope_ids(andi, EVERYTHING) is None
    assert scope_ids(andi, UnitScope(org.root)) is None
    assert set(scope_ids(andi, UnitScope(org.ids["Rutan Makassar"]))) == _in(org, "Rutan Makassar", "Blok Hunian A")
    choices = unit_choices()
    assert [c.label for c in choices[:2]] == ["My units", "All units I may read"]
    assert [(c.label, c.depth) for c in choices[2:4]] == [("Kanwil Sulawesi Selatan", 0), ("Bapas Bone", 1)]
    assert ("Blok Hunian A", 2) in [(c.label, c.depth) for c in choices]


# -- the editor ------------------------------------------------------------------------------------

async def _new_article(pilot) -> EditorScreen:
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, EditorScreen) and pilot.app.screen.loaded)
    return pilot.app.screen


async def test_the_unit_field_offers_only_the_units_a_writer_may_write_in(org, make_app):
    app = make_app(_user("andi.pratama"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        editor = await _new_article(pilot)
        field = editor.query_one("#unit", Select)
        assert field.value == org.ids["Lapas Watampone"] and field.display
        assert [value for _label, value in field._options] == [org.ids["Lapas Watampone"]]
        assert field.disabled  # one unit: nothing to choose, and Tab goes from the summary to the body


async def test_a_new_article_goes_to_the_unit_chosen_with_keys(org, make_app, demo):
    unit_admin.grant(demo.admin, "andi.pratama", "Rutan Makassar", "writer")
    app = make_app(_user("andi.pratama"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        editor = await _new_article(pilot)
        labels = [str(label).strip() for label, _value in editor.query_one("#unit", Select)._options]
        assert labels == ["Lapas Watampone", "Rutan Makassar", "Blok Hunian A"]  # the tree, under Rutan its block
        await type_text(pilot, "Kunjungan Keluarga Dibuka Lagi")
        await pilot.press("tab", "tab", "tab", "tab")  # slug, tags, summary, unit
        assert app.focused is editor.query_one("#unit", Select)
        await pilot.press("enter", "down", "enter")  # open the field, the next unit, take it
        await settle(pilot)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: editor.article_id is not None)
        article = Article.get_by_id(editor.article_id)
        assert article.unit_id == org.ids["Rutan Makassar"]
        await settle(pilot)
        assert not editor.query_one("#unit", Select).display  # saved: its unit is shown, no longer chosen
        assert str(editor.query_one("#unit-name", Label).render()) == "Rutan Makassar"


async def test_a_saved_article_shows_its_unit_read_only(org, make_app, demo):
    article = Article.select().where(Article.unit == org.ids["Bapas Bone"]).first()
    app = make_app(demo.people["nurul.hidayah"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(EditorScreen(article.id))
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.loaded)
        editor = app.screen
        assert not editor.query_one("#unit", Select).display
        assert str(editor.query_one("#unit-name", Label).render()) == "Bapas Bone"


def test_writable_units_are_indented_below_the_shallowest(org, demo):
    options, default = writable_units(demo.people["nurul.hidayah"])
    assert options[0] == ("Kanwil Sulawesi Selatan", org.root) and ("  Bapas Bone", org.ids["Bapas Bone"]) in options
    assert default == org.root
    options, default = writable_units(_user("andi.pratama"))
    assert options == [("Lapas Watampone", org.ids["Lapas Watampone"])] and default == org.ids["Lapas Watampone"]


def test_a_new_drafts_autosave_keeps_its_unit_and_a_saved_articles_does_not():
    from beritatui.core.content import Content
    from beritatui.tui.session import EditSession

    editing = EditSession(None)
    editing.unit_id = 7
    assert editing.payload(Content(title="x"), "title", 1)["unit"] == 7
    editing.article_id = 3
    assert "unit" not in editing.payload(Content(title="x"), "title", 1)


def _new_draft_waiting(org, unit_name: str) -> None:
    from beritatui.core import autosave

    autosave.store("new:5e1f2a", "andi.pratama", {"title": "Naskah Belum Tersimpan", "body": "Draf baru.",
                                                  "unit": org.ids[unit_name]})


async def _recover_new_draft(pilot) -> EditorScreen:
    from beritatui.tui.recovery import RecoveryModal

    await wait_for(pilot, lambda: bool(pilot.app.screen.waiting))
    await pilot.press("R")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, RecoveryModal) and pilot.app.screen.query("#accept"))
    await pilot.press("f5")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, EditorScreen) and pilot.app.screen.loaded)
    await settle(pilot)
    return pilot.app.screen


async def test_a_recovered_new_draft_goes_to_the_unit_it_was_written_for(org, make_app, demo):
    unit_admin.grant(demo.admin, "andi.pratama", "Rutan Makassar", "writer")
    _new_draft_waiting(org, "Rutan Makassar")
    app = make_app(_user("andi.pratama"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        editor = await _recover_new_draft(pilot)
        assert editor.query_one("#unit", Select).value == org.ids["Rutan Makassar"]
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: editor.article_id is not None)
        assert Article.get_by_id(editor.article_id).unit_id == org.ids["Rutan Makassar"]


async def test_a_recovered_draft_for_a_unit_no_longer_yours_goes_where_the_field_shows(org, make_app):
    _new_draft_waiting(org, "Bapas Bone")
    app = make_app(_user("andi.pratama"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        editor = await _recover_new_draft(pilot)
        assert editor.query_one("#unit", Select).value == org.ids["Lapas Watampone"]
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: editor.article_id is not None)
        assert Article.get_by_id(editor.article_id).unit_id == org.ids["Lapas Watampone"]


async def test_the_reactions_column_comes_and_goes_with_the_width(org, make_app, demo):
    app = make_app(demo.people["nurul.hidayah"])
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        table = app.screen.table
        labels = lambda: [str(column.label).strip() for column in table.columns.values()]  # noqa: E731
        assert labels() == ["Title", "Status", "Unit", "Byline", "Tag", "Updated", "Reac."]
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert labels() == ["Title", "Status", "Unit", "Byline", "Tag", "Updated"]
        assert len(table.get_row_at(0)) == 6 and len(app.screen.rows) == 12
