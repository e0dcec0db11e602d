"""A mistyped ``--db`` is refused with the path and how to create it; only ``init`` and ``demo`` create one."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from beritatui.core import config as configmod

# Every command that opens a database (the arguments are valid, so only the missing file can refuse them).
COMMANDS = [
    ["list"], ["show", "penyuluhan"], ["new", "--title", "Penyuluhan Hukum", "--body-file", "-"],
    ["edit", "penyuluhan"], ["submit", "penyuluhan"], ["publish", "penyuluhan"], ["publish-due"],
    ["tag", "penyuluhan", "--add", "Humas"], ["tags"], ["note", "penyuluhan", "Cek ejaan."],
    ["history", "penyuluhan"], ["diff", "penyuluhan", "1"], ["revert", "penyuluhan", "--to", "1"],
    ["user", "list"], ["user", "add", "budi"], ["site", "show"], ["site", "set", "title", "Berita"],
    ["check"], ["backup", "salinan.db"], ["export", "--out", "feeds"], ["import", "lama.md"],
    ["reactions", "import", "tallies.json"], ["request-changes", "penyuluhan", "--note", "Lengkapi."],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(args[:2]))
def test_a_mistyped_db_creates_nothing_and_says_how_to_create_it(bare_cli, tmp_path, args):
    (tmp_path / "lama.md").write_text("---\ntitle: Lama\n---\nIsi.\n", encoding="utf-8")
    (tmp_path / "tallies.json").write_text('{"penyuluhan": {"like": 1}}', encoding="utf-8")
    typo = tmp_path / "srv" / "beirta" / "berita.db"
    bare_cli.db = typo
    result = bare_cli.refused(*args, input="")
    assert result.stderr == (f"Error: No database at {typo} (the folder {typo.parent} does not exist either). "
                             f"Check the path, or create the database with: beritatui --db {typo} init\n")
    assert not (tmp_path / "srv").exists()


def test_a_missing_file_in_an_existing_folder(bare_cli, db_path):
    result = bare_cli.refused("list")
    assert result.stderr == (f"Error: No database at {db_path}. Check the path, or create the database with: "
                             f"beritatui --db {db_path} init\n")
    assert sorted(p.name for p in db_path.parent.iterdir()) == []


def test_init_and_demo_create_it(bare_cli, db_path, tmp_path):
    assert "is its admin" in bare_cli.ok("init", login="sari").stdout
    assert db_path.exists() and db_path.stat().st_mode & 0o777 == 0o660
    assert "No articles match." in bare_cli.ok("list", login="sari").stdout
    demo = tmp_path / "contoh" / "demo.db"
    assert "Built the demo newsroom" in bare_cli.ok("demo", "--db", demo, "--no-open", login="sari", db=False).stdout
    assert demo.exists()


def _beritatui(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """The terminal app (no command) on a pseudo-terminal, as it only opens on one; stderr is captured."""
    environment = {k: v for k, v in os.environ.items() if k not in ("BERITATUI_DB",)}
    environment.update(BERITATUI_LANG="en", **env)
    master, slave = pty.openpty()
    try:
        return subprocess.run([sys.executable, "-m", "beritatui", *args], env=environment, stdin=slave,
                              stdout=slave, stderr=subprocess.PIPE, text=True, timeout=60, cwd=tmp_path)
    finally:
        os.close(slave)
        os.close(master)


def test_the_terminal_app_on_a_mistyped_db_creates_nothing(tmp_path):
    typo = tmp_path / "beirta.db"
    result = _beritatui(["--db", str(typo)], tmp_path)
    assert result.returncode == 1, result
    assert result.stderr == (f"Error: No database at {typo}. Check the path, or create the database with: "
                             f"beritatui --db {typo} init\n")
    assert not typo.exists() and list(tmp_path.iterdir()) == []


def test_the_terminal_app_on_the_default_path_creates_nothing(tmp_path):
    data = tmp_path / "data"
    result = _beritatui([], tmp_path, XDG_DATA_HOME=str(data))
    default = data / "beritatui" / "beritatui.db"
    assert result.returncode == 1, result
    assert result.stderr == (f"Error: No database at {default} (the folder {default.parent} does not exist "
                             "either). Check the path, or create the database with: beritatui init (or try a sample "
                             "newsroom first: beritatui demo)\n")
    assert not data.exists()


def test_a_database_from_the_environment_names_plain_init(bare_cli, tmp_path, monkeypatch):
    typo = tmp_path / "dari-env.db"
    monkeypatch.setenv("BERITATUI_DB", str(typo))
    result = bare_cli.refused("list", db=False)
    assert result.stderr.endswith("create the database with: beritatui init\n")
    assert not typo.exists()
    assert configmod.resolve_database(None, configmod.Config()) == str(typo)
