"""Walking the audit trail's hash chain: the first event changed, removed or reordered, or the head.

:func:`verify` reads the events in id order through one cursor (constant memory) and recomputes each
hash from the stored one before it (core.audit_hash).  What it can prove and what not is in
docs/security.md: without a head held outside the database, someone who can write the file can rewrite
every event and recompute every hash; :func:`against` compares a held head (``audit-head.json`` or an
exported feed.json) with the chain, and that rewrite shows there.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from beritatui.core.audit_hash import (
    GENESIS,
    at_text,
    canonical_json,
    encoding,
    link,
    quoted_text,
    stored_hash,
)
from beritatui.core.errors import ValidationError
from beritatui.i18n import _

_SELECT = "SELECT id, at, login, action, article, details, hash FROM audit_event"
WINDOW = 64  # events each side of a break searched for where a moved event came from


@dataclass(frozen=True)
class ChainResult:
    """The chain is whole (``problem`` None) up to ``events`` with ``head``; or the first event that is not."""

    events: int
    head: str
    event: int | None = None  # the first event found wrong
    kind: str | None = None  # changed | removed | renumbered | reordered | unhashed | rewritten | truncated
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def as_dict(self) -> dict:
        return {"ok": self.ok, "events": self.events, "head": self.head, "event": self.event, "kind": self.kind,
                "problem": self.problem}


@dataclass(frozen=True)
class Head:
    """The chain's newest link: the number of events (ids count from 1) and the newest event's hash."""

    events: int
    hash: str
    at: str = field(default="", compare=False)  # the newest event's time (UTC ISO), "" when unknown


def head(db, *, skip_exports: bool = False) -> Head:  # noqa: ANN001 - a peewee Database
    """The newest event's id, hash and time (GENESIS for an empty trail): one indexed read, for every export.

    ``skip_exports``: the newest event that is not an ``export`` — what an export publishes.  An export is
    itself an event; were it in the head the next export publishes, every export would change that head and
    rewrite feed.json for nothing.  It is chained like any event, and the next head after it covers it.
    """
    where = "WHERE action <> 'export' " if skip_exports else ""
    row = db.execute_sql(f"SELECT id, hash, at FROM audit_event {where}ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return Head(0, GENESIS)
    try:
        at = at_text(row[2])
    except (TypeError, ValueError):
        at = ""
    return Head(int(row[0]), row[1] or "", at)


def verify(db) -> ChainResult:  # noqa: ANN001 - a peewee Database
    """Recompute the chain from the first event; the first event that is wrong, and how, or the head."""
    previous, expected, count = GENESIS, 1, 0
    sha256, quoted = hashlib.sha256, quoted_text
    for row in db.execute_sql(f"{_SELECT} ORDER BY id"):
        event_id, at, login, action, article, details, found = row
        if event_id != expected:
            return _removed(count, previous, expected, event_id)
        if not found:
            return ChainResult(count, previous, event_id, "unhashed", _(
                "Audit event {id} has no hash: it was added outside beritatui").format(id=event_id))
        # The usual event, inline (this loop is the whole cost of a walk over a million events): a time
        # in the stored form, an article id or none, canonical details; anything else goes the long way.
        if (type(at) is str and len(at) == 26 and at[10] == " " and type(details) is str and type(login) is str
                and type(action) is str and (article is None or type(article) is int)):
            text = (f'{previous}\n[{event_id},"{at[:10]}T{at[11:]}Z",{quoted(login)},{quoted(action)},'
                    f'{"null" if article is None else article},{details}]')
            if sha256(text.encode()).hexdigest() != found and stored_hash(previous, row) is None:
                return _broken(db, count, previous, row)
        elif stored_hash(previous, row) is None:
            return _broken(db, count, previous, row)
        previous, expected, count = found, expected + 1, count + 1
    return ChainResult(count, previous)


def _removed(count: int, previous: str, expected: int, found: int) -> ChainResult:
    return ChainResult(count, previous, expected, "removed", _(
        "Audit events {first} to {last} were removed (the trail goes from event {before} to {found})").format(
        first=expected, last=found - 1, before=expected - 1, found=found))


def _broken(db, count: int, previous: str, row: tuple) -> ChainResult:  # noqa: ANN001
    """Event ``row`` does not follow the one before it: moved here from elsewhere, or changed."""
    event_id = row[0]
    near = db.execute_sql(f"{_SELECT} WHERE id BETWEEN ? AND ? ORDER BY id",
                          (event_id - WINDOW, event_id + WINDOW)).fetchall()
    hashes = [GENESIS] + [r[6] for r in near if r[6] and r[0] != event_id]
    try:
        when, details = at_text(row[1]), canonical_json(json.loads(row[5]))
    except (ValueError, TypeError):
        when = details = None
    for original in range(max(1, event_id - WINDOW), event_id + WINDOW + 1):
        if when is None or original == event_id:
            continue
        moved = encoding(original, when, row[2], row[3], row[4], details)
        if any(link(candidate, moved) == row[6] for candidate in hashes):
            return ChainResult(count, previous, event_id, "reordered", _(
                "Audit event {id} was moved: it was written as event {original}; the trail was reordered "
                "outside beritatui").format(id=event_id, original=original))
    shifted = _renumbered(near, row)
    if shifted:
        return ChainResult(count, previous, event_id, "renumbered", _(
            "Audit events before event {id} were removed and the later ones renumbered: event {id} was written "
            "as event {original}").format(id=event_id, original=event_id + shifted))
    return ChainResult(count, previous, event_id, "changed", _(
        "Audit event {id} was changed outside beritatui (it no longer matches its hash), or the event before it "
        "was changed and its hash made again").format(id=event_id))


def _renumbered(near: list[tuple], row: tuple) -> int:
    """By how much ids were moved down from ``row`` on (events before it removed, the rest renumbered): the
    next event still links to ``row``'s hash under its original id.  0: they were not."""
    following = next((r for r in near if r[0] == row[0] + 1), None)
    if following is None or not row[6]:
        return 0
    for shift in range(1, WINDOW + 1):
        if stored_hash(row[6], (following[0] + shift, *following[1:])) is not None:
            return shift
    return 0


def read_head(path: Path) -> Head:
    """The head held in ``audit-head.json`` or in an exported feed.json's ``_beritatui.audit_head``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationError(_("Cannot read a chain head from {path}: {reason}").format(path=path, reason=exc)) \
            from exc
    held = data.get("_beritatui", {}).get("audit_head") if isinstance(data, dict) and "_beritatui" in data \
        else data
    if not isinstance(held, dict) or not isinstance(held.get("hash"), str) or type(held.get("events")) is not int:
        raise ValidationError(_("{path} holds no audit chain head (hash and events)").format(path=path))
    return Head(held["events"], held["hash"])


def against(db, held: Head) -> ChainResult:  # noqa: ANN001 - a peewee Database
    """The chain verified, and ``held`` still one of its links: the event numbered ``held.events`` has
    that hash (an empty head, 0 events, is the genesis)."""
    result = verify(db)
    if not result.ok:
        return result
    if held.events == 0:
        found = GENESIS
    else:
        row = db.execute_sql("SELECT hash FROM audit_event WHERE id = ?", (held.events,)).fetchone()
        if row is None:
            return ChainResult(result.events, result.head, held.events, "truncated", _(
                "The held head counts {held} events; the trail has {count}: events after {count} were "
                "removed").format(held=held.events, count=result.events))
        found = row[0]
    if found != held.hash:
        return ChainResult(result.events, result.head, held.events, "rewritten", _(
            "Audit event {id} has another hash than the held head: the history up to it was rewritten "
            "(and its hashes made again) outside beritatui").format(id=held.events))
    return result
