"""A small newsroom in a temporary database, and checks every exported feed file must pass."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from rfc3339_validator import validate_rfc3339

from beritatui.core import site, transitions
from beritatui.core.articles import ArticleDraft, create_article
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
    return admin


def publish(actor: User, title: str, body: str = "Isi berita.", *, tags: list[str] | None = None,
            bylines: list[tuple[str, str]] | None = None, summary: str = "", image_url: str = "") -> Article:
    """Create, submit and publish one article."""
    article = create_article(actor, ArticleDraft(title=title, body=body, tags=tags or [], bylines=bylines,
                                                 summary=summary, image_url=image_url))
    transitions.submit(actor, article.id)
    return transitions.publish(actor, article.id)


def feed_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.json") if not p.name.startswith("."))


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

    return SimpleNamespace(publish=publish, feed_files=feed_files, check=check_feed_file, snapshot=snapshot_dir)


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
