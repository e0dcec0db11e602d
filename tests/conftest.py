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
from datetime import UTC, datetime
from pathlib import Path

import pytest

from beritatui import i18n
from beritatui.core import clock, correction_review, reactions, transitions, unit_admin
from beritatui.core.articles import ArticleDraft, create_article, save_article
from beritatui.core.database import close_database, current_database, open_database
from beritatui.core.models import User
from beritatui.core.site import set_setting
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


@pytest.fixture
def register_os_login(newsroom):
    """``register_os_login("editor")``: this process's OS login made a user of the newsroom with that role.

    A beritatui *process* acts as the login of its effective uid (never LOGNAME/USER), so a test that starts
    one registers that login instead of choosing one through the environment.  Returns the ``User``.
    """
    import pwd

    def register(role: str) -> User:
        from beritatui.core.users import set_role

        login = pwd.getpwuid(os.geteuid()).pw_name
        existing = User.get_or_none(User.login == login)
        if existing is None:
            return add_user(newsroom.admin, login, display_name="Operator Uji", unit="Lapas Watampone", role=role)
        if existing.role != role:
            set_role(newsroom.admin, login, role)
        return User.get(User.login == login)

    return register


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


# -- real OS logins (root only) ---------------------------------------------------------------------

@dataclass
class OsLogins:
    """Real OS users made for this test process: a writer, an editor and an admin in one group.

    ``run(login, "publish", "slug")`` runs ``python -m beritatui ...`` as that login (its real and
    effective uid, its groups) with the given umask, through an interpreter every user may execute.
    ``shared`` is a setgid directory of the group (mode 2770), as docs/admin.md sets one up.
    """

    group: str
    gid: int
    names: dict[str, str]  # role -> login ("writer", "editor", "admin")
    uids: dict[str, int]  # login -> uid
    shared: Path
    homes: Path
    python: str
    pythonpath: str

    def login(self, role: str) -> str:
        return self.names[role]

    def shared_folder(self, name: str) -> Path:
        """A new setgid folder of the group (2770) inside ``shared``, for one test: tests never share files."""
        import secrets

        folder = self.shared / f"{name}-{secrets.token_hex(4)}"
        folder.mkdir()
        os.chown(folder, 0, self.gid)
        os.chmod(folder, 0o2770)
        return folder

    def env(self, login: str, **extra: str) -> dict[str, str]:
        home = self.homes / login
        return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "PYTHONPATH": self.pythonpath,
                "PYTHONDONTWRITEBYTECODE": "1", "XDG_CONFIG_HOME": str(home / ".config"),
                "XDG_DATA_HOME": str(home / ".local" / "share"), "BERITATUI_CONFIG": str(home / "config.toml"),
                **extra}

    def run(self, login: str, *args: object, umask: int = 0o022, env: dict[str, str] | None = None,
            input: str | None = None, timeout: float = 60, cwd: str | None = None):  # noqa: A002
        import subprocess

        return subprocess.run([self.python, "-m", "beritatui", *(str(a) for a in args)],
                              user=self.uids[login], group=self.gid, extra_groups=[self.gid], umask=umask,
                              env={**self.env(login), **(env or {})}, input=input, capture_output=True,
                              text=True, timeout=timeout, cwd=cwd or str(self.shared))

    def popen(self, login: str, argv: list[str], *, umask: int = 0o022, env: dict[str, str] | None = None,
              **kwargs):
        """Any command as ``login`` (``argv[0]`` may be ``"python"`` for the shared interpreter)."""
        import subprocess

        if argv and argv[0] == "python":
            argv = [self.python, *argv[1:]]
        return subprocess.Popen(argv, user=self.uids[login], group=self.gid, extra_groups=[self.gid], umask=umask,
                                env={**self.env(login), **(env or {})}, **kwargs)


def _reachable_python() -> str | None:
    """An interpreter of this Python's version that other users may execute (pyenv's lives under /root)."""
    import sys

    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [os.path.realpath(sys.executable), f"/usr/bin/python{version}", f"/usr/local/bin/python{version}"]
    for candidate in candidates:
        path = Path(candidate)
        if path.is_file() and all(os.stat(p).st_mode & 0o001 for p in [*path.parents, path] if str(p) != "/"):
            return candidate
    return None


@pytest.fixture(scope="session")
def os_logins():
    """Three real OS logins in one group (created with useradd, removed at the end); skipped unless root."""
    import secrets
    import subprocess
    import sysconfig
    import tempfile

    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("real OS logins need root to create them (useradd); the tests run as another user")
    if not shutil.which("useradd") or not shutil.which("groupadd"):
        pytest.skip("useradd/groupadd are not installed")
    python = _reachable_python()
    if python is None:
        pytest.skip("no Python interpreter of this version that other users may execute")
    site = sysconfig.get_paths()["purelib"]
    if not all(os.stat(p).st_mode & 0o001 for p in Path(site).parents if str(p) != "/"):
        pytest.skip(f"other users cannot reach the test environment's packages ({site}); make it world-readable")
    import beritatui

    base = Path(tempfile.mkdtemp(prefix="beritatui-logins-"))
    os.chmod(base, 0o755)
    code = base / "code"
    shutil.copytree(Path(beritatui.__file__).parent, code / "beritatui",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for folder, _dirs, files in os.walk(code):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    tag = f"{os.getpid() % 100000}{secrets.token_hex(2)}"
    group = f"btg{tag}"
    names = {role: f"bt{role[0]}{tag}" for role in ("writer", "editor", "admin")}
    made: list[str] = []
    subprocess.run(["groupadd", group], check=True, capture_output=True)
    try:
        for login in names.values():
            subprocess.run(["useradd", "-M", "-N", "-s", "/usr/sbin/nologin", "-G", group, "-c", login, login],
                           check=True, capture_output=True)
            made.append(login)
        import grp
        import pwd

        gid = grp.getgrnam(group).gr_gid
        uids = {login: pwd.getpwnam(login).pw_uid for login in names.values()}
        shared = base / "shared"
        shared.mkdir()
        os.chown(shared, 0, gid)
        os.chmod(shared, 0o2770)
        homes = base / "homes"
        homes.mkdir()
        os.chmod(homes, 0o755)
        for login, uid in uids.items():
            (homes / login).mkdir(mode=0o700)
            os.chown(homes / login, uid, pwd.getpwnam(login).pw_gid)
        logins = OsLogins(group, gid, names, uids, shared, homes, python, f"{code}:{site}")
        probe = logins.run(names["writer"], "--version")
        if probe.returncode != 0:
            pytest.skip(f"beritatui does not start as another user here: {probe.stderr.strip()[-200:]}")
        yield logins
    finally:
        for login in made:
            subprocess.run(["userdel", login], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


# --- the reports' hand-counted newsroom (tests/core/test_core_reports.py, cli, tui) ----------------------

REPORT_ZONE = "Asia/Makassar"


def _t(month: int, day: int, hour: int = 0) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def report_history(newsroom, sample_draft):
    """A newsroom with a history made through the core at known times, for the reports' hand count.

    Site time: Asia/Makassar (UTC+8), so a month starts at 16:00 UTC the day before.  The tree: the root,
    "Kanwil Uji" under it, "Lapas Uji" under that.  Hand count (UTC times; waits from the last submit):

    =====  ==========  ====================================================  ==========================
     art   unit        history                                               counts in (Makassar)
    =====  ==========  ====================================================  ==========================
     a1    Lapas Uji   submit 11-02 01:00, publish 03:00 (2 h)               Nov; correction 12-02 (Dec)
     a2    Lapas Uji   submit 11-03, changes, submit 11-04 00:00,            Nov; expire 12-10 (Dec)
                       publish 06:00 until 12-10 (6 h from the last submit)
     a3    Kanwil Uji  submit 11-05 00:00, publish 01:00 (1 h)               Nov; unpublish 11-20 (Nov)
     a4    Lapas Uji   submit 11-30 15:00, publish 17:00 (2 h)               Dec (01:00 on Dec 1 local)
     a5    root        scheduled by an editor, never submitted, out 11-11    Nov, not timed
     a6    Lapas Uji   submit 11-06 00:00, scheduled for 11-07 00:00 (24 h)  Nov
    =====  ==========  ====================================================  ==========================

    Reactions: a1 like 10 love 2, a2 like 1, a3 sad 3, a4 wow 5.

    Returns (newsroom, kanwil, lapas).
    """
    admin, editor, writer = newsroom.admin, newsroom.editor, newsroom.writer
    with clock.at(_t(10, 1)):
        set_setting(admin, "timezone", REPORT_ZONE)
        kanwil = unit_admin.add_unit(admin, "Kanwil Uji")
        lapas = unit_admin.add_unit(admin, "Lapas Uji", kanwil)
        add_user(admin, "lina", display_name="Lina", unit="Lapas Uji", role="writer")
        unit_admin.grant(admin, "lina", lapas, "editor")
    made = {}

    def write(name: str, unit, at: datetime):
        with clock.at(at):
            made[name] = create_article(writer if unit is not None else editor, sample_draft(title=f"Berita {name}"),
                                        unit=unit.id if unit is not None else None)
        return made[name].id

    def step(at: datetime, action, *args, **kwargs):
        with clock.at(at):
            return action(*args, **kwargs)

    a1 = write("a1", lapas, _t(11, 2))
    step(_t(11, 2, 1), transitions.submit, writer, a1)
    step(_t(11, 2, 3), transitions.publish, editor, a1)
    a2 = write("a2", lapas, _t(11, 3))
    step(_t(11, 3), transitions.submit, writer, a2)
    step(_t(11, 3, 1), transitions.request_changes, editor, a2, "Judul kurang jelas")
    step(_t(11, 4), transitions.submit, writer, a2)
    step(_t(11, 4, 6), transitions.publish, editor, a2, until=_t(12, 10))
    a3 = write("a3", kanwil, _t(11, 5))
    step(_t(11, 5), transitions.submit, writer, a3)
    step(_t(11, 5, 1), transitions.publish, editor, a3)
    step(_t(11, 20), transitions.unpublish, editor, a3)
    a4 = write("a4", lapas, _t(11, 30))
    step(_t(11, 30, 15), transitions.submit, writer, a4)
    step(_t(11, 30, 17), transitions.publish, editor, a4)
    a5 = write("a5", None, _t(11, 10))
    step(_t(11, 10, 1), transitions.schedule, admin, a5, _t(11, 11))
    step(_t(11, 11, 0), transitions.run_due)
    a6 = write("a6", lapas, _t(11, 6))
    step(_t(11, 6), transitions.submit, writer, a6)
    step(_t(11, 6, 1), transitions.schedule, editor, a6, _t(11, 7))
    step(_t(11, 7, 0), transitions.run_due)
    live = made["a1"].__class__.get_by_id(a1)
    fixed = step(_t(12, 2), save_article, editor, a1, live.version, ArticleDraft(body="Nama yang benar."))
    step(_t(12, 2, 1), correction_review.publish_correction, admin, a1, "Ralat nama", fixed.version)
    step(_t(12, 10, 1), transitions.run_due)
    with current_database().atomic():
        for name, counts in (("a1", {"like": 10, "love": 2}), ("a2", {"like": 1}), ("a3", {"sad": 3}),
                             ("a4", {"wow": 5})):
            reactions.set_tallies(made[name].id, counts)
    return newsroom, kanwil, lapas
