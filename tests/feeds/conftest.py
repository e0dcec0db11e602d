"""A small newsroom in a temporary database, and checks every exported feed file must pass."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from rfc3339_validator import validate_rfc3339

from beritatui.core import site, transitions, unit_settings, units
from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.database import current_database
from beritatui.core.models import Article, User

SCHEMA = json.loads((Path(__file__).parent.parent / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


@pytest.fixture
def desk(newsroom) -> User:
    """The sample newsroom's admin, with the website's settings filled in and small feed pages."""
    admin = newsroom.admin
    site.set_setting(admin, "base_url", "https://lapas.example.go.id")
    site.set_setting(admin, "timezone", "Asia/Makassar")
    site.set_setting(admin, "feed_page_size", "3")
    site.set_setting(admin, "description", "Berita & kegiatan <Lapas>")
    with current_database().atomic():  # these tests edit published articles to see the export follow at once
        unit_settings.store(units.root_id(), "corrections", "direct")
    allow_self_approval(units.root_id())  # the desk publishes its own articles: these tests are about the feeds
    return admin


def publish(actor: User, title: str, body: str = "Isi berita.", *, tags: list[str] | None = None,
            bylines: list[tuple[str, str]] | None = None, summary: str = "", image_url: str = "") -> Article:
    """Create, submit and publish one article (by the same person: these tests are about the feeds, so the
    article's unit allows self-approval; the four-eyes rule is tested in tests/core/test_core_review_steps.py)."""
    article = create_article(actor, ArticleDraft(title=title, body=body, tags=tags or [], bylines=bylines,
                                                 summary=summary, image_url=image_url))
    allow_self_approval(article.unit_id)
    transitions.submit(actor, article.id)
    return transitions.publish(actor, article.id)


def allow_self_approval(unit_id: int) -> None:
    """Let the unit's editors publish their own articles (the four-eyes rule off, as a one-person unit has it)."""
    from beritatui.core import unit_settings
    from beritatui.core.database import current_database

    with current_database().atomic():
        unit_settings.store(unit_id, "self_approval", "on")


def feed_files(out: Path) -> list[Path]:
    """Every feed of articles in an export: not changes.json and its pages (events, checked on their own),
    redirects.json, the withdrawn files of articles that left, nor audit-head.json (the audit chain's head)."""
    return sorted(p for p in out.rglob("*.json") if not p.name.startswith((".", "changes"))
                  and p.name not in ("redirects.json", "audit-head.json") and not p.read_bytes().startswith(b'{"id":'))


def other_files(out: Path) -> list[Path]:
    """The export's JSON files that are not feeds of articles: the change log, redirects.json, withdrawn
    article files and the audit chain's head."""
    feeds = set(feed_files(out))
    return sorted(p for p in out.rglob("*.json") if not p.name.startswith(".") and p not in feeds)


def check_feed_file(path: Path) -> dict:
    """Valid JSON Feed 1.1 with RFC 3339 dates, and no raw markup anywhere in the bytes."""
    raw = path.read_bytes()
    assert b"<" not in raw and b">" not in raw, path
    data = json.loads(raw)
    errors = sorted(VALIDATOR.iter_errors(data), key=str)
    assert not errors, f"{path}: {errors[0].message}"
    for item in data["items"]:
        for key in ("date_published", "date_modified"):
            assert validate_rfc3339(item[key]), (path, key, item[key])
            assert item[key][-6] in "+-", item[key]
    return data


def snapshot_dir(out: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and mtime (nanoseconds)."""
    return {str(p.relative_to(out)): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(out.rglob("*"))
            if p.is_file()}


@pytest.fixture
def kit():
    """The helpers above, for test modules (conftest modules cannot be imported under importlib mode)."""
    from types import SimpleNamespace

    return SimpleNamespace(publish=publish, feed_files=feed_files, other_files=other_files, check=check_feed_file, snapshot=snapshot_dir)


class FeedsCli:
    """``cli("export", "--json", login="eko")``: ``beritatui --db <db> export --json`` in-process as that login."""

    def __init__(self, db: Path, monkeypatch):
        from click.testing import CliRunner

        self.runner, self.db, self.monkeypatch = CliRunner(), db, monkeypatch

    def __call__(self, *args: object, login: str = "ani", input: str | None = None):  # noqa: A002
        from beritatui.cli import cli as beritatui_cli
        from beritatui.core import users

        self.monkeypatch.setattr(users, "current_login", lambda: login)
        return self.runner.invoke(beritatui_cli, ["--db", str(self.db), *map(str, args)], input=input)

    def ok(self, *args: object, **kwargs):
        result = self(*args, **kwargs)
        assert result.exit_code == 0, (result.output, result.exception)
        return result

    def refused(self, *args: object, code: int = 1, **kwargs):
        """Exit ``code`` with exactly one line on stderr and no traceback."""
        result = self(*args, **kwargs)
        assert result.exit_code == code, (result.output, result.exception)
        assert isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        return result


@pytest.fixture
def cli(newsroom, monkeypatch, tmp_path) -> FeedsCli:
    monkeypatch.chdir(tmp_path)
    return FeedsCli(newsroom.path, monkeypatch)


# -- a newsroom of real OS logins (root only: see os_logins in tests/conftest.py) ------------------------

PRIVATE_TEXT = b"Catatan pribadi kepala humas: jangan disebarkan.\n"
OLD_NS = 1_600_000_000_000_000_000


class LoginsSite:
    """A database in the group's shared directory whose admin, editor and writer are the real OS logins
    of ``os_logins``, with two published articles; and helpers to plant and check files as they would."""

    def __init__(self, os_logins, db: Path):
        self.os_logins, self.db = os_logins, db

    def folder(self, name: str) -> Path:
        """A fresh directory of the group, as docs/security.md sets one up: setgid, group-writable."""
        import os

        path = self.os_logins.shared / f"{name}-{os.urandom(4).hex()}"
        path.mkdir()
        os.chown(path, 0, self.os_logins.gid)
        os.chmod(path, 0o2770)
        return path

    def private(self, role: str, name: str, data: bytes = PRIVATE_TEXT) -> Path:
        """A 0600 file in that person's 0700 home, owned by them, with an old mtime."""
        import os

        login = self.os_logins.login(role)
        path = self.os_logins.homes / login / name
        path.write_bytes(data)
        os.chown(path, self.os_logins.uids[login], self.os_logins.gid)
        os.chmod(path, 0o600)
        os.utime(path, ns=(OLD_NS, OLD_NS))
        return path

    def private_dir(self, role: str, name: str) -> Path:
        import os

        login = self.os_logins.login(role)
        path = self.os_logins.homes / login / name
        path.mkdir(mode=0o700)
        os.chown(path, self.os_logins.uids[login], self.os_logins.gid)
        return path

    @staticmethod
    def untouched(path: Path, data: bytes = PRIVATE_TEXT) -> None:
        import os
        import stat

        info = os.stat(path, follow_symlinks=False)
        assert path.read_bytes() == data
        assert stat.S_IMODE(info.st_mode) == 0o600 and stat.S_ISREG(info.st_mode)
        assert info.st_mtime_ns == OLD_NS

    def as_writer(self, script: str, *args: object) -> None:
        """A few lines of Python run as the OS writer (umask 007, as the group's profile sets it)."""
        import subprocess
        import textwrap

        proc = self.os_logins.popen(self.os_logins.login("writer"),
                                    ["python", "-c", textwrap.dedent(script), *map(str, args)], umask=0o007,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err

    def run(self, role: str, *args: object, umask: int = 0o007):
        """``beritatui --db <db> ARGS`` as that OS login."""
        return self.os_logins.run(self.os_logins.login(role), "--db", self.db, *args, umask=umask)


@pytest.fixture(scope="module")
def logins_site(os_logins, tmp_path_factory):
    import os
    import shutil

    from beritatui.core.database import close_database, open_database
    from beritatui.core.users import add_user, make_admin

    folder = os_logins.shared_folder("berita")
    path = folder / "berita.db"
    open_database(str(path))
    admin = make_admin(os_logins.login("admin"), "Ani Rahmawati", "Kanwil Sulawesi Selatan")
    add_user(admin, os_logins.login("editor"), display_name="Eko Prasetyo", role="editor")
    add_user(admin, os_logins.login("writer"), display_name="Wati Handayani", role="writer")
    site.set_setting(admin, "base_url", "https://lapas-watampone.example.go.id")
    editor = User.get(User.login == os_logins.login("editor"))
    for title, tags in (("Penyuluhan Hukum bagi Warga Binaan", ["Humas"]), ("Panen Sayur di Kebun Lapas", [])):
        article = create_article(admin, ArticleDraft(title=title, body="Kegiatan berjalan lancar.", tags=tags))
        transitions.submit(admin, article.id)
        transitions.publish(editor, article.id)  # four-eyes: another editor publishes the admin's article
    close_database()
    for name in os.listdir(folder):
        os.chown(folder / name, 0, os_logins.gid)
        os.chmod(folder / name, 0o660)
    yield LoginsSite(os_logins, path)
    shutil.rmtree(folder, ignore_errors=True)
