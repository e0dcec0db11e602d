"""Site settings per unit: inherited from the parent where unset, export_dir never inherited and never shared,
the per-unit rule keys validated, and only an admin of the unit may change them."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beritatui.core import site, unit_admin, unit_settings, units
from beritatui.core.errors import NotFound, PermissionDenied, ValidationError
from beritatui.core.models import AuditEvent, Setting, UnitSetting
from beritatui.core.users import add_user


@pytest.fixture
def region(newsroom):
    """Kanwil under the root, Lapas and Rutan under Kanwil; lia admins Lapas, rusdi edits Lapas."""
    admin = newsroom.admin
    kanwil = unit_admin.add_unit(admin, "Kanwil Sulawesi Selatan")
    lapas = unit_admin.add_unit(admin, "Lapas Watampone", parent=kanwil.id)
    rutan = unit_admin.add_unit(admin, "Rutan Makassar", parent=kanwil.id)
    lia = add_user(admin, "lia", display_name="Lia", role="admin", member_of=lapas.id)
    rusdi = add_user(admin, "rusdi", display_name="Rusdi", role="editor", member_of=lapas.id)
    return kanwil, lapas, rutan, lia, rusdi


def test_a_unit_inherits_from_the_nearest_unit_above_that_sets_a_value(newsroom, region):
    kanwil, lapas, rutan, _lia, _rusdi = region
    site.set_setting(newsroom.admin, "title", "Humas Kemenkumham")  # the root
    site.set_setting(newsroom.admin, "title", "Humas Kanwil Sulsel", unit=kanwil)
    site.set_setting(newsroom.admin, "base_url", "https://lapas.example.go.id", unit="Lapas Watampone")
    assert site.get_settings(lapas).title == "Humas Kanwil Sulsel"
    assert site.get_settings(lapas).base_url == "https://lapas.example.go.id"
    assert site.get_settings(rutan).base_url == ""
    assert site.get_settings().title == "Humas Kemenkumham"
    shown = site.resolve(lapas)
    assert (shown["title"].source, shown["title"].unit) == ("inherited", "Kanwil Sulawesi Selatan")
    assert (shown["base_url"].source, shown["base_url"].unit) == ("own", "Lapas Watampone")
    assert shown["feed_page_size"].source == "default"
    assert site.resolve(kanwil)["title"].source == "own"
    assert site.resolve()["title"] == site.Shown("title", "Humas Kemenkumham", "own", units.root().name)


def test_an_empty_value_or_unset_makes_a_unit_inherit_again(newsroom, region):
    kanwil, lapas, _rutan, _lia, _rusdi = region
    site.set_setting(newsroom.admin, "title", "Kanwil", unit=kanwil)
    site.set_setting(newsroom.admin, "title", "Lapas", unit=lapas)
    assert site.set_setting(newsroom.admin, "title", "  ", unit=lapas) == ""
    assert site.resolve(lapas)["title"] == site.Shown("title", "Kanwil", "inherited", "Kanwil Sulawesi Selatan")
    site.unset_setting(newsroom.admin, "title", unit=kanwil)
    assert site.resolve(lapas)["title"].source == "default"
    assert not UnitSetting.select().exists()


def test_the_root_keeps_its_values_where_they_always_were(newsroom, region):
    """A root value is a row of the ``setting`` table (what a one-unit database has always had)."""
    site.set_setting(newsroom.admin, "timezone", "Asia/Makassar", unit=units.root())
    assert Setting.get(Setting.key == "timezone").value == "Asia/Makassar"
    site.unset_setting(newsroom.admin, "timezone")
    assert not Setting.select().where(Setting.key == "timezone").exists()
    assert site.resolve()["timezone"].source == "default"


def test_home_page_follows_a_units_own_base_url(newsroom, region):
    """A unit with its own site never points home to its parent's home page."""
    kanwil, lapas, rutan, _lia, _rusdi = region
    site.set_setting(newsroom.admin, "base_url", "https://kanwil.example.go.id", unit=kanwil)
    site.set_setting(newsroom.admin, "home_page_url", "https://kanwil.example.go.id/beranda", unit=kanwil)
    site.set_setting(newsroom.admin, "base_url", "https://lapas.example.go.id", unit=lapas)
    assert site.get_settings(lapas).home_page_url == "https://lapas.example.go.id"
    assert site.get_settings(rutan).home_page_url == "https://kanwil.example.go.id/beranda"


def test_export_dir_is_never_inherited(newsroom, region, tmp_path):
    kanwil, lapas, _rutan, _lia, _rusdi = region
    site.set_setting(newsroom.admin, "export_dir", str(tmp_path / "kanwil"), unit=kanwil)
    site.set_setting(newsroom.admin, "export_dir", str(tmp_path / "root"))
    assert site.get_settings(kanwil).export_dir == str(tmp_path / "kanwil")
    assert site.get_settings(lapas).export_dir == ""
    assert site.resolve(lapas)["export_dir"].source == "none"
    assert unit_settings.value(lapas.id, "export_dir") == str(tmp_path / "kanwil")  # the store itself inherits


@pytest.mark.parametrize("where", ["same", "inside", "around", "trailing-slash"])
def test_an_export_dir_may_not_meet_another_units(newsroom, region, tmp_path, where):
    kanwil, lapas, _rutan, _lia, _rusdi = region
    site.set_setting(newsroom.admin, "export_dir", str(tmp_path / "situs" / "kanwil"), unit=kanwil)
    chosen = {"same": tmp_path / "situs" / "kanwil", "inside": tmp_path / "situs" / "kanwil" / "lapas",
              "around": tmp_path / "situs", "trailing-slash": f"{tmp_path}/situs/./kanwil/"}[where]
    with pytest.raises(ValidationError, match="overlaps the export_dir of Kanwil Sulawesi Selatan"):
        site.set_setting(newsroom.admin, "export_dir", str(chosen), unit=lapas)
    assert site.get_settings(lapas).export_dir == ""
    with pytest.raises(ValidationError, match="Kanwil Sulawesi Selatan"):
        site.set_setting(newsroom.admin, "export_dir", str(chosen))  # the root is a unit like any other


def test_sibling_export_dirs_and_a_units_own_again_are_fine(newsroom, region, tmp_path):
    kanwil, lapas, rutan, _lia, _rusdi = region
    site.set_setting(newsroom.admin, "export_dir", str(tmp_path / "situs" / "kanwil"), unit=kanwil)
    site.set_setting(newsroom.admin, "export_dir", str(tmp_path / "situs" / "kanwil-lapas"), unit=lapas)
    site.set_setting(newsroom.admin, "export_dir", str(tmp_path / "situs" / "kanwil-lapas"), unit=lapas)
    site.set_setting(newsroom.admin, "export_dir", str(tmp_path / "situs" / "rutan"), unit=rutan)
    assert site.get_settings(rutan).export_dir == str(tmp_path / "situs" / "rutan")


def test_rights_an_admin_of_lapas_sets_lapas_only_and_an_editor_nothing(newsroom, region):
    kanwil, lapas, rutan, lia, rusdi = region
    assert site.set_setting(lia, "title", "Lapas Watampone", unit=lapas) == "Lapas Watampone"
    for unit in (rutan, kanwil, None):
        with pytest.raises(PermissionDenied):
            site.set_setting(lia, "title", "Bukan milik Lia", unit=unit)
    with pytest.raises(PermissionDenied, match="Only an admin of Lapas Watampone"):
        site.set_setting(rusdi, "title", "Judul Rusdi", unit=lapas)
    with pytest.raises(PermissionDenied):
        site.unset_setting(rusdi, "title", unit=lapas)
    with pytest.raises(PermissionDenied):
        site.set_setting(newsroom.editor, "title", "Judul Eko")
    assert site.get_settings(lapas).title == "Lapas Watampone"
    assert site.get_settings(rutan).title == "Berita"


def test_a_unit_setting_is_audited_with_its_unit(newsroom, region):
    _kanwil, lapas, _rutan, lia, _rusdi = region
    site.set_setting(lia, "corrections", "direct", unit=lapas)
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (event.login, event.action, event.details) == (
        "lia", "settings.set", {"key": "corrections", "value": "direct", "unit": "Lapas Watampone"})


def test_an_unknown_unit_is_one_clear_error(newsroom, region):
    with pytest.raises(NotFound, match="No unit 'Lapas Bone'"):
        site.set_setting(newsroom.admin, "title", "x", unit="Lapas Bone")
    with pytest.raises(NotFound):
        site.resolve("Lapas Bone")


def test_the_rule_keys_have_their_defaults(newsroom, region):
    _kanwil, lapas, _rutan, _lia, _rusdi = region
    values = site.raw_settings(lapas)
    assert {key: values[key] for key in ("feed_includes_subunits", "review_steps", "self_approval",
                                         "corrections")} == {
        "feed_includes_subunits": "true", "review_steps": "unit", "self_approval": "off", "corrections": "review"}
    assert site.includes_subunits(lapas)


@pytest.mark.parametrize(("key", "value", "stored"), [
    ("feed_includes_subunits", "false", "false"), ("feed_includes_subunits", " TRUE ", "true"),
    ("review_steps", "unit, parent", "unit,parent"), ("review_steps", "Root", "root"),
    ("review_steps", "unit,unit,parent,root,root", "unit,unit,parent,root,root"),
    ("self_approval", "on", "on"), ("self_approval", "OFF", "off"),
    ("corrections", "direct", "direct"), ("corrections", "review", "review"),
])
def test_the_rule_keys_accept_their_values(newsroom, region, key, value, stored):
    kanwil, lapas, _rutan, _lia, _rusdi = region
    assert site.set_setting(newsroom.admin, key, value, unit=kanwil) == stored
    assert unit_settings.value(lapas.id, key) == stored  # what the other services read


@pytest.mark.parametrize(("key", "value"), [
    ("feed_includes_subunits", "yes"), ("feed_includes_subunits", "0"),
    ("review_steps", "unit,,parent"), ("review_steps", "editor"), ("review_steps", "unit;parent"),
    ("review_steps", "unit,unit,unit,unit,unit,unit"), ("review_steps", ","),
    ("self_approval", "true"), ("self_approval", "maybe"),
    ("corrections", "auto"), ("corrections", "none"),
])
def test_the_rule_keys_refuse_anything_else(newsroom, region, key, value):
    kanwil, _lapas, _rutan, _lia, _rusdi = region
    with pytest.raises(ValidationError, match=key):
        site.set_setting(newsroom.admin, key, value, unit=kanwil)
    with pytest.raises(ValidationError, match=key):
        site.set_setting(newsroom.admin, key, value)
    assert not UnitSetting.select().where(UnitSetting.key == key).exists()


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(steps=st.lists(st.sampled_from(["unit", "parent", "root", "editor", "", " unit "]), min_size=0, max_size=7))
def test_review_steps_keeps_exactly_the_valid_lists(newsroom, steps):
    text = ",".join(steps)
    words = [s.strip() for s in text.split(",")]
    valid = 1 <= len(words) <= 5 and all(w in ("unit", "parent", "root") for w in words)
    try:
        stored = site.set_setting(newsroom.admin, "review_steps", text)
    except ValidationError:
        assert not valid
    else:
        assert valid and stored == ",".join(words)
