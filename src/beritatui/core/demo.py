"""A sample newsroom to try beritatui on: people, articles in every status, notes, reactions, history.

Built only through the core's own services, so the sample follows the same rules
as real work.  The sample content itself (site, people, articles and their timelines)
is data, in :mod:`.demo_samples`; this module plays it and marks the database as a demo.
"""

from __future__ import annotations

import sqlite3
import uuid as uuidlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from beritatui.core import clock, notes, reactions, review_steps, site, transitions, unit_admin, units, users
from beritatui.core.articles import ArticleDraft, create_article, get_article, save_article
from beritatui.core.demo_samples import (
    ADMIN,
    ARTICLES,
    PEOPLE,
    ROOT_UNIT,
    SITE,
    UNIT_SITES,
    UNITS,
    DemoArticle,
)
from beritatui.core.errors import NotFound, PermissionDenied
from beritatui.core.models import Article, Setting, User
from beritatui.core.sqlite import connect_read_only
from beritatui.i18n import _

DEMO_NAMESPACE = uuidlib.UUID("6f1c2d8e-4b7a-4c52-9a31-5e0d7b2c9f10")


@dataclass
class DemoNewsroom:
    """What :func:`build_demo` made, for tests and for the ``demo`` command's summary."""

    admin: User
    people: dict[str, User]
    articles: dict[str, Article]


def _organisation(admin: User, start: datetime) -> None:
    """The regional office as the root unit, and its three units under it."""
    with clock.at(start):
        unit_admin.rename_unit(admin, units.root(), ROOT_UNIT)
        for name in UNITS:
            unit_admin.add_unit(admin, name)
            for key, value in UNIT_SITES.get(name, {}).items():
                site.set_setting(admin, key, value, unit=name)


def _people(admin: User, start: datetime) -> dict[str, User]:
    """The demo's editors and writers, each in their unit (existing logins are kept as they are)."""
    found = {ADMIN: admin}
    with clock.at(start):
        for login, (name, unit, role) in PEOPLE.items():
            try:
                found[login] = users.get_user(login)
            except NotFound:
                found[login] = users.add_user(admin, login, display_name=name, unit=unit, role=role,
                                              member_of=unit)
    return found


def _step(article: Article, step: tuple[Any, ...], people: dict[str, User], now: datetime) -> None:
    """Carry out one action of the sample timeline as the person it names."""
    action, who = step[1], people[step[2]]
    current = get_article(article.id)
    if action == "save":
        changes = dict(step[3])
        if "body_append" in changes:
            changes["body"] = current.body + changes.pop("body_append")
        save_article(who, current.id, current.version, ArticleDraft(**changes))
    elif action == "approve":  # one step of the unit's approval chain (core.review_steps)
        review_steps.approve(who, current.id, step[3] if len(step) > 3 else None)
    elif action == "publish-correction":  # a correction pending review goes live with its public note
        from beritatui.core.correction_review import publish_correction

        publish_correction(who, current.id, step[3])
    elif action == "note":
        notes.add_note(who, current.id, step[3])
    elif action == "resolve":
        notes.resolve_note(who, notes.list_notes(current.id)[-1].id)
    elif action == "request-changes":
        transitions.request_changes(who, current.id, step[3])
    elif action == "schedule":
        when = (now + timedelta(days=step[3])).replace(hour=1, minute=0, second=0, microsecond=0)
        until = when + timedelta(days=step[4] - step[3]) if len(step) > 4 else None
        transitions.schedule(who, current.id, when, until=until)
    else:
        getattr(transitions, action)(who, current.id)


def _timeline(now: datetime) -> list[tuple[datetime, int, DemoArticle, tuple[Any, ...] | None]]:
    """Every creation and later step of every sample, in the order they happened."""
    events: list[tuple[datetime, int, DemoArticle, tuple[Any, ...] | None]] = []
    for sample in ARTICLES:
        created = now - timedelta(days=sample.days_ago)
        events.append((created, len(events), sample, None))
        for step in sample.steps:
            events.append((min(created + timedelta(hours=step[0]), now), len(events), sample, step))
    return sorted(events, key=lambda event: (event[0], event[1]))


def _create(sample: DemoArticle, people: dict[str, User]) -> Article:
    draft = ArticleDraft(title=sample.title, summary=sample.summary, body=sample.body,
                         tags=list(sample.tags), bylines=list(sample.bylines) or None)
    return create_article(people[sample.author], draft, article_uuid=str(uuidlib.uuid5(DEMO_NAMESPACE, sample.key)))


def build_demo(actor_admin: User, now: datetime | None = None) -> DemoNewsroom:
    """Fill the open database with the sample newsroom, as it would look at ``now``.

    ``actor_admin`` becomes the site's admin voice; three colleagues are added.
    Run on an empty database (slugs of a second run would get ``-2`` suffixes).
    """
    now = now or clock.utcnow()
    start = now - timedelta(days=max(a.days_ago for a in ARTICLES) + 1)
    with clock.at(start):
        for key, value in SITE.items():
            site.set_setting(actor_admin, key, value)
    _organisation(actor_admin, start)
    people = _people(actor_admin, start)
    made: dict[str, Article] = {}
    for moment, _order, sample, step in _timeline(now):
        with clock.at(moment):
            if step is None:
                made[sample.key] = _create(sample, people)
            else:
                _step(made[sample.key], step, people, now)
    tallies = {made[s.key].slug: s.reactions for s in ARTICLES if s.reactions}
    with clock.at(now):
        reactions.import_tallies(actor_admin, tallies)
    Setting.insert(key=DEMO_MARK, value=now.isoformat()).on_conflict_replace().execute()
    return DemoNewsroom(admin=actor_admin, people=people, articles={k: get_article(a.id) for k, a in made.items()})


DEMO_MARK = "demo.built"  # a setting row only build_demo writes: what tells a demo from a real newsroom


def is_demo_database() -> bool:
    """Whether the open database was built by :func:`build_demo`."""
    return Setting.select().where(Setting.key == DEMO_MARK).exists()


def is_demo_file(path: Path) -> bool:
    """Whether the file at ``path`` is a demo database (read-only look; ``False`` for anything else)."""
    try:
        probe = connect_read_only(path)
        try:
            return probe.execute("SELECT 1 FROM setting WHERE key = ?", (DEMO_MARK,)).fetchone() is not None
        finally:
            probe.close()
    except sqlite3.Error:
        return False


def join_demo(login: str) -> User:
    """Whoever opens the demo is its admin; a real newsroom's people are never changed this way."""
    if not is_demo_database():
        raise PermissionDenied(
            _("This database is not a demo; the demo command never changes the people of a real newsroom"))
    return users.make_admin(login)
