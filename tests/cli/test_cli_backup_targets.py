"""Where a backup may go, what a restore accepts, and a full disk said as such.

``backup`` once accepted the live database's own path (or a symlink, a hard link, its -wal
name) and replaced the file under the editors saving into it; it wrote over any existing
file.  ``restore-backup`` checked neither the person's role nor the backup's name: a file
called ``cadangan#1.db`` was opened as the URI ``file:cadangan#1.db``, i.e. another file
(``cadangan``), so a corrupt backup passed its integrity check and was put in place.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from beritatui.core import maintenance, migrations
from beritatui.core.database import close_database, open_database
from beritatui.core.models import AuditEvent


def _state(path: Path) -> tuple[int, int, list[tuple]]:
    """The file's inode, its size, and its articles (read-only, through a URI pathlib made)."""
    connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT id, version, title FROM article ORDER BY id").fetchall()
    finally:
        connection.close()
    return os.stat(path).st_ino, os.stat(path).st_size, rows


def _stray_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or p.name.endswith(".tmp"))


@pytest.fixture
def live(cli, newsroom, wati_draft):
    """The newsroom with one article, closed (the command opens it), and its state before anything."""
    close_database()
    return newsroom.path


def _refused_and_unchanged(cli, live: Path, dest: Path, *extra: str) -> str:
    before = _state(live)
    result = cli.refused("backup", dest, *extra)
    assert _state(live) == before
    return result.stderr


def test_backup_refuses_the_live_database_by_its_own_path(cli, live):
    assert "is the database itself" in _refused_and_unchanged(cli, live, live)
    assert "is the database itself" in _refused_and_unchanged(cli, live, live, "--force")


def test_backup_refuses_a_symlink_to_the_live_database(cli, live, tmp_path):
    link = tmp_path / "salinan-link.db"
    link.symlink_to(live)
    assert "is the database itself" in _refused_and_unchanged(cli, live, link, "--force")
    assert link.is_symlink()


def test_backup_refuses_a_hard_link_to_the_live_database(cli, live, tmp_path):
    (tmp_path / "lain").mkdir()
    twin = tmp_path / "lain" / "kembar.db"
    os.link(live, twin)
    assert "is the database itself" in _refused_and_unchanged(cli, live, twin, "--force")


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_backup_refuses_the_databases_sidecar_names(cli, live, suffix):
    sidecar = live.with_name(live.name + suffix)
    assert "is the database itself" in _refused_and_unchanged(cli, live, sidecar, "--force")


def test_backup_refuses_the_live_database_through_another_path_to_its_folder(cli, live, tmp_path):
    other_spelling = tmp_path / "pintas"
    other_spelling.symlink_to(live.parent, target_is_directory=True)
    assert "is the database itself" in _refused_and_unchanged(cli, live, other_spelling / live.name)
    assert "is the database itself" in _refused_and_unchanged(cli, live, other_spelling / f"{live.name}-wal")


def test_backup_never_writes_over_an_existing_file_without_force(cli, live, tmp_path):
    kept = tmp_path / "laporan.db"
    kept.write_text("Catatan penting yang tidak boleh hilang", encoding="utf-8")
    assert "--force" in _refused_and_unchanged(cli, live, kept)
    assert kept.read_text(encoding="utf-8") == "Catatan penting yang tidak boleh hilang"
    assert _stray_files(tmp_path) == []

    assert cli.ok("backup", kept, "--force").stdout.strip() == str(kept)
    assert _state(kept)[2] == _state(live)[2]
    assert (os.stat(kept).st_mode & 0o777) == 0o660
    assert _stray_files(tmp_path) == [] and not Path(f"{kept}-wal").exists()


def test_backups_into_a_folder_in_the_same_second_get_distinct_names(cli, live, tmp_path):
    folder = tmp_path / "cadangan"
    folder.mkdir()
    made = {cli.ok("backup", folder).stdout.strip() for _ in range(3)}
    assert len(made) == 3 and all(Path(name).parent == folder for name in made)


def test_a_backup_of_the_live_path_while_editors_save_loses_no_save(cli, newsroom, wati_draft, tmp_path):
    """Before: 29 of 40 acknowledged saves were gone after ``backup berita.db`` during saves."""
    close_database()
    script = tmp_path / "penyunting.py"
    script.write_text(
        "import sys\n"
        "from beritatui.core.articles import ArticleDraft, get_article, save_article\n"
        "from beritatui.core.database import open_database\n"
        "from beritatui.core.users import get_user\n"
        "open_database(sys.argv[1]); actor = get_user('wati')\n"
        "for n in range(40):\n"
        "    article = get_article(int(sys.argv[2]))\n"
        "    save_article(actor, article.id, article.version, ArticleDraft(body=f'Laporan ke-{n}.'))\n"
        "    print(n, flush=True)\n", encoding="utf-8")
    editor = subprocess.Popen([sys.executable, str(script), str(newsroom.path), str(wati_draft.id)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert editor.stdout.readline().strip() == "0"  # saving has begun
        for dest in (newsroom.path, newsroom.path.with_name(newsroom.path.name + "-wal")):
            assert "is the database itself" in cli.refused("backup", dest, "--force").stderr
        acknowledged = 1 + len(editor.stdout.read().split())
        assert editor.wait(timeout=120) == 0, editor.stderr.read()
    finally:
        if editor.poll() is None:
            editor.kill()
    assert acknowledged == 40
    assert _state(newsroom.path)[2] == [(wati_draft.id, 41, wati_draft.title)]
    open_database(str(newsroom.path))
    assert maintenance.check() == []


# -- restore: what is accepted, by name and by content ----------------------------------------------


def _corrupt_copy(good: Path, path: Path) -> Path:
    shutil.copyfile(good, path)
    size = path.stat().st_size
    with path.open("r+b") as handle:
        for page in range(2, size // 4096):
            handle.seek(page * 4096 + 8)
            handle.write(b"\xff" * 512)
    return path


@pytest.mark.parametrize("name", ["#1.db", "?mode=rw.db", "%41.db", " #2 ?.db"])
def test_a_backup_is_read_by_its_own_name_whatever_it_holds(cli, live, tmp_path, name):
    """A good backup with ``#``/``?``/``%`` in its name restores; a corrupt one is refused, not waved through."""
    good = tmp_path / f"cadangan{name}"
    cli.ok("backup", good)
    cli.ok("new", "--title", "Sesudah Cadangan")
    assert len(_state(live)[2]) == 2
    cli.ok("restore-backup", good, "--force")
    assert len(_state(live)[2]) == 1

    bad = _corrupt_copy(good, tmp_path / f"rusak{name}")
    before = _state(live)
    result = cli.refused("restore-backup", bad, "--force")
    assert "not a usable backup" in result.stderr
    assert _state(live) == before
    assert _stray_files(live.parent) == []
    made = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("rusak", "cadangan")))
    assert made == sorted([good.name, bad.name])  # no file was made from a part of a name


def _edited_backup(cli, tmp_path: Path, name: str, *statements: str) -> Path:
    backup = tmp_path / name
    cli.ok("backup", backup)
    connection = sqlite3.connect(backup)
    try:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()
    return backup


@pytest.mark.parametrize(("statements", "reason"), [
    ((f"INSERT INTO schema_version VALUES ({migrations.CURRENT_VERSION + 1}, '2030-01-01 00:00:00')",),
     f"schema version {migrations.CURRENT_VERSION + 1}; this beritatui knows up to {migrations.CURRENT_VERSION}"),
    (("DROP TABLE schema_version",), "not a beritatui database (no schema version)"),
    (("DROP TRIGGER audit_event_no_delete",), "guard audit_event_no_delete is missing"),
    (("DROP TABLE note",), "lacks the tables note"),
])
def test_a_backup_that_is_not_a_usable_beritatui_database_is_refused(cli, live, tmp_path, statements, reason):
    backup = _edited_backup(cli, tmp_path, "cadangan.db", *statements)
    before = _state(live)
    result = cli.refused("restore-backup", backup, "--force")
    assert reason in result.stderr and "nothing was replaced" in result.stderr
    assert _state(live) == before
    fresh = tmp_path / "baru" / "berita.db"
    assert reason in cli.refused("--db", fresh, "restore-backup", backup, db=False).stderr
    assert not fresh.exists()


def test_another_programs_sqlite_file_is_refused(cli, live, tmp_path):
    other = tmp_path / "aplikasi-lain.db"
    with contextlib.closing(sqlite3.connect(other)) as connection:
        connection.execute("CREATE TABLE kontak (nama TEXT)")
        connection.commit()
    assert "not a beritatui database" in cli.refused("restore-backup", other, "--force").stderr


# -- restore: who may, and the record of it ---------------------------------------------------------


def test_only_an_active_admin_of_the_database_may_replace_it(cli, newsroom, live, tmp_path):
    backup = tmp_path / "cadangan.db"
    cli.ok("backup", backup)
    before = _state(live)
    for login in ("wati", "eko", "joko"):
        assert "Only an active admin of" in cli.refused("restore-backup", backup, "--force", login=login).stderr
    cli.ok("user", "set-role", "eko", "admin")
    cli.ok("user", "deactivate", "eko")
    assert "Only an active admin of" in cli.refused("restore-backup", backup, "--force", login="eko").stderr
    assert _state(live)[2] == before[2]


def test_a_damaged_database_is_not_replaced_by_whoever_asks(cli, live, tmp_path):
    backup = tmp_path / "cadangan.db"
    cli.ok("backup", backup)
    live.write_bytes(b"bukan basis data lagi")
    result = cli.refused("restore-backup", backup, "--force", login="wati")
    assert "Cannot tell whether wati is an admin" in result.stderr and "move it away first" in result.stderr
    assert live.read_bytes() == b"bukan basis data lagi"


def test_the_restore_is_the_restored_databases_first_new_event(cli, live, tmp_path):
    backup = tmp_path / "cadangan.db"
    cli.ok("backup", backup)
    last = _last_event(backup)
    cli.ok("new", "--title", "Sesudah Cadangan")
    cli.ok("restore-backup", backup, "--force", login="ani")
    open_database(str(live))
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (event.id, event.login, event.action) == (last + 1, "ani", "restore-backup")
    assert event.details == {"source": str(backup.resolve()), "target": str(live), "backup_last_event": last,
                             "replaced": True}
    assert maintenance.check() == []


def test_restoring_where_no_database_exists_needs_an_active_admin_in_the_backup(cli, live, tmp_path):
    backup = tmp_path / "cadangan.db"
    cli.ok("backup", backup)
    target = tmp_path / "server-baru" / "berita.db"
    for login in ("wati", "eko", "joko"):
        refused = cli.refused("--db", target, "restore-backup", backup, login=login, db=False)
        assert "only an active admin in the backup may restore it" in refused.stderr
    assert not target.exists() and _stray_files(target.parent) == []
    cli.ok("--db", target, "restore-backup", backup, login="ani", db=False)
    assert _last_event(target) == _last_event(backup) + 1


def _last_event(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)) as connection:
        return connection.execute("SELECT max(id) FROM audit_event").fetchone()[0]


# -- a full disk, over-long paths --------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path):
    """A real file system of 512 KiB (tmpfs; root only), unmounted at the end."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root")
    folder = tmp_path / "kecil"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k,mode=0770", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _fill(folder: Path, leave: int) -> None:
    """Fill ``folder``'s file system until only about ``leave`` bytes are free."""
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    with (folder / "pengisi.bin").open("wb") as handle:
        with contextlib.suppress(OSError):
            handle.write(b"\0" * max(0, free - leave))


def test_a_full_disk_is_said_as_such_for_backups_restores_and_saves(cli, live, tiny_disk, tmp_path):
    on_disk = tiny_disk / "berita.db"  # a small newsroom on the small disk, for the save
    shutil.copyfile(live, on_disk)
    os.chmod(on_disk, 0o660)
    before = _state(on_disk)[2]
    body = tmp_path / "isi.md"
    body.write_text("Warga binaan mengikuti pelatihan keterampilan menjahit. " * 4000, encoding="utf-8")
    cli.ok("new", "--title", "Pelatihan Keterampilan Warga Binaan", "--body-file", body)
    assert live.stat().st_size > 512 * 1024  # the live newsroom no longer fits on the small disk
    _fill(tiny_disk, 16 * 1024)
    events = _last_event(live)

    result = cli.refused("backup", tiny_disk / "cadangan.db")
    assert f"The disk is full in {tiny_disk}; no backup was made" in result.stderr
    assert _stray_files(tiny_disk) == [] and not (tiny_disk / "cadangan.db").exists()
    assert _last_event(live) == events  # no "backup" event for a backup that was not made

    backup = tmp_path / "cadangan.db"
    cli.ok("backup", backup)
    result = cli.refused("--db", tiny_disk / "baru.db", "restore-backup", backup, db=False)
    assert f"The disk is full in {tiny_disk}; nothing was replaced" in result.stderr
    assert _stray_files(tiny_disk) == [] and not (tiny_disk / "baru.db").exists()

    result = cli.refused("--db", on_disk, "new", "--title", "Naskah Panjang", "--body-file", body, db=False)
    assert "The disk is full; nothing was saved" in result.stderr
    (tiny_disk / "pengisi.bin").unlink()
    assert _state(on_disk)[2] == before


@pytest.mark.parametrize("where", ["dest", "source", "db"])
def test_an_over_long_path_gives_one_short_line(cli, live, tmp_path, where):
    long_path = tmp_path / ("sangat-panjang-" * 40) / "cadangan.db"
    argv = {"dest": ["backup", long_path], "source": ["restore-backup", long_path, "--force"],
            "db": ["--db", long_path, "check"]}[where]
    result = cli.refused(*argv, db=where != "db")
    assert "too long" in result.stderr and "Unexpected error" not in result.stderr
    assert len(result.stderr) < 400, result.stderr


@pytest.mark.parametrize("url", ["foo://server/berita", "postgresql://[salah/berita",
                                 "mysql://" + "x" * 3000 + "@[::1"], ids=["scheme", "ipv6", "long"])
def test_a_bad_database_url_gives_one_short_line(cli, url):
    result = cli.refused("--db", url, "list", db=False)
    assert "Cannot use the database address" in result.stderr and "Unexpected error" not in result.stderr
    assert len(result.stderr) < 600, result.stderr


def test_the_errno_of_a_file_error_never_becomes_an_unexpected_error(cli, live, tmp_path, monkeypatch):
    """Any other file-system error on the way is one line with the system's reason, not a traceback."""
    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(tmp_path / ("x" * 2000)))

    monkeypatch.setattr(maintenance, "restore", refuse)
    result = cli.refused("restore-backup", tmp_path / "cadangan.db", "--force")
    assert "Read-only file system" in result.stderr and len(result.stderr) < 400
    assert json.dumps(result.stderr).count("x") < 300
