"""SIGKILL at random moments during save, publish, import and export (bench/crash.py, 50 iterations)."""

from __future__ import annotations

import json

from beritatui.core.articles import ArticleDraft, create_article

from .conftest import run_bench


def test_fifty_kills_leave_a_healthy_database_and_feed_set(tmp_path):
    code, output, figures = run_bench(
        "crash", ["--iterations", "50", "--seed", "11", "--quiet", "--work", str(tmp_path / "run")],
        tmp_path / "figures.json", timeout=240)
    assert code == 0, output
    assert figures["iterations"] == 50
    assert figures["integrity_failures"] == 0, figures["problems"]
    assert figures["feed_failures"] == 0, figures["problems"]
    assert figures["lost_saves"] == 0, figures["problems"]
    assert figures["child_errors"] == 0, figures["problems"]
    assert figures["acknowledged_saves"] > 0 and figures["feed_files_checked"] > 50, output
    assert sum(figures["killed_in"].values()) == 50
    assert len(set(figures["killed_in"]) & {"save", "publish", "import", "export"}) >= 3, figures["killed_in"]


def _feed(items, next_url=None):
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Berita", "items": items}
    if next_url:
        feed["next_url"] = next_url
    return json.dumps(feed)


def _item(slug):
    return {"id": f"urn:uuid:{slug}", "content_text": "Isi.", "_beritatui": {"slug": slug}}


def test_the_feed_check_catches_broken_and_dangling_files(crash_bench, tmp_path):
    """The harness must be able to fail: a cut-off file, a next_url to nowhere, an item without its file."""
    base = "https://lapas.example.go.id"
    out = tmp_path / "feeds"
    (out / "articles").mkdir(parents=True)
    (out / "articles" / "ada.json").write_text(_feed([_item("ada")]))
    (out / "feed.json").write_text(_feed([_item("ada")], next_url=f"{base}/feed-2.json"))
    (out / "feed-2.json").write_text(_feed([_item("ada")]))
    (out / ".feed.json.123.tmp").write_text("{ cut")  # hidden temporary files are not feed files
    checked, problems = crash_bench.feed_problems(out, base)
    assert (checked, problems) == (3, [])

    (out / "feed-2.json").unlink()
    (out / "tags").mkdir()
    (out / "tags" / "humas.json").write_text(_feed([_item("hilang")]))
    (out / "tags" / "keamanan.json").write_text(_feed([_item("ada")])[:40])
    (out / "tags" / "bukan-feed.json").write_text(json.dumps({"title": "tanpa versi"}))
    checked, problems = crash_bench.feed_problems(out, base)
    text = "\n".join(problems)
    assert "feed.json: next_url" in text
    assert "humas.json: item urn:uuid:hilang has no article file" in text
    assert "keamanan.json: not JSON" in text
    assert "bukan-feed.json: not JSON Feed 1.1" in text


def test_the_ack_check_finds_a_save_that_is_not_stored(newsroom, crash_bench):
    article = create_article(newsroom.editor, ArticleDraft(title="Donor Darah Petugas", body="Isi tersimpan."))
    stored = f"save {article.id} 1 {crash_bench.sha('Isi tersimpan.')}"
    assert crash_bench.missing_acks([stored]) == []
    wrong_body = f"save {article.id} 1 {crash_bench.sha('Isi lain.')}"
    no_version = f"save {article.id} 7 {crash_bench.sha('Isi tersimpan.')}"
    assert crash_bench.missing_acks([stored, wrong_body, no_version]) == [wrong_body, no_version]
