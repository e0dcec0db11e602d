"""The public history of a feed set, read from the audit trail: what the website and its readers may know.

The audit trail is append-only and private (who did what); this module keeps only what happened on the
site, with no login, no note but a correction's public one, and nothing of a draft:

* ``published``  an article went on the site (published, published when due, imported or restored as
  published, published again after it was unpublished);
* ``corrected``  a correction with its public note was published;
* ``moved``      the slug of an article on the site changed (its old and new URL);
* ``unpublished``, ``expired``, ``removed`` (moved to the trash): it left the site.

Each article's events are walked in order, knowing whether it is on the site at each one, so a trashed
draft or a slug chosen before the first publication never shows.  An article put on the site without a
publishing event (a bulk insert) counts as on the site from the start.

The slug an event shows is the one the article had then: saves that change the slug record ``"slug"`` in
their ``fields`` and the revisions hold each version's slug; every other slug change (following the title)
happens before the first publication, so an article without such a save always had its present slug.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from beritatui.core.database import current_database

from .layout import SLUG
from .source import EVERY_UNIT, Units

PUBLISHING = frozenset({"article.publish", "article.publish-due"})
LEAVING = {"article.unpublish": "unpublished", "article.expire": "expired", "article.trash": "removed"}
_WATCHED = (*PUBLISHING, *LEAVING, "article.import", "article.restore", "article.correction-published")
_EVENTS_SQL = (
    "SELECT e.id, e.at, e.action, e.details, e.article, a.uuid, a.slug, a.status, a.published_at "
    "FROM audit_event e JOIN article a ON a.id = e.article "
    "WHERE (e.action IN (" + ",".join(f"'{name}'" for name in _WATCHED) + ") OR e.details LIKE '%\"slug\"%')"
    "{units}"
)  # no ORDER BY: sorting by article would walk the table through its article index, a seek per event
_REVISIONS_SQL = ("SELECT article_id, article_version, slug FROM revision WHERE article_id IN ({marks}) "
                  "ORDER BY article_id, number")


@dataclass(frozen=True)
class Change:
    """One public event: its audit id and time (stored UTC text), what happened, to which article."""

    event: int
    at: str
    kind: str
    uuid: str
    slug: str  # the slug the article had after the event
    old_slug: str = ""  # ``moved``: the slug it had before
    note: str = ""  # ``corrected``: the public note


@dataclass(frozen=True)
class Tombstone:
    """An article that left the site within the tombstone time: its id, last slug, when and how it left."""

    uuid: str
    slug: str
    at: str
    kind: str


@dataclass
class History:
    changes: list[Change] = field(default_factory=list)  # newest first
    tombstones: list[Tombstone] = field(default_factory=list)  # newest first, live ones only
    redirects: dict[str, str] = field(default_factory=dict)  # old slug -> the article's present slug


@dataclass
class _Article:
    uuid: str
    slug: str
    status: str
    published: bool  # has a publication time (put on the site at least once)
    events: list[tuple[int, str, str, dict[str, Any]]] = field(default_factory=list)  # (id, at, action, details)


def _details(text: Any) -> dict[str, Any]:
    try:
        value = json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _read(units: Units) -> dict[int, _Article]:
    found: dict[int, _Article] = {}
    rows = current_database().execute_sql(_EVENTS_SQL.replace("{units}", units.sql())).fetchall()
    rows.sort(key=lambda row: (row[4], row[0]))  # each article's events together, oldest first
    for event, at, action, details, article_id, uuid, slug, status, published_at in rows:
        article = found.get(article_id)
        if article is None:
            article = found[article_id] = _Article(uuid, slug, status, published_at is not None)
        article.events.append((event, str(at), action, _details(details)))
    return found


def _slug_saves(details: dict[str, Any]) -> bool:
    fields = details.get("fields")
    return isinstance(fields, list) and "slug" in fields and isinstance(details.get("version"), int)


def _renames(found: dict[int, _Article]) -> dict[int, dict[int, tuple[str, str]]]:
    """Per article, per version of a save that changed the slug: (old slug, new slug), from the revisions."""
    ids = [i for i, a in found.items() if any(_slug_saves(d) for _e, _at, _a, d in a.events)]
    versions: dict[int, list[tuple[int, str]]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for article_id, version, slug in current_database().execute_sql(
                _REVISIONS_SQL.format(marks=",".join("?" * len(chunk))), chunk):
            versions.setdefault(article_id, []).append((version, slug))
    renames: dict[int, dict[int, tuple[str, str]]] = {}
    for article_id, listed in versions.items():
        for (_before, old), (version, new) in zip(listed, listed[1:], strict=False):
            if old != new:
                renames.setdefault(article_id, {})[version] = (old, new)
    return renames


def _walk(article: _Article, renames: dict[int, tuple[str, str]]) -> Iterable[Change]:
    """The article's public events, oldest first (see the module docstring)."""
    goes_on = any(action in PUBLISHING or (action in ("article.import", "article.restore")
                                           and details.get("status") == "published")
                  for _e, _at, action, details in article.events)
    on = article.published and not goes_on
    moves = [(e, renames[d["version"]]) for e, _at, _a, d in article.events
             if _slug_saves(d) and d["version"] in renames]
    for event, at, action, details in article.events:
        later = [old for e, (old, _new) in moves if e > event]
        slug = later[0] if later else article.slug
        if action in PUBLISHING or (action in ("article.import", "article.restore")
                                    and details.get("status") == "published"):
            if not on:
                yield Change(event, at, "published", article.uuid, slug)
            on = True
        elif action in LEAVING or action == "article.restore":
            if on and action in LEAVING and (action != "article.expire" or details.get("was") != "scheduled"):
                yield Change(event, at, LEAVING[action], article.uuid, slug)
            on = False
        elif action == "article.correction-published":
            note = details.get("note")
            if on and isinstance(note, str) and note.strip():
                yield Change(event, at, "corrected", article.uuid, slug, note=note)
        elif _slug_saves(details) and details["version"] in renames and on:
            old, new = renames[details["version"]]
            yield Change(event, at, "moved", article.uuid, new, old_slug=old)


def _stored(moment: datetime) -> str:
    """A time as the audit trail stores it (naive UTC text), so the two compare as text."""
    return moment.replace(tzinfo=None).isoformat(sep=" ")


def read(units: Units = EVERY_UNIT, *, now: datetime, tombstone_days: int) -> History:
    """The public history of ``units``' articles; tombstones of those that left after ``now - tombstone_days``."""
    found = _read(units)
    renames = _renames(found)
    history = History()
    since = _stored(now - timedelta(days=tombstone_days))
    moved: list[tuple[int, str, str]] = []  # (event, old slug, present slug) of articles on the site now
    for article_id, article in found.items():
        changes = list(_walk(article, renames.get(article_id, {})))
        history.changes.extend(changes)
        last = changes[-1] if changes else None
        if (last is not None and last.kind in LEAVING.values() and article.status != "published"
                and tombstone_days > 0 and last.at >= since and SLUG.match(article.slug)):
            history.tombstones.append(Tombstone(article.uuid, article.slug, last.at, last.kind))
        if article.status == "published":
            for change in changes:
                if change.kind == "moved":
                    moved.append((change.event, change.old_slug, article.slug))
    history.changes.sort(key=lambda c: (c.at, c.event), reverse=True)
    history.tombstones.sort(key=lambda t: (t.at, t.uuid), reverse=True)
    history.redirects = _live({old: new for _event, old, new in sorted(moved)})  # the latest move of a slug wins
    return history


def _live(redirects: dict[str, str]) -> dict[str, str]:
    """Redirects whose old slug no article holds now (a slug taken again is that article's page, and an
    article renamed back to an old slug would point at itself)."""
    olds = sorted(redirects)
    taken: set[str] = set()
    for start in range(0, len(olds), 500):
        chunk = olds[start:start + 500]
        taken.update(slug for (slug,) in current_database().execute_sql(
            f"SELECT slug FROM article WHERE slug IN ({','.join('?' * len(chunk))})", chunk))
    return {old: new for old, new in sorted(redirects.items()) if old not in taken and old != new}
