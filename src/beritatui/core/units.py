"""Units: the organisation as a tree (organisation → region → unit), and who holds which role where.

A role is held in one unit and covers that unit's whole subtree: an editor of "Kanwil Sulawesi
Selatan" edits and publishes for "Lapas Watampone" under it, an editor of "Rutan Makassar" does not.
An admin of the root unit is an admin of everything.  A person's effective role in a unit is the
highest role they hold in it or in any unit above it.

Every rule that asks "may this person act in this unit" asks :func:`role_in`; the workflow rules
(:mod:`core.workflow`) ask it with the article's unit, so the CLI and the TUI inherit the tree.
A person's memberships and the units' paths are read once per ``User`` object and kept on it: the
services re-read the actor inside each write transaction (``users.refreshed``), so a grant or a move
takes effect at the next action, never later.
"""

from __future__ import annotations

from dataclasses import dataclass

from beritatui.core.errors import NotFound, ValidationError
from beritatui.core.models import ROLES, Article, Membership, Unit, User
from beritatui.core.vocabulary import SYSTEM_LOGIN
from beritatui.i18n import _

RANK = {role: rank for rank, role in enumerate(ROLES, start=1)}  # writer 1, editor 2, admin 3


# --- reading the tree ---------------------------------------------------------------------------

def root() -> Unit:
    """The root of the tree (every database has exactly one, made with it or by migration 8)."""
    unit = Unit.select().where(Unit.parent.is_null()).order_by(Unit.id).first()
    if unit is None:
        raise NotFound(_("This database has no root unit"))
    return unit


def root_id() -> int:
    return root().id


def get_unit(ref: str | int | Unit) -> Unit:
    """A unit by its name (any case), its slug or its id, in that order."""
    if isinstance(ref, Unit):
        return ref
    if isinstance(ref, int):
        unit = Unit.get_or_none(Unit.id == ref)
    else:
        text = ref.strip()
        unit = named(text) or Unit.get_or_none(Unit.slug == text.lower())  # a name first: "ü" has the slug "u"
        if unit is None and text.isdigit():
            unit = Unit.get_or_none(Unit.id == int(text))
    if unit is None:
        raise NotFound(_("No unit {name!r}; `beritatui unit list` shows them").format(name=str(ref)))
    return unit


def named(name: str, other_than: int | None = None) -> Unit | None:
    """The unit called ``name`` in any case ("Á" is "á": SQLite's LOWER knows only ASCII), or ``None``."""
    wanted = " ".join(name.split()).casefold()
    return next((u for u in Unit.select() if u.name.casefold() == wanted and u.id != other_than), None)


def all_units() -> list[Unit]:
    """Every unit, parents before children, siblings by name."""
    units = list(Unit.select())
    by_id = {u.id: u for u in units}

    def key(unit: Unit) -> tuple[str, ...]:
        return tuple(by_id[i].name.casefold() for i in unit.path_ids if i in by_id)

    return sorted(units, key=key)


def names() -> dict[int, str]:
    """Every unit's name by id (what lists show in their unit column)."""
    return {u.id: u.name for u in Unit.select(Unit.id, Unit.name)}


def _paths() -> dict[int, list[int]]:
    return {u.id: u.path_ids for u in Unit.select(Unit.id, Unit.path)}


def subtree_ids(unit: str | int | Unit) -> list[int]:
    """The unit and every unit below it."""
    unit = get_unit(unit)
    return [u.id for u in Unit.select(Unit.id).where(Unit.path.startswith(unit.path))]


def ancestor_ids(unit_id: int | None) -> list[int]:
    """From the root down to ``unit_id`` (itself last); ``None`` is read as the root."""
    if unit_id is None:
        return [root_id()]
    unit = Unit.get_or_none(Unit.id == unit_id)
    return unit.path_ids if unit is not None else [root_id()]


def depth(unit: Unit) -> int:
    return len(unit.path_ids) - 1


# --- roles --------------------------------------------------------------------------------------

@dataclass
class _Roles:
    """One person's memberships and the tree's paths, as read once for one ``User`` object."""

    held: dict[int, str]
    paths: dict[int, list[int]]
    root: int


def _roles(actor: User) -> _Roles:
    cached = getattr(actor, "_unit_roles", None)
    if cached is None:
        held = {} if actor.id is None else {
            m.unit_id: m.role for m in Membership.select(Membership.unit, Membership.role).where(
                Membership.user == actor.id)}
        paths = _paths()
        root_unit = min((i for i, p in paths.items() if len(p) == 1), default=0)
        cached = _Roles(held=held, paths=paths, root=root_unit)
        actor._unit_roles = cached
    return cached


def role_in(actor: User, unit_id: int | None) -> str | None:
    """``actor``'s effective role in the unit: the highest held there or above; ``None``: none."""
    if actor.login == SYSTEM_LOGIN:
        return "editor"
    roles = _roles(actor)
    path = roles.paths.get(unit_id if unit_id is not None else roles.root) or [roles.root]
    best = None
    for ancestor in path:
        role = roles.held.get(ancestor)
        if role is not None and (best is None or RANK[role] > RANK[best]):
            best = role
    return best


def holds(actor: User, role: str, unit_id: int | None) -> bool:
    """Whether ``actor`` holds at least ``role`` in the unit (an admin is an editor, an editor a writer)."""
    found = role_in(actor, unit_id)
    return found is not None and RANK[found] >= RANK[role]


def units_where(actor: User, role: str = "writer") -> list[int]:
    """Every unit where ``actor`` holds at least ``role`` (the units they hold it in and all below)."""
    roles = _roles(actor)
    if actor.login == SYSTEM_LOGIN:
        return list(roles.paths)
    return [unit_id for unit_id in roles.paths if holds(actor, role, unit_id)]


def home_unit(actor: User) -> int:
    """Where a person's new article goes by default: the deepest unit they hold a role in."""
    roles = _roles(actor)
    if not roles.held:
        return roles.root
    return max(roles.held, key=lambda unit_id: (len(roles.paths.get(unit_id, [])), -unit_id))


def unit_of(article: Article) -> int:
    return article.unit_id if article.unit_id is not None else root_id()


def held_role(user: User, unit_id: int) -> str | None:
    """The role ``user`` holds in the unit itself (not inherited from above), or ``None``."""
    row = Membership.get_or_none((Membership.user == user.id) & (Membership.unit == unit_id))
    return row.role if row is not None else None


def members(unit: str | int | Unit) -> list[tuple[User, str]]:
    """Who holds a role in the unit itself (not above it), by login."""
    unit = get_unit(unit)
    query = (Membership.select(Membership, User).join(User).where(Membership.unit == unit.id)
             .order_by(User.login))
    return [(m.user, m.role) for m in query]


# --- writing roles (the services that check rights are in core.unit_admin) ---------------------

def _root_admins_other_than(user_id: int) -> bool:
    return (Membership.select().join(User).where(
        (Membership.unit == root_id()) & (Membership.role == "admin") & (User.active == True)  # noqa: E712
        & (Membership.user != user_id)).exists())


def _sync_top_role(user_id: int) -> None:
    """Keep ``user.role`` as the highest role held anywhere (what ``user list`` shows)."""
    held = [m.role for m in Membership.select(Membership.role).where(Membership.user == user_id)]
    top = max(held, key=RANK.__getitem__) if held else "writer"
    User.update(role=top).where(User.id == user_id).execute()


def set_membership(user: User, unit: Unit, role: str | None) -> None:
    """Write a role (``None``: remove it) inside the caller's transaction; no checks here."""
    Membership.delete().where((Membership.user == user.id) & (Membership.unit == unit.id)).execute()
    if role is not None:
        Membership.insert(user=user.id, unit=unit.id, role=role).execute()
    _sync_top_role(user.id)


def last_root_admin_guard(user: User) -> None:
    if not _root_admins_other_than(user.id):
        raise ValidationError(_("{login!r} is the last admin of the whole organisation; make another admin "
                                "first").format(login=user.login))
