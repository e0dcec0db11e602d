"""What ``unit list``, ``unit show`` and ``user list`` print about the organisation, in a few queries.

Read-only summaries of :mod:`core.units` (the tree and the roles) with the counts a person wants to see
beside them: how many people hold a role in a unit, how many articles it has, and in which status.
Counts are of the unit itself (not its sub-units); ``unit show`` adds the subtree's total.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from peewee import fn

from beritatui.core import units
from beritatui.core.models import STATUSES, Article, Membership, Unit, User
from beritatui.core.vocabulary import SYSTEM_LOGIN


@dataclass(frozen=True)
class UnitSummary:
    """One unit as ``unit list`` shows it."""

    id: int
    name: str
    slug: str
    parent: str | None
    path: str
    depth: int
    people: int
    articles: int


@dataclass(frozen=True)
class UnitDetail:
    """One unit as ``unit show`` shows it."""

    summary: UnitSummary
    sub_units: list[str]
    members: list[tuple[str, str, str]]  # (login, display name, role held in the unit itself)
    by_status: dict[str, int]
    subtree_articles: int = 0
    ancestors: list[str] = field(default_factory=list)


def _people_counts() -> dict[int, int]:
    query = (Membership.select(Membership.unit, fn.COUNT(Membership.user).alias("n")).join(User)
             .where((User.active == True) & (User.login != SYSTEM_LOGIN))  # noqa: E712
             .group_by(Membership.unit))
    return {row.unit_id: row.n for row in query}


def _article_counts() -> dict[int, int]:
    """Articles per unit, the trash left out; rows without a unit count for the root."""
    root = units.root_id()
    counts: dict[int, int] = {}
    query = (Article.select(Article.unit, fn.COUNT(Article.id).alias("n")).where(Article.status != "trash")
             .group_by(Article.unit))
    for row in query:
        key = row.unit_id if row.unit_id is not None else root
        counts[key] = counts.get(key, 0) + row.n
    return counts


def summaries() -> list[UnitSummary]:
    """Every unit in tree order (parents before children, siblings by name), with its counts."""
    tree = units.all_units()
    by_id = {u.id: u for u in tree}
    people, articles = _people_counts(), _article_counts()
    return [_summary(u, by_id, people, articles) for u in tree]


def _summary(unit: Unit, by_id: dict[int, Unit], people: dict[int, int], articles: dict[int, int]) -> UnitSummary:
    parent = by_id.get(unit.parent_id) if unit.parent_id is not None else None
    return UnitSummary(id=unit.id, name=unit.name, slug=unit.slug, parent=parent.name if parent else None,
                       path=unit.path, depth=units.depth(unit), people=people.get(unit.id, 0),
                       articles=articles.get(unit.id, 0))


def detail(ref: str | int | Unit) -> UnitDetail:
    """A unit with its sub-units, the people holding a role in it and its articles per status."""
    unit = units.get_unit(ref)
    by_id = {u.id: u for u in units.all_units()}
    children = sorted((u.name for u in by_id.values() if u.parent_id == unit.id), key=str.casefold)
    members = [(user.login, user.display_name, role) for user, role in units.members(unit)
               if user.active and user.login != SYSTEM_LOGIN]
    by_status = dict.fromkeys(STATUSES, 0)
    where = Article.unit == unit.id
    if unit.parent_id is None:
        where |= Article.unit.is_null()
    for row in Article.select(Article.status, fn.COUNT(Article.id).alias("n")).where(where).group_by(Article.status):
        by_status[row.status] = row.n
    below = units.subtree_ids(unit)
    subtree = Article.select().where(Article.unit.in_(below) & (Article.status != "trash")).count()
    if unit.parent_id is None:
        subtree += Article.select().where(Article.unit.is_null() & (Article.status != "trash")).count()
    summary = _summary(unit, by_id, {unit.id: len(members)}, {unit.id: sum(
        n for status, n in by_status.items() if status != "trash")})
    ancestors = [by_id[i].name for i in unit.path_ids[:-1] if i in by_id]
    return UnitDetail(summary, children, members, by_status, subtree, ancestors)


def roles_by_user() -> dict[int, list[tuple[str, str]]]:
    """Every person's roles as (unit name, role), the units in tree order (one query for ``user list``)."""
    order = {u.id: (position, u.name) for position, u in enumerate(units.all_units())}
    found: dict[int, list[tuple[int, str, str]]] = {}
    for row in Membership.select(Membership.user, Membership.unit, Membership.role):
        position, name = order.get(row.unit_id, (len(order), "?"))
        found.setdefault(row.user_id, []).append((position, name, row.role))
    return {user_id: [(name, role) for _position, name, role in sorted(rows)] for user_id, rows in found.items()}
