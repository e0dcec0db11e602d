"""Two real OS logins on one database in the shared setgid folder, each with the default umask 022.

The mechanism (seen with ``strace`` on the real processes): SQLite creates ``berita.db-wal`` and
``berita.db-shm`` with ``open(O_CREAT, 0660)``, the kernel narrows that by the umask to 0640, and SQLite
``fchmod``-s the file to the database's mode 0660 only afterwards.  A colleague's process that opens the
file in that moment is refused write access, falls back to a read-only handle, and every write it then
tries fails: "The database … is read-only for you", and the note is lost.  The moment is short, so the
tests stretch it with ``strace`` (the ``fchmod`` is held back), as a loaded server does now and then.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import threading
import time

import pytest

SLUG = "penyuluhan-hukum-bagi-warga-binaan"


def _strace_prefix(delay_us: int) -> list[str]:
    """``strace`` holding every ``fchmod`` for ``delay_us`` (skips the test if tracing is impossible here)."""
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (apt-get install strace)")
    probe = subprocess.run([strace, "-f", "-qq", "-o", "/dev/null", "-e", "trace=fchmod", "true"],
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"strace cannot trace here: {probe.stderr.decode(errors='replace')[-200:]}")
    return [strace, "-f", "-qq", "-o", "/dev/null", "-e", "trace=fchmod", "-e",
            f"inject=fchmod:delay_enter={delay_us}"]


def _newsroom(os_logins, name: str):
    db = os_logins.shared_folder("redaksi") / name
    admin, editor, writer = (os_logins.login(role) for role in ("admin", "editor", "writer"))
    assert os_logins.run(admin, "--db", db, "init", umask=0o022).returncode == 0
    for login, role in ((editor, "editor"), (writer, "writer")):
        assert os_logins.run(admin, "--db", db, "user", "add", login, "--role", role, umask=0o022).returncode == 0
    made = os_logins.run(admin, "--db", db, "new", "--title", "Penyuluhan Hukum bagi Warga Binaan", input="",
                         umask=0o022)
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(db.stat().st_mode) == 0o660  # init makes the database group-writable under 022 too
    return db, admin, editor, writer


def _note(os_logins, login: str, db, text: str, prefix: list[str] | None = None) -> subprocess.Popen:
    argv = [*(prefix or []), os_logins.python, "-m", "beritatui", "--db", str(db), "note", SLUG, text]
    return os_logins.popen(login, argv, umask=0o022, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           cwd=str(os_logins.shared))


def _notes_stored(os_logins, admin: str, db) -> int:
    import json

    shown = os_logins.run(admin, "--db", db, "show", SLUG, "--json", umask=0o022)
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)["notes"]


def test_a_note_saved_while_a_colleague_creates_the_wal_file(os_logins):
    db, admin, editor, writer = _newsroom(os_logins, "berita-celah.db")
    slow = _note(os_logins, writer, db, "Catatan dari penulis.", _strace_prefix(3_000_000))
    wal = db.with_name(db.name + "-wal")
    deadline = time.monotonic() + 60
    while not wal.exists():
        assert slow.poll() is None and time.monotonic() < deadline, slow.communicate()
        time.sleep(0.001)
    mode = stat.S_IMODE(wal.stat().st_mode)
    quick = _note(os_logins, editor, db, "Catatan dari editor.")  # opens the -wal file in that moment
    quick_out, quick_err = quick.communicate(timeout=120)
    slow_out, slow_err = slow.communicate(timeout=120)
    assert (quick.returncode, quick_err) == (0, ""), f"the -wal file was {oct(mode)}: {quick_err}"
    assert (slow.returncode, slow_err) == (0, ""), slow_err
    assert mode & 0o060 == 0o060
    assert _notes_stored(os_logins, admin, db) == 2


def test_two_logins_save_60_notes_at_once_with_umask_022(os_logins):
    db, admin, editor, writer = _newsroom(os_logins, "berita.db")
    prefix = _strace_prefix(300_000) if shutil.which("strace") else []
    seen: set[tuple[str, int]] = set()
    stop = threading.Event()

    def watch() -> None:  # every mode the -wal and -shm files ever show while the notes are saved
        while not stop.is_set():
            for suffix in ("-wal", "-shm"):
                try:
                    seen.add((suffix, stat.S_IMODE(os.stat(f"{db}{suffix}").st_mode)))
                except FileNotFoundError:
                    pass
            time.sleep(0.0005)

    refusals: list[str] = []

    def thirty(login: str, traced: bool) -> None:
        for n in range(30):
            proc = _note(os_logins, login, db, f"Catatan {login} nomor {n}: cek ejaan nama pejabat.",
                         prefix if traced else None)
            _out, err = proc.communicate(timeout=120)
            if proc.returncode != 0:
                refusals.append(f"{login}: {err.strip()}")

    watcher = threading.Thread(target=watch)
    workers = [threading.Thread(target=thirty, args=(writer, True)),
               threading.Thread(target=thirty, args=(editor, False))]
    watcher.start()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    stop.set()
    watcher.join()
    assert refusals == []
    assert _notes_stored(os_logins, admin, db) == 60
    assert seen and all(mode & 0o060 == 0o060 for _suffix, mode in seen), sorted(seen)


def test_backups_and_exports_in_the_shared_folder_stay_usable_by_the_group(os_logins):
    db, admin, editor, _writer = _newsroom(os_logins, "berita-ekspor.db")
    assert os_logins.run(admin, "--db", db, "site", "set", "base_url", "https://contoh.go.id",
                         umask=0o022).returncode == 0
    assert os_logins.run(admin, "--db", db, "submit", SLUG, umask=0o022).returncode == 0
    assert os_logins.run(editor, "--db", db, "publish", SLUG, umask=0o022).returncode == 0  # four-eyes
    folder = db.parent
    feeds = folder / "feeds"
    first = os_logins.run(admin, "--db", db, "export", "--out", feeds, umask=0o022)
    assert first.returncode == 0, first.stderr
    assert os_logins.run(editor, "--db", db, "note", SLUG, "Sudah tayang.", umask=0o022).returncode == 0
    second = os_logins.run(editor, "--db", db, "export", "--out", feeds, "--full", umask=0o022)  # the colleague
    assert second.returncode == 0, second.stderr
    backup = os_logins.run(admin, "--db", db, "backup", folder / "cadangan.db", umask=0o022)
    assert backup.returncode == 0, backup.stderr
    shared = list(folder.rglob("*"))
    not_group = [f"{oct(stat.S_IMODE(p.stat().st_mode))} {p.relative_to(folder)}" for p in shared
                 if stat.S_IMODE(p.stat().st_mode) & 0o060 != 0o060]
    assert not_group == []
