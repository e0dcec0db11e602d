"""Hostile or broken files through the command line: one clear line, exit 1, no traceback, nothing stored changes."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3

import peewee
import pytest

from beritatui.core import sqlite as coresqlite
from beritatui.core import transitions
from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.site import set_setting

from .conftest import dump

HUGE = 50 * 1024 * 1024


def _bytes_of(path):
    return path.read_bytes() if path.exists() else None


def test_a_truncated_database_is_refused_and_left_as_it_was(cli, newsroom, wati_draft, tmp_path):
    broken = tmp_path / "terpotong.db"
    from beritatui.core.database import close_database

    close_database()
    with sqlite3.connect(newsroom.path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = newsroom.path.read_bytes()
    broken.write_bytes(data[: len(data) // 3])
    before = broken.read_bytes()
    for command in (["list"], ["new", "--title", "Berita Baru"], ["export", "--out", tmp_path / "out"]):
        result = cli.refused("--db", broken, *command)
        assert "damaged or not a beritatui database" in result.stderr, result.stderr
    assert broken.read_bytes() == before
    assert not (tmp_path / "terpotong.db-wal").exists() or (tmp_path / "terpotong.db-wal").stat().st_size == 0


@pytest.mark.parametrize("content", [b"ini bukan basis data\n", bytes((i * 131 + 7) % 256 for i in range(4096)),
                                     b"\x00" * 100, b"SQLite format 2\x00" + b"\x00" * 200],
                         ids=["text", "binary", "zeros", "old-sqlite"])
def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(cli, tmp_path, content):
    path = tmp_path / "palsu.db"
    path.write_bytes(content)
    for command in (["list"], ["new", "--title", "Berita Baru"], ["check"], ["user", "list"]):
        result = cli.refused("--db", path, *command)
        assert "not a beritatui database" in result.stderr or "damaged" in result.stderr, result.stderr
    assert path.read_bytes() == content


def test_a_database_from_a_newer_schema_is_refused_and_left_alone(cli, newsroom, wati_draft, tmp_path):
    newer = tmp_path / "baru.db"
    shutil.copyfile(newsroom.path, newer)
    with sqlite3.connect(newer) as connection:
        connection.execute("INSERT INTO schema_version (version, applied_at) VALUES (999, '2030-01-01T00:00:00')")
    connection.close()
    before = dump(newer)
    for command in (["list"], ["new", "--title", "Berita Baru"], ["publish-due"], ["check"]):
        result = cli.refused("--db", newer, *command)
        assert "schema version 999" in result.stderr and "Upgrade beritatui" in result.stderr, result.stderr
    assert dump(newer) == before


def _read_only_sqlite(path):
    """The real driver on a read-only connection: what a 0440 file gives a login that is not root."""
    return peewee.SqliteDatabase(f"file:{path}?mode=ro", uri=True, pragmas=coresqlite.PRAGMAS,
                                 lock_type="IMMEDIATE", check_same_thread=False)


def test_a_read_only_database_refuses_writes_with_one_line(cli, newsroom, wati_draft, monkeypatch):
    """Covers the read-only path even as root (where chmod does not stop writes): SQLite's own mode=ro."""
    before = dump(newsroom.path)
    monkeypatch.setattr(coresqlite, "open_sqlite", _read_only_sqlite)
    listed = cli("list")
    assert listed.exit_code == 0, listed.output  # reading still works
    assert "Pelatihan Menjahit" in listed.output
    for command in (["new", "--title", "Berita Baru"], ["submit", wati_draft.slug],
                    ["note", wati_draft.slug, "Tolong cek foto"], ["tags", "rename", "Humas", "Kehumasan"]):
        result = cli.refused(*command, login="wati" if command[0] == "submit" else "ani")
        assert "read-only" in result.stderr, (command, result.stderr)
    assert dump(newsroom.path) == before


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root writes through file modes; the mode=ro test above covers the same path")
def test_a_0440_database_refuses_writes_with_one_line(cli, newsroom, wati_draft):
    from beritatui.core.database import close_database

    close_database()
    os.chmod(newsroom.path, 0o440)
    try:
        before = dump(newsroom.path)
        result = cli.refused("new", "--title", "Berita Baru")
        assert "read-only" in result.stderr or "Cannot open" in result.stderr, result.stderr
        assert dump(newsroom.path) == before
    finally:
        os.chmod(newsroom.path, 0o660)


@pytest.fixture
def published_site(newsroom, tmp_path):
    admin = newsroom.admin
    set_setting(admin, "base_url", "https://lapas.example.go.id")
    for n in range(3):
        article = create_article(admin, ArticleDraft(title=f"Kegiatan Pramuka Warga Binaan {n}",
                                                     body="Isi berita.", tags=["Pembinaan"]))
        transitions.submit(admin, article.id)
        transitions.publish(newsroom.editor, article.id)  # four-eyes: another editor publishes the admin's
    return tmp_path / "situs"


def _files(out):
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_a_full_disk_during_export_gives_one_line_and_keeps_the_old_feed(cli, newsroom, published_site,
                                                                        monkeypatch):
    cli.ok("export", "--out", published_site)
    old_files = _files(published_site)
    cli.ok("new", "--title", "Berita Tambahan")
    article_slug = json.loads(cli.ok("list", "--json").output)[0]["slug"]
    cli.ok("submit", article_slug)
    cli.ok("publish", article_slug, login="eko")  # four-eyes: not by its writer
    before = dump(newsroom.path)

    def disk_full(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", disk_full)
    result = cli.refused("export", "--out", published_site)
    monkeypatch.undo()
    assert "No space left on device" in result.stderr, result.stderr
    assert dump(newsroom.path) == before
    kept = {name: data for name, data in _files(published_site).items() if not name.startswith(".")}
    assert kept == {name: data for name, data in old_files.items() if not name.startswith(".")}
    for name, data in kept.items():
        if name.endswith(".json"):
            json.loads(data)


@pytest.mark.parametrize("kind", ["binary", "huge", "latin1", "empty-json"])
def test_a_hostile_import_file_is_refused_with_one_line_and_nothing_changes(cli, newsroom, wati_draft, tmp_path,
                                                                           kind):
    path = tmp_path / f"masuk-{kind}.md"
    if kind == "binary":
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + os.urandom(2048))
    elif kind == "huge":
        with open(path, "wb") as handle:
            handle.truncate(HUGE)  # sparse: instant to make, and must be refused before it is read
    elif kind == "latin1":
        path.write_bytes("---\ntitle: Kunjungan\n---\nKegiatan di aula \u00e9\u00e8\n".encode("latin-1"))
    else:
        path = tmp_path / "feed.json"
        path.write_bytes(b"{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [")
    before = dump(newsroom.path)
    reads = []
    real_read_bytes = type(path).read_bytes
    cli.monkeypatch.setattr(type(path), "read_bytes", lambda self: reads.append(self) or real_read_bytes(self))
    result = cli("import", path)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert str(path.name) in result.stderr
    assert dump(newsroom.path) == before
    if kind == "huge":
        assert "too large" in result.stderr and path not in reads


@pytest.mark.parametrize("kind", ["binary", "huge", "latin1", "truncated-json", "a-list"])
def test_a_hostile_reactions_file_is_refused_with_one_line_and_nothing_changes(cli, newsroom, wati_draft, tmp_path,
                                                                              kind):
    path = tmp_path / f"reaksi-{kind}.json"
    if kind == "binary":
        path.write_bytes(b"\x00\x01\x02" + os.urandom(1024))
    elif kind == "huge":
        with open(path, "wb") as handle:
            handle.truncate(HUGE)
    elif kind == "latin1":
        path.write_bytes(json.dumps({wati_draft.slug: {"like": 3}}).encode() + "\u00e9".encode("latin-1"))
    elif kind == "truncated-json":
        path.write_text("{\"" + wati_draft.slug + "\": {\"like\": 1", encoding="utf-8")
    else:
        path.write_text("[1, 2, 3]", encoding="utf-8")
    before = dump(newsroom.path)
    reads = []
    real_read_bytes = type(path).read_bytes
    cli.monkeypatch.setattr(type(path), "read_bytes", lambda self: reads.append(self) or real_read_bytes(self))
    result = cli.refused("reactions", "import", path, login="eko")
    assert dump(newsroom.path) == before
    if kind == "huge":
        assert "too large" in result.stderr and path not in reads, result.stderr


def test_a_huge_body_file_is_refused_by_the_body_limit(cli, newsroom, tmp_path):
    path = tmp_path / "isi.md"
    with open(path, "wb") as handle:
        handle.truncate(HUGE)
    before = dump(newsroom.path)
    result = cli.refused("new", "--title", "Berita Besar", "--body-file", path)
    assert "2 MB" in result.stderr
    assert dump(newsroom.path) == before
