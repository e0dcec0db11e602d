"""``beritatui edit`` after a dropped SSH connection: the text typed in $EDITOR is kept and offered back.

Real processes and real signals: a fake $EDITOR writes a paragraph into the file it was given, says so,
and waits; the test then hangs up the process group (as sshd does), terminates the CLI, kills it with
SIGKILL, or signals the editor alone.  The beritatui processes act as the real OS login of this test
process (registered in the test database), never as a name taken from USER/LOGNAME.
"""

from __future__ import annotations

import os
import pwd
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import platformdirs
import pytest

from beritatui.core import autosave
from beritatui.core.articles import ArticleDraft, create_article, get_article
from beritatui.core.database import close_database, open_database
from beritatui.core.models import Article, User
from beritatui.core.users import add_user

LOGIN = pwd.getpwuid(os.geteuid()).pw_name
TYPED = "Para peserta juga belajar menyusun surat permohonan remisi."

WAITING_EDITOR = """
import sys, time
from pathlib import Path
target, marker = Path(sys.argv[-1]), Path(sys.argv[1])
with open(target, "a", encoding="utf-8") as handle:
    handle.write(sys.argv[2] + "\\n")
import os
marker.write_text(str(os.getpid()))
time.sleep(120)
"""

APPENDING_EDITOR = """
import sys
with open(sys.argv[-1], "a", encoding="utf-8") as handle:
    handle.write(sys.argv[1] + "\\n")
"""


@pytest.fixture
def room(newsroom):
    """The test database with this process's OS login as a writer, and a draft of theirs."""
    me = User.get_or_none(User.login == LOGIN) or add_user(newsroom.admin, LOGIN, display_name="Sari Wulandari",
                                                            unit="Lapas Watampone", role="writer")
    article = create_article(me, ArticleDraft(
        title="Penyuluhan Hukum bagi Warga Binaan", summary="Petugas memberi penyuluhan hukum.",
        body="Kegiatan dimulai pukul sembilan pagi.", tags=["Humas", "Pembinaan"],
        bylines=[("Sari Wulandari", "Lapas Watampone")], image_url="https://contoh.go.id/a.jpg",
        image_alt="Aula utama"))
    close_database()
    return newsroom, article


def _env(editor: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LOGNAME", "USER", "LNAME", "USERNAME")}
    env.update(VISUAL=editor, EDITOR=editor, BERITATUI_LANG="en")
    return env


def _editor(tmp_path: Path, script: str, *args: str) -> str:
    path = tmp_path / f"editor-{abs(hash(script)) % 10000}.py"
    path.write_text(script, encoding="utf-8")
    return " ".join(shlex.quote(part) for part in [sys.executable, str(path), *args])


def _start_edit(db: Path, slug: str, tmp_path: Path, marker: Path, text: str = TYPED) -> subprocess.Popen:
    editor = _editor(tmp_path, WAITING_EDITOR, str(marker), text)
    proc = subprocess.Popen([sys.executable, "-m", "beritatui", "--db", str(db), "edit", slug], env=_env(editor),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while not marker.exists() or not marker.read_text():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the editor never started"
        time.sleep(0.02)
    return proc


def _edit_again(db: Path, slug: str, tmp_path: Path, answer: str, add: str) -> subprocess.CompletedProcess:
    editor = _editor(tmp_path, APPENDING_EDITOR, add)
    return subprocess.run([sys.executable, "-m", "beritatui", "--db", str(db), "edit", slug], env=_env(editor),
                          input=answer, capture_output=True, text=True, timeout=60)


def _scratch_files() -> list[Path]:
    folder = platformdirs.user_data_path("beritatui") / "editing"
    return sorted(folder.glob("*.md")) if folder.exists() else []


def _slot(db: Path, article: Article):
    open_database(str(db))
    try:
        return autosave.load(article.uuid, LOGIN)
    finally:
        close_database()


@pytest.mark.parametrize("how", ["hang up the process group", "terminate the CLI"])
def test_a_hangup_keeps_the_text_in_the_autosave_slot_and_edit_offers_it(room, tmp_path, how):
    newsroom, article = room
    proc = _start_edit(newsroom.path, article.slug, tmp_path, tmp_path / "started")
    if how == "hang up the process group":
        os.killpg(proc.pid, signal.SIGHUP)
        expected = 128 + signal.SIGHUP
    else:
        os.kill(proc.pid, signal.SIGTERM)
        expected = 128 + signal.SIGTERM
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == expected, err
    assert f"beritatui edit {article.slug} offers it back" in err and "Traceback" not in err

    slot = _slot(newsroom.path, article)
    assert slot is not None and slot.base_version == 1 and slot.article == article.id
    assert slot.payload == {
        "title": "Penyuluhan Hukum bagi Warga Binaan", "slug": article.slug,
        "summary": "Petugas memberi penyuluhan hukum.", "tags": ["Humas", "Pembinaan"],
        "bylines": [["Sari Wulandari", "Lapas Watampone"]], "language": article.language,
        "image_url": "https://contoh.go.id/a.jpg", "image_alt": "Aula utama",
        "body": f"Kegiatan dimulai pukul sembilan pagi.\n{TYPED}", "slug_edited": False, "source": "edit",
    }
    assert _scratch_files() == []  # the slot holds it now

    again = _edit_again(newsroom.path, article.slug, tmp_path, "y\n", "Acara ditutup dengan doa.")
    assert again.returncode == 0, again.stderr
    assert "Unsaved text from " in again.stdout and "is waiting: use it? [Y/n]" in again.stdout
    open_database(str(newsroom.path))
    saved = get_article(article.id)
    assert saved.body == f"Kegiatan dimulai pukul sembilan pagi.\n{TYPED}\nAcara ditutup dengan doa."
    assert saved.version == 2 and saved.title == "Penyuluhan Hukum bagi Warga Binaan"
    assert autosave.load(article.uuid, LOGIN) is None  # saved: the slot is cleared


def test_a_hangup_of_the_editor_alone_keeps_the_text_too(room, tmp_path):
    newsroom, article = room
    marker = tmp_path / "started"
    proc = _start_edit(newsroom.path, article.slug, tmp_path, marker)
    os.kill(int(marker.read_text()), signal.SIGHUP)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert err.count("\n") == 1 and "was stopped by a signal; your text is kept" in err
    slot = _slot(newsroom.path, article)
    assert slot.payload["body"].endswith(TYPED) and slot.payload["source"] == "edit"
    assert _scratch_files() == []


def test_a_killed_edit_leaves_a_private_durable_scratch_file_that_is_offered(room, tmp_path):
    newsroom, article = room
    marker = tmp_path / "started"
    proc = _start_edit(newsroom.path, article.slug, tmp_path, marker)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    [scratch] = _scratch_files()
    assert scratch.stat().st_mode & 0o777 == 0o600 and scratch.parent.stat().st_mode & 0o777 == 0o700
    assert scratch.read_text(encoding="utf-8").endswith(TYPED + "\n")
    assert _slot(newsroom.path, article) is None

    again = _edit_again(newsroom.path, article.slug, tmp_path, "\n", "Acara ditutup dengan doa.")  # Enter = yes
    assert again.returncode == 0, again.stderr
    assert "is waiting: use it? [Y/n]" in again.stdout
    open_database(str(newsroom.path))
    assert get_article(article.id).body.endswith(f"{TYPED}\nAcara ditutup dengan doa.")
    assert _scratch_files() == []


def test_declining_the_waiting_text_keeps_it_in_a_rescue_file(room, tmp_path):
    newsroom, article = room
    proc = _start_edit(newsroom.path, article.slug, tmp_path, tmp_path / "started")
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    again = _edit_again(newsroom.path, article.slug, tmp_path, "n\n", "Versi baru dari awal.")
    assert again.returncode == 0, again.stderr
    kept = Path(again.stderr.split("That text is kept in ", 1)[1].splitlines()[0])
    assert kept.parent.name == "unsaved" and kept.read_text(encoding="utf-8").endswith(TYPED + "\n")
    open_database(str(newsroom.path))
    body = get_article(article.id).body
    assert body == "Kegiatan dimulai pukul sembilan pagi.\nVersi baru dari awal." and TYPED not in body
    assert _scratch_files() == []


def test_a_running_edit_is_not_offered_to_another(room, tmp_path):
    newsroom, article = room
    proc = _start_edit(newsroom.path, article.slug, tmp_path, tmp_path / "started")
    try:
        other = _edit_again(newsroom.path, article.slug, tmp_path, "", "Dari terminal kedua.")
        assert other.returncode == 0, other.stderr
        assert "is waiting" not in other.stdout
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.communicate(timeout=60)


def test_ctrl_c_belongs_to_the_editor(room, tmp_path):
    """Ctrl-C in the terminal reaches beritatui too; it must not end the editor (as with git commit)."""
    newsroom, article = room
    marker, done = tmp_path / "started", tmp_path / "done"
    # The editor ignores SIGINT before it writes its marker (as a real editor's raw mode does from its start), so
    # the Ctrl-C below can never arrive in the moment before the editor has begun ignoring it.
    script = WAITING_EDITOR.replace("import sys, time\n", """import signal, sys, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
""").replace("time.sleep(120)", f"""
deadline = time.time() + 60
while not Path({str(done)!r}).exists() and time.time() < deadline:
    time.sleep(0.02)
""")
    editor = _editor(tmp_path, script, str(marker), TYPED)
    proc = subprocess.Popen([sys.executable, "-m", "beritatui", "--db", str(newsroom.path), "edit", article.slug],
                            env=_env(editor), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    while not marker.exists() or not marker.read_text():
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)
    time.sleep(0.5)
    done.touch()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Saved Penyuluhan Hukum bagi Warga Binaan (version 2)." in out
