"""``beritatui backup`` while four processes save, and ``restore-backup`` putting it back (``--force`` only)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from beritatui.cli import cli as beritatui_cli
from beritatui.core import maintenance, users
from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.bulk import BulkArticle, insert_articles
from beritatui.core.database import close_database, current_database, open_database
from beritatui.core.models import Article, AuditEvent, Revision

WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from beritatui.core.articles import ArticleDraft, get_article, save_article
    from beritatui.core.database import open_database
    from beritatui.core.errors import Conflict
    from peewee import OperationalError
    from beritatui.core.users import get_user

    db, login, article_id, progress, stop = sys.argv[1:6]
    open_database(db)
    actor = get_user(login)
    n = 0
    while not Path(stop).exists():
        article = get_article(int(article_id))
        try:
            save_article(actor, article.id, article.version,
                         ArticleDraft(body=f"Laporan {login} ke-{n}: jadwal kunjungan diperbarui."))
        except (Conflict, OperationalError):  # busy past the timeout on an overloaded machine: try again
            continue
        n += 1
        Path(progress).write_text(str(n))
        time.sleep(0.02)  # an eager editor, not a tight loop that starves everyone else's writes
""")


def run(*args: object, login: str = "ani"):
    """``beritatui`` in this process as ``login``."""
    original = users.current_login
    users.current_login = lambda: login
    try:
        return CliRunner().invoke(beritatui_cli, [str(a) for a in args])
    finally:
        users.current_login = original


def _versions(path: Path) -> dict[int, int]:
    probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return dict(probe.execute("SELECT id, version FROM article"))
    finally:
        probe.close()


@pytest.fixture
def four_writers(newsroom, tmp_path):
    """Four processes (ani, eko, wati, budi), each saving its own draft over and over until stopped."""
    people = (newsroom.admin, newsroom.editor, newsroom.writer, newsroom.writer2)
    drafts = {p.login: create_article(p, ArticleDraft(title=f"Agenda Pekan Ini dari {p.display_name}",
                                                      body="Agenda awal.")) for p in people}
    close_database()
    stop = tmp_path / "stop"
    procs = []
    for login, article in drafts.items():
        progress = tmp_path / f"progress-{login}"
        cmd = [sys.executable, "-c", WRITER, str(newsroom.path), login, str(article.id), str(progress), str(stop)]
        procs.append((progress, subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True,
                                                 env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})))

    def saves() -> list[int]:
        return [int(p.read_text() or 0) if p.exists() else 0 for p, _proc in procs]

    def wait_for(more: int) -> None:
        """Until every writer has saved ``more`` times beyond now (they are really writing meanwhile)."""
        target = [n + more for n in saves()]
        while any(n < t for n, t in zip(saves(), target, strict=True)):
            for _progress, proc in procs:
                assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.01)

    yield wait_for
    stop.touch()
    for _progress, proc in procs:
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err


def test_backup_while_four_processes_write_passes_check_and_restores(newsroom, four_writers, tmp_path):
    four_writers(3)
    backup = tmp_path / "cadangan" / "berita-backup.db"
    made = run("--db", newsroom.path, "backup", backup)
    assert made.exit_code == 0, made.output
    assert made.output.strip() == str(backup)
    open_database(str(newsroom.path))
    assert AuditEvent.select().where(AuditEvent.action == "backup").count() == 1
    close_database()
    four_writers(3)  # saves after the backup: a restore must take them away again

    checked = run("--db", backup, "check")
    assert checked.exit_code == 0, checked.output
    assert "OK" in checked.output
    assert not Path(f"{backup}-wal").exists()  # a single self-contained file
    saved_in_backup = _versions(backup)
    assert len(saved_in_backup) == 4 and all(v > 3 for v in saved_in_backup.values())
    listed = run("--db", backup, "list", "--json", login="eko")
    assert listed.exit_code == 0 and "Agenda Pekan Ini" in listed.output

    refused = run("--db", newsroom.path, "restore-backup", backup)
    assert refused.exit_code == 1
    assert "--force" in refused.output and "Traceback" not in refused.output
    assert _versions(newsroom.path) != saved_in_backup  # the live database was left alone


def test_restore_into_a_new_folder_needs_no_force(newsroom, four_writers, tmp_path):
    """Regression: restoring where no database (and no folder) exists yet failed with an unexpected error."""
    four_writers(2)
    backup = tmp_path / "berita-backup.db"
    assert run("--db", newsroom.path, "backup", backup).exit_code == 0
    in_backup = _versions(backup)
    four_writers(2)
    assert _versions(newsroom.path) != in_backup
    target = tmp_path / "server-baru" / "berita.db"
    restored = run("--db", target, "restore-backup", backup)
    assert restored.exit_code == 0, restored.output
    assert _versions(target) == in_backup
    assert run("--db", target, "check").exit_code == 0


def test_restore_over_a_stopped_newsroom_needs_force_and_then_matches_the_backup(newsroom, tmp_path):
    article = create_article(newsroom.writer, ArticleDraft(title="Senam Pagi Bersama", body="Awal."))
    (tmp_path / "backups").mkdir()
    backup = maintenance.backup(newsroom.admin, tmp_path / "backups")  # a folder: a dated file inside
    assert backup.parent == tmp_path / "backups" and backup.suffix == ".db"
    from beritatui.core.articles import save_article

    save_article(newsroom.writer, article.id, 1, ArticleDraft(body="Sesudah cadangan."))
    close_database()
    assert run("--db", newsroom.path, "restore-backup", backup).exit_code == 1
    assert _versions(newsroom.path)[article.id] == 2
    forced = run("--db", newsroom.path, "restore-backup", backup, "--force")
    assert forced.exit_code == 0, forced.output
    assert "Restored" in forced.output
    open_database(str(newsroom.path))
    assert Article.get_by_id(article.id).version == 1
    assert Article.get_by_id(article.id).body == "Awal."
    assert maintenance.check() == []
    assert Revision.select().where(Revision.article == article.id).count() == 1


def test_restore_refuses_a_damaged_backup_and_keeps_the_database(newsroom, tmp_path):
    create_article(newsroom.writer, ArticleDraft(title="Pelatihan Barista", body="Isi."))
    close_database()
    before = newsroom.path.read_bytes()
    broken = tmp_path / "rusak.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    result = run("--db", newsroom.path, "restore-backup", broken, "--force")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert newsroom.path.read_bytes() == before
    text = tmp_path / "catatan.db"
    text.write_text("bukan basis data")
    result = run("--db", newsroom.path, "restore-backup", text, "--force")
    assert result.exit_code == 1 and "not a beritatui database" in result.output
    assert newsroom.path.read_bytes() == before


def test_backup_of_a_large_database_is_not_restarted_by_saves_in_between(newsroom, tmp_path, monkeypatch):
    """Regression: the backup copied 1024 pages a step and started over whenever another process committed
    between two steps, so with editors saving steadily a large database took minutes or never finished.
    Here another connection commits after every step the backup takes."""
    body = ("Warga binaan mengikuti pelatihan keterampilan menjahit dan membatik. " * 40 + "\n\n") * 500
    insert_articles(newsroom.admin, [BulkArticle(title=f"Arsip Kegiatan {n}", body=body, body_html="<p>x</p>",
                                                 body_text=body) for n in range(4)])
    db = current_database()
    assert db.execute_sql("PRAGMA page_count").fetchone()[0] > 3 * 1024
    article_id = Article.select().first().id
    other_editor = sqlite3.connect(str(newsroom.path), timeout=30)
    steps: list[int] = []

    class Connection:
        """The real connection, with a save by someone else after each backup step."""

        def __init__(self, real):
            self.real = real

        def backup(self, target, **kwargs):
            def progress(status, remaining, total):
                steps.append(remaining)
                if len(steps) < 40:
                    other_editor.execute("UPDATE reactions SET like_count = like_count + 1 WHERE article_id = ?",
                                         (article_id,))
                    other_editor.commit()

            return self.real.backup(target, progress=progress, **kwargs)

        def __getattr__(self, name):
            return getattr(self.real, name)

    real_connection = db.connection
    monkeypatch.setattr(db, "connection", lambda: Connection(real_connection()))
    copy = maintenance.backup(newsroom.admin, tmp_path / "besar.db")
    monkeypatch.undo()
    other_editor.close()
    assert len(steps) == 1, f"the backup took {len(steps)} steps (restarted after other saves)"
    open_database(str(copy))
    assert maintenance.check() == []
    assert Article.select().count() == 4 and Revision.select().count() == 4
