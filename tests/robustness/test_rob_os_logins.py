"""Real OS logins on one shared server: nobody acts as someone else, nobody restores beyond their role.

A writer, an editor and an admin (real accounts made by the ``os_logins`` fixture, in one
group, with a setgid directory of mode 2770 as docs/admin.md sets it up) run the real
``beritatui`` command as themselves.  The environment is set to claim another login
(``LOGNAME``, ``USER``, ``LNAME``, ``USERNAME``: what ``getpass.getuser()`` read first);
it must change nothing.  These tests need root (to create the accounts); they are skipped
with the reason otherwise.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

SPOOFED = ("LOGNAME", "USER", "LNAME", "USERNAME")


def _claiming(login: str) -> dict[str, str]:
    return dict.fromkeys(SPOOFED, login)


def _rows(db: Path, sql: str, *params) -> list[tuple]:
    connection = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def _one_line_refusal(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Unexpected error" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr.strip()


@pytest.fixture
def shared_db(os_logins):
    """A newsroom in its own setgid folder of the shared directory: the admin ran ``init`` and added the others."""
    folder = os_logins.shared_folder("redaksi")
    db = folder / "berita.db"
    admin, editor, writer = (os_logins.login(role) for role in ("admin", "editor", "writer"))
    steps = [(admin, ["init", "--name", "Nurul Hidayah", "--unit", "Kanwil Sulawesi Selatan"]),
             (admin, ["user", "add", editor, "--name", "Dewi Anggraini", "--role", "editor"]),
             (admin, ["user", "add", writer, "--name", "Andi Pratama", "--role", "writer"])]
    for login, args in steps:
        done = os_logins.run(login, "--db", db, *args, umask=0o007)
        assert done.returncode == 0, done.stderr
    yield db
    shutil.rmtree(folder, ignore_errors=True)


def test_a_writer_claiming_to_be_the_admin_stays_the_writer(os_logins, shared_db):
    """Before: ``LOGNAME=<admin> beritatui publish SLUG`` published, and ``user set-role`` made the writer an admin."""
    admin, writer = os_logins.login("admin"), os_logins.login("writer")
    events_before = _rows(shared_db, "SELECT max(id) FROM audit_event")[0][0]
    as_admin = _claiming(admin)

    made = os_logins.run(writer, "--db", shared_db, "new", "--title", "Penyuluhan Hukum bagi Warga Binaan",
                         "--json", env=as_admin, umask=0o007)
    assert made.returncode == 0, made.stderr
    article = json.loads(made.stdout)
    assert article["created_by"] == writer and article["updated_by"] == writer
    submitted = os_logins.run(writer, "--db", shared_db, "submit", article["slug"], env=as_admin, umask=0o007)
    assert submitted.returncode == 0, submitted.stderr

    refusal = _one_line_refusal(os_logins.run(writer, "--db", shared_db, "publish", article["slug"], env=as_admin))
    assert "editor" in refusal
    refusal = _one_line_refusal(os_logins.run(writer, "--db", shared_db, "user", "set-role", writer, "admin",
                                              env=as_admin))
    assert "admin" in refusal

    assert _rows(shared_db, "SELECT status FROM article WHERE slug = ?", article["slug"]) == [("review",)]
    assert _rows(shared_db, 'SELECT role FROM "user" WHERE login = ?', writer) == [("writer",)]
    new_events = _rows(shared_db, "SELECT login, action FROM audit_event WHERE id > ? ORDER BY id", events_before)
    assert new_events == [(writer, "article.create"), (writer, "article.submit")]
    revisions = _rows(shared_db, "SELECT login FROM revision")
    assert revisions and {login for (login,) in revisions} == {writer}


def test_every_spoofing_variable_alone_is_ignored(os_logins, shared_db):
    admin, writer = os_logins.login("admin"), os_logins.login("writer")
    for variable in SPOOFED:
        result = os_logins.run(writer, "--db", shared_db, "site", "set", "title", "Kabar Palsu",
                               env={variable: admin})
        assert "Only an admin" in _one_line_refusal(result), variable
    assert _rows(shared_db, "SELECT value FROM setting WHERE key = 'title'") == []


def test_a_uid_without_a_password_entry_is_refused_whatever_the_environment_says(os_logins, shared_db):
    uid = next(n for n in range(61000, 62000) if not _has_entry(n))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(shared_db.parent), "LANG": "C.UTF-8",
           "PYTHONPATH": os_logins.pythonpath, "PYTHONDONTWRITEBYTECODE": "1",
           "BERITATUI_CONFIG": str(shared_db.parent / "tidak-ada.toml"), **_claiming(os_logins.login("admin"))}
    before = _rows(shared_db, "SELECT max(id) FROM audit_event")
    result = subprocess.run([os_logins.python, "-m", "beritatui", "--db", str(shared_db), "user", "set-role",
                             os_logins.login("writer"), "admin"], user=uid, group=os_logins.gid,
                            extra_groups=[os_logins.gid], env=env, capture_output=True, text=True, timeout=60,
                            cwd=str(shared_db.parent))
    refusal = _one_line_refusal(result)
    assert f"user id {uid}" in refusal and "password database" in refusal
    assert _rows(shared_db, 'SELECT role FROM "user" WHERE login = ?', os_logins.login("writer")) == [("writer",)]
    assert _rows(shared_db, "SELECT max(id) FROM audit_event") == before


def _has_entry(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True


# -- restore-backup: admins only ----------------------------------------------------------------------


def _backup_by(os_logins, login: str, db: Path, name: str) -> Path:
    dest = db.parent / name
    made = os_logins.run(login, "--db", db, "backup", dest, umask=0o007)
    assert made.returncode == 0, made.stderr
    return dest


def test_a_writer_cannot_restore_over_the_newsroom_even_with_force(os_logins, shared_db):
    """Before: a writer (even a deactivated one) replaced the newsroom with their own file, and nothing said so."""
    admin, writer = os_logins.login("admin"), os_logins.login("writer")
    own = _backup_by(os_logins, writer, shared_db, "punya-andi.db")
    # the writer's own copy, where they made themself admin behind the app's back
    with sqlite3.connect(own) as raw:
        raw.execute('UPDATE "user" SET role = \'admin\' WHERE login = ?', (writer,))
    made = os_logins.run(writer, "--db", shared_db, "new", "--title", "Jadwal Kunjungan Keluarga", umask=0o007)
    assert made.returncode == 0, made.stderr
    before = shared_db.read_bytes()

    refusal = _one_line_refusal(os_logins.run(writer, "--db", shared_db, "restore-backup", own, "--force",
                                              env=_claiming(admin)))
    assert "Only an active admin" in refusal
    assert shared_db.read_bytes() == before

    assert os_logins.run(admin, "--db", shared_db, "user", "deactivate", writer, umask=0o007).returncode == 0
    refusal = _one_line_refusal(os_logins.run(writer, "--db", shared_db, "restore-backup", own, "--force"))
    assert "Only an active admin" in refusal
    assert _rows(shared_db, "SELECT count(*) FROM article") == [(1,)]


def test_the_admin_restores_and_the_restore_is_the_first_new_event(os_logins, shared_db):
    admin = os_logins.login("admin")
    backup = _backup_by(os_logins, admin, shared_db, "cadangan#1.db")
    last_in_backup = _rows(backup, "SELECT max(id) FROM audit_event")[0][0]
    made = os_logins.run(admin, "--db", shared_db, "new", "--title", "Sesudah Cadangan Dibuat", umask=0o007)
    assert made.returncode == 0, made.stderr

    restored = os_logins.run(admin, "--db", shared_db, "restore-backup", backup, "--force", umask=0o007)
    assert restored.returncode == 0, restored.stderr
    assert _rows(shared_db, "SELECT count(*) FROM article") == [(0,)]
    events = _rows(shared_db, "SELECT id, login, action, details FROM audit_event WHERE id > ?", last_in_backup)
    assert len(events) == 1
    event_id, login, action, details = events[0]
    assert (event_id, login, action) == (last_in_backup + 1, admin, "restore-backup")
    details = json.loads(details)
    assert details["source"] == str(backup) and details["backup_last_event"] == last_in_backup
    assert os.stat(shared_db).st_gid == os_logins.gid and (os.stat(shared_db).st_mode & 0o777) == 0o660
    checked = os_logins.run(os_logins.login("editor"), "--db", shared_db, "check")
    assert checked.returncode == 0, checked.stderr


def test_where_no_database_exists_only_an_admin_in_the_backup_may_restore(os_logins, shared_db):
    editor, admin = os_logins.login("editor"), os_logins.login("admin")
    backup = _backup_by(os_logins, editor, shared_db, "cadangan-dewi.db")
    elsewhere = shared_db.parent / "server-baru.db"

    refusal = _one_line_refusal(os_logins.run(editor, "--db", elsewhere, "restore-backup", backup,
                                              env=_claiming(admin)))
    assert "active admin in the backup" in refusal
    assert not elsewhere.exists() and not [p for p in shared_db.parent.iterdir() if p.name.startswith(".")]

    restored = os_logins.run(admin, "--db", elsewhere, "restore-backup", backup, umask=0o007)
    assert restored.returncode == 0, restored.stderr
    assert _rows(elsewhere, "SELECT login, action FROM audit_event ORDER BY id DESC LIMIT 1") == [
        (admin, "restore-backup")]
