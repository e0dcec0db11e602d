"""Running the ``beritatui`` command in-process, as any login, on a private database.

The shared ``newsroom`` fixture (tests/conftest.py) has made ani (admin), eko
(editor), wati and budi (writers); ``cli`` runs commands as one of them.
"""

from __future__ import annotations

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
    """``cli("list", "--json", login="wati")`` runs ``beritatui --db <db> list --json`` as wati."""

    runner: CliRunner
    db: Path
    monkeypatch: pytest.MonkeyPatch

    def __call__(self, *args: object, login: str = "ani", input: str | None = None, db: bool = True,
                 env: dict[str, str] | None = None) -> Result:
        self.monkeypatch.setattr(users, "current_login", lambda: login)
        argv = (["--db", str(self.db)] if db else []) + [str(a) for a in args]
        return self.runner.invoke(beritatui_cli, argv, input=input, env=env)

    def ok(self, *args: object, **kwargs) -> Result:
        """Run and insist on exit 0 (showing what went wrong otherwise)."""
        result = self(*args, **kwargs)
        assert result.exit_code == 0, (result.output, result.exception)
        return result

    def refused(self, *args: object, **kwargs) -> Result:
        """Run and insist on exit 1 with exactly one line on stderr, no traceback."""
        result = self(*args, **kwargs)
        assert result.exit_code == 1, (result.output, result.exception)
        assert isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        return result


@pytest.fixture
def cli(newsroom, monkeypatch, tmp_path) -> Cli:
    monkeypatch.chdir(tmp_path)
    return Cli(CliRunner(), newsroom.path, monkeypatch)


@pytest.fixture
def bare_cli(db_path, monkeypatch, tmp_path) -> Cli:
    """The command on a database that does not exist yet."""
    monkeypatch.chdir(tmp_path)
    return Cli(CliRunner(), db_path, monkeypatch)


@pytest.fixture
def wati_draft(newsroom) -> Article:
    """A draft by the writer wati, with two tags."""
    draft = ArticleDraft(
        title="Pelatihan Menjahit bagi Warga Binaan Perempuan",
        summary="Dua belas warga binaan belajar menjahit seragam sekolah.",
        body="Pelatihan berlangsung selama sepuluh hari.\n\n- pola dasar\n- menjahit kerah\n- merapikan jahitan",
        tags=["Pembinaan", "Humas"],
        bylines=[("Wati Handayani", "Lapas Watampone")],
    )
    return create_article(newsroom.writer, draft)
