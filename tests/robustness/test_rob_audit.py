"""The audit trail is append-only: no command changes or removes an event, and SQLite itself refuses to."""

from __future__ import annotations

import json
import sqlite3

import click
import pytest

from beritatui.cli import cli as beritatui_cli
from beritatui.core import site
from beritatui.core.database import close_database


def _audit_rows(path) -> list[tuple]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT id, at, login, action, article, details FROM audit_event ORDER BY id").fetchall()
    finally:
        connection.close()


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    found = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found |= _command_paths(command, (*prefix, name))
            if command.invoke_without_command:
                found.add((*prefix, name))
        else:
            found.add((*prefix, name))
    return found


def _script(tmp_path) -> list[tuple[str, list[str]]]:
    """Every command once, as the admin, in an order where each has something to act on."""
    reactions = tmp_path / "reaksi.json"
    reactions.write_text(json.dumps({"lomba-voli-antarblok": {"like": 4, "love": 1}}), encoding="utf-8")
    markdown = tmp_path / "impor.md"
    markdown.write_text("---\ntitle: Upacara Hari Bakti\n---\nUpacara berlangsung khidmat.\n", encoding="utf-8")
    backup = tmp_path / "cadangan.db"
    slug = "lomba-voli-antarblok"
    return [
        ("ani", ["init"]),  # refused: the database has users already
        ("ani", ["new", "--title", "Lomba Voli Antarblok", "--tag", "Olahraga, Humas"]),
        ("ani", ["list"]), ("ani", ["show", slug]),
        ("ani", ["edit", slug]),
        ("ani", ["tag", slug, "--add", "Pembinaan"]),
        ("ani", ["note", slug, "Foto pemenang menyusul"]),
        ("ani", ["note", "add", slug, "Skor akhir 3-1"]), ("ani", ["notes", slug]),
        ("ani", ["note", "resolve", slug, "1"]), ("ani", ["note", "reopen", slug, "1"]),
        ("ani", ["inbox"]), ("ani", ["inbox", "--peek", "--json"]),
        ("ani", ["history", slug]), ("ani", ["diff", slug, "1"]),
        ("ani", ["audit", "--article", slug]), ("wati", ["audit", "--json"]), ("ani", ["audit", "show", "1"]), ("ani", ["audit", "verify"]),
        ("ani", ["revert", slug, "--to", "1"]),
        ("wati", ["submit", slug]),  # refused: not her article
        ("ani", ["submit", slug]),
        ("ani", ["request-changes", slug, "--note", "Tambahkan skor akhir"]),
        ("ani", ["submit", slug]), ("eko", ["review"]),
        ("eko", ["approve", slug]),  # refused: a one-step chain's only step is approved by publishing
        ("eko", ["publish", slug]),  # four-eyes: eko publishes ani's article
        ("ani", ["reactions", "import", str(reactions)]),
        ("ani", ["export", "--out", str(tmp_path / "situs")]),
        ("ani", ["expire", slug, "--at", "2099-01-01 09:00"]), ("ani", ["expire", slug, "--never"]),
        ("ani", ["edit", slug]),  # published: it waits as a pending correction
        ("ani", ["correction", "show", slug]), ("ani", ["correction", "diff", slug]),
        ("ani", ["correction", "drop", slug]),
        ("ani", ["edit", slug]), ("ani", ["publish", slug, "--correction", "Skor diperbaiki"]),  # refused: four eyes
        ("ani", ["unpublish", slug]), ("ani", ["reopen", slug]),
        ("eko", ["publish", slug, "--at", "2099-01-01 09:00"]), ("ani", ["unschedule", slug]),
        ("ani", ["publish-due"]),
        ("ani", ["report", "--json"]), ("wati", ["report"]),  # the second refused: a writer
        ("ani", ["trash", slug]), ("ani", ["restore", slug]),
        ("ani", ["tags"]), ("ani", ["tags", "rename", "Olahraga", "Olah Raga"]),
        ("ani", ["tags", "merge", "Olah Raga", "Humas"]), ("ani", ["tags", "delete", "Pembinaan", "--yes"]),
        ("ani", ["import", str(markdown)]),
        ("ani", ["user", "add", "sari", "--name", "Sari Dewi"]), ("ani", ["user", "list"]),
        ("ani", ["user", "set-role", "sari", "editor"]),
        ("ani", ["unit", "add", "Kanwil Sulawesi Selatan"]), ("ani", ["unit", "add", "Lapas Watampone"]),
        ("ani", ["unit", "rename", "Lapas Watampone", "Lapas Kelas IIA Watampone"]),
        ("ani", ["unit", "move", "Lapas Kelas IIA Watampone", "--parent", "Kanwil Sulawesi Selatan"]),
        ("ani", ["unit", "list"]), ("ani", ["unit", "show", "Kanwil Sulawesi Selatan"]),
        ("ani", ["user", "grant", "sari", "--unit", "Kanwil Sulawesi Selatan", "--role", "writer"]),
        ("ani", ["user", "revoke", "sari", "--unit", "Kanwil Sulawesi Selatan"]),
        ("ani", ["user", "profile", "sari", "--byline-unit", "Humas Kanwil"]),
        ("ani", ["user", "deactivate", "sari"]),
        ("ani", ["site", "show"]), ("ani", ["site", "set", "title", "Kabar Lapas"]),
        ("ani", ["site", "unset", "description"]), ("ani", ["site", "show", "--unit", "1"]),
        ("ani", ["check"]), ("ani", ["config", "path"]), ("ani", ["config", "check"]),
        ("ani", ["backup", str(backup)]),
        ("ani", ["restore-backup", str(backup), "--force"]),
        ("ani", ["demo", "--no-open"]),  # refused: not a demo database
    ]


def test_no_command_changes_or_removes_an_audit_event(cli, newsroom, tmp_path):
    site.set_setting(newsroom.admin, "base_url", "https://lapas.example.go.id")
    script = _script(tmp_path)
    covered = {tuple(argv[: len(path)]) for _login, argv in script for path in _command_paths(beritatui_cli)
               if tuple(argv[: len(path)]) == path}
    assert covered == _command_paths(beritatui_cli), _command_paths(beritatui_cli) - covered
    close_database()
    seen = _audit_rows(newsroom.path)
    grew = 0
    for login, argv in script:
        result = cli(*argv, login=login, env={"VISUAL": "sed -i s/^/Skor\\ akhir\\ /"})
        assert result.exit_code in (0, 1), (argv, result.output)
        assert "Traceback" not in result.output
        close_database()
        now = _audit_rows(newsroom.path)
        if argv[0] == "restore-backup":
            # the whole file goes back to the backup: the trail is the one it had then, never an edited one,
            # and the restore itself is its first new event (the "backup" event was after the copy was made)
            assert seen[: len(now) - 1] == now[:-1] and len(seen) - len(now) == 0, argv
            assert seen[-1][3] == "backup" and now[-1][2:4] == ("ani", "restore-backup"), argv
        else:
            assert now[: len(seen)] == seen, argv  # every earlier event still there, byte for byte
        grew += len(now) > len(seen)
        seen = now
    assert grew >= 20
    actions = {row[3] for row in seen}
    assert {"article.create", "article.publish", "user.add", "settings.set", "tag.merge"} <= actions


@pytest.mark.parametrize("statement", [
    "UPDATE audit_event SET login = 'orang-lain'",
    "UPDATE audit_event SET details = '{}' WHERE id = 1",
    "DELETE FROM audit_event",
    "DELETE FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)",
])
def test_sqlite_refuses_to_change_or_remove_audit_events(newsroom, wati_draft, statement):
    close_database()
    before = _audit_rows(newsroom.path)
    connection = sqlite3.connect(newsroom.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="audit events cannot be"):
            connection.execute(statement)
        connection.rollback()
    finally:
        connection.close()
    assert _audit_rows(newsroom.path) == before


def test_a_backup_keeps_the_guards(cli, newsroom, wati_draft, tmp_path):
    backup = tmp_path / "cadangan.db"
    cli.ok("backup", backup)
    connection = sqlite3.connect(backup)
    try:
        triggers = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute("DELETE FROM audit_event")
    finally:
        connection.close()
    assert {"audit_event_no_update", "audit_event_no_delete"} <= triggers
