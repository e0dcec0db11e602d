"""Changing the organisation: add, rename and move units; give and take roles in them.

Each service checks, inside its write transaction, that the actor (as the database has them now) is an
admin of the unit concerned — a unit's admin manages that unit and the units below it, an admin of the
root manages everything — and records an audit event.  Reading the tree and the roles is core.units.
"""

from __future__ import annotations

from slugify import slugify

from beritatui.core import audit, clock
from beritatui.core.charcheck import refuse_hidden, shown
from beritatui.core.database import current_database
from beritatui.core.errors import ValidationError
from beritatui.core.models import Membership, Unit, User
from beritatui.core.units import get_unit, named, root
from beritatui.core.users import require, revoke_in, set_role
from beritatui.i18n import _


def _check_name(name: str) -> str:
    """The name as stored: controls dropped, spaces collapsed; refused when invisible or not text at all."""
    from beritatui.core.validation import strip_controls

    name = " ".join(strip_controls(name or "").split())
    if any("\ud800" <= ch <= "\udfff" for ch in name):  # a byte that was not UTF-8 (a shell passes it so)
        raise ValidationError(_("The unit name {name!r} is not valid UTF-8 text").format(
            name=name.encode("utf-8", "replace").decode("utf-8")))
    refuse_hidden(name, _("The unit name {name!r}").format(name=shown(name)))
    if not name:
        raise ValidationError(_("A unit needs a name"))
    if len(name) > 128:
        raise ValidationError(_("A unit name is at most 128 characters"))
    return name


def _free_slug(name: str, unit_id: int | None = None) -> str:
    base = (slugify(name, max_length=72, word_boundary=True) or "unit")
    slug, n = base, 2
    while Unit.select().where((Unit.slug == slug) & (Unit.id != (unit_id or 0))).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _name_taken(name: str, unit_id: int | None = None) -> bool:
    return named(name, unit_id) is not None


def add_unit(actor: User, name: str, parent: str | int | Unit | None = None) -> Unit:
    """A new unit under ``parent`` (default: the root); an admin of the parent may add one."""
    name = _check_name(name)
    with current_database().atomic():
        above = get_unit(parent) if parent is not None else root()
        actor = require(actor, "admin", _("Only an admin of {unit} may add a unit under it").format(
            unit=above.name), unit=above.id)
        if _name_taken(name):
            raise ValidationError(_("There is already a unit named {name!r}").format(name=name))
        unit = Unit.create(name=name, slug=_free_slug(name), parent=above.id, path=above.path,
                           created_at=clock.utcnow())
        Unit.update(path=f"{above.path}{unit.id}/").where(Unit.id == unit.id).execute()
        audit.record(actor.login, "unit.add", unit=name, parent=above.name)
    return Unit.get_by_id(unit.id)


def rename_unit(actor: User, ref: str | int | Unit, new_name: str) -> Unit:
    """A new name (and slug) for a unit; its articles, people and sub-units stay."""
    new_name = _check_name(new_name)
    with current_database().atomic():
        unit = get_unit(ref)
        actor = require(actor, "admin", _("Only an admin of {unit} may rename it").format(unit=unit.name),
                        unit=unit.id)
        if _name_taken(new_name, unit.id):
            raise ValidationError(_("There is already a unit named {name!r}").format(name=new_name))
        Unit.update(name=new_name, slug=_free_slug(new_name, unit.id)).where(Unit.id == unit.id).execute()
        audit.record(actor.login, "unit.rename", unit=new_name, previous=unit.name)
    return Unit.get_by_id(unit.id)


def move_unit(actor: User, ref: str | int | Unit, new_parent: str | int | Unit) -> Unit:
    """Put a unit (with its subtree) under another parent; an admin of both places may."""
    with current_database().atomic():
        unit = get_unit(ref)
        above = get_unit(new_parent)
        if unit.parent_id is None:
            raise ValidationError(_("The root unit cannot move"))
        if above.path.startswith(unit.path):
            raise ValidationError(_("{unit} cannot move under itself or one of its sub-units").format(
                unit=unit.name))
        refusal = _("Only an admin of both {unit}'s parent and {target} may move it").format(
            unit=unit.name, target=above.name)
        actor = require(actor, "admin", refusal, unit=unit.parent_id)
        actor = require(actor, "admin", refusal, unit=above.id)
        old_path, new_path = unit.path, f"{above.path}{unit.id}/"
        for below in Unit.select().where(Unit.path.startswith(old_path)):
            Unit.update(path=new_path + below.path[len(old_path):]).where(Unit.id == below.id).execute()
        Unit.update(parent=above.id).where(Unit.id == unit.id).execute()
        audit.record(actor.login, "unit.move", unit=unit.name, parent=above.name,
                     previous=Unit.get_by_id(unit.parent_id).name)
    return Unit.get_by_id(unit.id)


def grant(actor: User, login: str, unit: str | int | Unit, role: str) -> Membership:
    """Give ``login`` ``role`` in the unit (replacing the role held there): ``users.set_role`` in a unit."""
    user = set_role(actor, login, role, unit=get_unit(unit).id, action="user.grant")
    return Membership.get((Membership.user == user.id) & (Membership.unit == get_unit(unit).id))


def revoke(actor: User, login: str, unit: str | int | Unit) -> None:
    """Take away the role ``login`` holds in the unit itself (roles held above it stay)."""
    revoke_in(actor, login, get_unit(unit).id)
