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

from beritatui.core import units, visibility
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
    """The units the list's query keeps (``None``: no unit filter at all).  Core reads: call it in a worker.

    ``every`` is accepted for the callers that read the units' names already; the scope itself is the
    core's (:func:`beritatui.core.visibility.list_scope`), so the TUI's list and ``beritatui list`` agree.
    """
    return list_scope(actor, scope).unit_ids


def list_scope(actor: User, scope: UnitScope) -> visibility.Scope:
    """The core's scope of ``actor``'s list for the filter's choice: its units and the read rule's
    condition (another unit's drafts stay out of "all units I may read")."""
    return visibility.list_scope(actor, scope.unit_id, all_units=scope.everything)


def unit_choices() -> list[Choice]:
    """What the unit filter offers: the person's units, every unit, then each unit as a tree.

    "All units I may read" is every unit as far as the read rule lets the person in
    (:mod:`beritatui.core.visibility`): another unit's published articles, not its drafts.
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
