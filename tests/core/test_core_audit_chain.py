"""The audit trail's hash chain: recorded with every event, recomputable by anyone, and broken by tampering.

The tampering is done as an attacker would: the ``sqlite3`` module on the real file, behind the app's
back, dropping the guards first (and putting them back so ``check`` sees nothing else).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beritatui.core import audit, audit_chain, maintenance
from beritatui.core.articles import create_article
from beritatui.core.audit_hash import GENESIS, at_text
from beritatui.core.database import close_database, current_database, open_database
from beritatui.core.sqlite import AUDIT_GUARDS


def spec_hash(previous: str, row: tuple) -> str:
    """The chain's definition as docs/security.md gives it, written independently of core.audit_hash."""
    event_id, at, login, action, article, details = row[:6]
    encoded = json.dumps([event_id, at_text(at), login, action, article, json.loads(details)], sort_keys=True,
                         separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{previous}\n{encoded}".encode()).hexdigest()


def rows(path) -> list[tuple]:
    with sqlite3.connect(path) as raw:
        return raw.execute("SELECT id, at, login, action, article, details, hash FROM audit_event ORDER BY id"
                           ).fetchall()


def tamper(path, *statements: str, params: tuple = ()) -> None:
    """Drop the guards, run ``statements``, put the guards back exactly as beritatui made them; reopen."""
    close_database()
    connection = sqlite3.connect(path)
    try:
        for statement in ("DROP TRIGGER audit_event_no_update", "DROP TRIGGER audit_event_no_delete", *statements,
                          *AUDIT_GUARDS):
            connection.execute(statement, params if "?" in statement else ())
        connection.commit()
    finally:
        connection.close()
    open_database(str(path))


@pytest.fixture
def trail(newsroom, sample_draft):
    """A newsroom with a few more events than its people: at least 8, the newest first checked whole."""
    wati_draft = create_article(newsroom.writer, sample_draft())
    for n in range(4):
        audit.record("eko", "article.note", wati_draft.id, n=n, note=f"catatan {n} — ünïcode")
    result = audit_chain.verify(current_database())
    assert result.ok and result.events >= 8, result
    return newsroom


def test_every_event_is_chained_as_the_documented_definition_says(trail):
    previous = GENESIS
    found = rows(trail.path)
    for row in found:
        assert row[6] == spec_hash(previous, row), row
        previous = row[6]
    result = audit_chain.verify(current_database())
    assert (result.events, result.head) == (found[-1][0], previous) == (len(found), found[-1][6])
    assert audit_chain.head(current_database()) == audit_chain.Head(len(found), previous)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(details=st.dictionaries(st.text(min_size=1, max_size=8), st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=20),
    st.lists(st.integers(), max_size=3)), max_size=4), login=st.text(min_size=1, max_size=12))
def test_any_event_chains_and_verifies(newsroom, details, login):
    before = audit_chain.head(current_database())
    with current_database().atomic():
        event = audit.record(login, "test.any", None, **details)
    raw = current_database().execute_sql("SELECT id, at, login, action, article, details, hash FROM audit_event "
                                         "WHERE id = ?", (event.id,)).fetchone()
    assert event.id == before.events + 1 and raw[6] == spec_hash(before.hash, raw)
    assert audit_chain.verify(current_database()).ok


def test_an_edited_event_is_named(trail):
    tamper(trail.path, "UPDATE audit_event SET login = 'orang-lain' WHERE id = 3")
    result = audit_chain.verify(current_database())
    assert (result.ok, result.event, result.kind, result.events) == (False, 3, "changed", 2)
    assert "Audit event 3 was changed outside beritatui" in result.problem
    assert result.problem in maintenance.check()


def test_an_edited_detail_and_time_are_named_too(trail):
    tamper(trail.path, "UPDATE audit_event SET details = '{\"n\":9,\"note\":\"catatan 0 — ünïcode\"}' "
                       "WHERE id = (SELECT max(id) - 3 FROM audit_event)")
    last = audit_chain.head(current_database()).events
    assert (audit_chain.verify(current_database()).event, audit_chain.verify(current_database()).kind) == (
        last - 3, "changed")
    tamper(trail.path, "UPDATE audit_event SET details = '{\"n\":0,\"note\":\"catatan 0 — ünïcode\"}', "
                       "at = '2020-01-01 00:00:00' WHERE id = (SELECT max(id) - 3 FROM audit_event)")
    assert audit_chain.verify(current_database()).event == last - 3


def test_an_event_rehashed_after_an_edit_breaks_the_link_to_the_next(trail):
    """Recomputing the edited event's own hash is not enough: the next event still names the old one."""
    found = rows(trail.path)
    forged = (*found[3][:2], "orang-lain", *found[3][3:6])
    tamper(trail.path, "UPDATE audit_event SET login = 'orang-lain', hash = ? WHERE id = 4",
           params=(spec_hash(found[2][6], forged),))
    result = audit_chain.verify(current_database())
    assert (result.event, result.kind) == (5, "changed")
    assert "or the event before it was changed and its hash made again" in result.problem


def test_a_removed_event_is_named(trail):
    tamper(trail.path, "DELETE FROM audit_event WHERE id = 5")
    result = audit_chain.verify(current_database())
    assert (result.event, result.kind, result.events) == (5, "removed", 4)
    assert result.problem == "Audit events 5 to 5 were removed (the trail goes from event 4 to 6)"


def test_removed_events_with_the_rest_renumbered_are_named(trail):
    last = len(rows(trail.path))
    tamper(trail.path, "DELETE FROM audit_event WHERE id IN (4, 5)", "UPDATE audit_event SET id = id - 2 WHERE id > 5")
    result = audit_chain.verify(current_database())
    assert (result.event, result.kind) == (4, "renumbered")
    assert result.problem == ("Audit events before event 4 were removed and the later ones renumbered: event 4 "
                              "was written as event 6")
    assert result.problem in maintenance.check()  # no gap in the ids: only the chain sees it
    assert audit_chain.head(current_database()).events == last - 2


def test_reordered_events_are_named(trail):
    tamper(trail.path, "UPDATE audit_event SET id = -1 WHERE id = 6", "UPDATE audit_event SET id = 6 WHERE id = 7",
           "UPDATE audit_event SET id = 7 WHERE id = -1")
    result = audit_chain.verify(current_database())
    assert (result.event, result.kind, result.events) == (6, "reordered", 5)
    assert result.problem == ("Audit event 6 was moved: it was written as event 7; the trail was reordered "
                              "outside beritatui")
    assert result.problem in maintenance.check()


def test_an_event_inserted_by_hand_is_named(trail):
    tamper(trail.path, "INSERT INTO audit_event (at, login, action, article, details) VALUES "
                       "('2026-12-01 00:00:00', 'eko', 'article.publish', NULL, '{}')")
    result = audit_chain.verify(current_database())
    assert result.kind == "unhashed" and result.event == len(rows(trail.path))


def test_a_whole_rewrite_verifies_alone_but_not_against_a_held_head(trail):
    """What the chain cannot prove by itself (docs/security.md), and what a held head adds."""
    held = audit_chain.head(current_database())
    found = rows(trail.path)
    tamper(trail.path, "UPDATE audit_event SET login = 'orang-lain' WHERE id = 2")
    previous = GENESIS
    close_database()
    with sqlite3.connect(trail.path) as raw:
        raw.execute("DROP TRIGGER audit_event_no_update")
        for row in found:
            row = raw.execute("SELECT id, at, login, action, article, details FROM audit_event WHERE id = ?",
                              (row[0],)).fetchone()
            previous = spec_hash(previous, row)
            raw.execute("UPDATE audit_event SET hash = ? WHERE id = ?", (previous, row[0]))
        raw.execute(AUDIT_GUARDS[0])
    open_database(str(trail.path))
    assert audit_chain.verify(current_database()).ok
    result = audit_chain.against(current_database(), held)
    assert (result.ok, result.kind, result.event) == (False, "rewritten", held.events)


def test_a_held_head_stays_a_prefix_as_events_are_added_and_catches_removed_newest_events(trail):
    held = audit_chain.head(current_database())
    with current_database().atomic():
        audit.record("ani", "export", None)
    assert audit_chain.against(current_database(), held).ok
    assert audit_chain.against(current_database(), audit_chain.Head(0, GENESIS)).ok
    tamper(trail.path, f"DELETE FROM audit_event WHERE id >= {held.events}")
    result = audit_chain.against(current_database(), held)
    assert audit_chain.verify(current_database()).ok and (result.kind, result.event) == ("truncated", held.events)


def test_a_restored_backup_continues_its_own_chain_with_the_restore_event(trail, tmp_path):
    """The restore writes its event through a plain sqlite3 connection to the copy: chained all the same."""
    in_backup = audit_chain.head(current_database())
    copy = maintenance.backup(trail.admin, tmp_path / "cadangan.db")  # its own event comes after the copy
    close_database()
    maintenance.restore(copy, str(trail.path), login="ani", force=True)
    open_database(str(trail.path))
    result = audit_chain.verify(current_database())
    assert result.ok and result.events == in_backup.events + 1
    assert rows(trail.path)[-1][3] == "restore-backup"
    assert audit_chain.against(current_database(), in_backup).ok
