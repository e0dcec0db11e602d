"""What is published, read once: every published article in feed order, fingerprinted, and each public tag's.

The rows are read through a covering index (id, uuid, slug and fingerprint only); an article's
text is read later, only when something of it is rebuilt (:mod:`.encode`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter

from beritatui.core.database import current_database
from beritatui.core.models import Tag
from beritatui.core.textfile import brief
from beritatui.core.vocabulary import is_internal_tag
from beritatui.feeds import jsonfeed
from beritatui.i18n import _

from .layout import SLUG

UUID, FINGERPRINT = itemgetter(1), itemgetter(3)  # a Row's uuid and fingerprint, for sorting and joining


class Row(tuple):
    """One published article as the export sees it: (id, uuid, slug, fingerprint, public tag ids).

    A bare tuple keeps 100 000 of them well inside the memory budget.
    """

    __slots__ = ()

    id = property(itemgetter(0))
    uuid = property(itemgetter(1))
    slug = property(itemgetter(2))
    fingerprint = property(itemgetter(3))
    tag_ids = property(itemgetter(4))


_PUBLISHED_SQL = (
    "SELECT a.id, a.uuid, a.slug, " + jsonfeed.FINGERPRINT_SQL + ", "
    "(SELECT group_concat(tag_id) FROM (SELECT tag_id FROM article_tag WHERE article_id = a.id ORDER BY position)) "
    "FROM article a LEFT JOIN reactions r ON r.article_id = a.id WHERE a.status = 'published'{units} "
    "ORDER BY a.published_at DESC, a.id DESC"
)


@dataclass(frozen=True)
class Units:
    """Whose articles a feed set holds: those of ``ids`` (``None``: every article in the database), and,
    when ``unitless``, the rows written around the core without a unit (read as the root's)."""

    ids: tuple[int, ...] | None = None
    unitless: bool = False

    def sql(self) -> str:
        """The condition on ``a.unit_id`` (ids are the database's own integers, written in as numbers)."""
        if self.ids is None:
            return ""
        listed = ",".join(str(int(i)) for i in self.ids) or "NULL"
        return f" AND (a.unit_id IN ({listed}){' OR a.unit_id IS NULL' if self.unitless else ''})"


EVERY_UNIT = Units()


@dataclass
class Published:
    """Every published article in feed order, and each public tag's articles in the same order."""

    rows: list[Row]
    tags: list[tuple[int, str, str, list[Row]]]  # (id, name, slug, rows), by slug
    names: dict[int, tuple[str, str]] = field(default_factory=dict)  # public tag id -> (name, slug)
    unsafe: list[str] = field(default_factory=list)  # articles and tags left out: their slug is no file name

    def tag_names(self, row: Row) -> list[str]:
        return [self.names[tag_id][0] for tag_id in row.tag_ids]


def public_tag_names() -> dict[int, tuple[str, str]]:
    """Public tags: id -> (name, slug)."""
    return {t.id: (t.name, t.slug) for t in Tag.select(Tag.id, Tag.name, Tag.slug) if not is_internal_tag(t.name)}


def _unsafe_slug_warning(what: str, slug: str) -> str:
    return _("Left out {what} {slug}: its slug cannot be a file name (fix the slug)").format(
        what=what, slug=brief(repr(slug), 100))


def published(units: Units = EVERY_UNIT) -> Published:
    """One ordered pass over the published articles of ``units``, fingerprinting each (newest first, then id).

    SQL spells each row's fingerprint text and its tag ids in order; a newsroom repeats tag lists,
    so each distinct list is turned into public tag ids and names once.
    """
    names = public_tag_names()
    unsafe = [_unsafe_slug_warning(_("the tag"), names.pop(t)[1]) for t in list(names) if not SLUG.match(names[t][1])]
    rows: list[Row] = []
    members: dict[int, list[Row]] = {}
    tag_lists: dict[str | None, tuple[tuple[int, ...], list[str]]] = {None: ((), [])}
    fingerprint = jsonfeed.fingerprint
    all_public = len(names) == current_database().execute_sql("SELECT COUNT(*) FROM tag").fetchone()[0]
    for article_id, uuid, slug, text, tag_list in current_database().execute_sql(
            _PUBLISHED_SQL.replace("{units}", units.sql())):
        if not SLUG.match(slug):
            unsafe.append(_unsafe_slug_warning(_("the article"), slug))
            continue
        known = tag_lists.get(tag_list)
        if known is None:
            tag_ids = tuple(map(int, tag_list.split(",")))
            if not all_public:
                tag_ids = tuple(t for t in tag_ids if t in names)
            known = tag_lists[tag_list] = (tag_ids, [names[t][0] for t in tag_ids])
        tag_ids, tag_names = known
        row = Row((article_id, uuid, slug, fingerprint(text, tag_names), tag_ids))
        rows.append(row)
        for tag_id in tag_ids:
            members.setdefault(tag_id, []).append(row)
    tags = sorted(((t, names[t][0], names[t][1], members[t]) for t in members), key=lambda tag: tag[2])
    return Published(rows, tags, names, unsafe)


def count_published(units: Units = EVERY_UNIT) -> int:
    """How many articles of ``units`` are published (before reading them: whether workers pay off)."""
    return current_database().execute_sql(
        "SELECT COUNT(*) FROM article a WHERE a.status = 'published'" + units.sql()).fetchone()[0]


@contextlib.contextmanager
def small_page_cache() -> Iterator[None]:
    """The export reads each page once, so SQLite's page cache would only hold memory: shrink it meanwhile."""
    db = current_database()
    previous = int(db.execute_sql("PRAGMA cache_size").fetchone()[0])
    db.execute_sql("PRAGMA cache_size = -2000")
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA cache_size = {previous}")
