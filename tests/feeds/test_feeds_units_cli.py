"""``beritatui site set|show|unset --unit`` and ``beritatui export [--unit NAME] [--out DIR]`` from the command line."""

from __future__ import annotations

import json

import pytest

from beritatui.core import site, transitions, unit_admin
from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.users import add_user


@pytest.fixture
def region(desk, tmp_path):
    kanwil = unit_admin.add_unit(desk, "Kanwil Sulawesi Selatan")
    lapas = unit_admin.add_unit(desk, "Lapas Watampone", parent=kanwil.id)
    unit_admin.add_unit(desk, "Rutan Makassar", parent=kanwil.id)
    add_user(desk, "lia", display_name="Lia", role="admin", member_of=lapas.id)
    for unit in (kanwil, lapas):
        article = create_article(desk, ArticleDraft(title=f"Kabar {unit.name}", body="Isi."), unit=unit.id)
        transitions.submit(desk, article.id)
        transitions.publish(desk, article.id)
    return kanwil, lapas


def test_site_set_and_show_per_unit(cli, region):
    assert cli.ok("site", "set", "--unit", "Kanwil Sulawesi Selatan", "title", "Humas Kanwil").stdout == (
        "title = Humas Kanwil\n")
    cli.ok("site", "set", "--unit", "lapas-watampone", "feed_page_size", "7", login="lia")
    data = json.loads(cli.ok("site", "show", "--unit", "Lapas Watampone", "--json").stdout)
    assert data["title"] == {"value": "Humas Kanwil", "source": "inherited", "from": "Kanwil Sulawesi Selatan"}
    assert data["feed_page_size"] == {"value": "7", "source": "own", "from": "Lapas Watampone"}
    assert data["export_dir"] == {"value": "", "source": "none", "from": None}
    assert data["review_steps"] == {"value": "unit", "source": "default", "from": None}
    table = cli.ok("site", "show", "--unit", "Lapas Watampone").stdout
    assert "inherited from Kanwil Sulawesi Selatan" in table and "never inherited" in table
    assert "feed_includes_subunits" in table and "corrections" in table
    plain = json.loads(cli.ok("site", "show", "--json").stdout)  # without --unit: the root, flat, as always
    assert plain["title"] == "Berita" and plain["base_url"] == "https://lapas.example.go.id"


def test_site_set_empty_and_unset_inherit_again(cli, region):
    cli.ok("site", "set", "--unit", "Kanwil Sulawesi Selatan", "title", "Humas Kanwil")
    cli.ok("site", "set", "--unit", "Lapas Watampone", "title", "Lapas")
    assert cli.ok("site", "set", "--unit", "Lapas Watampone", "title", "").stdout == (
        "title: inherited again (Humas Kanwil from Kanwil Sulawesi Selatan)\n")
    assert site.raw_settings("Lapas Watampone")["title"] == "Humas Kanwil"
    cli.ok("site", "set", "--unit", "Lapas Watampone", "feed_includes_subunits", "false")
    assert cli.ok("site", "unset", "--unit", "Lapas Watampone", "feed_includes_subunits").stdout == (
        "feed_includes_subunits: back to the default\n")
    assert site.raw_settings("Lapas Watampone")["feed_includes_subunits"] == "true"


def test_site_set_refusals_are_one_line(cli, region, tmp_path):
    cli.refused("site", "set", "--unit", "Rutan Makassar", "title", "x", login="lia")
    cli.refused("site", "set", "--unit", "Lapas Watampone", "title", "x", login="eko")
    assert "No unit 'Lapas Bone'" in cli.refused("site", "set", "--unit", "Lapas Bone", "title", "x").stderr
    assert "No unit" in cli.refused("site", "show", "--unit", "Lapas Bone").stderr
    assert "review_steps" in cli.refused("site", "set", "--unit", "Lapas Watampone", "review_steps", "semua").stderr
    cli.ok("site", "set", "--unit", "Kanwil Sulawesi Selatan", "export_dir", tmp_path / "kanwil")
    refused = cli.refused("site", "set", "--unit", "Lapas Watampone", "export_dir", tmp_path / "kanwil" / "lapas")
    assert "overlaps the export_dir of Kanwil Sulawesi Selatan" in refused.stderr


def test_export_every_unit_says_where_and_which_were_skipped(cli, region, tmp_path):
    cli.ok("site", "set", "--unit", "Kanwil Sulawesi Selatan", "export_dir", tmp_path / "kanwil")
    cli.ok("site", "set", "--unit", "Lapas Watampone", "export_dir", tmp_path / "lapas")
    result = cli.ok("export")
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("Skipped ") and "beritatui site set --unit " in lines[0]
    assert lines[1].startswith(f"Kanwil Sulawesi Selatan → {tmp_path / 'kanwil'}: ")
    assert lines[2].startswith(f"Lapas Watampone → {tmp_path / 'lapas'}: ")
    assert lines[3] == ("Skipped Rutan Makassar: it has no export_dir; set one with: beritatui site set --unit "
                        "rutan-makassar export_dir DIR")
    data = json.loads(cli.ok("export", "--json").stdout)
    assert [u.get("written", "-") for u in data["units"]] == ["-", 0, 0, "-"]
    assert data["units"][3] == {"unit": "Rutan Makassar", "skipped": lines[3]}


def test_export_with_no_export_dir_anywhere_fails(cli, region):
    result = cli("export")
    assert result.exit_code == 1
    assert result.stderr.strip() == ("No unit has an export_dir; set one with: beritatui site set --unit NAME "
                                     "export_dir DIR")
    assert result.stdout.count("Skipped ") == 4


def test_export_one_unit_and_out(cli, region, tmp_path):
    done = cli.ok("export", "--unit", "Lapas Watampone", "--out", tmp_path / "salinan")
    assert done.stdout.startswith(f"Lapas Watampone → {tmp_path / 'salinan'}: ")
    assert (tmp_path / "salinan" / "feed.json").exists()
    data = json.loads(cli.ok("export", "--unit", "Lapas Watampone", "--out", tmp_path / "salinan", "--json").stdout)
    assert data["unit"] == "Lapas Watampone" and data["written"] == 0 and data["articles"] == 1
    missing = cli.refused("export", "--unit", "Rutan Makassar")
    assert missing.stderr.strip() == ("Error: No export directory: pass --out DIR or run: beritatui site set --unit "
                                      "rutan-makassar export_dir DIR")
    assert "No unit 'Lapas Bone'" in cli.refused("export", "--unit", "Lapas Bone").stderr


def test_a_one_unit_database_exports_as_it_always_did(cli, desk, kit, tmp_path):
    kit.publish(desk, "Sosialisasi Layanan Pengaduan")
    assert "No export directory: pass --out DIR or run: beritatui site set export_dir DIR" in cli.refused(
        "export").stderr
    cli.ok("site", "set", "export_dir", tmp_path / "situs")
    first = cli.ok("export").stdout
    assert first.endswith("written, 0 unchanged, 0 removed\n") and "→" not in first
    assert json.loads(cli.ok("export", "--json").stdout)["written"] == 0
