"""An export killed between its files and its manifest must not make the next export trust stale pages."""

from __future__ import annotations

import json

import pytest

from beritatui.core import site, transitions, unit_settings, units
from beritatui.core.articles import ArticleDraft, create_article, get_article, save_article
from beritatui.core.database import current_database
from beritatui.feeds.export import DIRTY, MANIFEST, export_feeds
from beritatui.feeds.export import manifest as export_module

BASE = "https://lapas-watampone.example.go.id"


@pytest.fixture
def seven_published(newsroom):
    """Seven published articles, three to a feed page: feed.json (7 6 5), then the archive pages, numbered
    from the oldest: feed-2.json (3 2 1) and feed-3.json (4)."""
    site.set_setting(newsroom.admin, "base_url", BASE)
    site.set_setting(newsroom.admin, "feed_page_size", "3")
    with current_database().atomic():  # edits of published articles go live: the export's subject here
        unit_settings.store(units.root_id(), "corrections", "direct")
    made = []
    for n in range(1, 8):
        article = create_article(newsroom.editor, ArticleDraft(title=f"Kegiatan Pramuka Pekan {n}", body="Isi."))
        transitions.submit(newsroom.editor, article.id)
        made.append(transitions.publish(newsroom.admin, article.id))  # four-eyes: not by its writer
    return made


def _killed_before_the_manifest(monkeypatch, out):
    """Run an export that dies after its feed files are in place, before its manifest (as SIGKILL would)."""
    def die(disk, settings, pages, rows):
        raise RuntimeError("killed")

    monkeypatch.setattr(export_module, "write", die)
    with pytest.raises(RuntimeError):
        export_feeds(out)
    monkeypatch.undo()


def _slugs(page):
    return [item["_beritatui"]["slug"] for item in json.loads(page.read_text())["items"]]


def test_pages_written_by_a_killed_export_are_rebuilt_not_trusted(newsroom, seven_published, tmp_path,
                                                                 monkeypatch, crash_bench):
    """Regression (found by bench/crash.py): the manifest still held the page keys from before the killed
    run; when the articles came back to that order, the next export kept the killed run's page, which
    listed an article whose file it had just removed."""
    out = tmp_path / "feeds"
    a = {n: article for n, article in enumerate(seven_published, start=1)}
    export_feeds(out)
    assert _slugs(out / "feed-2.json") == [a[3].slug, a[2].slug, a[1].slug]
    transitions.unpublish(newsroom.editor, a[2].id)  # the oldest page takes article 4 in its place
    _killed_before_the_manifest(monkeypatch, out)
    assert (out / DIRTY).exists()
    assert _slugs(out / "feed-2.json") == [a[4].slug, a[3].slug, a[1].slug]

    transitions.reopen(newsroom.editor, a[2].id)  # back in its old place: page 2 is (3 2 1) as before
    transitions.submit(newsroom.editor, a[2].id)
    transitions.publish(newsroom.admin, a[2].id)
    renamed = save_article(newsroom.editor, a[1].id, get_article(a[1].id).version,
                           ArticleDraft(slug="pramuka-pekan-pertama"))  # article 1's file moves
    (out / f".feed-2.json.{99999}.tmp").write_text("{ terpotong")
    export_feeds(out)

    assert _slugs(out / "feed-2.json") == [a[3].slug, a[2].slug, renamed.slug]
    assert _slugs(out / "feed-3.json") == [a[4].slug]
    assert not (out / "articles" / f"{a[1].slug}.json").exists()
    checked, problems = crash_bench.feed_problems(out, BASE)
    assert checked > 5 and problems == []
    assert not (out / DIRTY).exists() and (out / MANIFEST).exists()
    assert not list(out.rglob(".*.tmp"))  # what the killed run left is swept


def test_a_finished_export_leaves_no_marker_and_trusts_its_manifest_next_time(newsroom, seven_published,
                                                                               tmp_path):
    out = tmp_path / "feeds"
    export_feeds(out)
    assert not (out / DIRTY).exists()
    again = export_feeds(out)
    assert again.written == 0 and again.removed == 0
    assert not (out / DIRTY).exists()
    dry = export_feeds(tmp_path / "kering", dry_run=True)
    assert dry.written > 0 and not (tmp_path / "kering").exists()


def test_pages_only_a_killed_export_knew_are_removed_with_the_files_they_point_at(newsroom, tmp_path,
                                                                                monkeypatch, crash_bench):
    """Regression (found by bench/crash.py): a page the killed run wrote, which no manifest recorded,
    stayed after the tag shrank, still listing an article file that had been renamed away."""
    site.set_setting(newsroom.admin, "base_url", BASE)
    site.set_setting(newsroom.admin, "feed_page_size", "3")
    with current_database().atomic():  # edits of published articles go live: the export's subject here
        unit_settings.store(units.root_id(), "corrections", "direct")
    out = tmp_path / "feeds"

    def publish(title):
        article = create_article(newsroom.editor, ArticleDraft(title=title, body="Isi.", tags=["Humas"]))
        transitions.submit(newsroom.editor, article.id)
        return transitions.publish(newsroom.admin, article.id)  # four-eyes: not by its writer

    oldest = publish("Upacara Hari Bhakti Pemasyarakatan")
    export_feeds(out)
    newer = [publish(f"Lomba Kebersihan Blok {n}") for n in range(3)]
    _killed_before_the_manifest(monkeypatch, out)
    assert _slugs(out / "tags" / "humas.page2.json") == [oldest.slug]
    for article in newer:
        transitions.unpublish(newsroom.editor, article.id)
    save_article(newsroom.editor, oldest.id, get_article(oldest.id).version, ArticleDraft(slug="upacara-hbp"))
    export_feeds(out)

    assert not (out / "tags" / "humas.page2.json").exists()
    assert _slugs(out / "tags" / "humas.json") == ["upacara-hbp"]
    left = sorted(p.name for p in (out / "articles").iterdir() if b'"withdrawn":true' not in p.read_bytes())
    assert left == ["upacara-hbp.json"]  # and the withdrawn files of the three unpublished, for their tombstones
    checked, problems = crash_bench.feed_problems(out, BASE)
    assert checked == 3 and problems == []
