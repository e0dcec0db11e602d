"""Importing Markdown with front matter, JSON Feeds and plain-text pages: each format, idempotency, bad files."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beritatui.core import users
from beritatui.core.articles import article_bylines, article_tags, reactions_of
from beritatui.core.database import close_database, open_database
from beritatui.core.models import Article, Revision
from beritatui.core.site import set_setting
from beritatui.feeds import importers
from beritatui.feeds.export import export_feeds
from beritatui.feeds.importers import import_paths

HUGO = """---
title: "Pelatihan Barista untuk Warga Binaan"
slug: pelatihan-barista
date: 2025-03-14T09:30:00+08:00
lastmod: 2025-03-15T10:00:00+08:00
draft: false
tags: [Kemandirian, Pelatihan]
categories: [Pembinaan]
summary: Dua puluh warga binaan belajar meracik kopi.
author: "Rina Wulandari (Rutan Sinjai)"
image: https://rutan.example.go.id/img/barista.jpg
---
Pelatihan berlangsung **tiga hari** di bengkel kerja.

- menyangrai biji kopi
- menyeduh manual
"""

JEKYLL = """---
title: Rapat Persiapan Hari Bakti
date: 2025-04-01
description: Rapat membagi tugas panitia.
author: Muh. Fadli
unit: Bapas Makassar
draft: true
tags: "Humas, Hari Bakti"
---
Panitia dibentuk dan jadwal gladi ditetapkan.
"""

PLAIN = """Warga Binaan Ikuti Lomba Kebersihan Blok Hunian

Warga Binaan Ikuti Lomba Kebersihan Blok Hunian

Dalam rangka menyambut hari jadi kabupaten, seluruh blok hunian mengikuti lomba kebersihan. Penilaian dilakukan oleh tim gabungan dari bagian umum dan pengamanan.

Aspek yang dinilai meliputi:

  • Kerapian kamar dan lemari;
  • Kebersihan kamar mandi serta saluran air;
  • Penataan tanaman di halaman blok.

Kepala Lapas berharap kebiasaan baik ini terus berlanjut setelah lomba usai.

\u00a0

Penulis: Siti Rahmawati (Lapas Watampone)

What's Your Reaction?

like
4
dislike
0
love
2
funny
0
angry
0
sad
0
wow
1
"""

FEED_10 = {
    "version": "https://jsonfeed.org/version/1",
    "title": "Situs Lama",
    "items": [
        {"id": "https://lama.example.go.id/?p=17", "url": "https://lama.example.go.id/berita/donor-darah.html",
         "title": "Donor Darah Bersama PMI",
         "content_html": "<p>Sebanyak <b>40 kantong</b> darah terkumpul.</p><script>alert(1)</script>"
                         "<ul><li>petugas</li><li>keluarga</li></ul>",
         "date_published": "2024-08-17T08:00:00Z", "author": {"name": "Andi Pratama"}, "tags": ["Kesehatan"]},
        {"id": "tanpa-judul", "content_text": "Tidak ada judul di sini."},
    ],
}

FEED_11 = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Situs Mitra",
    "language": "id",
    "items": [
        {"id": "urn:uuid:0b7e4a52-5a1d-4f0e-9a57-2f7d3c9e1a10", "title": "Penyuluhan Narkotika",
         "content_text": "Penyuluhan diisi oleh *BNN* kabupaten.", "date_published": "2024-09-02T10:00:00+08:00",
         "authors": [{"name": "Dewi Lestari", "_beritatui": {"unit": "LPKA Maros"}}], "summary": "Ringkas."},
    ],
}


def _write(tmp_path, name, content):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_hugo_markdown_becomes_a_published_article(newsroom, tmp_path):
    report = import_paths(newsroom.editor, [_write(tmp_path, "content/barista.md", HUGO)], keep_status=True)
    assert (report.created, report.skipped) == (1, 0)
    article = Article.get(Article.slug == "pelatihan-barista")
    assert article.status == "published" and article.title == "Pelatihan Barista untuk Warga Binaan"
    assert article.published_at == datetime(2025, 3, 14, 1, 30, tzinfo=UTC)
    assert article.modified_at == datetime(2025, 3, 15, 2, 0, tzinfo=UTC)
    assert [t.name for t in article_tags(article.id)] == ["Kemandirian", "Pelatihan", "Pembinaan"]
    assert article_bylines(article.id) == [("Rina Wulandari", "Rutan Sinjai")]
    assert article.summary.startswith("Dua puluh") and article.image_url.endswith("barista.jpg")
    assert "<li>menyeduh manual</li>" in article.body_html
    assert [r.reason for r in Revision.select().where(Revision.article == article.id)] == ["import"]


def test_jekyll_fields_draft_and_status_override(newsroom, tmp_path):
    path = _write(tmp_path, "_posts/2025-04-01-rapat.md", JEKYLL)
    import_paths(newsroom.editor, [path])
    article = Article.get(Article.title == "Rapat Persiapan Hari Bakti")
    assert article.status == "draft" and article.summary == "Rapat membagi tugas panitia."
    assert article_bylines(article.id) == [("Muh. Fadli", "Bapas Makassar")]
    assert [t.name for t in article_tags(article.id)] == ["Humas", "Hari Bakti"]
    import_paths(newsroom.editor, [path], status="review")
    assert Article.get_by_id(article.id).status == "review"


def test_plain_text_page_keeps_bullets_byline_and_reactions(newsroom, tmp_path):
    report = import_paths(newsroom.editor, [_write(tmp_path, "lomba.txt", PLAIN)])
    assert report.created == 1
    article = Article.get()
    assert article.title == "Warga Binaan Ikuti Lomba Kebersihan Blok Hunian"
    assert not article.body.startswith("Warga Binaan Ikuti")
    assert article.body_html.count("<li>") == 3 and "<li>Kerapian kamar dan lemari;</li>" in article.body_html
    assert "Penulis" not in article.body and "Reaction" not in article.body
    assert article_bylines(article.id) == [("Siti Rahmawati", "Lapas Watampone")]
    assert reactions_of(article.id) == {"like": 4, "dislike": 0, "love": 2, "funny": 0, "angry": 0, "sad": 0,
                                        "wow": 1}


def test_json_feeds_one_oh_and_one_one(newsroom, tmp_path):
    report = import_paths(newsroom.editor, [_write(tmp_path, "lama.json", FEED_10),
                                            _write(tmp_path, "mitra.json", FEED_11)])
    assert (report.created, report.skipped) == (2, 1)
    assert report.problems[0][0].endswith("lama.json") and "item 2" in report.problems[0][1]
    donor = Article.get(Article.slug == "donor-darah")
    assert "alert" not in donor.body and "<script" not in donor.body_html
    assert "**40 kantong**" in donor.body and donor.body_html.count("<li>") == 2
    assert article_bylines(donor.id) == [("Andi Pratama", "")]
    mitra = Article.get(Article.uuid == "0b7e4a52-5a1d-4f0e-9a57-2f7d3c9e1a10")
    assert mitra.body == "Penyuluhan diisi oleh *BNN* kabupaten." and "<em>BNN</em>" in mitra.body_html
    assert article_bylines(mitra.id) == [("Dewi Lestari", "LPKA Maros")]


def test_importing_twice_updates_and_never_duplicates(newsroom, tmp_path):
    folder = tmp_path / "sumber"
    _write(folder, "a/barista.md", HUGO)
    _write(folder, "b/lomba.txt", PLAIN)
    _write(folder, "lama.json", FEED_10)
    _write(folder, ".draft/abaikan.md", HUGO.replace("pelatihan-barista", "rahasia"))
    first = import_paths(newsroom.editor, [folder])
    assert first.created == 3
    second = import_paths(newsroom.editor, [folder])
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert Article.select().count() == 3
    _write(folder, "a/barista.md", HUGO.replace("tiga hari", "empat hari"))
    third = import_paths(newsroom.editor, [folder])
    assert (third.created, third.updated) == (0, 1)
    article = Article.get(Article.slug == "pelatihan-barista")
    assert "empat hari" in article.body
    assert [r.reason for r in Revision.select().where(Revision.article == article.id)] == ["import", "import"]


def test_bad_files_are_reported_and_skipped(newsroom, tmp_path, monkeypatch):
    folder = tmp_path / "campur"
    _write(folder, "baik.md", HUGO)
    _write(folder, "gambar.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _write(folder, "latin1.txt", "Kegiatan di aula\n\nCaf\u00e9 ramai".encode("latin-1"))
    _write(folder, "rusak.md", "---\ntitle: [tidak ditutup\ntags: : :\n---\nIsi.\n")
    _write(folder, "bukan-feed.json", "{\"judul\": 1}")
    _write(folder, "raksasa.md", "---\ntitle: Besar\n---\n" + "kata " * 500_000)
    report = import_paths(newsroom.editor, [folder])
    reasons = dict((path.rsplit("/", 1)[1], reason) for path, reason in report.problems)
    assert report.created == 1 and report.skipped == 5
    assert "binary" in reasons["gambar.md"]
    assert "UTF-8" in reasons["latin1.txt"]
    assert "front matter" in reasons["rusak.md"]
    assert "JSON Feed" in reasons["bukan-feed.json"]
    assert "2 MB" in reasons["raksasa.md"]
    monkeypatch.setattr(importers.reading, "MAX_FILE_BYTES", 100)
    again = import_paths(newsroom.editor, [folder / "baik.md"])
    assert again.skipped == 1 and "too large" in again.problems[0][1]


def test_dry_run_keeps_nothing_but_reports_exactly(newsroom, tmp_path):
    path = _write(tmp_path, "barista.md", HUGO)
    report = import_paths(newsroom.editor, [path], dry_run=True)
    assert report.created == 1 and report.dry_run
    assert Article.select().count() == 0 and Revision.select().count() == 0


def test_a_writer_may_not_import(newsroom, tmp_path):
    import pytest

    from beritatui.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_paths(newsroom.writer, [_write(tmp_path, "barista.md", HUGO)])


def test_round_trip_export_import_export_gives_the_same_files(desk, kit, tmp_path):
    kit.publish(desk, "Kunjungan Ombudsman ke Rutan", "Ombudsman memeriksa **layanan** kunjungan.\n\n1. loket\n"
                "2. ruang tunggu", tags=["Pelayanan Publik", "#catatan"], bylines=[("Eko Prasetyo", "Rutan Makassar")],
                summary="Pemeriksaan layanan.", image_url="https://lapas.example.go.id/img/o.jpg")
    kit.publish(desk, "Pentas Seni Warga Binaan", "Tari & musik <daerah> ditampilkan.\n\n> kutipan kepala lapas",
                tags=["Pembinaan"])
    first = tmp_path / "pertama"
    export_feeds(first, actor=desk)
    close_database()
    open_database(str(tmp_path / "baru.db"))
    admin = users.make_admin("ani", "Ani Rahmawati", "Kanwil")
    for key, value in (("base_url", "https://lapas.example.go.id"), ("timezone", "Asia/Makassar"),
                       ("feed_page_size", "3"), ("description", "Berita & kegiatan <Lapas>")):
        set_setting(admin, key, value)
    report = import_paths(admin, [first / "articles"], keep_status=True)
    assert (report.created, report.skipped) == (2, 0)
    second = tmp_path / "kedua"
    export_feeds(second, actor=admin)
    a, b = kit.snapshot(first), kit.snapshot(second)
    for files in (a, b):  # the manifest, the change log and the audit chain's head: each database's own history
        for name in [".beritatui-export.json", "audit-head.json", *(n for n in files if n.startswith("changes"))]:
            files.pop(name)
        feed = json.loads(files.pop("feed.json")[0])
        assert feed.pop("_beritatui")["audit_head"]["events"] > 0
        files["feed.json"] = (json.dumps(feed).encode(), 0)
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name][0] == b[name][0], name


def test_plain_text_markup_stays_literal(newsroom, tmp_path):
    text = ("Judul dengan *bintang*\n\n# bukan judul\n1. bukan daftar\n[bukan](tautan) dan `kode` serta _miring_\n"
            "  • butir *satu*\n")
    import_paths(newsroom.editor, [_write(tmp_path, "literal.txt", text)])
    article = Article.get()
    assert article.title == "Judul dengan *bintang*"
    for literal in ("# bukan judul", "1. bukan daftar", "[bukan](tautan)", "`kode`", "_miring_", "butir *satu*"):
        assert literal in article.body_text
    assert "<h1>" not in article.body_html and "<a " not in article.body_html and "<em>" not in article.body_html


typed = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=typed)
def test_any_text_file_either_reads_or_is_reported(newsroom, text):
    for reader in (importers.read_plain_text, importers.read_markdown):
        try:
            source = reader(Path("x.txt"), text)
        except importers.ImportProblem as exc:
            assert str(exc)
        else:
            assert source.title.strip()
    try:
        sources = importers.read_feed(Path("x.json"), text)
    except importers.ImportProblem as exc:
        assert str(exc)
    else:
        assert isinstance(sources, list)


def test_odd_but_parseable_files_are_reported_not_fatal(newsroom, tmp_path):
    folder = tmp_path / "aneh"
    _write(folder, "tanggal.md", "---\ntitle: Tanggal Aneh\ndate: 2025-13-45 99:99\n---\nIsi.\n")
    _write(folder, "dalam.json", "[" * 100_000 + "]" * 100_000)
    _write(folder, "baik.txt", "Judul Biasa\n\nIsi biasa.\n")
    report = import_paths(newsroom.editor, [folder])
    reasons = dict((path.rsplit("/", 1)[1], reason) for path, reason in report.problems)
    assert report.created == 1 and report.skipped == 2
    assert "2025-13-45" in reasons["tanggal.md"] and reasons["dalam.json"]


def test_a_whole_export_folder_imports_without_loss(desk, kit, tmp_path):
    """Feed pages carry only HTML; their items never overwrite what the article files bring (the Markdown)."""
    body = "Petugas __memeriksa__ barang bawaan.\n\n* tas\n* bingkisan makanan"  # HTML would give ** and -
    kit.publish(desk, "Razia Rutin Blok Hunian", body, tags=["Keamanan"])
    out = tmp_path / "ekspor"
    export_feeds(out, actor=desk)
    close_database()
    open_database(str(tmp_path / "salinan.db"))
    admin = users.make_admin("ani", "Ani Rahmawati", "Kanwil")
    first = import_paths(admin, [out / "feed.json"])  # a page alone still creates the article, from its HTML
    assert first.created == 1 and Article.get().body != body
    whole = import_paths(admin, [out])
    assert (whole.skipped, whole.updated) == (0, 1)  # the article file brings the Markdown back
    assert Article.get().body == body
    version = Article.get().version
    again = import_paths(admin, [out / "feed.json", out / "tags"])
    assert (again.unchanged, again.created, again.updated) == (2, 0, 0)
    assert (Article.get().body, Article.get().version) == (body, version)
