"""Which units the article list shows: the person's own (the default), every unit, or one unit and below.

The list opens on the units a person belongs to (:func:`beritatui.core.units.units_where` with the
writer role: the units they hold a role in and every unit under those), so a writer of "Lapas
Watampone" meets their own desk's articles first, not the whole region's.  The unit filter (the
list's ``U`` key) picks another scope.  No Textual here: the launch's prefetch thread reads the first
page through it, and the screens' workers turn a scope into unit ids with :func:`scope_ids`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from beritatui.core import units
from beritatui.core.models import User
from beritatui.i18n import _


@dataclass(frozen=True)
class UnitScope:
    """``unit_id``: that unit and its sub-units; else every unit (``everything``) or the person's own."""

    unit_id: int | None = None
    everything: bool = False
    name: str = ""  # the unit's name, as the list's header says it

    @property
    def label(self) -> str:
        """How the list's header names the scope, after "articles of"."""
        if self.everything:
            return _("all units")
        if self.unit_id is None:
            return _("my units")
        return self.name


MINE = UnitScope()
EVERYTHING = UnitScope(everything=True)


@dataclass(frozen=True)
class Choice:
    """One line of the unit filter: the scope it picks, its words, and how deep in the tree it stands."""

    scope: UnitScope
    label: str
    depth: int = 0


def scope_ids(actor: User, scope: UnitScope, every: Iterable[int] | None = None) -> tuple[int, ...] | None:
    """The units the list's query keeps (``None``: no unit filter at all); ``every``: every unit's id, when
    the caller has read them already.  Core reads: call it in a worker.

    A scope that covers every unit (a member of the root, the root's subtree) is no filter, so the query
    stays the one the list's indexes answer fastest.
    """
    if scope.everything:
        return None
    wanted = units.subtree_ids(scope.unit_id) if scope.unit_id is not None else units.units_where(actor, "writer")
    if set(wanted) >= set(every if every is not None else units.names()):
        return None
    return tuple(sorted(wanted))


def unit_choices() -> list[Choice]:
    """What the unit filter offers: the person's units, every unit, then each unit as a tree.

    Every person may read every unit's list (only the actions on an article follow the tree,
    :mod:`beritatui.core.workflow`), so "all units I may read" is every unit.
    """
    choices = [Choice(MINE, _("My units")), Choice(EVERYTHING, _("All units I may read"))]
    choices += [Choice(UnitScope(unit.id, name=unit.name), unit.name, units.depth(unit)) for unit in units.all_units()]
    return choices


def writable_units(actor: User) -> tuple[list[tuple[str, int]], int | None]:
    """The units a new article of ``actor`` may go to, as (label, id) in tree order (indented by depth
    below the shallowest), and the one it goes to by default (:func:`beritatui.core.units.home_unit`)."""
    allowed = set(units.units_where(actor, "writer"))
    found = [unit for unit in units.all_units() if unit.id in allowed]
    top = min((units.depth(unit) for unit in found), default=0)
    options = [("  " * (units.depth(unit) - top) + unit.name, unit.id) for unit in found]
    home = units.home_unit(actor)
    default = home if home in allowed else (options[0][1] if options else None)
    return options, default
