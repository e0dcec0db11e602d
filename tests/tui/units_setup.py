"""The demo newsroom as an organisation: Kanwil Sulawesi Selatan over three units, each article in the unit
of its first byline, and each demo writer a member of their own unit only (the TUI's unit tests)."""

from __future__ import annotations

from dataclasses import dataclass

from beritatui.core import unit_admin, units, users
from beritatui.core.models import User

UNITS = ("Lapas Watampone", "Rutan Makassar", "Bapas Bone")


@dataclass
class Organisation:
    root: int
    ids: dict[str, int]  # unit name -> id (the root too)


def organise(admin: User, writers: dict[str, str] | None = None) -> Organisation:
    """The demo's organisation (core.demo builds it: Kanwil Sulawesi Selatan over three units, each article
    in its unit); ``writers`` (login -> unit name) are made members of that unit only."""
    root = units.root()
    assert root.name == "Kanwil Sulawesi Selatan", root.name
    ids = {root.name: root.id, **{name: units.get_unit(name).id for name in UNITS}}
    for login, name in (writers or {}).items():
        user = users.get_user(login)
        if units.held_role(user, ids[name]) is None:
            unit_admin.grant(admin, login, name, "writer")
        for unit_id in ids.values():
            if unit_id != ids[name] and units.held_role(user, unit_id) is not None:
                users.revoke_in(admin, login, unit_id)
    return Organisation(root.id, ids)
