"""``beritatui config path`` and ``beritatui config check``; a broken config never stops a command."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from beritatui.cli import cli as beritatui_cli
from beritatui.core import config as configmod


def _run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(beritatui_cli, list(args), env=env)


def test_config_path_names_the_file_read_and_the_file_written(tmp_path, monkeypatch):
    path = tmp_path / "pribadi.toml"
    monkeypatch.setenv("BERITATUI_CONFIG", str(path))
    result = _run("config", "path")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Read:     {path} (named by BERITATUI_CONFIG) — it does not exist yet: the defaults are used"
    assert lines[1].startswith(f"Written:  {path} (")
    path.write_text('theme = "textual-dark"\n', encoding="utf-8")  # (a language would change the words)
    assert _run("config", "path").stdout.splitlines()[0] == f"Read:     {path} (named by BERITATUI_CONFIG)"


def test_config_path_without_any_file(monkeypatch):
    monkeypatch.delenv("BERITATUI_CONFIG")
    monkeypatch.setattr(configmod, "SYSTEM_CONFIG", Path("/nonexistent/beritatui/config.toml"))
    result = _run("config", "path")
    assert result.exit_code == 0, result.output
    user = configmod.user_config_path()
    assert f"Read:     none: the defaults are used (looked for {user} and /nonexistent" in result.stdout
    assert f"Written:  {user} (" in result.stdout


def test_config_check_reports_every_problem_and_exits_1(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text('databse = "/srv/berita.db"\nlanguage = "fr"\ntheme = "ungu-muda"\neditor = 5\n'
                    '[keymap]\n"editor.save" = "alt+s"\n"articles.new" = "n"\n"articles.baru" = "b"\n',
                    encoding="utf-8")
    monkeypatch.setenv("BERITATUI_CONFIG", str(path))
    result = _run("config", "check")
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        "unknown key 'databse' (known: database, language, theme, editor, keymap)",
        "editor must be a text in quotes, not 5",
        "language 'fr' is not one of: en, id (English is used)",
        "keymap 'editor.save' = 'alt+s' is refused: alt, meta and ctrl+shift keys do not survive SSH",
        "keymap 'articles.baru': no such binding id (press ? in the app to see them)",
        result.stderr.splitlines()[5],
        f"6 problems in {path}",
    ]
    assert result.stderr.splitlines()[5].startswith("theme 'ungu-muda' is not one of: ")
    assert "Traceback" not in result.output


def test_config_check_of_a_good_file_and_of_a_file_given(tmp_path, monkeypatch):
    good = tmp_path / "baik.toml"
    good.write_text('language = "id"\ntheme = "nord"\neditor = "nano -w"\n[keymap]\n"articles.new" = "n,f5"\n',
                    encoding="utf-8")
    monkeypatch.setenv("BERITATUI_CONFIG", str(good))
    result = _run("config", "check")
    assert (result.exit_code, result.stdout) == (0, f"OK: {good}\n"), result.output
    broken = tmp_path / "rusak.toml"
    broken.write_text("language = 'id\n", encoding="utf-8")
    result = _run("--lang", "en", "config", "check", str(broken))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(f"Cannot read the config file {broken}: ")
    assert result.stderr.splitlines()[1] == f"1 problem in {broken}"
    assert _run("config", "check", str(tmp_path / "tidak-ada.toml")).exit_code == 1


def test_config_check_without_a_file_is_fine(tmp_path, monkeypatch):
    monkeypatch.setenv("BERITATUI_CONFIG", str(tmp_path / "belum-ada.toml"))
    result = _run("config", "check")
    assert (result.exit_code, result.stdout) == (0, "No config file; the defaults are used.\n")


def test_a_config_with_bad_values_warns_once_and_the_command_runs(cli, tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text('language = 5\n[keymap]\n"articles.new" = "n"\n', encoding="utf-8")
    monkeypatch.setenv("BERITATUI_CONFIG", str(path))
    result = cli.ok("list")
    assert result.stderr == (f"Warning: Config file {path}: language must be a text in quotes, not 5; ignored. "
                             "See: beritatui config check\n")
    assert "No articles match." in result.stdout
