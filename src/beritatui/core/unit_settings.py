"""Settings that units inherit: a value set on a unit holds for it and every unit below that sets none.

The root unit's values are the database's ``setting`` table (what ``site set`` wrote before units
existed, so an upgraded database keeps every value where it was); a unit below the root keeps its own
in ``unit_setting``.  Reading walks the unit's path from the root down, a deeper value replacing a
higher one, and says where each value came from (``site show --unit`` prints that).

This module stores and reads; it does not validate or check rights.  The services that own a key
(core.site for the site's settings, the review rules, the corrections rule) validate the value and ask
who may set it, then call :func:`store`.
"""

from __future__ import annotations

from dataclasses import dataclass

from beritatui.core import units
from beritatui.core.models import Setting, UnitSetting


@dataclass(frozen=True)
class Inherited:
    """A setting's value for a unit and the unit that set it (``unit_id``)."""

    value: str
    unit_id: int


def own(unit_id: int) -> dict[str, str]:
    """The values set on the unit itself (the root: the ``setting`` table)."""
    if unit_id == units.root_id():
        return {row.key: row.value for row in Setting.select()}
    return {row.key: row.value for row in UnitSetting.select().where(UnitSetting.unit == unit_id)}


def effective(unit_id: int | None) -> dict[str, Inherited]:
    """Every value that holds for the unit, each with the unit it comes from."""
    root = units.root_id()
    path = units.ancestor_ids(unit_id if unit_id is not None else root)
    found = {key: Inherited(value, root) for key, value in own(root).items()}
    below = [i for i in path if i != root]
    if below:
        rows = {(row.unit_id, row.key): row.value
                for row in UnitSetting.select().where(UnitSetting.unit.in_(below))}
        for ancestor in below:
            for (owner, key), value in rows.items():
                if owner == ancestor:
                    found[key] = Inherited(value, ancestor)
    return found


def effective_everywhere(keys: tuple[str, ...]) -> dict[int, dict[str, Inherited]]:
    """``keys`` as they hold for every unit, in three queries (what a list of many units' articles needs:
    :func:`effective` per unit would cost four queries a unit)."""
    from beritatui.core.models import Unit

    root = units.root_id()
    paths = {u.id: u.path_ids for u in Unit.select(Unit.id, Unit.path)}
    own_values: dict[int, dict[str, str]] = {root: {row.key: row.value for row in Setting.select().where(
        Setting.key.in_(list(keys)))}}
    for row in UnitSetting.select().where(UnitSetting.key.in_(list(keys))):
        own_values.setdefault(row.unit_id, {})[row.key] = row.value
    found: dict[int, dict[str, Inherited]] = {}
    for unit_id, path in paths.items():
        values: dict[str, Inherited] = {}
        for ancestor in path:
            for key, text in own_values.get(ancestor, {}).items():
                values[key] = Inherited(text, ancestor)
        found[unit_id] = values
    return found


def value(unit_id: int | None, key: str, default: str | None = None) -> str | None:
    """The value of ``key`` for the unit (its own, else the nearest unit above that sets it)."""
    hit = effective(unit_id).get(key)
    return hit.value if hit is not None else default


def store(unit_id: int, key: str, new_value: str | None) -> None:
    """Set ``key`` on the unit itself; ``None`` removes it, so the unit inherits again.

    Call inside the caller's write transaction, after validating the value and the actor's right.
    """
    if unit_id == units.root_id():
        Setting.delete().where(Setting.key == key).execute()
        if new_value is not None:
            Setting.insert(key=key, value=new_value).execute()
        return
    UnitSetting.delete().where((UnitSetting.unit == unit_id) & (UnitSetting.key == key)).execute()
    if new_value is not None:
        UnitSetting.insert(unit=unit_id, key=key, value=new_value).execute()
