"""A feed set per unit: each unit's articles (and its sub-units') into its own export_dir, shaped by its own
settings, schema-valid, incremental, with tag feeds and pages; units without an export_dir are skipped."""

from __future__ import annotations

import json

import pytest

from beritatui.core import site, transitions, unit_admin, units
from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.models import Article
from beritatui.feeds.export import ExportError, export_feeds, export_units, scope_of


@pytest.fixture
def region(desk, tmp_path):
    """Kanwil (its own site, in kanwil/) over Lapas (its own site, in lapas/) and Rutan (no export_dir)."""
    kanwil = unit_admin.add_unit(desk, "Kanwil Sulawesi Selatan")
    lapas = unit_admin.add_unit(desk, "Lapas Watampone", parent=kanwil.id)
    rutan = unit_admin.add_unit(desk, "Rutan Makassar", parent=kanwil.id)
    for unit, host in ((kanwil, "kanwil"), (lapas, "lapas")):
        site.set_setting(desk, "base_url", f"https://{host}.example.go.id", unit=unit)
        site.set_setting(desk, "title", f"Berita {unit.name}", unit=unit)
        site.set_setting(desk, "export_dir", str(tmp_path / host), unit=unit)
    return kanwil, lapas, rutan


def publish_in(actor, unit, title: str, tags: list[str] | None = None) -> Article:
    article = create_article(actor, ArticleDraft(title=title, body="Kegiatan berjalan lancar.", tags=tags or []),
                             unit=unit.id)
    transitions.submit(actor, article.id)
    return transitions.publish(actor, article.id)


@pytest.fixture
def stories(desk, region):
    kanwil, lapas, rutan = region
    return {
        "kanwil": publish_in(desk, kanwil, "Rapat Koordinasi Kanwil", ["Humas"]),
        "lapas": publish_in(desk, lapas, "Panen Sayur di Lapas", ["Humas", "Pembinaan"]),
        "lapas2": publish_in(desk, lapas, "Penyuluhan Hukum di Lapas"),
        "rutan": publish_in(desk, rutan, "Kunjungan Keluarga di Rutan", ["Layanan"]),
        "root": publish_in(desk, units.root(), "Sambutan Kepala Kantor Wilayah"),
    }


def slugs_in(out, kit) -> set[str]:
    """Every article slug the unit's feed pages list (checking each file against the JSON Feed 1.1 schema)."""
    found = set()
    for path in kit.feed_files(out):
        data = kit.check(path)
        if path.name.startswith("feed"):
            found |= {item["url"].rsplit("/", 1)[1] for item in data["items"]}
    return found


def test_each_unit_gets_its_own_feed_set(stories, region, kit, tmp_path):
    done = export_units()
    assert [(o.unit, bool(o.report), bool(o.skipped)) for o in done.outcomes] == [
        (units.root().name, False, True), ("Kanwil Sulawesi Selatan", True, False),
        ("Lapas Watampone", True, False), ("Rutan Makassar", False, True)]
    assert "beritatui site set --unit rutan-makassar export_dir DIR" in done.outcomes[3].line()
    assert slugs_in(tmp_path / "kanwil", kit) == {stories[k].slug for k in ("kanwil", "lapas", "lapas2", "rutan")}
    assert slugs_in(tmp_path / "lapas", kit) == {stories["lapas"].slug, stories["lapas2"].slug}
    lapas_feed = json.loads((tmp_path / "lapas" / "feed.json").read_text(encoding="utf-8"))
    assert lapas_feed["title"] == "Berita Lapas Watampone"
    assert lapas_feed["feed_url"] == "https://lapas.example.go.id/feed.json"
    assert all(item["url"].startswith("https://lapas.example.go.id/berita/") for item in lapas_feed["items"])
    # tag feeds per unit: Rutan's tag is in the regional site only; pages follow the unit's (inherited) size 3
    assert (tmp_path / "kanwil" / "tags" / "layanan.json").exists()
    assert not (tmp_path / "lapas" / "tags" / "layanan.json").exists()
    assert (tmp_path / "lapas" / "tags" / "pembinaan.json").exists()
    kanwil_feed = json.loads((tmp_path / "kanwil" / "feed.json").read_text(encoding="utf-8"))
    assert kanwil_feed["next_url"] == "https://kanwil.example.go.id/feed-2.json"
    assert (tmp_path / "kanwil" / "articles" / f"{stories['rutan'].slug}.json").exists()
    assert not (tmp_path / "lapas" / "articles" / f"{stories['kanwil'].slug}.json").exists()


def test_a_second_run_writes_nothing_and_a_change_touches_one_unit(desk, stories, region, kit, tmp_path):
    export_units()
    before = kit.snapshot(tmp_path / "lapas")
    again = export_units()
    assert [r.written for r in again.reports] == [0, 0]
    assert kit.snapshot(tmp_path / "lapas") == before
    publish_in(desk, region[2], "Rutan Menggelar Donor Darah")
    third = export_units()
    # the other unit gets the audit chain's new head (publishing was an event), and nothing else
    assert third.reports[0].written > 0 and third.reports[1].changed_paths == ["feed.json", "audit-head.json"]
    after = kit.snapshot(tmp_path / "lapas")
    assert {name for name in after if after[name] != before.get(name)} == {
        "feed.json", "audit-head.json", ".beritatui-export.json"}  # the manifest holds feed.json's new key


def test_a_unit_may_leave_its_sub_units_out(desk, stories, region, kit, tmp_path):
    kanwil, _lapas, _rutan = region
    export_units()
    assert (tmp_path / "kanwil" / "articles" / f"{stories['lapas'].slug}.json").exists()
    site.set_setting(desk, "feed_includes_subunits", "false", unit=kanwil)
    report = export_feeds(None, unit=kanwil)
    assert report.articles == 1
    assert slugs_in(tmp_path / "kanwil", kit) == {stories["kanwil"].slug}
    assert not (tmp_path / "kanwil" / "articles" / f"{stories['lapas'].slug}.json").exists()
    assert not (tmp_path / "kanwil" / "tags" / "pembinaan.json").exists()


def test_the_root_holds_everything_or_only_its_own(desk, stories, kit, tmp_path):
    Article.update(unit=None).where(Article.id == stories["root"].id).execute()  # a row written around the core
    assert scope_of(None).units.sql() == ""  # the whole tree: the query of a one-unit database, no unit filter
    everything = export_feeds(tmp_path / "semua")
    assert everything.articles == 5
    site.set_setting(desk, "feed_includes_subunits", "false")
    assert "a.unit_id IN" in scope_of(None).units.sql()
    own = export_feeds(tmp_path / "akar")
    assert slugs_in(tmp_path / "akar", kit) == {stories["root"].slug}
    assert own.unit == units.root().name


def test_unit_with_out_writes_one_unit_elsewhere(stories, region, kit, tmp_path):
    _kanwil, lapas, rutan = region
    report = export_feeds(tmp_path / "salinan", unit="Lapas Watampone")
    assert report.unit == "Lapas Watampone" and report.articles == 2
    assert slugs_in(tmp_path / "salinan", kit) == {stories["lapas"].slug, stories["lapas2"].slug}
    assert not (tmp_path / "lapas").exists()
    rutan_report = export_feeds(tmp_path / "rutan", unit=rutan.id)
    assert slugs_in(tmp_path / "rutan", kit) == {stories["rutan"].slug}
    assert rutan_report.articles == 1
    with pytest.raises(ExportError, match="overlaps the export_dir of Kanwil Sulawesi Selatan"):
        export_feeds(tmp_path / "kanwil" / "lapas", unit=lapas)
    assert not (tmp_path / "kanwil").exists()


def test_a_unit_feed_set_is_deterministic(stories, region, tmp_path):
    export_feeds(tmp_path / "satu", unit=region[0], full=True)
    export_feeds(tmp_path / "dua", unit=region[0], full=True)
    one = {p.relative_to(tmp_path / "satu"): p.read_bytes() for p in (tmp_path / "satu").rglob("*.json")}
    two = {p.relative_to(tmp_path / "dua"): p.read_bytes() for p in (tmp_path / "dua").rglob("*.json")}
    assert one == two and len(one) > 5


def test_one_failing_unit_does_not_stop_the_others(desk, stories, region, tmp_path):
    kanwil, lapas, _rutan = region
    (tmp_path / "kanwil").write_text("not a directory", encoding="utf-8")
    done = export_units()
    assert done.failed
    by_unit = {o.unit: o for o in done.outcomes}
    assert by_unit["Kanwil Sulawesi Selatan"].error and by_unit["Lapas Watampone"].report is not None
    assert lapas.name in by_unit["Lapas Watampone"].line() and str(tmp_path / "lapas") in by_unit[
        "Lapas Watampone"].line()


def test_the_source_selects_a_units_rows_in_sql(stories, region):
    """The source selects by ``unit_id IN (…)`` in SQL: a unit's rows come from the query, not a filter after."""
    from beritatui.core.database import current_database
    from beritatui.feeds.export.source import _PUBLISHED_SQL

    lapas_scope = scope_of(region[1])
    sql = _PUBLISHED_SQL.replace("{units}", lapas_scope.units.sql())
    assert f"a.unit_id IN ({region[1].id})" in sql and "IS NULL" not in sql
    assert len(list(current_database().execute_sql(sql))) == 2


def test_every_unit_s_feed_set_carries_the_same_audit_chain_head(desk, stories, region, tmp_path):
    from beritatui.core import audit_chain
    from beritatui.core.database import current_database

    export_units()
    head = audit_chain.head(current_database(), skip_exports=True)
    for host, unit in (("kanwil", region[0]), ("lapas", region[1])):
        held = json.loads((tmp_path / host / "audit-head.json").read_text())
        assert (held["events"], held["hash"], held["unit"]) == (head.events, head.hash, unit.name)
        assert held["site"] == f"https://{host}.example.go.id"
        feed = json.loads((tmp_path / host / "feed.json").read_text())
        assert feed["_beritatui"]["audit_head"] == {"events": head.events, "hash": head.hash}
