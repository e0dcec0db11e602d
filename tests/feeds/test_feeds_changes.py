"""The public history in the export: changes.json (a JSON Feed of public events), the tombstones of feed.json,
the withdrawn files that replace an article's file while a tombstone lasts, and redirects.json."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from beritatui.core import clock, correction_review, site, transitions, unit_admin
from beritatui.core.articles import ArticleDraft, create_article, get_article, save_article
from beritatui.core.errors import ValidationError
from beritatui.feeds.export import MANIFEST, export_feeds, export_units
from beritatui.feeds.importers import import_paths

from .test_feeds_units import publish_in

BASE = "https://lapas.example.go.id/berita/"


def _changes(kit, out) -> list[dict]:
    """Every item of the change log, following next_url from changes.json (each page schema-checked)."""
    items, page = [], kit.check(out / "changes.json")
    while True:
        items += page["items"]
        if "next_url" not in page:
            return items
        page = kit.check(out / page["next_url"].rsplit("/", 1)[1])


def _rename(actor, ref, slug: str):
    article = get_article(ref)
    return save_article(actor, article.id, article.version, ArticleDraft(slug=slug))


def _start() -> None:
    clock.freeze(clock.utcnow().replace(microsecond=0))


def _later(**delta) -> None:
    clock.freeze(clock.utcnow() + timedelta(**delta))


def test_the_change_log_lists_public_events_newest_first_and_nothing_private(desk, kit, tmp_path, newsroom):
    _start()
    article = kit.publish(desk, "Panen Sayur di Kebun Lapas", "Dua puluh ikat.")
    draft = create_article(desk, ArticleDraft(title="Naskah Rahasia Dapur", body="RAHASIA"))
    transitions.trash(desk, draft.id)  # a draft's trip to the trash was never public
    _later(hours=1)
    correction_review.publish_correction(desk, article.slug, "Jumlah ikat diperbaiki")
    _later(hours=1)
    _rename(desk, article.id, "panen-sayur")
    _later(hours=1)
    transitions.unpublish(desk, article.id)
    _later(hours=1)
    other = kit.publish(desk, "Rapat Koordinasi", "Rapat rutin.")
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    items = _changes(kit, out)
    kinds = [(item["_beritatui"]["change"], item["url"]) for item in items]
    assert kinds == [("published", BASE + other.slug), ("unpublished", BASE + "panen-sayur"),
                     ("moved", BASE + "panen-sayur"), ("corrected", BASE + article.slug),
                     ("published", BASE + article.slug)]
    dates = [item["date_published"] for item in items]
    assert dates == sorted(dates, reverse=True) and all(d.endswith("+08:00") for d in dates)
    moved = items[2]["_beritatui"]
    assert moved["old_url"] == BASE + article.slug and moved["article"] == f"urn:uuid:{article.uuid}"
    assert items[3]["_beritatui"]["note"] == "Jumlah ikat diperbaiki"
    assert len({item["id"] for item in items}) == len(items)
    raw = (out / "changes.json").read_bytes()
    assert b"RAHASIA" not in raw and b"rahasia" not in raw
    for login in (desk.login, newsroom.editor.login):
        assert f'"{login}"'.encode() not in raw


def test_the_change_log_is_paginated_like_the_feeds(desk, kit, tmp_path):
    for n in range(5):  # three items a page (the desk's feed_page_size)
        kit.publish(desk, f"Berita Ke {n}")
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    first = kit.check(out / "changes.json")
    assert len(first["items"]) == 3 and first["next_url"].endswith("/changes-2.json")
    assert [i["url"] for i in _changes(kit, out)] == [BASE + f"berita-ke-{n}" for n in (4, 3, 2, 1, 0)]


def test_an_article_that_left_leaves_a_tombstone_and_a_withdrawn_file_until_it_expires(desk, kit, tmp_path):
    _start()
    site.set_setting(desk, "tombstone_days", "10")
    stays = kit.publish(desk, "Rapat Koordinasi")
    gone = kit.publish(desk, "Lowongan Petugas Dapur", "Pendaftaran dibuka.")
    trashed = kit.publish(desk, "Jadwal Kunjungan Lama")
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    _later(days=1)
    transitions.unpublish(desk, gone.id)
    _later(minutes=5)
    transitions.trash(desk, trashed.id)
    export_feeds(out, actor=desk)
    feed = kit.check(out / "feed.json")  # the extension is valid JSON Feed 1.1
    assert [item["id"] for item in feed["items"]] == [f"urn:uuid:{stays.uuid}"]
    removed = feed["_beritatui"]["removed"]
    assert [r["id"] for r in removed] == [f"urn:uuid:{trashed.uuid}", f"urn:uuid:{gone.uuid}"]
    assert all(r["removed_at"].endswith("+08:00") for r in removed)
    withdrawn = json.loads((out / "articles" / f"{gone.slug}.json").read_bytes())
    assert withdrawn == {"id": f"urn:uuid:{gone.uuid}", "withdrawn": True, "withdrawn_at": removed[1]["removed_at"],
                         "change": "unpublished"}
    assert json.loads((out / "articles" / f"{trashed.slug}.json").read_bytes())["change"] == "removed"
    assert b"Pendaftaran" not in (out / "articles" / f"{gone.slug}.json").read_bytes()
    for path in kit.feed_files(out):
        kit.check(path)
    _later(days=10, minutes=-2)  # the unpublication is 10 days and 3 minutes old, the trash 9 days 23:58
    report = export_feeds(out, actor=desk)
    feed = kit.check(out / "feed.json")
    assert [r["id"] for r in feed["_beritatui"]["removed"]] == [f"urn:uuid:{trashed.uuid}"]
    assert not (out / "articles" / f"{gone.slug}.json").exists() and f"articles/{gone.slug}.json" in (
        report.removed_paths)
    _later(minutes=5)
    export_feeds(out, actor=desk)
    assert "removed" not in kit.check(out / "feed.json").get("_beritatui", {})  # no tombstone left
    assert sorted(p.name for p in (out / "articles").iterdir()) == [f"{stays.slug}.json"]


def test_a_republished_article_gets_its_file_back_and_no_tombstone(desk, kit, tmp_path):
    article = kit.publish(desk, "Panen Sayur")
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    transitions.unpublish(desk, article.id)
    export_feeds(out, actor=desk)
    assert json.loads((out / "articles" / f"{article.slug}.json").read_bytes())["withdrawn"] is True
    transitions.reopen(desk, article.id)
    transitions.submit(desk, article.id)
    transitions.publish(desk, article.id)
    export_feeds(out, actor=desk)
    assert kit.check(out / "articles" / f"{article.slug}.json")["items"][0]["id"] == f"urn:uuid:{article.uuid}"
    assert "removed" not in kit.check(out / "feed.json").get("_beritatui", {})
    assert [i["_beritatui"]["change"] for i in _changes(kit, out)] == ["published", "unpublished", "published"]


def test_no_tombstones_with_tombstone_days_zero(desk, kit, tmp_path):
    site.set_setting(desk, "tombstone_days", "0")
    article = kit.publish(desk, "Panen Sayur")
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    transitions.unpublish(desk, article.id)
    export_feeds(out, actor=desk)
    assert "removed" not in kit.check(out / "feed.json").get("_beritatui", {})
    assert not (out / "articles" / f"{article.slug}.json").exists()


@pytest.mark.parametrize("value", ["-1", "3651", "tiga", "2.5", ""])
def test_tombstone_days_is_validated(desk, value):
    with pytest.raises(ValidationError, match="tombstone_days"):
        site.set_setting(desk, "tombstone_days", value)
    assert site.get_settings().tombstone_days == 30


def test_redirects_collapse_a_chain_of_two_renames_and_never_loop(desk, kit, tmp_path):
    article = kit.publish(desk, "Panen Sayur di Kebun Lapas")
    first = article.slug
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    assert json.loads((out / "redirects.json").read_bytes()) == {"redirects": {}}
    _rename(desk, article.id, "panen-sayur")
    _rename(desk, article.id, "panen-raya")
    export_feeds(out, actor=desk)
    assert json.loads((out / "redirects.json").read_bytes()) == {"redirects": {
        f"/berita/{first}": "/berita/panen-raya", "/berita/panen-sayur": "/berita/panen-raya"}}
    assert not (out / "articles" / "panen-sayur.json").exists() and (out / "articles" / "panen-raya.json").exists()
    _rename(desk, article.id, first)  # back where it began: that path is live again, never a loop
    export_feeds(out, actor=desk)
    assert json.loads((out / "redirects.json").read_bytes()) == {"redirects": {
        "/berita/panen-raya": f"/berita/{first}", "/berita/panen-sayur": f"/berita/{first}"}}
    moves = [i["_beritatui"]["old_url"].rsplit("/", 1)[1] for i in _changes(kit, out)
             if i["_beritatui"]["change"] == "moved"]
    assert moves == ["panen-raya", "panen-sayur", first]


def test_a_slug_taken_again_by_another_article_is_no_redirect(desk, kit, tmp_path):
    article = kit.publish(desk, "Panen Sayur")
    _rename(desk, article.id, "panen-sayur-lapas")
    kit.publish(desk, "Panen Sayur")  # takes the free slug panen-sayur
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    assert json.loads((out / "redirects.json").read_bytes()) == {"redirects": {}}


def test_slug_changes_before_the_first_publication_are_not_public(desk, kit, tmp_path):
    article = create_article(desk, ArticleDraft(title="Panen Sayur", body="Isi."))
    _rename(desk, article.id, "panen-awal")
    transitions.submit(desk, article.id)
    transitions.publish(desk, article.id)
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    assert [(i["_beritatui"]["change"], i["url"]) for i in _changes(kit, out)] == [("published", BASE + "panen-awal")]
    assert json.loads((out / "redirects.json").read_bytes()) == {"redirects": {}}


def test_each_unit_logs_only_its_own_scope(desk, kit, tmp_path):
    kanwil = unit_admin.add_unit(desk, "Kanwil Sulawesi Selatan")
    lapas = unit_admin.add_unit(desk, "Lapas Watampone", parent=kanwil.id)
    rutan = unit_admin.add_unit(desk, "Rutan Makassar", parent=kanwil.id)
    for unit, host in ((kanwil, "kanwil"), (lapas, "lapas")):
        site.set_setting(desk, "base_url", f"https://{host}.example.go.id", unit=unit)
        site.set_setting(desk, "export_dir", str(tmp_path / host), unit=unit)
    in_lapas = publish_in(desk, lapas, "Panen Sayur di Lapas")
    in_rutan = publish_in(desk, rutan, "Kunjungan Keluarga di Rutan")
    in_kanwil = publish_in(desk, kanwil, "Rapat Koordinasi Kanwil")
    transitions.unpublish(desk, in_lapas.id)
    export_units(actor=desk)
    lapas_log = {i["_beritatui"]["article"] for i in _changes(kit, tmp_path / "lapas")}
    kanwil_log = {i["_beritatui"]["article"] for i in _changes(kit, tmp_path / "kanwil")}
    assert lapas_log == {f"urn:uuid:{in_lapas.uuid}"}
    assert kanwil_log == {f"urn:uuid:{a.uuid}" for a in (in_lapas, in_rutan, in_kanwil)}
    assert [r["id"] for r in kit.check(tmp_path / "lapas" / "feed.json")["_beritatui"]["removed"]] == [
        f"urn:uuid:{in_lapas.uuid}"]
    assert kit.check(tmp_path / "lapas" / "changes.json")["feed_url"] == "https://lapas.example.go.id/changes.json"


def test_incremental_nothing_changed_writes_nothing_one_change_rewrites_only_its_files(desk, kit, tmp_path):
    articles = [kit.publish(desk, f"Berita Ke {n}") for n in range(7)]
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    before = kit.snapshot(out)
    report = export_feeds(out, actor=desk)
    assert report.written == 0 and report.removed == 0 and kit.snapshot(out) == before
    oldest = articles[0]
    transitions.unpublish(desk, oldest.id)
    report = export_feeds(out, actor=desk)
    changed = {name for name, value in kit.snapshot(out).items() if before.get(name) != value} - {MANIFEST}
    # feed.json (its tombstone), the page that listed the article and the pages that moved, the article's
    # file (now withdrawn), and the change log's first page and newest archive page.
    assert f"articles/{oldest.slug}.json" in changed and "feed.json" in changed and "changes.json" in changed
    assert "redirects.json" not in changed and "changes-2.json" not in changed  # the oldest log page stays
    assert set(report.changed_paths) | set(report.removed_paths) == changed | (before.keys() - kit.snapshot(out).keys())
    again = kit.snapshot(out)
    assert export_feeds(out, actor=desk).written == 0 and kit.snapshot(out) == again


def test_a_full_export_gives_the_same_bytes(desk, kit, tmp_path):
    article = kit.publish(desk, "Panen Sayur")
    _rename(desk, article.id, "panen-raya")
    gone = kit.publish(desk, "Lowongan")
    transitions.unpublish(desk, gone.id)
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    before = kit.snapshot(out)
    report = export_feeds(out, actor=desk, full=True)
    assert report.written == 0 and kit.snapshot(out) == before
    other = tmp_path / "other"
    export_feeds(other, actor=desk)
    assert {k: v[0] for k, v in kit.snapshot(other).items() if k != MANIFEST} == {
        k: v[0] for k, v in before.items() if k != MANIFEST}


def test_importing_an_export_folder_skips_the_history_files(desk, kit, tmp_path):
    article = kit.publish(desk, "Panen Sayur")
    _rename(desk, article.id, "panen-raya")
    gone = kit.publish(desk, "Lowongan")
    transitions.unpublish(desk, gone.id)
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    report = import_paths(desk, [out])
    assert report.skipped == 0 and report.created == 0
