"""Which pages and files to rebuild: decided from the published rows and what the previous run left,
with no file written (the only thing asked of the disk is whether a page is there, by a function given).

A page is kept when its key (the ordered fingerprints on it, and the page after it) is the one the
manifest holds and the file is there; every other page is rebuilt.  An article's file is rebuilt
when its fingerprint moved.  After a killed run (``recovering``) or without a manifest to trust
(``full``), everything is rebuilt: its bytes are still compared with what is in place, later.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from beritatui.core.sitevalue import SiteSettings

from .layout import article_path, main_page_path, tag_page_path
from .source import FINGERPRINT, Published, Row

BATCH = 200  # rows encoded together (one query for their texts, one message to a worker)


@dataclass(eq=False)
class Feed:
    """One feed's geometry (the main feed or a tag's): its rows, in feed order, cut into pages of ``size``.

    Pages are counted from 0, the first (newest) page.  The first page holds the newest ``size``
    articles; the others are archive pages, filled from the oldest article up and numbered in their
    file names from the oldest (``feed-2.json`` is the oldest page), so the newest archive page is
    the one that may be short.  A new article then changes the first page and the newest archive
    page (one article moves there from the first); every other page keeps its name and its bytes,
    where counting from the newest would have moved every article of the feed to another page.
    """

    title: str
    rows: list[Row]
    path_for: Callable[[int], str]  # file number (1 is the first page) -> path
    size: int
    # Members of the first page's ``_beritatui`` object (JSON text): feed.json's tombstones and the audit
    # chain's head; part of that page's key, so a new head or tombstone rebuilds it.
    extension: str = ""
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = 1 + max(0, -(-(len(self.rows) - self.size) // self.size))

    def path(self, number: int) -> str:
        """Page ``number``'s file: the first page is file 1, archive pages count up from the oldest (file 2)."""
        return self.path_for(1 if number == 0 else self.pages - number + 1)

    def count(self, number: int) -> int:
        """How many rows page ``number`` shows (``len(page_rows(number))``, without the list)."""
        if number == 0:
            return min(self.size, len(self.rows))
        end = len(self.rows) - (self.pages - 1 - number) * self.size
        return end - max(self.size, end - self.size)

    def page_rows(self, number: int) -> list[Row]:
        if number == 0:
            return self.rows[:self.size]
        from_oldest = self.pages - 1 - number  # 0: the oldest archive page
        end = len(self.rows) - from_oldest * self.size
        return self.rows[max(self.size, end - self.size):end]

    def page_of(self, position: int) -> int:
        """The page that shows the row at ``position`` (0 is the newest)."""
        if position < self.size:
            return 0
        return self.pages - 1 - (len(self.rows) - 1 - position) // self.size

    def following(self, number: int) -> str | None:
        """The path of the page after ``number`` (its ``next_url``), None for the last."""
        return self.path(number + 1) if number + 1 < self.pages else None

    def key(self, number: int) -> str:
        """What page ``number`` shows: its articles' fingerprints in order, and the page after it."""
        text = "|".join(map(FINGERPRINT, self.page_rows(number))) + f"#{self.following(number) or ''}"
        if number == 0 and self.extension:
            text += "#" + hashlib.sha1(self.extension.encode()).hexdigest()
        return hashlib.sha1(text.encode()).hexdigest()[:16]


def feeds_of(found: Published, settings: SiteSettings, extension: str = "") -> tuple[dict[int, Feed], Feed]:
    """Each public tag's feed (by tag id, in slug order) and the main feed (``extension``: see :class:`Feed`)."""
    size = settings.feed_page_size
    by_tag = {tag_id: Feed(f"{settings.title} · {name}", rows, lambda n, s=slug: tag_page_path(s, n), size)
              for tag_id, name, slug, rows in found.tags}
    return by_tag, Feed(settings.title, found.rows, main_page_path, size, extension)


@dataclass
class Since:
    """What the previous run left that this one may trust, and what changed since (see :mod:`.manifest`)."""

    full: bool  # nothing to trust: every file is rebuilt
    pages: dict[str, str] = field(default_factory=dict)  # page -> key, the export's own pages only
    changed: set[int] = field(default_factory=set)  # articles whose fingerprint moved (or that are new)
    stale_slugs: list[str] = field(default_factory=list)  # article files whose article left or took another slug
    ignored: bool = False  # an entry was ignored: the manifest is rewritten whatever else happens


Slot = tuple[Row, bool, list[tuple[Feed, int]]]  # (article, its file rebuilt?, pages being rebuilt that show it)


@dataclass
class Plan:
    """One run's decisions.  ``feeds`` are in the order their pages are put in place (tags, then main)."""

    rows: list[Row]
    by_tag: dict[int, Feed]
    main: Feed
    since: Since
    recovering: bool
    changed: set[int]  # article files rebuilt (every one when recovering; none listed when full: all are)
    rebuild: dict[Feed, dict[int, tuple[str, int]]]  # feed -> page number -> (key, rows), pages in order
    keys: dict[str, str]  # every page of this run, kept or rebuilt -> its key: the new manifest's pages
    extra_work: bool = False  # a file of the public history (:mod:`.extras`) is rebuilt

    def kept(self) -> Iterator[tuple[str, int]]:
        """(page, rows shown) of each page kept as it is, in order."""
        for feed in self.feeds:
            rebuilt = self.rebuild[feed]
            for number in range(feed.pages):
                if number not in rebuilt:
                    yield feed.path(number), feed.count(number)

    @property
    def feeds(self) -> list[Feed]:
        return [*self.by_tag.values(), self.main]

    @property
    def full(self) -> bool:
        return self.since.full

    @property
    def walk(self) -> bool:
        """Whether every row is visited (and every article file rebuilt)."""
        return self.since.full or self.recovering

    @property
    def items(self) -> int:
        """Roughly how many items will be encoded (whether a worker team pays off)."""
        pages = sum(count for numbers in self.rebuild.values() for _key, count in numbers.values())
        return len(self.changed) + pages

    @property
    def unchanged_articles(self) -> int:
        """Articles whose file is left as it is, without being visited (none when every row is)."""
        return 0 if self.walk else len(self.rows) - len(self.changed)

    @property
    def moves_anything(self) -> bool:
        """Whether this run may change a file (else the dirty marker needs no sync)."""
        return (self.walk or bool(self.changed or self.since.stale_slugs) or any(self.rebuild.values())
                or self.extra_work or self.since.pages.keys() != self.keys.keys())

    @property
    def manifest_moved(self) -> bool:
        """Whether this run's manifest can differ from the previous one (rewriting 100 000 lines to learn
        it costs); whether the file itself is there is asked of the disk."""
        return (self.walk or self.since.ignored or bool(self.changed) or bool(self.since.stale_slugs)
                or self.keys != self.since.pages)

    def stale(self) -> set[str]:
        """Files to remove: those of articles that left (or were renamed) and pages no longer produced.

        Never one this run produces: an article's file that became a withdrawn one (see :mod:`.extras`) is
        a page of the run, and a withdrawn file whose article is published again is its article file.
        """
        slugs = set(self.since.stale_slugs)
        gone = self.since.pages.keys() - self.keys.keys()
        if slugs or any(rel.startswith("articles/") for rel in gone):
            live = {row.slug for row in self.rows}  # a slug that moved to another article is still in use
            slugs -= live
            gone -= {article_path(slug) for slug in live}
        return ({article_path(slug) for slug in slugs} - self.keys.keys()) | gone

    def wanted(self) -> set[str]:
        """Every file of this run's export (what a killed run may have left beside them is an orphan)."""
        return {*self.keys, *(article_path(row.slug) for row in self.rows)}

    def batches(self) -> Iterator[list[Slot]]:
        """Rows to build, in feed order, in batches: each with whether its article file is rebuilt and
        the pages being rebuilt that show it.

        When every row is visited, its place in each feed is counted as it goes.  After a few changes
        only the changed articles and the rows of the pages being rebuilt are visited: at 100 000
        articles, walking them all cost more than the rebuild.
        """
        if self.walk:
            yield from self._walk()
            return
        slots: dict[int, list[tuple[Feed, int]]] = {}
        for feed in self.feeds:
            for number in self.rebuild[feed]:
                for row in feed.page_rows(number):
                    slots.setdefault(row.id, []).append((feed, number))
        wanted = [row for row in self.rows if row.id in slots or row.id in self.changed]
        for start in range(0, len(wanted), BATCH):
            yield [(row, row.id in self.changed, slots.get(row.id, [])) for row in wanted[start:start + BATCH]]

    def _walk(self) -> Iterator[list[Slot]]:
        cursor = dict.fromkeys(self.feeds, 0)  # the position in each feed of the next row it shows
        rebuild = self.rebuild
        for start in range(0, len(self.rows), BATCH):
            batch = []
            for row in self.rows[start:start + BATCH]:
                slots = []
                for feed in (self.main, *(self.by_tag[t] for t in row.tag_ids)):
                    number = feed.page_of(cursor[feed])
                    cursor[feed] += 1
                    if number in rebuild[feed]:
                        slots.append((feed, number))
                batch.append((row, True, slots))
            yield batch


def make(found: Published, settings: SiteSettings, since: Since, *, recovering: bool,
         present: Callable[[str], bool], extension: str = "") -> Plan:
    """The plan of a run; ``present(page)`` says whether that page's file is in place (a regular file);
    ``extension``: what feed.json's ``_beritatui`` holds (it is in that page's key: a new head rebuilds it)."""
    by_tag, main = feeds_of(found, settings, extension)
    rebuild: dict[Feed, dict[int, tuple[str, int]]] = {}
    keys: dict[str, str] = {}
    trusted = not since.full and not recovering
    for feed in (*by_tag.values(), main):
        rebuild[feed] = {}
        for number in range(feed.pages):
            rel = feed.path(number)
            key = keys[rel] = feed.key(number)
            # An older manifest holds "key sha256" for a page; only the key is compared now.
            if not (trusted and since.pages.get(rel, "").partition(" ")[0] == key and present(rel)):
                rebuild[feed][number] = (key, feed.count(number))
    changed = {row.id for row in found.rows} if recovering and not since.full else since.changed
    return Plan(found.rows, by_tag, main, since, recovering, changed, rebuild, keys)
