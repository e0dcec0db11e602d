"""Who may read an article: the read rule, here once (show, history, diff, notes and lists ask it).

- A **published** article is public: anyone who may use the database reads it.
- Any other article (draft, in review, scheduled, archived, trash) is read by its writer (the login that
  created it) and by anyone holding a role in its unit or in a unit above it (``units.holds(actor,
  "writer", unit)``): the people of "Lapas Watampone" and of "Kanwil Sulawesi Selatan" above it read a
  Lapas Watampone draft; the people of the sibling "Rutan Makassar" do not.

Lists apply the same rule as a condition (:class:`Reader`, used by ``listing.ArticleQuery.reader``), so a
person's list never shows another unit's drafts they may not read.  :func:`list_scope` decides, once per
list, which units a list covers and whether the condition is needed at all (it is not when every unit in
the list is one the person reads, which keeps the usual list on its index).
"""

from __future__ import annotations

from dataclasses import dataclass

from beritatui.core import units
from beritatui.core.errors import PermissionDenied
from beritatui.core.lookup import get_article
from beritatui.core.models import Article, User
from beritatui.i18n import _

# The statuses anyone may read; every other status follows the tree.
OPEN_STATUSES = ("published",)


def may_read(actor: User, article: Article) -> bool:
    """Whether ``actor`` may read ``article`` (see the module's rule)."""
    if article.status in OPEN_STATUSES or article.created_by_id == actor.id:
        return True
    return units.holds(actor, "writer", article.unit_id)


def read_problem(actor: User, article: Article) -> str | None:
    """Why ``actor`` may not read ``article``, or ``None``."""
    if may_read(actor, article):
        return None
    unit = units.get_unit(units.unit_of(article)).name
    return _("This article is not published; only its writer and the people of {unit} (or of a unit above it) "
             "may read it").format(unit=unit)


def check_readable(actor: User, article: Article) -> Article:
    """``article`` if ``actor`` may read it, else :class:`PermissionDenied`."""
    problem = read_problem(actor, article)
    if problem:
        raise PermissionDenied(problem)
    return article


def readable_article(actor: User, ref: str | int | Article) -> Article:
    """The article ``ref`` (id, slug or uuid) for ``actor`` to read: found, and theirs to read."""
    article = ref if isinstance(ref, Article) else get_article(ref)
    return check_readable(actor, article)


# -- lists -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reader:
    """A list's read condition: published, or in one of ``unit_ids``, or written by ``user_id``."""

    unit_ids: tuple[int, ...]
    user_id: int | None


@dataclass(frozen=True)
class Scope:
    """Which articles a person's list covers: ``unit_ids`` (``None``: every unit) and the read condition
    (``None``: the person reads everything in those units)."""

    unit_ids: tuple[int, ...] | None
    reader: Reader | None


def list_scope(actor: User, unit: str | int | None = None, *, all_units: bool = False) -> Scope:
    """The scope of ``actor``'s list, computed once per list.

    ``unit``: that unit and its sub-units.  ``all_units``: every unit (what the person may read there).
    Neither: the units the person belongs to (holds a role in, and those below); someone who belongs
    nowhere sees every unit, as far as the read rule lets them.
    """
    readable = units.units_where(actor, "writer")
    total = len(units.names())
    everything = len(readable) == total
    if unit is not None:
        scope: tuple[int, ...] | None = tuple(units.subtree_ids(unit))
    elif all_units or not readable:
        scope = None
    else:
        scope = tuple(readable)
    if scope is not None and len(scope) == total:
        scope = None  # the whole tree: no condition (and the rows written without a unit, the root's, stay in)
    covered = everything or (scope is not None and set(scope) <= set(readable))
    reader = None if covered else Reader(tuple(readable), actor.id)
    return Scope(scope, reader)
