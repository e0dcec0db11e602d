"""The JSON Feed export: valid, complete, deterministic, incremental, atomic, paginated, and never leaking."""

from __future__ import annotations

import json
import os
from datetime import timedelta

import pytest

from beritatui.core import clock, tags, transitions
from beritatui.core.articles import ArticleDraft, create_article, save_article
from beritatui.core.errors import ValidationError
from beritatui.core.models import Article, AuditEvent
from beritatui.core.reactions import set_tallies
from beritatui.core.site import set_setting
from beritatui.feeds import files
from beritatui.feeds.export import MANIFEST, ExportError, export_feeds

from .test_feeds_encode import page_item


def _seed(kit, actor, n=7):
    articles = []
    for i in range(n):
        articles.append(kit.publish(
            actor, f"Kunjungan Kerja Kepala Kanwil ke Lapas {i + 1}",
            f"Kepala Kanwil meninjau blok hunian ke-{i + 1}.\n\n- dapur\n- klinik\n\n**Penting**: tertib.",
            tags=["Kunjungan", "Pembinaan" if i % 2 else "Keamanan", "#catatan-redaksi"],
            bylines=[("Wati Handayani", "Lapas Watampone"), ("Eko Prasetyo", "")],
            summary=f"Kunjungan nomor {i + 1} & evaluasi <singkat>.",
            image_url=f"https://lapas.example.go.id/img/{i}.jpg"))
    return articles


def test_export_writes_valid_feeds_with_every_field(desk, kit, tmp_path):
    _seed(kit, desk)
    out = tmp_path / "out"
    report = export_feeds(out, actor=desk)
    assert report.articles == 7 and report.written > 0 and report.removed == 0
    names = {str(p.relative_to(out)) for p in kit.feed_files(out)}
    assert {"feed.json", "feed-2.json", "feed-3.json", "tags/kunjungan.json", "tags/kunjungan.page2.json",
            "tags/keamanan.json", "tags/pembinaan.json"} <= names
    for path in kit.feed_files(out):
        kit.check(path)
    first = json.loads((out / "feed.json").read_bytes())
    assert [first[k] for k in ("version", "title", "feed_url", "language")] == [
        "https://jsonfeed.org/version/1.1", "Berita", "https://lapas.example.go.id/feed.json", "id"]
    assert first["description"] == "Berita & kegiatan <Lapas>"
    assert first["authors"] == [{"name": "Berita", "url": "https://lapas.example.go.id"}]
    item = first["items"][0]
    newest = Article.select().order_by(Article.published_at.desc(), Article.id.desc()).first()
    assert item["id"] == f"urn:uuid:{newest.uuid}"
    assert item["url"] == f"https://lapas.example.go.id/berita/{newest.slug}"
    assert item["content_html"] == newest.body_html and "<li>klinik</li>" in item["content_html"]
    assert "content_text" not in item and "markdown" not in item["_beritatui"]  # pages leave them to the article file
    assert item["summary"] == newest.summary and item["image"].endswith(".jpg")
    assert item["date_published"].endswith("+08:00") and item["date_modified"].endswith("+08:00")
    assert item["authors"] == [{"name": "Wati Handayani", "_beritatui": {"unit": "Lapas Watampone"}},
                               {"name": "Eko Prasetyo"}]
    assert item["tags"] == ["Kunjungan", "Keamanan"]
    ext = item["_beritatui"]
    assert ext["unit"] == "Lapas Watampone" and ext["primary_tag"] == "Kunjungan"
    assert ext["about"].startswith("https://") and set(ext["reactions"]) == {
        "like", "dislike", "love", "funny", "angry", "sad", "wow"}
    single = json.loads((out / "articles" / f"{newest.slug}.json").read_bytes())
    whole = single["items"][0]
    assert whole["content_text"] == newest.body_text and whole["_beritatui"]["markdown"] == newest.body
    assert page_item(whole) == item


def test_pages_chain_newest_first_and_cover_every_article_once(desk, kit, tmp_path):
    published = _seed(kit, desk)
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    seen, path = [], out / "feed.json"
    while True:
        page = json.loads(path.read_bytes())
        assert len(page["items"]) <= 3
        seen += [item["id"] for item in page["items"]]
        if "next_url" not in page:
            break
        path = out / page["next_url"].rsplit("/", 1)[1]
        assert path.exists()
    expected = sorted(published, key=lambda a: (Article.get_by_id(a.id).published_at, a.id), reverse=True)
    assert seen == [f"urn:uuid:{a.uuid}" for a in expected]
    tag_ids, path = [], out / "tags" / "kunjungan.json"
    while True:
        page = json.loads(path.read_bytes())
        tag_ids += [item["id"] for item in page["items"]]
        if "next_url" not in page:
            break
        path = out / "tags" / page["next_url"].rsplit("/", 1)[1]
    assert tag_ids == seen


def test_export_twice_is_byte_identical_and_rewrites_nothing(desk, kit, tmp_path):
    _seed(kit, desk)
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    before = kit.snapshot(out)
    again = export_feeds(out, actor=desk)
    assert again.written == 0 and again.removed == 0 and again.unchanged > 0
    assert kit.snapshot(out) == before
    full = export_feeds(out, actor=desk, full=True)
    assert full.written == 0
    assert kit.snapshot(out) == before
    other = tmp_path / "other"
    export_feeds(other, actor=desk)
    assert {k: v[0] for k, v in kit.snapshot(other).items()} == {k: v[0] for k, v in before.items()}


def test_one_changed_article_touches_only_its_files(desk, kit, tmp_path):
    articles = _seed(kit, desk)
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    before = kit.snapshot(out)
    target = Article.get_by_id(articles[0].id)  # the oldest: last page of the main feed
    save_article(desk, target.id, target.version, ArticleDraft(body="Isi yang **dikoreksi**."))
    report = export_feeds(out, actor=desk)
    after = kit.snapshot(out)
    changed = {name for name in after if before.get(name) != after[name]} - {MANIFEST}
    # The oldest article sits on the oldest archive page, which is file 2 (archive pages count from the oldest).
    # feed.json and audit-head.json: the save added audit events, so the chain's head moved (docs/feeds.md).
    assert changed == {f"articles/{target.slug}.json", "feed-2.json", "tags/kunjungan.page2.json",
                       "tags/keamanan.page2.json", "feed.json", "audit-head.json"}
    assert report.written == len(changed)
    set_tallies(target.id, {"love": 9})
    report = export_feeds(out, actor=desk)
    assert report.written == 4
    assert json.loads((out / "articles" / f"{target.slug}.json").read_bytes())["items"][0][
        "_beritatui"]["reactions"]["love"] == 9


def test_a_new_article_rewrites_the_first_page_and_the_newest_archive_page_only(desk, kit, tmp_path):
    """Archive pages count from the oldest, so publishing (the everyday change) leaves the older pages
    alone instead of moving every article of the feed to another page."""
    _seed(kit, desk)  # seven articles, three a page, every one tagged "Kunjungan"
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    for n in range(4):  # enough to fill the newest archive page and start another
        before = kit.snapshot(out)
        fresh = kit.publish(desk, f"Rilis Terbaru Humas {n + 1}", tags=["Kunjungan"])
        report = export_feeds(out, actor=desk)
        after = kit.snapshot(out)
        changed = {name for name in after if before.get(name) != after[name]} - {MANIFEST}
        assert {f"articles/{fresh.slug}.json", "feed.json", "tags/kunjungan.json"} < changed
        # the change log says it was published, one archive page of each feed (the log's too), and the audit
        # chain's head (publishing is an event)
        assert "changes.json" in changed and "audit-head.json" in changed
        assert len(changed) == 8 and report.written == 8
        assert after["feed-2.json"] == before["feed-2.json"]  # the oldest page: same bytes, not rewritten
        assert after["tags/kunjungan.page2.json"] == before["tags/kunjungan.page2.json"]
    _assert_consistent(kit, out)
    items = []
    page = json.loads((out / "feed.json").read_bytes())
    while True:
        items += [item["title"] for item in page["items"]]
        if "next_url" not in page:
            break
        page = json.loads((out / page["next_url"].rsplit("/", 1)[1]).read_bytes())
    assert items[:4] == [f"Rilis Terbaru Humas {n}" for n in (4, 3, 2, 1)] and len(items) == 11 == len(set(items))


def test_unpublished_slug_change_and_tag_loss_remove_old_files(desk, kit, tmp_path):
    articles = _seed(kit, desk)
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    gone = Article.get_by_id(articles[1].id)
    transitions.unpublish(desk, gone.id)
    renamed = Article.get_by_id(articles[2].id)
    save_article(desk, renamed.id, renamed.version, ArticleDraft(slug="lapas-berbenah"))
    tags.delete_tag(desk, "Pembinaan")
    report = export_feeds(out, actor=desk)
    withdrawn = json.loads((out / "articles" / f"{gone.slug}.json").read_bytes())  # until its tombstone expires
    assert withdrawn["id"] == f"urn:uuid:{gone.uuid}" and withdrawn["withdrawn"] is True and "items" not in withdrawn
    assert not (out / "articles" / f"{renamed.slug}.json").exists()
    assert (out / "articles" / "lapas-berbenah.json").exists()
    assert not (out / "tags" / "pembinaan.json").exists()
    assert report.removed >= 2
    ids = set()
    for path in kit.feed_files(out):
        ids |= {item["id"] for item in kit.check(path)["items"]}
    assert f"urn:uuid:{gone.uuid}" not in ids
    manifest = json.loads((out / MANIFEST).read_text())
    assert gone.uuid not in manifest["articles"]


def test_only_published_articles_and_public_tags_leave_the_building(desk, kit, tmp_path, newsroom):
    kit.publish(desk, "Berita Terbit", tags=["Humas", "#rahasia-dapur"])
    for status in ("draft", "review", "scheduled", "archived", "trash"):
        article = create_article(desk, ArticleDraft(title=f"Naskah {status} rahasia", body="RAHASIA-ISI",
                                                    tags=[f"Tag {status}"]))
        if status in ("review", "scheduled", "archived"):
            transitions.submit(desk, article.id)
        if status == "scheduled":
            transitions.schedule(desk, article.id, clock.utcnow() + timedelta(days=2))
        if status == "archived":
            transitions.publish(desk, article.id)
            transitions.unpublish(desk, article.id)
        if status == "trash":
            transitions.trash(desk, article.id)
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    blob = b"".join(p.read_bytes() for p in kit.feed_files(out))
    assert b"RAHASIA-ISI" not in blob and b"rahasia" not in blob.lower().replace(b"rahasia-dapur", b"")
    assert b"rahasia-dapur" not in blob
    # The change log tells only what was on the site: the archived article was, for a while.
    changes = kit.check(out / "changes.json")
    assert [item["_beritatui"]["change"] for item in changes["items"]] == ["unpublished", "published", "published"]
    assert b"RAHASIA-ISI" not in (out / "changes.json").read_bytes()
    assert {item["url"].rsplit("/", 1)[1] for item in changes["items"]} == {"berita-terbit", "naskah-archived-rahasia"}
    for path in kit.feed_files(out):
        for item in kit.check(path)["items"]:
            assert item["tags"] == ["Humas"] and item["_beritatui"]["primary_tag"] == "Humas"
    assert sorted(p.name for p in (out / "tags").iterdir()) == ["humas.json"]


def test_due_scheduled_articles_are_published_first_with_an_audit_event(desk, kit, tmp_path):
    article = create_article(desk, ArticleDraft(title="Upacara Hari Bakti", body="Upacara berlangsung khidmat."))
    transitions.submit(desk, article.id)
    transitions.schedule(desk, article.id, clock.utcnow() + timedelta(minutes=5))
    clock.freeze(clock.utcnow() + timedelta(minutes=10))
    report = export_feeds(tmp_path / "out", actor=desk)
    assert report.articles == 1
    assert Article.get_by_id(article.id).status == "published"
    assert AuditEvent.select().where((AuditEvent.action == "article.publish-due")
                                     & (AuditEvent.article == article.id)).exists()


def test_a_failure_mid_export_leaves_the_old_set_whole(desk, kit, tmp_path, monkeypatch):
    articles = _seed(kit, desk)
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    for article in articles[:4]:
        current = Article.get_by_id(article.id)
        save_article(desk, current.id, current.version, ArticleDraft(title=current.title + " (revisi)"))
    kit.publish(desk, "Berita Baru Paling Akhir", tags=["Kunjungan"])
    real_replace = os.replace
    failures = 0
    for fail_at in range(1, 60):
        calls = {"n": 0}

        def flaky(src, dst, _fail_at=fail_at, _calls=calls, **dir_fds):
            _calls["n"] += 1
            if _calls["n"] == _fail_at:
                raise OSError(28, "No space left on device", str(dst))
            return real_replace(src, dst, **dir_fds)

        monkeypatch.setattr(os, "replace", flaky)
        try:
            export_feeds(out, actor=desk)
        except ExportError as exc:
            assert "No space left" in str(exc)
            failures += 1
        else:
            break
        finally:
            monkeypatch.setattr(os, "replace", real_replace)
        _assert_consistent(kit, out)
    assert failures >= 5
    export_feeds(out, actor=desk)
    _assert_consistent(kit, out)
    assert export_feeds(out, actor=desk).written == 0


def _assert_consistent(kit, out):
    """Every file valid, no temporary files left, every next_url and every item's article file present."""
    assert not [p for p in out.rglob("*.tmp")]
    article_ids = set()
    for path in (out / "articles").glob("*.json"):
        if path in kit.feed_files(out):  # a withdrawn article's file is no feed
            article_ids |= {item["id"] for item in kit.check(path)["items"]}
    for path in kit.feed_files(out) + [p for p in kit.other_files(out) if p.name.startswith("changes")]:
        page = kit.check(path)
        if "next_url" in page:
            rel = page["next_url"].split("lapas.example.go.id/", 1)[1]
            assert (out / rel).exists(), (path, rel)
        if not path.name.startswith("changes"):  # the change log's items are events (of articles gone too)
            assert {item["id"] for item in page["items"]} <= article_ids


def test_dry_run_reports_changes_and_writes_nothing(desk, kit, tmp_path):
    _seed(kit, desk, n=2)
    out = tmp_path / "out"
    report = export_feeds(out, actor=desk, dry_run=True)
    assert report.dry_run and report.written > 0 and not out.exists()
    export_feeds(out, actor=desk)
    before = kit.snapshot(out)
    kit.publish(desk, "Berita Tambahan", tags=["Kunjungan"])
    report = export_feeds(out, actor=desk, dry_run=True)
    assert report.written >= 3 and kit.snapshot(out) == before


def test_missing_base_url_names_the_command(newsroom, tmp_path):
    with pytest.raises(ValidationError, match="beritatui site set base_url"):
        export_feeds(tmp_path / "out", actor=newsroom.admin)


def test_missing_out_dir_names_the_setting(desk):
    with pytest.raises(ValidationError, match="export_dir"):
        export_feeds(None, actor=desk)


def test_settings_change_rebuilds_everything_and_progress_reaches_the_end(desk, kit, tmp_path):
    _seed(kit, desk, n=2)
    out = tmp_path / "out"
    set_setting(desk, "export_dir", str(out))
    export_feeds(None, actor=desk)
    set_setting(desk, "title", "Berita Lapas Watampone")
    seen = []
    report = export_feeds(None, actor=desk, progress=lambda done, total: seen.append((done, total)))
    assert report.unchanged == 1 and "redirects.json" not in report.changed_paths  # it names no title
    assert seen and seen[-1][0] == seen[-1][1] and all(d <= t for d, t in seen)
    assert json.loads((out / "feed.json").read_bytes())["title"] == "Berita Lapas Watampone"


def test_export_runs_in_a_worker_thread_with_progress(desk, kit, tmp_path):
    import threading

    from beritatui.core.database import release_thread_connection

    _seed(kit, desk, n=4)
    results, seen = [], []

    def work():
        try:
            results.append(export_feeds(tmp_path / "out", actor=desk, progress=lambda d, t: seen.append((d, t))))
        finally:
            release_thread_connection()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)
    assert results and results[0].articles == 4 and results[0].written > 0
    assert seen[-1][0] == seen[-1][1]
    assert export_feeds(tmp_path / "out", actor=desk).written == 0


def test_a_damaged_manifest_falls_back_to_a_full_comparison(desk, kit, tmp_path):
    _seed(kit, desk, n=4)
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    manifest = out / MANIFEST
    good = manifest.read_bytes()
    before = {k: v for k, v in kit.snapshot(out).items() if k != MANIFEST}
    manifest.write_bytes(good[: len(good) // 2])
    report = export_feeds(out, actor=desk)
    assert report.written == 0
    assert {k: v for k, v in kit.snapshot(out).items() if k != MANIFEST} == before
    assert manifest.read_bytes() == good


def test_an_export_with_nothing_to_do_leaves_no_dirty_marker_and_writes_nothing(desk, kit, tmp_path):
    """A run that changes nothing still ends cleanly, so the next run is incremental (not a recovery)."""
    _seed(kit, desk)
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    manifest = (out / MANIFEST).stat().st_mtime_ns
    assert export_feeds(out, actor=desk).written == 0
    assert not (out / ".beritatui-export.dirty").exists()
    assert (out / MANIFEST).stat().st_mtime_ns == manifest
    newest = Article.select().order_by(Article.published_at.desc(), Article.id.desc()).first()
    save_article(desk, newest.id, newest.version, ArticleDraft(body=newest.body + "\n\nRalat: nama narasumber."))
    again = export_feeds(out, actor=desk)
    assert 0 < again.written <= 5 and not (out / ".beritatui-export.dirty").exists()  # 5: audit-head.json too


def test_a_run_killed_while_removing_leaves_no_page_listing_a_removed_article(desk, kit, tmp_path, monkeypatch):
    """A tag page that is no longer needed goes before the file of the article that left: a run stopped
    between the two removals leaves every item that a page lists with its article file."""
    published = _seed(kit, desk)  # "Kunjungan": seven articles, three a page, so three pages
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    assert (out / "tags" / "kunjungan.page3.json").exists()
    oldest = min(published, key=lambda a: (Article.get_by_id(a.id).published_at, a.id))
    transitions.unpublish(desk, oldest.id)  # six left: the tag's third page goes, and so does its article file
    real_remove, calls = files.remove, []

    def stop_after_the_first(folder, name):
        calls.append((os.fstat(folder), name))
        if len(calls) > 1:
            raise OSError(5, "Input/output error", name)
        return real_remove(folder, name)

    monkeypatch.setattr(files, "remove", stop_after_the_first)
    with pytest.raises(ExportError):
        export_feeds(out, actor=desk)
    monkeypatch.setattr(files, "remove", real_remove)
    assert not os.path.samestat(calls[0][0], os.stat(out / "articles"))  # a page went first
    _assert_consistent(kit, out)
    export_feeds(out, actor=desk)
    _assert_consistent(kit, out)
    assert not (out / "tags" / "kunjungan.page3.json").exists()
    assert json.loads((out / "articles" / f"{Article.get_by_id(oldest.id).slug}.json").read_bytes())["withdrawn"]


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts the open files through /proc")
def test_more_tags_than_open_files_allowed_still_export(desk, kit, tmp_path):
    """A full export has a page open in every tag's feed at once; it must not hold a file open for each
    (a newsroom with a thousand tags would pass the usual limit of 1024 open files)."""
    import resource

    many = 40
    for i in range(2 * many):  # newest first, every tag's page stays open across the first half
        kit.publish(desk, f"Rilis Kegiatan Unit {i + 1}", tags=[f"Topik {i % many}"])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (len(os.listdir("/proc/self/fd")) + many // 2, hard))
    try:
        report = export_feeds(tmp_path / "out", actor=desk)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert report.articles == 2 * many
    assert len(list((tmp_path / "out" / "tags").glob("topik-*.json"))) == many
    for path in kit.feed_files(tmp_path / "out" / "tags"):
        kit.check(path)


def test_a_manifest_from_the_last_release_is_read_without_rebuilding(desk, kit, tmp_path):
    """Page entries used to be "key sha256"; an export directory from then keeps its pages and gets the
    new manifest."""
    _seed(kit, desk)
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    manifest = out / MANIFEST
    head, _sep, rest = manifest.read_text(encoding="utf-8").partition("\n")
    old_head = json.loads(head + "}}")
    old_head["pages"] = {rel: f"{key} {'ab' * 32}" for rel, key in old_head["pages"].items()}
    manifest.write_text(json.dumps(old_head, separators=(",", ":"))[:-2] + "\n" + rest, encoding="utf-8")
    before = {k: v for k, v in kit.snapshot(out).items() if k != MANIFEST}
    report = export_feeds(out, actor=desk)
    assert report.written == 0 and report.removed == 0
    assert {k: v for k, v in kit.snapshot(out).items() if k != MANIFEST} == before
    pages = json.loads(manifest.read_text(encoding="utf-8"))["pages"]
    assert pages and all(" " not in entry for entry in pages.values())


def test_an_article_past_its_until_is_not_in_the_feed_even_before_publish_due_ran(desk, kit, tmp_path):
    """Nothing ran publish-due between the article's expiry and this export: the export itself takes it off."""
    kept = kit.publish(desk, "Rapat Koordinasi Keamanan", "Rapat rutin.")
    article = create_article(desk, ArticleDraft(title="Lowongan Petugas Dapur", body="Pendaftaran dibuka."))
    transitions.submit(desk, article.id)
    transitions.publish(desk, article.id, until=clock.utcnow() + timedelta(hours=1))
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    ids = {item["id"] for item in json.loads((out / "feed.json").read_text())["items"]}
    assert ids == {f"urn:uuid:{kept.uuid}", f"urn:uuid:{article.uuid}"}
    assert (out / "articles" / f"{article.slug}.json").exists()
    clock.freeze(clock.utcnow() + timedelta(hours=1))
    report = export_feeds(out, actor=desk)
    assert report.articles == 1
    items = json.loads((out / "feed.json").read_text())["items"]
    assert [item["id"] for item in items] == [f"urn:uuid:{kept.uuid}"]
    assert json.loads((out / "articles" / f"{article.slug}.json").read_bytes())["change"] == "expired"
    assert Article.get_by_id(article.id).status == "archived"
    assert AuditEvent.select().where((AuditEvent.action == "article.expire")
                                     & (AuditEvent.article == article.id)).exists()
