"""Shell completion (click's own, ``_BERITATUI_COMPLETE``): slugs, tag names, logins, site setting keys.

Each test runs the real command as a shell does on Tab (``_BERITATUI_COMPLETE=bash_complete`` with
``COMP_WORDS``/``COMP_CWORD``), as this test's OS login.  A completion opens the configured database
read-only: it never creates, migrates or writes a file, never prints anything but its answers, and
answers nothing to anyone the database does not know or on any problem.
"""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.database import close_database
from beritatui.core.users import deactivate

FIXTURE = Path(__file__).parent.parent / "fixtures" / "schema-v1.db"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("BERITATUI_", "_BERITATUI"))}
    env.update(BERITATUI_CONFIG=str(tmp_path / "no-config.toml"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), HOME=str(tmp_path / "home"), BERITATUI_LANG="en")
    env.update(extra)
    return env


def complete(tmp_path: Path, *words: str, env: dict[str, str] | None = None, kind: str = "plain") -> list[str]:
    """What ``beritatui WORDS<Tab>`` offers (the last word is the one being completed; ``""`` for none yet).

    Insists that nothing but the answers was printed: no stderr, exit 0, only ``kind,value`` lines.
    """
    line = " ".join(["beritatui", *(shlex.quote(w) if w else "" for w in words)])
    result = subprocess.run([sys.executable, "-m", "beritatui"], capture_output=True, text=True, timeout=60,
                            check=False, env={**(env or _env(tmp_path)), "_BERITATUI_COMPLETE": "bash_complete",
                                              "COMP_WORDS": line, "COMP_CWORD": str(len(words))})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    answers = []
    for out in result.stdout.splitlines():
        if not out:  # click's bash format: no answers is one empty line
            continue
        value = out.partition(",")[2]
        assert out.partition(",")[0] == kind, result.stdout
        answers.append(value)
    return answers


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def desk(newsroom, register_os_login):
    """The newsroom with this OS login as an editor, three articles and their tags; the database closed."""
    me = register_os_login("editor")
    for title, tags in (("Penyuluhan Hukum bagi Warga Binaan", ["Humas", "Pembinaan"]),
                        ("Penyuluhan Narkoba di Rutan Makassar", ["Kesehatan", "Humas"]),
                        ("Panen Sayur di Kebun Lapas", ["Kemandirian", "#perlu-foto"])):
        create_article(me, ArticleDraft(title=title, body="Isi berita.", tags=tags))
    close_database()
    return newsroom


def test_slugs_tags_logins_and_setting_keys_are_completed(desk, tmp_path):
    db = str(desk.path)
    assert complete(tmp_path, "--db", db, "show", "penyuluhan") == [
        "penyuluhan-hukum-bagi-warga-binaan", "penyuluhan-narkoba-di-rutan-makassar"]
    assert complete(tmp_path, "--db", db, "publish", "pan") == ["panen-sayur-di-kebun-lapas"]
    assert complete(tmp_path, "--db", db, "diff", "") == sorted(complete(tmp_path, "--db", db, "history", ""))
    assert len(complete(tmp_path, "--db", db, "restore", "")) == 3
    assert complete(tmp_path, "--db", db, "tag", "panen-sayur-di-kebun-lapas", "--add", "hu") == ["Humas"]
    assert complete(tmp_path, "--db", db, "list", "--tag", "Ke") == ["Kemandirian", "Kesehatan"]
    assert complete(tmp_path, "--db", db, "tags", "rename", "#") == ["#perlu-foto"]
    assert complete(tmp_path, "--db", db, "tags", "merge", "Humas", "Pem") == ["Pembinaan"]
    me = pwd.getpwuid(os.geteuid()).pw_name
    assert set(complete(tmp_path, "--db", db, "user", "set-role", "")) == {"ani", "eko", "wati", "budi", me}
    assert complete(tmp_path, "--db", db, "user", "deactivate", "w") == ["wati"]
    assert complete(tmp_path, "--db", db, "site", "set", "t") == ["title", "timezone", "tombstone_days"]
    # --db itself: the shell completes file names.
    assert complete(tmp_path, "--db", "", kind="file") == [""]
    # The configured database, as every command finds it: BERITATUI_DB here.
    assert complete(tmp_path, "show", "panen", env=_env(tmp_path, BERITATUI_DB=db)) == ["panen-sayur-di-kebun-lapas"]


def test_a_completion_reads_only_and_leaves_no_file_behind(desk, tmp_path):
    """Nobody has the database open (no -wal): completing creates no -wal/-shm and changes no byte."""
    folder = desk.path.parent
    before = _files(folder)
    assert not any(name.endswith(("-wal", "-shm")) for name in before)
    assert complete(tmp_path, "--db", str(desk.path), "show", "panen") == ["panen-sayur-di-kebun-lapas"]
    assert complete(tmp_path, "--db", str(desk.path), "tags", "delete", "") != []
    assert _files(folder) == before


def test_a_completion_sees_what_a_colleague_just_saved(desk, tmp_path, newsroom):
    """While someone works (the database open, its -wal in use) a completion reads through the -wal."""
    from beritatui.core.database import open_database

    open_database(str(desk.path))
    create_article(newsroom.editor, ArticleDraft(title="Panen Raya Jagung", body="Isi berita."))
    assert desk.path.with_name(desk.path.name + "-wal").exists()
    assert complete(tmp_path, "--db", str(desk.path), "show", "panen") == [
        "panen-raya-jagung", "panen-sayur-di-kebun-lapas"]


def test_a_completion_never_creates_a_database(desk, tmp_path):
    assert complete(tmp_path, "--db", str(desk.path), "show", "panen") == ["panen-sayur-di-kebun-lapas"]
    missing = tmp_path / "belum-ada" / "berita.db"
    assert complete(tmp_path, "--db", str(missing), "show", "") == []
    assert not missing.parent.exists()
    # Without --db: the default database in the user data directory, which does not exist either.
    env = _env(tmp_path)
    assert complete(tmp_path, "show", "", env=env) == []
    assert complete(tmp_path, "tags", "rename", "", env=env) == []
    assert not (tmp_path / "data").exists()


def test_a_completion_answers_nothing_on_any_problem(desk, tmp_path):
    assert complete(tmp_path, "--db", str(desk.path), "tags", "rename", "") != []
    empty = tmp_path / "kosong.db"
    empty.write_bytes(b"")
    text = tmp_path / "catatan.db"
    text.write_text("Ini bukan basis data.\n", encoding="utf-8")
    damaged = tmp_path / "rusak.db"
    damaged.write_bytes(desk.path.read_bytes()[:4096])
    foreign = tmp_path / "lain.db"
    with sqlite3.connect(foreign) as con:
        con.execute("CREATE TABLE article (slug TEXT)")
        con.execute("INSERT INTO article VALUES ('penyuluhan-palsu')")
    con.close()
    folder = tmp_path / "sebuah-folder.db"
    folder.mkdir()
    for bad in (empty, text, damaged, foreign, folder, "postgresql://localhost:1/berita"):
        before = _files(tmp_path)
        for words in (("show", ""), ("tags", "rename", ""), ("user", "deactivate", "")):
            assert complete(tmp_path, "--db", str(bad), *words) == [], (bad, words)
        assert _files(tmp_path) == before, bad
    assert empty.read_bytes() == b""
    # A config file that cannot be read: still nothing, still silent.
    broken = tmp_path / "rusak.toml"
    broken.write_text("database = [tidak lengkap\n", encoding="utf-8")
    assert complete(tmp_path, "show", "", env=_env(tmp_path, BERITATUI_CONFIG=str(broken))) == []


def test_only_an_active_user_of_the_database_gets_answers(newsroom, tmp_path, register_os_login):
    """Someone the database does not know (or no longer lets in) learns nothing from it by pressing Tab."""
    create_article(newsroom.writer, ArticleDraft(title="Panen Sayur di Kebun Lapas", body="Isi berita.",
                                                 tags=["Kemandirian"]))
    close_database()
    db = str(newsroom.path)
    assert complete(tmp_path, "--db", db, "show", "") == []  # this OS login is not a user yet
    assert complete(tmp_path, "--db", db, "tags", "rename", "") == []
    from beritatui.core.database import open_database

    open_database(db)
    me = register_os_login("writer")
    close_database()
    assert complete(tmp_path, "--db", db, "show", "") == ["panen-sayur-di-kebun-lapas"]
    open_database(db)
    deactivate(newsroom.admin, me.login)
    close_database()
    assert complete(tmp_path, "--db", db, "show", "") == []
    assert complete(tmp_path, "--db", db, "site", "set", "base") == ["base_url"]  # the keys are no secret


def test_an_older_schema_is_read_as_it_is_never_migrated(tmp_path):
    old = tmp_path / "lama.db"
    shutil.copyfile(FIXTURE, old)
    me = pwd.getpwuid(os.geteuid()).pw_name
    with sqlite3.connect(old) as con:  # this OS login as one of its people, so the completion answers
        con.execute("INSERT INTO user (login, display_name, unit, role, active, created_at) "
                    "VALUES (?, 'Operator Uji', '', 'editor', 1, '2026-11-02 01:00:00')", (me,))
    con.close()
    before = _files(tmp_path)
    version = sqlite3.connect(old).execute("SELECT max(version) FROM schema_version").fetchone()[0]
    assert version == 1
    assert complete(tmp_path, "--db", str(old), "show", "panen") == ["panen-kangkung-di-kebun-lapas"]
    assert _files(tmp_path) == before  # not one byte changed: still schema 1, no -wal, no -shm


def test_unit_slugs_are_completed_by_slug_or_name(newsroom, register_os_login, tmp_path):
    from beritatui.core import unit_admin

    register_os_login("editor")
    unit_admin.add_unit(newsroom.admin, "Kanwil Sulawesi Selatan")
    unit_admin.add_unit(newsroom.admin, "Lapas Watampone", parent="Kanwil Sulawesi Selatan")
    unit_admin.add_unit(newsroom.admin, "Lapas Bulukumba", parent="Kanwil Sulawesi Selatan")
    close_database()
    db = str(newsroom.path)
    assert complete(tmp_path, "--db", db, "unit", "show", "lapas") == ["lapas-bulukumba", "lapas-watampone"]
    assert complete(tmp_path, "--db", db, "list", "--unit", "Lapas W") == ["lapas-watampone"]
    assert complete(tmp_path, "--db", db, "new", "--unit", "kan") == ["kanwil-sulawesi-selatan"]
    assert complete(tmp_path, "--db", db, "user", "grant", "wati", "--unit", "LAPAS B") == ["lapas-bulukumba"]
    assert complete(tmp_path, "--db", db, "unit", "move", "lapas-watampone", "--parent", "kanwil") == [
        "kanwil-sulawesi-selatan"]
    assert len(complete(tmp_path, "--db", db, "unit", "rename", "")) == 4  # the root too
