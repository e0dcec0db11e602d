"""The ``beritatui`` command run in-process as any login, and a dump of every table to prove nothing changed."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from beritatui.cli import cli as beritatui_cli
from beritatui.core import users
from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.models import Article


@dataclass
class Cli:
    """``cli("list", login="wati")`` runs ``beritatui --db <db> list`` as wati."""

    runner: CliRunner
    db: Path
    monkeypatch: pytest.MonkeyPatch

    def __call__(self, *args: object, login: str = "ani", input: str | None = None,
                 env: dict[str, str] | None = None) -> Result:
        self.monkeypatch.setattr(users, "current_login", lambda: login)
        return self.runner.invoke(beritatui_cli, ["--db", str(self.db), *(str(a) for a in args)], input=input,
                                  env=env)

    def ok(self, *args: object, **kwargs) -> Result:
        result = self(*args, **kwargs)
        assert result.exit_code == 0, (args, result.output, result.exception)
        return result

    def refused(self, *args: object, **kwargs) -> Result:
        """Exit 1, exactly one line on stderr, no traceback: the promise for every refusal."""
        result = self(*args, **kwargs)
        assert result.exit_code == 1, (args, result.output, result.exception)
        assert isinstance(result.exception, SystemExit), (args, result.exception)
        assert "Traceback" not in result.output and "Unexpected error" not in result.output, result.output
        assert len(result.stderr.strip().splitlines()) == 1, (args, result.stderr)
        return result


@pytest.fixture
def cli(newsroom, monkeypatch, tmp_path) -> Cli:
    monkeypatch.chdir(tmp_path)
    return Cli(CliRunner(), newsroom.path, monkeypatch)


def dump(path: Path, ignore: tuple[str, ...] = ("presence", "autosave")) -> dict[str, list[tuple]]:
    """Every row of every table, read through a separate read-only connection.

    Who has an article open (presence) and unsaved editor buffers (autosave) change by merely looking,
    so they are left out unless asked for.
    """
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'article_fts_%' ORDER BY name")]
        return {name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
                for name in names if name not in ignore}
    finally:
        connection.close()


@pytest.fixture
def wati_draft(newsroom) -> Article:
    """A draft by the writer wati."""
    return create_article(newsroom.writer, ArticleDraft(
        title="Pelatihan Menjahit bagi Warga Binaan Perempuan",
        summary="Dua belas warga binaan belajar menjahit seragam sekolah.",
        body="Pelatihan berlangsung selama sepuluh hari.\n\n- pola dasar\n- menjahit kerah",
        tags=["Pembinaan", "Humas"]))


# -- the terminal app ---------------------------------------------------------------------------



@pytest.fixture
def make_app(newsroom, db_path):
    """``make_app(user)`` -> the real app acting as ``user`` on the test database (tests push other screens)."""
    from beritatui.core.config import load_config
    from beritatui.core.models import User
    from beritatui.core.session import Session
    from beritatui.tui.app import BeritaApp

    def make(user):
        return BeritaApp(Session(spec=str(db_path), actor=User.get_by_id(user.id), config=load_config()))

    return make


async def settle(pilot, until=None, tries: int = 200) -> None:
    """Let workers finish and results reach the screen; with ``until``, wait for it to hold."""
    import asyncio

    for _ in range(tries):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if until is None or until():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the screen never reached the expected state")
