"""``beritatui audit verify`` (cli/audit_verify.py): the chain whole, broken, or checked against a held head.

Run as ``beritatui audit verify``: the command is a subcommand of the ``audit`` group (cli/audit.py).
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from beritatui.core import audit, audit_chain
from beritatui.core.database import close_database, current_database
from beritatui.core.sqlite import AUDIT_GUARDS


@pytest.fixture
def verify(cli):
    return lambda *args, **kwargs: cli("audit", "verify", *args, **kwargs)


def _edit_event(path, event_id: int) -> None:
    close_database()
    with sqlite3.connect(path) as raw:
        raw.execute("DROP TRIGGER audit_event_no_update")
        raw.execute("UPDATE audit_event SET action = 'user.deactivate' WHERE id = ?", (event_id,))
        raw.execute(AUDIT_GUARDS[0])


def _held(newsroom, tmp_path):
    head = audit_chain.head(current_database())
    path = tmp_path / "audit-head.json"
    path.write_text(json.dumps({"hash": head.hash, "events": head.events, "time": "2026-12-02T00:00:00Z"}))
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": [],
                                "_beritatui": {"audit_head": {"hash": head.hash, "events": head.events}}}))
    return head, path, feed


def test_a_whole_chain_says_ok_with_its_count_and_head(verify, newsroom):
    head = audit_chain.head(current_database())
    result = verify()
    assert result.exit_code == 0, result.output
    assert result.output == f"OK: the audit chain holds {head.events} events; head {head.hash}\n"
    data = json.loads(verify("--json").output)
    assert data == {"ok": True, "events": head.events, "head": head.hash, "event": None, "kind": None,
                    "problem": None}


def test_a_changed_event_is_named_on_one_line_and_exit_1(verify, newsroom):
    _edit_event(newsroom.path, 2)
    result = verify()
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.strip().splitlines() == [
        "Audit event 2 was changed outside beritatui (it no longer matches its hash), or the event before it was "
        "changed and its hash made again"]
    data = json.loads(verify("--json").stdout)
    assert (data["ok"], data["event"], data["kind"], data["events"]) == (False, 2, "changed", 1)


def test_a_held_head_from_audit_head_json_or_feed_json_is_checked(verify, newsroom, tmp_path):
    head, path, feed = _held(newsroom, tmp_path)
    with current_database().atomic():
        audit.record("ani", "export", None, path="/srv/feeds")
    for held in (path, feed):
        result = verify("--against", held)
        assert result.exit_code == 0, result.output
        assert f"The held head (event {head.events}) is in the chain" in result.output
    data = json.loads(verify("--against", feed, "--json").stdout)
    assert data["ok"] and data["against"] == {"events": head.events, "hash": head.hash}
    path.write_text(json.dumps({"hash": "0" * 64, "events": head.events}))
    result = verify("--against", path)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Audit event {head.events} has another hash than the held head")


@pytest.mark.parametrize("text", ["not json", "[]", '{"hash": "ab"}', '{"_beritatui": {}}'])
def test_a_file_without_a_head_is_one_clear_line(verify, newsroom, tmp_path, text):
    bad = tmp_path / "head.json"
    bad.write_text(text)
    result = verify("--against", bad)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert "head" in result.stderr


def test_check_names_the_changed_event(cli, newsroom):
    _edit_event(newsroom.path, 3)
    result = cli("check")
    assert result.exit_code == 1
    assert "Audit event 3 was changed outside beritatui" in result.stderr
