"""Every command explains itself, in English and in Indonesian, with translatable help texts."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from beritatui import i18n
from beritatui.cli import TOption, _early_language, cli


def _walk(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append(((*path, name), command))
        if isinstance(command, click.Group):
            found.extend(_walk(command, (*path, name)))
    return found


COMMANDS = _walk(cli)
EXPECTED = {
    "init", "demo", "new", "edit", "list", "show", "submit", "request-changes", "publish", "unschedule", "unpublish",
    "reopen", "trash", "restore", "tag", "tags", "note", "history", "diff", "revert", "user", "site", "publish-due",
    "backup", "restore-backup", "check", "notes", "inbox", "unit",
}


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_command_of_the_issue_exists():
    names = {path[0] for path, _command in COMMANDS}
    assert EXPECTED <= names
    subcommands = {path for path, _command in COMMANDS if len(path) == 2}
    assert {("tags", "rename"), ("tags", "merge"), ("tags", "delete"), ("user", "add"), ("user", "list"),
            ("user", "set-role"), ("user", "deactivate"), ("site", "show"), ("site", "set"), ("note", "add"),
            ("note", "resolve"), ("note", "reopen"), ("unit", "add"), ("unit", "list"), ("unit", "show"),
            ("unit", "rename"), ("unit", "move"), ("user", "grant"), ("user", "revoke"), ("user", "profile")} <= subcommands


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _c in COMMANDS])
def test_help_texts_are_given_and_translatable(path, command):
    assert command.help, path
    for param in command.params:
        if isinstance(param, click.Option) and param.name != "help":
            assert isinstance(param, TOption), (path, param.name)
            assert param.help, (path, param.name)


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _c in COMMANDS])
def test_help_works_in_each_language(path, command, lang):
    result = CliRunner().invoke(cli, ["--lang", lang, *path, "--help"])
    assert result.exit_code == 0, result.output
    i18n.set_language(lang)
    assert _flat(i18n._(command.help)) in _flat(result.output)
    assert "Usage:" in result.output or "Penggunaan:" in result.output


@pytest.mark.parametrize("lang", ["en", "id"])
def test_top_level_help_lists_every_command(lang):
    _early_language(["--lang", lang])
    result = CliRunner().invoke(cli, ["--lang", lang, "--help"])
    assert result.exit_code == 0
    for name in EXPECTED:
        assert name in result.output
