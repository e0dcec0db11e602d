"""Tags, people, site settings and maintenance from the command line."""

from __future__ import annotations

import json
import sqlite3

from beritatui.core.database import close_database
from beritatui.core.models import Article, ArticleTag, Setting, Tag, User


def test_tags_list_rename_merge(cli, wati_draft):
    table = cli.ok("tags").stdout
    assert "Humas" in table and "Pembinaan" in table
    data = json.loads(cli.ok("tags", "--json").stdout)
    assert {t["name"]: t["count"] for t in data} == {"Humas": 1, "Pembinaan": 1}
    cli.ok("tags", "rename", "humas", "Kehumasan", login="eko")
    assert Tag.get(Tag.name_key == "kehumasan").slug == "kehumasan"
    cli.ok("tags", "merge", "Kehumasan", "Pembinaan", login="eko")
    assert [t.name for t in Tag.select()] == ["Pembinaan"]
    assert "No tag" in cli.refused("tags", "rename", "Hilang", "Ada", login="eko").stderr


def test_tags_are_managed_by_editors_only(cli, wati_draft):
    cli.refused("tags", "rename", "Humas", "Humas Baru", login="wati")
    cli.refused("tags", "delete", "Humas", "--yes", login="wati")
    assert Tag.select().count() == 2


def test_tags_delete_asks_first(cli, wati_draft):
    declined = cli("tags", "delete", "Humas", login="eko", input="n\n")
    assert declined.exit_code == 1 and "Nothing was deleted." in declined.stderr
    assert "from 1 article?" in declined.stdout
    assert cli("tags", "delete", "Humas", login="eko").exit_code == 1  # no answer at all
    assert Tag.select().where(Tag.name == "Humas").exists()
    cli.ok("tags", "delete", "Humas", login="eko", input="y\n")
    assert not Tag.select().where(Tag.name == "Humas").exists()
    cli.ok("tags", "delete", "Pembinaan", "--yes", login="eko")
    assert ArticleTag.select().count() == 0 and Article.get_by_id(wati_draft.id).status == "draft"


def test_user_commands(cli):
    assert "beritatui unit add" in cli.refused("user", "add", "rina", "--unit", "Rutan Makassar").stderr
    cli.ok("unit", "add", "Rutan Makassar")
    cli.ok("user", "add", "rina", "--name", "Rina Marlina", "--unit", "Rutan Makassar", "--role", "editor")
    listed = json.loads(cli.ok("user", "list", "--json").stdout)
    assert {"login": "rina", "display_name": "Rina Marlina", "unit": "Rutan Makassar", "role": "editor",
            "active": True, "roles": [{"unit": "Rutan Makassar", "role": "editor"}]} in listed
    assert "Rina Marlina" in cli.ok("user", "list").stdout
    cli.ok("user", "set-role", "rina", "writer", "--unit", "rutan-makassar")
    assert User.get(User.login == "rina").role == "writer"
    assert "rina is now editor in" in cli.ok("user", "set-role", "rina", "editor").stdout  # the root unit
    assert User.get(User.login == "rina").role == "editor"
    cli.ok("user", "deactivate", "rina")
    assert cli.refused("list", login="rina").stderr.startswith("Error: You are not an editor")
    assert "already a user" in cli.refused("user", "add", "eko").stderr
    assert "last admin" in cli.refused("user", "deactivate", "ani").stderr
    assert cli("user", "set-role", "eko", "boss").exit_code == 2


def test_only_admins_manage_people(cli):
    result = cli.refused("user", "add", "joko", login="eko")
    assert "Only an admin" in result.stderr
    cli.refused("user", "set-role", "wati", "admin", login="wati")
    assert not User.select().where(User.login == "joko").exists()
    assert User.get(User.login == "wati").role == "writer"


def test_site_show_and_set(cli):
    cli.ok("site", "set", "timezone", "Asia/Makassar")
    cli.ok("site", "set", "base_url", "https://lapaswatampone.contoh.go.id/")
    data = json.loads(cli.ok("site", "show", "--json").stdout)
    assert data["timezone"] == "Asia/Makassar" and data["base_url"] == "https://lapaswatampone.contoh.go.id"
    assert "Asia/Makassar" in cli.ok("site", "show").stdout
    assert "Unknown setting" in cli.refused("site", "set", "warna", "biru").stderr
    assert "IANA" in cli.refused("site", "set", "timezone", "Bone/Watampone").stderr
    cli.refused("site", "set", "title", "Judul Lain", login="eko")
    assert not Setting.select().where(Setting.key == "title").exists()


def test_backup_and_restore(cli, tmp_path, wati_draft):
    dest = tmp_path / "cadangan.db"
    result = cli.ok("backup", dest)
    assert result.stdout.strip() == str(dest)
    assert sqlite3.connect(dest).execute("select count(*) from article").fetchone()[0] == 1
    folder = tmp_path / "cadangan"
    folder.mkdir()
    assert cli.ok("backup", folder).stdout.strip().startswith(str(folder / "beritatui-"))
    close_database()
    assert "--force" in cli.refused("restore-backup", dest).stderr
    elsewhere = tmp_path / "pulih.db"
    cli.ok("--db", elsewhere, "restore-backup", dest, db=False)
    assert sqlite3.connect(elsewhere).execute("select title from article").fetchone()[0] == wati_draft.title
    cli.ok("restore-backup", dest, "--force")
    assert "No backup" in cli.refused("--db", tmp_path / "x.db", "restore-backup", tmp_path / "tidak.db",
                                      db=False).stderr


def test_backup_does_not_create_a_database(bare_cli, db_path, tmp_path):
    bare_cli.refused("backup", tmp_path / "b.db")
    assert not db_path.exists()


def test_check_reports_problems_and_exits_1(cli, wati_draft):
    assert cli.ok("check").stdout.startswith("OK")
    close_database()
    with sqlite3.connect(cli.db) as raw:
        raw.execute("DELETE FROM article_fts")
    result = cli("check")
    assert result.exit_code == 1
    assert "missing from the search index" in result.stderr
    assert "OK" not in result.stdout and result.stdout.startswith("Trust model: on SQLite")
    assert "1 problem found" in result.stderr


def test_check_refuses_a_file_that_is_not_a_database(bare_cli, db_path):
    db_path.write_text("bukan basis data", encoding="utf-8")
    assert "not a beritatui database" in bare_cli.refused("check").stderr


TRUST = "Trust model: on SQLite every member of the group that can write the database file can change anything"


def test_init_and_check_state_the_trust_model(bare_cli):
    made = bare_cli.ok("init", login="nurul")
    assert made.stdout.splitlines()[1].startswith(TRUST)
    assert "do not stop a determined member" in made.stdout and "PostgreSQL" in made.stdout
    checked = bare_cli.ok("check")
    lines = checked.stdout.splitlines()
    assert lines[0].startswith("OK:") and lines[1].startswith(TRUST)
    assert "not all of them" in lines[2]
