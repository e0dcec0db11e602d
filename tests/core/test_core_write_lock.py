"""Waiting for the write lock is the core's job: bounded retries around BEGIN IMMEDIATE (core.sqlite)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from beritatui.core import notes, sqlite
from beritatui.core.articles import ArticleDraft, create_article, get_article, save_article
from beritatui.core.database import close_database, open_database
from beritatui.core.errors import DatabaseBusy
from beritatui.core.models import Note

HOLDER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(float(sys.argv[3]))
db.execute("COMMIT")
"""


def _hold_write_lock(db: Path, seconds: float, tmp_path: Path) -> subprocess.Popen:
    """Another process takes the write lock and keeps it ``seconds`` (returns once it holds it)."""
    ready = tmp_path / "holding"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), str(ready), str(seconds)])
    deadline = time.monotonic() + 30
    while not ready.exists():
        assert holder.poll() is None and time.monotonic() < deadline, "the holder never took the lock"
        time.sleep(0.01)
    return holder


@pytest.fixture
def short_busy_timeout(newsroom, monkeypatch):
    """SQLite's own wait for one attempt cut to 0.2 s (the real 5 s would make these tests slow)."""
    monkeypatch.setitem(sqlite.PRAGMAS, "busy_timeout", 200)
    close_database()
    open_database(str(newsroom.path))
    return newsroom


def test_a_save_waits_past_sqlites_busy_timeout_for_a_long_write(short_busy_timeout, tmp_path):
    room = short_busy_timeout
    article = create_article(room.writer, ArticleDraft(title="Penyuluhan Hukum bagi Warga Binaan", body="Awal."))
    holder = _hold_write_lock(room.path, 1.5, tmp_path)
    try:
        saved = save_article(room.writer, article.id, 1, ArticleDraft(body="Ditambah setelah rapat."))
    finally:
        holder.wait(timeout=30)
    assert saved.version == 2 and get_article(article.id).body == "Ditambah setelah rapat."


def test_after_the_bound_it_is_one_clear_refusal_and_nothing_written(short_busy_timeout, tmp_path, monkeypatch):
    room = short_busy_timeout
    article = create_article(room.writer, ArticleDraft(title="Panen Sayur di Kebun Lapas", body="Awal."))
    monkeypatch.setattr(sqlite, "WRITE_WAIT_SECONDS", 0.5)
    holder = _hold_write_lock(room.path, 3, tmp_path)
    try:
        with pytest.raises(DatabaseBusy) as refused:
            notes.add_note(room.writer, article.id, "Cek ejaan nama pejabat.")
    finally:
        holder.wait(timeout=30)
    assert str(refused.value) == "The database is busy (another editor holds a long write); try again"
    assert Note.select().count() == 0
    notes.add_note(room.writer, article.id, "Cek ejaan nama pejabat.")  # the connection is usable again
    assert Note.select().count() == 1


def test_the_cli_says_busy_in_one_line(short_busy_timeout, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from beritatui.cli import cli
    from beritatui.core import users

    room = short_busy_timeout
    article = create_article(room.writer, ArticleDraft(title="Rapat Koordinasi Keamanan", body="Awal."))
    close_database()
    monkeypatch.setattr(sqlite, "WRITE_WAIT_SECONDS", 0.5)
    monkeypatch.setattr(users, "current_login", lambda: "wati")
    holder = _hold_write_lock(room.path, 3, tmp_path)
    try:
        result = CliRunner().invoke(cli, ["--db", str(room.path), "note", article.slug, "Catatan."])
    finally:
        holder.wait(timeout=30)
    assert result.exit_code == 1
    assert result.stderr == "Error: The database is busy (another editor holds a long write); try again\n"
