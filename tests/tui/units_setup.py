"""The demo newsroom as an organisation: Kanwil Sulawesi Selatan over three units, each article in the unit
of its first byline, and each demo writer a member of their own unit only (the TUI's unit tests)."""

from __future__ import annotations

from dataclasses import dataclass

from beritatui.core import unit_admin, units, users
from beritatui.core.models import Article, Byline, User

UNITS = ("Lapas Watampone", "Rutan Makassar", "Bapas Bone")


@dataclass
class Organisation:
    root: int
    ids: dict[str, int]  # unit name -> id (the root too)


def organise(admin: User, writers: dict[str, str] | None = None) -> Organisation:
    """Rename the root, add the units under it, move the articles, and put ``writers`` (login -> unit name)
    in their unit instead of the root."""
    root = unit_admin.rename_unit(admin, units.root(), "Kanwil Sulawesi Selatan")
    ids = {root.name: root.id}
    for name in UNITS:
        ids[name] = unit_admin.add_unit(admin, name).id
    for article in Article.select(Article.id):
        first = Byline.select().where(Byline.article == article.id).order_by(Byline.position).first()
        if first is not None and first.unit in ids:
            Article.update(unit=ids[first.unit]).where(Article.id == article.id).execute()
    for login, name in (writers or {}).items():
        unit_admin.grant(admin, login, name, "writer")
        users.revoke_in(admin, login, root.id)
    return Organisation(root.id, ids)
