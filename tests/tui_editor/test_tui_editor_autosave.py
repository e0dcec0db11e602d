"""Autosave and recovery: idle typing is kept, a dropped connection (SIGHUP) loses nothing."""

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
import threading
import time

import pytest
from textual.widgets import Input, TextArea

import beritatui.tui.editor as editormod
from beritatui.core import autosave
from beritatui.core.articles import ArticleDraft, create_article, get_article
from beritatui.core.database import close_database, open_database
from beritatui.core.models import Revision
from beritatui.tui.editor import EditorScreen
from beritatui.tui.recovery import RecoveryModal


async def test_idle_typing_is_autosaved_and_offered_back(make_app, newsroom, settle, monkeypatch):
    monkeypatch.setattr(editormod, "AUTOSAVE_EVERY_SECONDS", 0.2)
    article = create_article(newsroom.writer, ArticleDraft(title="Senam Pagi Bersama", body="Senam dimulai.\n"))
    first = make_app(newsroom.writer, lambda: EditorScreen(article.id))
    async with first.run_test(size=(80, 24)) as pilot:
        screen = first.screen
        await settle(pilot, lambda: screen.loaded)
        area = screen.query_one("#body", TextArea)
        area.focus()
        area.move_cursor((0, 14))
        await pilot.press(*" Ramai")
        stored = lambda: autosave.load(article.uuid, "wati")  # noqa: E731
        await settle(pilot, lambda: stored() is not None and stored().payload["body"] == "Senam dimulai. Ramai\n",
                     tries=500)
    assert get_article(article.id).body == "Senam dimulai.\n"  # autosave is not a save

    second = make_app(newsroom.writer, lambda: EditorScreen(article.id))
    async with second.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(second.screen, RecoveryModal) and second.screen.query("#diff"))
        assert "+Senam dimulai. Ramai" in str(second.screen.query_one("#diff").render())
        await pilot.press("f5")
        screen = second.screen
        assert isinstance(screen, EditorScreen)
        assert screen.query_one("#body", TextArea).text == "Senam dimulai. Ramai\n"
        assert screen.dirty
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: get_article(article.id).version == 2)
        await settle(pilot, lambda: autosave.load(article.uuid, "wati") is None)  # a save clears the slot
    assert Revision.select().order_by(Revision.number.desc()).first().reason == "autosave-recovered"


async def test_discarding_the_recovered_text_clears_the_slot(make_app, newsroom, settle):
    article = create_article(newsroom.writer, ArticleDraft(title="Upacara Hari Bakti", body="Teks tersimpan.\n"))
    autosave.store(article.uuid, "wati", {"title": "Upacara Hari Bakti", "body": "Teks hilang?\n"},
                   article_id=article.id, base_version=1)
    app = make_app(newsroom.writer, lambda: EditorScreen(article.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, RecoveryModal) and app.screen.query("#accept"))
        await pilot.press("f8")
        await settle(pilot, lambda: autosave.load(article.uuid, "wati") is None)
        assert app.screen.query_one("#body", TextArea).text == "Teks tersimpan.\n"


def _default_interrupt() -> None:
    """In the child: SIGINT as a terminal would deliver it (a test runner in the background may ignore it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_in_pty(args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen, int, list[bytes]]:
    """Start ``args`` on a fresh 80x24 pseudo-terminal; a thread keeps reading so the app never blocks."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
                               close_fds=True, preexec_fn=_default_interrupt)
    os.close(slave)
    screen: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                ready, _, _ = select.select([master], [], [], 0.2)
                if ready:
                    data = os.read(master, 65536)
                    if not data:
                        return
                    screen.append(data)
                elif process.poll() is not None:
                    return
            except OSError:
                return

    threading.Thread(target=drain, daemon=True).start()
    return process, master, screen


def wait_for_output(screen: list[bytes], text: bytes, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in b"".join(screen):
            return
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never appeared on the terminal")


async def test_sighup_mid_edit_keeps_the_text_and_reopening_offers_it(newsroom, db_path, tmp_path, make_app,
                                                                     settle, register_os_login):
    writer = register_os_login("writer")  # the app process acts as this OS login, a writer here
    close_database()  # the app process opens the file itself
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8",
           "BERITATUI_CONFIG": str(tmp_path / "config.toml"), "NO_COLOR": "1"}
    process, master, screen = run_in_pty([sys.executable, "-m", "beritatui", "--db", str(db_path)], env)
    try:
        wait_for_output(screen, b"New")  # the article list's footer is painted
        os.write(master, b"n")
        wait_for_output(screen, b"Title")
        time.sleep(0.5)
        os.write(master, b"Naskah Belum Tersimpan")
        wait_for_output(screen, b"unsaved")
        process.send_signal(signal.SIGHUP)
        process.wait(timeout=20)  # it exits by itself after keeping the text
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    open_database(str(db_path))
    slots = [slot for slot in autosave.pending(writer.login) if slot.slot.startswith("new:")]
    assert len(slots) == 1 and slots[0].payload["title"] == "Naskah Belum Tersimpan"

    app = make_app(writer, lambda: EditorScreen(None, recover_slot=slots[0].slot))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, RecoveryModal) and app.screen.query("#accept"))
        await pilot.press("f5")
        assert app.screen.query_one("#title", Input).value == "Naskah Belum Tersimpan"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: app.screen.article_id is not None)
        assert get_article(app.screen.article_id).title == "Naskah Belum Tersimpan"
    assert not autosave.pending(writer.login)


def app_env(tmp_path) -> dict[str, str]:
    return {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8",
            "BERITATUI_CONFIG": str(tmp_path / "config.toml"), "NO_COLOR": "1"}


def test_steady_typing_reaches_the_slot_so_kill_9_loses_at_most_the_last_seconds(newsroom, db_path, tmp_path, register_os_login):
    """A word every half second, never ten quiet seconds: the slot is still written every two."""
    writer = register_os_login("writer")  # the app process acts as this OS login
    login = writer.login
    article = create_article(writer, ArticleDraft(title="Laporan Harian", body="Awal."))
    close_database()
    process, master, screen = run_in_pty([sys.executable, "-m", "beritatui", "--db", str(db_path)],
                                         app_env(tmp_path))
    typed: list[tuple[float, str]] = []
    try:
        wait_for_output(screen, b"Laporan Harian")
        os.write(master, b"\r")  # open it
        wait_for_output(screen, b"saved")  # the editor's status line: the article is loaded
        os.write(master, b"\t\t\t\t")  # title, slug, tags, summary: the body
        time.sleep(0.5)
        for number in range(20):
            word = f" kata{number:02d}"
            os.write(master, word.encode())
            typed.append((time.monotonic(), word.strip()))
            time.sleep(0.5)
        killed_at = time.monotonic()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    open_database(str(db_path))
    slot = autosave.load(article.uuid, login)
    assert slot is not None, "ten seconds of steady typing never reached the autosave slot"
    kept = slot.payload["body"]
    old_enough = [word for when, word in typed if killed_at - when > 3.5]  # 2 s bound, 1.5 s for a busy machine
    assert old_enough and all(word in kept for word in old_enough), (kept, old_enough)
    assert get_article(article.id).body == "Awal."  # an autosave is not a save


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_with_a_dialog_over_the_editor_keeps_the_text_and_where_the_cursor_was(newsroom, db_path,
                                                                                      tmp_path, signum,
                                                                                      register_os_login):
    writer = register_os_login("writer")  # the app process acts as this OS login
    login = writer.login
    article = create_article(writer, ArticleDraft(title="Rapat Koordinasi", body="Rapat."))
    close_database()
    process, master, screen = run_in_pty([sys.executable, "-m", "beritatui", "--db", str(db_path)],
                                         app_env(tmp_path))
    try:
        wait_for_output(screen, b"Rapat Koordinasi")
        os.write(master, b"\r\t\t\t\t Dihadiri kepala rutan.")  # open, to the body, type (the keys wait for it)
        wait_for_output(screen, b"unsaved")
        os.write(master, b"\x0e")  # ctrl+n: the note dialog on top of the editor
        wait_for_output(screen, b"Editorial note")
        os.write(master, b"Cek daftar hadir")
        time.sleep(0.3)
        process.send_signal(signum)
        assert process.wait(timeout=20) == 128 + signum
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    open_database(str(db_path))
    slot = autosave.load(article.uuid, login)
    assert slot is not None
    assert slot.payload["body"] == " Dihadiri kepala rutan.Rapat."
    assert (slot.payload["focus"], slot.payload["cursor"]) == ("body", [0, 23])
    assert slot.payload["title"] == "Rapat Koordinasi"


async def test_an_autosave_due_while_a_save_runs_never_brings_the_slot_back(make_app, newsroom, settle, monkeypatch):
    """The bounded autosave fires in the middle of a slow save: the saved text must not reappear as unsaved."""
    import beritatui.core.articles as articlesmod

    monkeypatch.setattr(editormod, "AUTOSAVE_EVERY_SECONDS", 0.3)
    slow_save = articlesmod.save_article

    def save_slowly(*args, **kwargs):
        time.sleep(1.0)  # the autosave timer fires meanwhile
        return slow_save(*args, **kwargs)

    monkeypatch.setattr(editormod, "save_article", save_slowly)
    article = create_article(newsroom.writer, ArticleDraft(title="Apel Pagi Petugas", body="Apel dimulai.\n"))
    app = make_app(newsroom.writer, lambda: EditorScreen(article.id))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.loaded)
        screen.query_one("#body", TextArea).focus()
        await pilot.press("x", "ctrl+s")
        await settle(pilot, lambda: get_article(article.id).version == 2 and not screen.saving)
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        assert autosave.load(article.uuid, "wati") is None
