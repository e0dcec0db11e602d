"""The SQLite trust model, said where an admin reads it, and ``check`` naming what it can see of tampering.

Every member of the newsroom's group can write the database file, so the roles do not stop
one who opens it with the ``sqlite3`` tool.  These tests do exactly that (the ``sqlite3``
module on the real file, behind the app's back) and show that ``beritatui check`` names
each change it can detect: a missing or altered audit guard, a user or role that differs
from what the audit trail says, removed or back-dated audit events.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

from beritatui.core import clock, demo, maintenance, users
from beritatui.core.database import close_database, open_database
from beritatui.core.sqlite import AUDIT_GUARDS

TRUST = "Trust model: on SQLite every member of the group that can write the database file can change anything"


def _behind_the_apps_back(path, *statements: str, params: tuple = ()) -> None:
    close_database()
    connection = sqlite3.connect(path)
    try:
        for statement in statements:
            connection.execute(statement, params if "?" in statement else ())
        connection.commit()
    finally:
        connection.close()


def _without_guards(*statements: str) -> tuple[str, ...]:
    """Drop the audit guards, run ``statements``, put the guards back exactly as beritatui made them."""
    drops = ("DROP TRIGGER audit_event_no_update", "DROP TRIGGER audit_event_no_delete")
    return (*drops, *statements, *AUDIT_GUARDS)


def _problems(cli) -> list[str]:
    result = cli("check")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "Unexpected error" not in result.output
    lines = result.stderr.strip().splitlines()
    assert lines[-1].endswith(("problem found", "problems found"))
    assert result.stdout.startswith(TRUST)
    return lines[:-1]


def test_every_change_through_the_core_keeps_check_quiet_and_one_behind_its_back_does_not(newsroom, wati_draft):
    """No false alarm: adding, raising, demoting, deactivating and re-adding people, the system login."""
    users.add_user(newsroom.admin, "sari", display_name="Sari Dewi", role="writer")
    users.set_role(newsroom.admin, "sari", "editor")
    users.deactivate(newsroom.admin, "sari")
    users.add_user(newsroom.admin, "sari", display_name="Sari Dewi", role="admin")
    users.set_role(newsroom.admin, "eko", "admin")
    users.set_role(users.get_user("eko"), "ani", "writer")
    users.deactivate(users.get_user("eko"), "budi")
    users.set_profile(newsroom.writer, "wati", unit="Lapas Bulukumba")
    users.system_user()
    users.make_admin("budi")  # raises a deactivated login and makes it active (init, the demo)
    assert maintenance.check() == []
    _behind_the_apps_back(newsroom.path, "UPDATE \"user\" SET active = 0 WHERE login = 'budi'")
    open_database(str(newsroom.path))
    assert maintenance.check() == [
        "User 'budi' is deactivated; the audit trail says active: changed outside beritatui"]


def test_a_demo_newsroom_passes_check_until_someone_edits_it(tmp_path):
    """The demo's made-up history is back-dated on purpose (its event dates are not compared)."""
    path = tmp_path / "demo.db"
    open_database(str(path))
    demo.build_demo(users.make_admin("nurul"))
    demo.join_demo("tamu")
    assert maintenance.check() == []
    _behind_the_apps_back(path, "UPDATE \"user\" SET role = 'admin' WHERE login = 'tamu'",
                          "UPDATE \"user\" SET role = 'writer' WHERE login = 'nurul'")
    open_database(str(path))
    assert maintenance.check() == ["User 'nurul' is writer; the audit trail says admin: changed outside beritatui"]


@pytest.mark.parametrize("guard", ["audit_event_no_update", "audit_event_no_delete"])
def test_check_names_a_dropped_audit_guard(cli, newsroom, guard):
    _behind_the_apps_back(newsroom.path, f"DROP TRIGGER {guard}")
    assert _problems(cli) == [f"The audit trail's guard {guard} is missing: the trail can be edited or emptied "
                              "(someone changed the file outside beritatui)"]


def test_check_names_a_guard_made_again_to_do_nothing(cli, newsroom):
    _behind_the_apps_back(newsroom.path, "DROP TRIGGER audit_event_no_delete",
                          "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event BEGIN SELECT 1; END")
    assert _problems(cli) == ["The audit trail's guard audit_event_no_delete was changed outside beritatui"]


def test_check_names_a_role_raised_with_sqlite3(cli, newsroom):
    _behind_the_apps_back(newsroom.path, "UPDATE \"user\" SET role = 'admin' WHERE login = 'wati'")
    assert _problems(cli) == ["User 'wati' is admin; the audit trail says writer: changed outside beritatui"]


def test_check_names_a_login_added_with_sqlite3(cli, newsroom):
    _behind_the_apps_back(newsroom.path, "INSERT INTO \"user\" (login, display_name, unit, role, active, created_at) "
                                         "VALUES ('joko', 'Joko', '', 'admin', 1, '2026-01-01 00:00:00')")
    assert _problems(cli) == ["User 'joko' (admin) is not in the audit trail: added or renamed outside beritatui"]


def test_check_names_a_login_removed_and_one_brought_back_with_sqlite3(cli, newsroom):
    users.deactivate(newsroom.admin, "eko")
    _behind_the_apps_back(newsroom.path, "DELETE FROM \"user\" WHERE login = 'budi'",
                          "UPDATE \"user\" SET active = 1 WHERE login = 'eko'")
    assert _problems(cli) == [
        "User 'eko' is active; the audit trail says deactivated: changed outside beritatui",
        "User 'budi' is in the audit trail but not in the user table: removed or renamed outside beritatui"]


def test_check_names_both_sides_of_a_renamed_login(cli, newsroom):
    """The writer takes over the admin's row by giving it their own login name."""
    _behind_the_apps_back(newsroom.path, "DELETE FROM \"user\" WHERE login = 'budi'",
                          "UPDATE \"user\" SET login = 'budi' WHERE login = 'ani'")
    assert _problems(cli) == [
        "User 'budi' is admin; the audit trail says writer: changed outside beritatui",
        "User 'ani' is in the audit trail but not in the user table: removed or renamed outside beritatui"]


def test_check_names_the_system_login_made_usable(cli, newsroom):
    users.system_user()
    _behind_the_apps_back(newsroom.path, "UPDATE \"user\" SET role = 'admin', active = 1 WHERE login = 'beritatui'")
    assert _problems(cli) == ["The system login 'beritatui' is admin and active; it must be an inactive editor: "
                              "changed outside beritatui"]


def test_check_names_a_role_change_whose_user_add_was_removed(cli, newsroom):
    """Removing the evidence of an addition leaves the later events pointing at nobody."""
    users.set_role(newsroom.admin, "budi", "editor")
    close_database()
    with sqlite3.connect(newsroom.path) as raw:
        (add_id,) = raw.execute("SELECT id FROM audit_event WHERE action = 'user.add' AND details LIKE "
                                "'%\"target\":\"budi\"%'").fetchone()
        last = raw.execute("SELECT max(id) FROM audit_event").fetchone()[0]
    _behind_the_apps_back(newsroom.path, *_without_guards(f"DELETE FROM audit_event WHERE id = {add_id}"))
    problems = _problems(cli)
    assert problems == [f"Audit events {add_id} to {add_id} are missing (removed outside beritatui)",
                        f"The audit trail changes 'budi' (event {last}), who was never added: their user.add "
                        "event is missing"]


def test_check_names_audit_events_removed_from_the_middle_and_the_start(cli, newsroom, wati_draft):
    for n in range(4):
        users.set_profile(newsroom.writer, "wati", unit=f"Lapas Watampone {n}")
    _behind_the_apps_back(newsroom.path, *_without_guards("DELETE FROM audit_event WHERE id IN (1, 7, 8)"))
    assert _problems(cli) == ["The audit trail starts at event 2: events 1 to 1 were removed",
                              "Audit events 7 to 8 are missing (removed outside beritatui)",
                              "User 'ani' (admin) is not in the audit trail: added or renamed outside beritatui"]


def test_check_names_an_event_inserted_with_an_earlier_date(cli, newsroom, wati_draft):
    """Inserting is what the guards allow: a forged event dated in the past is out of order."""
    close_database()
    with sqlite3.connect(newsroom.path) as raw:
        last_id, last_at = raw.execute("SELECT id, at FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()
    earlier = str(clock.utcnow().replace(tzinfo=None) - timedelta(days=30))
    _behind_the_apps_back(newsroom.path, "INSERT INTO audit_event (at, login, action, article, details) "
                                         "VALUES (?, 'eko', 'article.publish', NULL, '{}')",
                          params=(earlier,))
    assert _problems(cli) == [f"Audit event {last_id + 1} is dated {earlier}, before event {last_id} ({last_at}): "
                              "inserted out of order, or the clock went back",
                              f"Audit event {last_id + 1} has no hash: it was added outside beritatui"]


def test_check_counts_many_gaps_instead_of_naming_each(cli, newsroom):
    for n in range(30):
        users.set_profile(newsroom.writer, "wati", unit=f"Rutan {n}")
    _behind_the_apps_back(newsroom.path, *_without_guards(
        "DELETE FROM audit_event WHERE id % 2 = 0 AND id > 6"))
    problems = _problems(cli)
    assert len(problems) == 11 and problems[-1].startswith("… and ")
    assert json.dumps(problems, ensure_ascii=False).count("are missing") == 10
