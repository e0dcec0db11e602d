"""Fixtures shared by every test folder: a private config, a fresh newsroom database, sample drafts.

Nothing here touches the home directory: the config file, the database and any
export live under ``tmp_path``, and the language is English so messages can be
compared literally.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from beritatui import i18n
from beritatui.core import clock
from beritatui.core.articles import ArticleDraft
from beritatui.core.database import close_database, open_database
from beritatui.core.models import User
from beritatui.core.users import add_user, make_admin


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory, monkeypatch):
    """A private config file, no database or language from the environment, English, real time."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("BERITATUI_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.delenv("BERITATUI_DB", raising=False)
    monkeypatch.delenv("BERITATUI_LANG", raising=False)
    i18n.set_language("en")
    clock.freeze(None)
    yield
    clock.freeze(None)
    close_database()
    i18n.set_language("en")


@pytest.fixture
def db_path(tmp_path) -> Path:
    """Where a test's SQLite database goes (not created yet)."""
    return tmp_path / "berita.db"


@dataclass
class Newsroom:
    """The four people of the sample newsroom, and where their database lives."""

    path: Path
    admin: User
    editor: User
    writer: User
    writer2: User

    def refresh(self) -> Newsroom:
        """Re-read the users (after a role or profile change)."""
        for name in ("admin", "editor", "writer", "writer2"):
            setattr(self, name, User.get_by_id(getattr(self, name).id))
        return self


@pytest.fixture(scope="session")
def newsroom_template(tmp_path_factory) -> Path:
    """The sample newsroom built once per test process; each test gets a copy (creating a schema is slow)."""
    path = tmp_path_factory.mktemp("template") / "newsroom.db"
    open_database(str(path))
    admin = make_admin("ani", "Ani Rahmawati", "Kanwil Sulawesi Selatan")
    add_user(admin, "eko", display_name="Eko Prasetyo", unit="Rutan Makassar", role="editor")
    add_user(admin, "wati", display_name="Wati Handayani", unit="Lapas Watampone", role="writer")
    add_user(admin, "budi", display_name="Budi Santoso", unit="Bapas Bone", role="writer")
    close_database()
    return path


@pytest.fixture
def newsroom(db_path, newsroom_template) -> Newsroom:
    """An open database with ani (admin), eko (editor), wati and budi (writers)."""
    shutil.copyfile(newsroom_template, db_path)
    os.chmod(db_path, 0o660)
    open_database(str(db_path))
    people = [User.get(User.login == login) for login in ("ani", "eko", "wati", "budi")]
    return Newsroom(db_path, *people)


_SAMPLES = (
    ("Penyuluhan Hukum bagi Warga Binaan",
     "Petugas memberi penyuluhan hukum kepada warga binaan di aula utama.",
     "Kegiatan penyuluhan dimulai pukul sembilan pagi.\n\nPara peserta bertanya tentang **remisi** "
     "dan hak kunjungan keluarga.",
     ["Humas", "Pembinaan"]),
    ("Panen Sayur di Kebun Lapas",
     "Warga binaan memanen kangkung dan bayam hasil kebun sendiri.",
     "Hasil panen pekan ini mencapai dua puluh ikat.\n\n- kangkung\n- bayam\n- cabai",
     ["Kemandirian"]),
    ("Rapat Koordinasi Keamanan Akhir Tahun",
     "Kepala rutan memimpin rapat koordinasi keamanan menjelang libur akhir tahun.",
     "Rapat membahas jadwal jaga, razia kamar hunian, dan kesiapan petugas.",
     ["Keamanan", "#internal-rapat"]),
)
_counter = itertools.count(1)


@pytest.fixture
def sample_draft():
    """A factory of Indonesian-style drafts; each call gives a distinct title unless one is passed."""

    def make(**overrides) -> ArticleDraft:
        n = next(_counter)
        title, summary, body, tags = _SAMPLES[n % len(_SAMPLES)]
        values = {"title": f"{title} {n}", "summary": summary, "body": body, "tags": list(tags)}
        values.update(overrides)
        return ArticleDraft(**values)

    return make


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests (Textual's Pilot) with asyncio; no async plugin is needed."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    kwargs = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**kwargs))
    return True
