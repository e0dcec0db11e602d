"""``beritatui`` behaves like a command-line tool: pipes, terminals, pagers and ``NO_COLOR``.

Every test runs the real command in its own process, on a real pipe or a real pseudo-terminal:
``beritatui list | head -1`` ends quietly; with no terminal the app is refused instead of hanging;
``show``, ``diff`` and ``history`` go through ``$PAGER`` only on a terminal; ``NO_COLOR`` removes
every escape code.  The processes act as this test's OS login, registered in the newsroom.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from beritatui.core.articles import ArticleDraft, create_article, save_article
from beritatui.core.database import close_database

ESC = b"\x1b["

# A pager that proves it ran: it writes what it was given (and the LESS it saw) to a marker file, then shows it.
MARKER_PAGER = """
import os, sys
text = sys.stdin.read()
with open(sys.argv[1], "w", encoding="utf-8") as marker:
    marker.write("LESS=" + os.environ.get("LESS", "<unset>") + "\\n" + text)
sys.stdout.write(text)
sys.stdout.flush()
"""


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("BERITATUI_", "TEXTUAL", "PAGER", "LESS", "NO_COLOR", "COLUMNS", "LINES"))}
    env.update(BERITATUI_CONFIG=str(tmp_path / "no-config.toml"), BERITATUI_LANG="en", TERM="xterm-256color",
               XDG_DATA_HOME=str(tmp_path / "data"), LANG="C.UTF-8")
    env.update(extra)
    return env


def _command(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "beritatui", "--db", str(db), *args]


def run_on_pty(argv: list[str], env: dict[str, str], *, until: bytes | None = None,
               timeout: float = 60) -> tuple[int, bytes]:
    """Run ``argv`` with stdin, stdout and stderr on a fresh 80x24 pseudo-terminal; return its code and screen.

    With ``until``, the process is sent SIGTERM once that text is on the screen (the terminal app runs
    until someone quits it).
    """
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
                               close_fds=True)
    os.close(slave)
    screen = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: every end of the terminal is closed, the process is gone
                    break
                if not data:
                    break
                screen += data
                if until is not None and until in screen and process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    until = None
            elif process.poll() is not None:
                break
        else:
            raise AssertionError(f"{argv[3:]} still running after {timeout}s; screen: {screen[-500:]!r}")
        return process.wait(timeout=30), screen
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)


@pytest.fixture
def article(newsroom, register_os_login):
    """An editor's article with two revisions (so ``diff`` and ``history`` have something to show)."""
    editor = register_os_login("editor")
    created = create_article(editor, ArticleDraft(
        title="Penyuluhan Hukum bagi Warga Binaan",
        body="Kegiatan dimulai pukul sembilan pagi.\n\nPara peserta bertanya tentang remisi.",
        tags=["Humas"]))
    save_article(editor, created.id, created.version, ArticleDraft(
        body="Kegiatan dimulai pukul sepuluh pagi.\n\nPara peserta bertanya tentang remisi dan kunjungan."))
    close_database()
    return created


# --- a closed pipe ----------------------------------------------------------------------------------


def test_a_reader_that_leaves_early_ends_the_command_quietly(newsroom, register_os_login, tmp_path):
    """``beritatui diff SLUG 1 | head -1``: the reader takes one line and closes the pipe mid-output."""
    editor = register_os_login("editor")
    created = create_article(editor, ArticleDraft(title="Pelatihan Menjahit Sepanjang Tahun", body="Rencana."))
    body = "\n\n".join(f"Paragraf {n}: warga binaan mengikuti pelatihan menjahit di aula Lapas Watampone."
                       for n in range(4000))  # ~330 kB of diff lines: far more than a pipe holds
    save_article(editor, created.id, created.version, ArticleDraft(body=body))
    close_database()
    process = subprocess.Popen(_command(newsroom.path, "diff", created.slug, "1"), env=_env(tmp_path),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = process.stdout.readline()
    process.stdout.close()  # as `head -1` does; the command is blocked writing its next line
    err = process.stderr.read()
    code = process.wait(timeout=60)
    assert first.startswith(b"--- revision 1")
    assert err == b""  # no "Error: Broken pipe", no "Exception ignored", no traceback
    assert code == 141  # 128 + SIGPIPE, what the shell reports for `yes | head -1`


def test_a_pipe_closed_before_anything_is_written_ends_quietly(newsroom, register_os_login, tmp_path):
    register_os_login("writer")
    close_database()
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read: the first write fails
    try:
        result = subprocess.run(_command(newsroom.path, "list"), env=_env(tmp_path), stdout=write_end,
                                stderr=subprocess.PIPE, timeout=60, check=False)
    finally:
        os.close(write_end)
    assert result.stderr == b""
    assert result.returncode == 141


# --- no terminal, no app ----------------------------------------------------------------------------


NEEDS_TERMINAL = "beritatui needs a terminal to open the editor's app; give a command (see beritatui --help)"


@pytest.mark.parametrize("streams", ["no-stdin", "stdin-pty-stdout-piped", "both-piped"])
def test_without_a_terminal_the_app_is_refused_not_started(newsroom, register_os_login, tmp_path, streams):
    """A cron line that forgot its command: one line on stderr, exit 2, no escape codes, no hang."""
    register_os_login("editor")
    close_database()
    master, slave = pty.openpty()
    stdin = {"no-stdin": subprocess.DEVNULL, "stdin-pty-stdout-piped": slave, "both-piped": None}[streams]
    try:
        result = subprocess.run(_command(newsroom.path), env=_env(tmp_path), stdin=stdin, capture_output=True,
                                timeout=60, check=False, input=b"q\n" if streams == "both-piped" else None)
    finally:
        os.close(slave)
        os.close(master)
    assert result.returncode == 2, result.stderr
    assert result.stderr.decode().splitlines() == [NEEDS_TERMINAL]
    assert result.stdout == b""
    assert ESC not in result.stderr


def test_without_a_terminal_demo_is_refused_and_builds_nothing(tmp_path):
    demo = tmp_path / "contoh.db"
    result = subprocess.run([sys.executable, "-m", "beritatui", "demo", "--db", str(demo)], env=_env(tmp_path),
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "--no-open" in result.stderr
    assert "\x1b[" not in result.stdout + result.stderr
    assert not demo.exists()
    # --no-open needs no terminal: it only builds the demo.
    built = subprocess.run([sys.executable, "-m", "beritatui", "demo", "--db", str(demo), "--no-open"],
                           env=_env(tmp_path), stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=120, check=False)
    assert built.returncode == 0, built.stderr
    assert demo.exists()


def test_the_app_needs_both_ends_of_a_terminal(newsroom, register_os_login, sample_draft, tmp_path):
    """Keys on a terminal but the screen piped away: refused.  Both on a terminal: the app opens."""
    editor = register_os_login("editor")
    create_article(editor, sample_draft(title="Panen Sayur di Kebun Lapas"))
    close_database()
    master, slave = pty.openpty()
    try:
        piped = subprocess.run(_command(newsroom.path), env=_env(tmp_path), stdin=slave, capture_output=True,
                               timeout=60, check=False)
    finally:
        os.close(slave)
        os.close(master)
    assert piped.returncode == 2
    assert piped.stderr.decode().splitlines() == [NEEDS_TERMINAL]
    code, screen = run_on_pty(_command(newsroom.path), _env(tmp_path), until=b"Panen Sayur")
    assert b"Panen Sayur" in screen
    assert NEEDS_TERMINAL.encode() not in screen
    assert code != 2


# --- the pager ----------------------------------------------------------------------------------------


def _pager_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    script = tmp_path / "marker_pager.py"
    script.write_text(MARKER_PAGER, encoding="utf-8")
    marker = tmp_path / "pager-ran.txt"
    return _env(tmp_path, PAGER=f"{sys.executable} {script} {marker}"), marker


def _long_output(article) -> list[tuple[str, ...]]:
    return [("show", article.slug), ("diff", article.slug, "1"), ("history", article.slug),
            ("audit", "--article", article.slug)]


@pytest.mark.parametrize("which", ["show", "diff", "history", "audit"])
def test_the_pager_runs_on_a_terminal_and_never_when_piped(newsroom, article, tmp_path, which):
    env, marker = _pager_env(tmp_path)
    args = next(a for a in _long_output(article) if a[0] == which)
    expected = {"show": "Kegiatan dimulai pukul sepuluh pagi.", "diff": "+Kegiatan dimulai pukul sepuluh pagi.",
                "history": "Penyuluhan Hukum bagi Warga Binaan", "audit": "article.save"}[which]
    piped = subprocess.run(_command(newsroom.path, *args), env=env, stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=60, check=False)
    assert piped.returncode == 0, piped.stderr
    assert expected in piped.stdout
    assert not marker.exists()  # piped: printed as it is, no pager
    code, screen = run_on_pty(_command(newsroom.path, *args), env)
    assert code == 0, screen
    assert marker.exists(), screen  # on a terminal: through $PAGER
    paged = marker.read_text(encoding="utf-8")
    assert expected in paged
    assert paged.startswith("LESS=-FRX\n")  # as git sets it: a text that fits the screen needs no key
    assert expected.encode() in screen


def _fake_less(tmp_path: Path, name: str) -> tuple[str, Path]:
    """A ``less`` on PATH that records its call (and the LESS it saw) in a marker file, then shows the text."""
    bin_dir = tmp_path / f"bin-{name}"
    bin_dir.mkdir()
    marker = tmp_path / f"less-{name}.txt"
    less = bin_dir / "less"
    less.write_text(f"#!{sys.executable}\n" + MARKER_PAGER.replace("sys.argv[1]", repr(str(marker))),
                    encoding="utf-8")
    less.chmod(0o755)
    return f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", marker


def test_without_pager_less_is_used_and_cat_or_empty_means_none(newsroom, article, tmp_path):
    """No ``PAGER``: ``less`` with LESS=-FRX.  ``PAGER=cat`` or an empty ``PAGER``: straight to the terminal,
    as git reads them (click alone would start ``less`` for an empty one)."""
    path, marker = _fake_less(tmp_path, "unset")
    code, screen = run_on_pty(_command(newsroom.path, "show", article.slug), _env(tmp_path, PATH=path))
    assert code == 0, screen
    assert marker.read_text(encoding="utf-8").startswith("LESS=-FRX\n")
    assert b"Kegiatan dimulai pukul sepuluh pagi." in screen
    for pager in ("cat", ""):
        path, marker = _fake_less(tmp_path, pager or "empty")
        code, screen = run_on_pty(_command(newsroom.path, "show", article.slug),
                                  _env(tmp_path, PAGER=pager, PATH=path))
        assert code == 0, screen
        assert b"Kegiatan dimulai pukul sepuluh pagi." in screen
        assert not marker.exists(), pager


def test_a_less_setting_of_ones_own_is_kept(newsroom, article, tmp_path):
    path, marker = _fake_less(tmp_path, "own")
    code, screen = run_on_pty(_command(newsroom.path, "history", article.slug),
                              _env(tmp_path, PATH=path, LESS="-S"))
    assert code == 0, screen
    assert marker.read_text(encoding="utf-8").startswith("LESS=-S\n")
    assert b"Penyuluhan Hukum" in screen


# --- NO_COLOR ----------------------------------------------------------------------------------------


def test_diff_is_coloured_on_a_terminal_unless_no_color(newsroom, article, tmp_path):
    coloured = run_on_pty(_command(newsroom.path, "diff", article.slug, "1"), _env(tmp_path, PAGER="cat"))
    assert coloured[0] == 0 and ESC in coloured[1]  # the diff is coloured on a terminal...
    empty = run_on_pty(_command(newsroom.path, "diff", article.slug, "1"), _env(tmp_path, PAGER="cat", NO_COLOR=""))
    assert ESC in empty[1]  # ...an empty NO_COLOR asks for nothing (https://no-color.org)...
    plain = run_on_pty(_command(newsroom.path, "diff", article.slug, "1"), _env(tmp_path, PAGER="cat", NO_COLOR="1"))
    assert plain[0] == 0
    assert b"+Kegiatan dimulai pukul sepuluh pagi." in plain[1]
    assert ESC not in plain[1]  # ...and NO_COLOR=1 gives not one escape code
