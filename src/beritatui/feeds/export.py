"""``beritatui export``: the published articles as static JSON Feed files for the website.

Layout (under the export directory, served at the website's root)::

    feed.json, feed-2.json, …          every published article, newest first
    tags/<slug>.json, tags/<slug>.page2.json, …   one feed per public tag
    articles/<slug>.json               one article (a feed with one item)
    .beritatui-export.json             the manifest the next export compares with

Why it is built this way:

* Atomic: every file is written to a temporary file in its own directory and
  renamed into place.  Article files go first, then tag feeds, then the main
  feed; a feed's pages are renamed last page first; files that left the set
  are removed last, and the manifest is written after everything.  A crash at
  any moment leaves each file old or new, and every link resolvable.
* Incremental: the manifest holds a fingerprint per article and a key per page
  (the ordered fingerprints on it).  Only articles whose fingerprint moved and
  pages whose key moved are rebuilt; bytes that come out the same are not
  rewritten, so mtimes stay and rsync/CDNs see only real changes.
* One pass, little memory: the published articles are read once, in feed order,
  through a covering index (id, uuid, slug and fingerprint only); each article
  that must be rebuilt is loaded once and streamed into its own file and into
  every page that shows it (pages are written item by item to their temporary
  files); the manifest is read and written as a stream, one article a line.
* Nothing followed, nothing trusted: the directory is the newsroom group's, so
  every file is created, compared, renamed and removed inside directories
  opened once without following a symlink (:mod:`beritatui.feeds.files`), and
  every path the manifest names is checked to be one of the export's own
  (slugs must look like slugs) or ignored with a warning in the report.
* Durable before it says so: article files and pages are staged in temporary
  files (by the writer threads and worker processes), put on disk by one
  ``syncfs`` of their file system, and only then renamed; ``articles/``,
  ``tags/`` and the export directory are synced once each after their renames;
  the manifest is ``fdatasync``-ed before its rename and the directory after it,
  before the export reports.
* One at a time: an export waits (up to :data:`LOCK_WAIT` seconds) for another
  one writing the same directory to end, then runs.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import io
import json
import os
import re
import stat
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from beritatui.core import transitions
from beritatui.core.database import current_database, is_sqlite
from beritatui.core.errors import BeritaError, ValidationError
from beritatui.core.fsio import UnsafePath, child_path, target_name
from beritatui.core.models import Tag, User
from beritatui.core.site import SiteSettings, check_exportable, get_settings
from beritatui.core.textfile import brief
from beritatui.feeds import files, jsonfeed, workers
from beritatui.i18n import _, ngettext

MANIFEST = ".beritatui-export.json"
# Present from an export's first write until its manifest is in place: finding it means the last run was
# killed, so the files on disk may be newer than the manifest says and none of its page keys can be trusted.
DIRTY = ".beritatui-export.dirty"
LOCK = ".beritatui-export.lock"
LOCK_WAIT = 120.0  # seconds an export waits for another one writing the same directory
LOCK_POLL = 0.05
LOCK_NOTICE = 1.0  # after this long, the caller's ``waiting`` is told once
Progress = Callable[[int, int], None]
# What a slug looks like (python-slugify's lower-case ASCII): never a dot, a slash or anything else a
# path could be made of.  A slug read from the manifest (or, by hand, put in the database) that does not
# look like one never becomes a file name.
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,127}\Z")
_PAGE = re.compile(r"(?:feed(?:-[1-9][0-9]{0,8})?|tags/[a-z0-9][a-z0-9-]{0,127}(?:\.page[1-9][0-9]{0,8})?)\.json\Z")
_MANIFEST_HEAD_LIMIT = 64 << 20  # the first line: the pages of 100 000 articles are a few MB
_MANIFEST_LINE_LIMIT = 4096  # one article: uuid, fingerprint and slug
_WARNINGS = 100


class ExportError(BeritaError):
    """The export could not finish; files already in place are each complete (old or new)."""


@dataclass
class ExportReport:
    out_dir: str
    articles: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    dry_run: bool = False
    changed_paths: list[str] = field(default_factory=list)
    removed_paths: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # at most _WARNINGS; ``warned`` counts them all
    warned: int = 0

    def warn(self, message: str) -> None:
        self.warned += 1
        if len(self.warnings) < _WARNINGS:
            self.warnings.append(brief(message))

    def as_dict(self) -> dict[str, Any]:
        return {"out_dir": self.out_dir, "articles": self.articles, "written": self.written,
                "unchanged": self.unchanged, "removed": self.removed, "dry_run": self.dry_run,
                "warnings": list(self.warnings)}

    def summary(self) -> str:
        text = _("{written} written, {unchanged} unchanged, {removed} removed").format(
            written=self.written, unchanged=self.unchanged, removed=self.removed)
        if self.warned:
            text = _("{summary}; {warnings}").format(summary=text, warnings=ngettext(
                "{n} warning", "{n} warnings", self.warned).format(n=self.warned))
        return _("Dry run: {summary}").format(summary=text) if self.dry_run else text


_UUID, _FINGERPRINT = itemgetter(1), itemgetter(3)  # a Row's uuid and fingerprint, for sorting and joining


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
    "FROM article a LEFT JOIN reactions r ON r.article_id = a.id WHERE a.status = 'published' "
    "ORDER BY a.published_at DESC, a.id DESC"
)


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
    return {t.id: (t.name, t.slug) for t in Tag.select(Tag.id, Tag.name, Tag.slug) if not t.name.startswith("#")}


def _unsafe_slug_warning(what: str, slug: str) -> str:
    return _("Left out {what} {slug}: its slug cannot be a file name (fix the slug)").format(
        what=what, slug=brief(repr(slug), 100))


def published() -> Published:
    """One ordered pass over the published articles, fingerprinting each (newest first, then id).

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
    for article_id, uuid, slug, text, tag_list in current_database().execute_sql(_PUBLISHED_SQL):
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


def _manifest_entry(row: Row) -> str:
    return f"{row.fingerprint} {row.slug}"


def _manifest_line(line: str) -> tuple[str, str]:
    """``"uuid":"fingerprint slug"`` read back (by hand when nothing in it is escaped, which is the rule)."""
    if "\\" not in line and line.count('"') == 4 and line.startswith('"') and line.endswith('"'):
        uuid, separator, entry = line[1:-1].partition('":"')
        if separator:
            return uuid, entry
    uuid, entry = json.loads("[" + line.replace(":", ",", 1) + "]")
    if not isinstance(uuid, str) or not isinstance(entry, str):
        raise ValueError("manifest entry is not two strings")
    return uuid, entry


def article_path(slug: str) -> str:
    return f"articles/{slug}.json"


def _own_page(rel: str) -> bool:
    """Whether ``rel`` is one of the pages an export writes (what the manifest may name)."""
    if not _PAGE.match(rel):
        return False
    try:
        child_path(".", rel)
    except UnsafePath:
        return False
    return True


def _own_slug(slug: str) -> bool:
    """Whether a slug read from the manifest names a file of ``articles/`` (and only that)."""
    if not SLUG.match(slug):
        return False
    try:
        child_path(".", article_path(slug))
    except UnsafePath:
        return False
    return True


def main_page_path(n: int) -> str:
    return "feed.json" if n == 1 else f"feed-{n}.json"


def tag_page_path(slug: str, n: int) -> str:
    """A dot never occurs in a slug, so a page suffix cannot collide with another tag's slug."""
    return f"tags/{slug}.json" if n == 1 else f"tags/{slug}.page{n}.json"


class _PageSink:
    """One page being written: items are gathered, then written in blocks of about 256 KiB.

    Items arrive already encoded (each article is serialized once for its own file and every page
    that shows it).  Each block is also compared with the same stretch of the file in place, so the
    sink knows at the end whether the page's bytes changed, without hashing them (hashing every
    page cost a full export more than writing it) and without holding the page in memory.

    No file stays open between blocks: a full export has a page open in every tag's feed at once,
    and a newsroom with a thousand tags would pass the usual limit of 1024 open files.  The
    temporary file (``tmp``, in the directory ``folder``) is made by the exporter; with ``sync``
    (the manifest) the last block is ``fdatasync``-ed, pages are put on disk all at once
    (:meth:`_Exporter.place_articles`) before they are renamed.
    """

    FLUSH = 1 << 18

    def __init__(self, head: bytes, folder: int | None, name: str, tmp: str | None, *, sync: bool = False):
        self.folder, self.name, self.tmp, self.count, self.sync = folder, name, tmp, 0, sync
        self.old_size = files.regular_size(folder, name)  # None once it differs (or when there is none)
        self.offset = 0  # bytes flushed so far
        self.pending = head  # what comes before the items gathered (the head, then a comma)
        self.items: list[bytes] = []
        self.buffered = 0

    def _flush(self, end: bytes = b"", *, last: bool = False) -> None:
        block = b"".join((self.pending, b",".join(self.items), end))
        self.pending, self.items, self.buffered = b",", [], 0
        if self.old_size is not None and not files.same_stretch(self.folder, self.name, self.offset, block,
                                                                self.old_size):
            self.old_size = None  # differs: no need to read the rest
        self.offset += len(block)
        if self.tmp is not None:
            assert self.folder is not None
            files.append(self.folder, self.tmp, block, sync=self.sync and last and self.old_size != self.offset)

    def add(self, item: bytes) -> None:
        self.items.append(item)
        self.count += 1
        self.buffered += len(item)
        if self.buffered >= self.FLUSH:
            self._flush()

    def close(self, end: bytes = b"]}\n") -> bool:
        """Finish the page; whether the file in place already holds exactly these bytes."""
        if not self.items:  # nothing since the last block: no comma is owed
            self.pending = b"" if self.count else self.pending
        self._flush(end, last=True)
        return self.old_size == self.offset


@dataclass
class _Feed:
    """One feed (the main one or a tag's) during a run: its rows, the pages to build, pages half-filled.

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
    pages: int = field(init=False)
    cursor: int = 0
    rebuild: dict[int, tuple[str, int]] = field(default_factory=dict)  # page index -> (key, item count)
    sinks: dict[int, _PageSink] = field(default_factory=dict)
    staged: list[tuple[int, str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.pages = 1 + max(0, -(-(len(self.rows) - self.size) // self.size))

    def path(self, number: int) -> str:
        """Page ``number``'s file: the first page is file 1, archive pages count up from the oldest (file 2)."""
        return self.path_for(1 if number == 0 else self.pages - number + 1)

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


_Slot = tuple[Row, bool, list[tuple[_Feed, int]]]  # (article, its file rebuilt?, pages being rebuilt that show it)
_BATCH = 200
_AHEAD = 8


class _Exporter:
    """One export run: the manifest it started from, the one it is building, and what it did.

    ``top`` is the export directory, opened by the caller without following a symlink (None in a
    dry run of a directory that does not exist yet); ``articles/`` and ``tags/`` are opened inside
    it the same way when first needed, and every file is named inside one of the three.
    """

    def __init__(self, out: Path, top: int | None, settings: SiteSettings, *, dry_run: bool, full: bool,
                 progress: Progress | None):
        self.out, self.settings, self.dry_run, self.progress = out, settings, dry_run, progress
        self.folders: dict[str, int | None] = {"": top}
        self.report = ExportReport(out_dir=str(out), dry_run=dry_run)
        # Article files are written by two threads while this one builds the next items: creating a
        # file is kernel time (no GIL), and it is most of a full export's.  Results are taken in order.
        self.writers = None if dry_run else ThreadPoolExecutor(2, thread_name_prefix="export-writer")
        self.pending: deque[tuple[str, Future[str | None]]] = deque()
        self.staged_articles: list[str] = []  # temporary names in articles/ (each is "." + name + ".<hex>.tmp")
        self.tmp_files: set[tuple[int, str]] = set()  # (folder, name) of this run's temporary files
        self.ignored = False  # an entry of the manifest was ignored: it is rewritten whatever else happens
        self.touched: set[str] = set()  # folders where something was renamed or removed (synced once)
        old = {} if full else self._read_manifest_head()
        if old.get("settings") != jsonfeed.settings_key(settings):
            old = {}
        self.full = full or not old
        self.old_pages: dict[str, str] = self._own_pages(old.get("pages", {}))
        self.recovering = not dry_run and files.kind(top, DIRTY) is not None
        self.changed_ids: set[int] = set()
        self.new_pages: dict[str, str] = {}
        self.produced: set[str] = set()  # page paths written this run
        self.stale_slugs: list[str] = []  # article files whose article left or took another slug
        self.feeds: list[_Feed] = []
        self.team: workers.Team | None = None
        self.done = 0
        self.total = 0

    # -- folders ----------------------------------------------------------------------------
    def _folder(self, key: str, *, create: bool) -> int | None:
        """The open directory ``key`` ("", "articles" or "tags"); None while it does not exist."""
        fd = self.folders.get(key)
        if fd is None and key and self.folders[""] is not None and (create or key not in self.folders):
            fd = self.folders[key] = files.open_folder(
                self.folders[""], key, create=create and not self.dry_run, shown=str(self.out / key))
        return fd

    def _where(self, rel: str, *, create: bool = False) -> tuple[int | None, str]:
        """(open directory, name) of ``rel``, one of the export's own paths."""
        folder, _sep, name = rel.rpartition("/")
        return self._folder(folder, create=create), name

    # -- manifest -------------------------------------------------------------------------
    # The manifest is JSON laid out one article a line, sorted by uuid, so that it can be read as a
    # stream and merged with the published articles: 100 000 entries never become a dict in memory.
    def _open_manifest(self) -> io.TextIOWrapper | None:
        """The manifest for reading: a regular file, never followed through a symlink (nor a FIFO)."""
        top = self.folders[""]
        fd = files.open_regular(top, MANIFEST) if top is not None else None
        if fd is None:
            return None
        return io.open(fd, encoding="utf-8", closefd=True)  # noqa: UP020 - a descriptor, not a path

    def _read_manifest_head(self) -> dict[str, Any]:
        kind = files.kind(self.folders[""], MANIFEST)
        if kind is not None and kind != stat.S_IFREG:
            self.report.warn(_("{path} is not a regular file (a symbolic link?): it was not read, and is replaced").format(
                path=self.out / MANIFEST))
        try:
            handle = self._open_manifest()
            if handle is None:
                return {}
            with handle:
                line = handle.readline(_MANIFEST_HEAD_LIMIT)
                head = json.loads(line + "}}") if line.endswith("\n") else None
        except (OSError, ValueError, RecursionError):
            return {}
        return head if isinstance(head, dict) and head.get("format") == jsonfeed.FORMAT else {}

    def _own_pages(self, pages: Any) -> dict[str, str]:
        """The manifest's pages that are pages of this export; any other entry is ignored, with a warning."""
        if not isinstance(pages, dict):
            return {}
        own = {}
        for rel, key in pages.items():
            if isinstance(rel, str) and isinstance(key, str) and _own_page(rel):
                own[rel] = key
            else:
                self.ignored = True
                self.report.warn(_("Ignored a manifest entry that is not a page of the export: {entry}").format(
                    entry=brief(repr(rel), 120)))
        return own

    def _old_articles(self) -> Iterator[tuple[str, str]]:
        """(uuid, entry) from the manifest in uuid order; a damaged manifest raises ValueError."""
        handle = self._open_manifest()
        if handle is None:
            raise ValueError("no manifest")
        with handle:
            handle.readline(_MANIFEST_HEAD_LIMIT)
            previous = ""
            while line := handle.readline(_MANIFEST_LINE_LIMIT):
                if not line.endswith("\n"):
                    raise ValueError("manifest line too long or cut short")
                line = line.rstrip("\n").rstrip(",")
                if line == "}}":
                    return
                uuid, entry = _manifest_line(line)
                if uuid <= previous:
                    raise ValueError("manifest out of order")
                previous = uuid
                yield uuid, entry
        raise ValueError("manifest cut short")

    def _stale(self, entry: str, stale: list[str]) -> None:
        """The article file a manifest entry names goes stale, if it is one of ``articles/`` (else: a warning)."""
        slug = entry.partition(" ")[2]
        if _own_slug(slug):
            stale.append(slug)
        else:
            self.ignored = True
            self.report.warn(_("Ignored a manifest entry whose slug is not a slug: {slug}").format(
                slug=brief(repr(slug), 120)))

    def compare(self, rows: list[Row]) -> None:
        """Merge the manifest with the published articles: which changed, which files went stale."""
        if self.full:
            return
        changed: set[int] = set()
        stale: list[str] = []
        warned = len(self.report.warnings), self.report.warned
        try:
            old = self._old_articles()
            entry = next(old, None)
            for row in sorted(rows, key=_UUID):
                while entry is not None and entry[0] < row.uuid:
                    self._stale(entry[1], stale)
                    entry = next(old, None)
                if entry is not None and entry[0] == row.uuid:
                    if entry[1].partition(" ")[2] != row.slug:
                        self._stale(entry[1], stale)
                    if entry[1] != _manifest_entry(row):
                        changed.add(row.id)
                    entry = next(old, None)
                else:
                    changed.add(row.id)
            while entry is not None:
                self._stale(entry[1], stale)
                entry = next(old, None)
        except (OSError, ValueError, TypeError, RecursionError):
            self.full, self.old_pages = True, {}
            del self.report.warnings[warned[0]:]  # a damaged manifest is not read at all: nothing was ignored
            self.report.warned = warned[1]
            return
        self.changed_ids, self.stale_slugs = ({row.id for row in rows} if self.recovering else changed), stale

    def _manifest_moved(self) -> bool:
        """Whether the manifest can differ from the one on disk (rewriting 100 000 lines to learn it costs)."""
        return (self.full or self.recovering or self.ignored or bool(self.changed_ids) or bool(self.stale_slugs)
                or self.new_pages != self.old_pages or files.kind(self.folders[""], MANIFEST) != stat.S_IFREG)

    def _write_manifest(self, rows: list[Row]) -> None:
        """Streamed to its temporary file; kept only if its bytes changed (then synced before its rename)."""
        head = {"format": jsonfeed.FORMAT, "settings": jsonfeed.settings_key(self.settings),
                "pages": dict(sorted(self.new_pages.items()))}
        top, tmp = self._temp(MANIFEST)
        sink = _PageSink((json.dumps(head, separators=(",", ":"))[:-1] + ',"articles":{\n').encode(),
                         top, MANIFEST, tmp, sync=True)
        quote = json.encoder.encode_basestring_ascii  # what json.dumps writes for a string, without its setup
        ordered = sorted(rows, key=_UUID)
        for start in range(0, len(ordered), 2000):  # a block at a time: 100 000 lines never sit in memory at once
            block = ",\n".join(f"{quote(row.uuid)}:{quote(_manifest_entry(row))}" for row in ordered[start:start + 2000])
            sink.add(("\n" if start else "").encode() + block.encode())  # the sink puts the comma between blocks
        if sink.close(end=b"\n}}\n"):
            self._drop(top, tmp)
        else:
            self._rename(top, tmp, MANIFEST)

    # -- files ------------------------------------------------------------------------------
    def _temp(self, rel: str) -> tuple[int, str]:
        """A new, empty temporary file beside ``rel`` (same directory, so the rename is atomic)."""
        folder, name = self._where(rel, create=True)
        assert folder is not None
        fd, tmp = files.new_temp(folder, name)
        os.close(fd)
        self.tmp_files.add((folder, tmp))
        return folder, tmp

    def _rename(self, folder: int, tmp: str, rel: str) -> None:
        files.replace(folder, tmp, rel.rpartition("/")[2])
        self.tmp_files.discard((folder, tmp))
        self.touched.add(rel.rpartition("/")[0])

    def _drop(self, folder: int | None, tmp: str | None) -> None:
        if folder is not None and tmp is not None:
            files.discard(folder, tmp)
            self.tmp_files.discard((folder, tmp))

    def _sync(self, *keys: str) -> None:
        """The renames and removals in these folders made durable, once each."""
        for key in keys:
            if key in self.touched:
                files.sync_folder(self.folders.get(key))
                self.touched.discard(key)

    def _count_write(self, rel: str) -> None:
        self.report.written += 1
        if len(self.report.changed_paths) < 1000:
            self.report.changed_paths.append(rel)

    def _tick(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None and (self.done % 200 == 0 or self.done >= self.total):
            self.progress(min(self.done, self.total), self.total)

    # -- one pass over the articles -----------------------------------------------------------
    def plan(self, feed: _Feed) -> None:
        """Decide which pages of ``feed`` need building: those whose ordered fingerprints changed."""
        for number in range(feed.pages):
            rel = feed.path(number)
            self.produced.add(rel)
            rows = feed.page_rows(number)
            following = feed.path(number + 1) if number + 1 < feed.pages else ""
            key = hashlib.sha1(("|".join(map(_FINGERPRINT, rows)) + f"#{following}").encode()).hexdigest()[:16]
            # An older manifest holds "key sha256" for a page; only the key is compared now.
            old_key = self.old_pages.get(rel, "").partition(" ")[0]
            if (not self.full and not self.recovering and old_key == key
                    and files.regular_size(*self._where(rel)) is not None):
                self.new_pages[rel] = key
                self.report.unchanged += 1
                self._tick(len(rows))
            else:
                feed.rebuild[number] = (key, len(rows))

    def export_all(self, found: Published, feeds: list[_Feed], by_tag: dict[int, _Feed]) -> None:
        """Each article is built once, in feed order, and handed to its own file and to every page that shows it.

        With worker processes, batches are planned here and built there; up to ``_AHEAD`` batches are
        in flight, and their answers are placed in the order they were planned.
        """
        waiting: deque[tuple[list[_Slot], dict[int, list[str]]]] = deque()
        for plan in self._plans(found, feeds, by_tag):
            tags = {row.id: found.tag_names(row) for row, changed, slots in plan if changed or slots}
            if self.team is None:
                self._place(plan, jsonfeed.encode_items(self.settings, list(tags), tags), {})
                continue
            self.team.add(workers.Batch(list(tags), tags, {row.id: row.fingerprint for row, _c, _s in plan},
                                        {row.id: article_path(row.slug) for row, changed, _s in plan if changed}))
            waiting.append((plan, tags))
            while len(waiting) > _AHEAD:
                self._place_answer(*waiting.popleft())
        if self.team is not None:
            self.team.finish()
        while waiting:
            self._place_answer(*waiting.popleft())
        for feed in feeds:
            for number in sorted(feed.rebuild):
                if feed.rebuild[number][1] == 0:
                    self._close_page(feed, number, self._open_page(feed, number))

    def _plans(self, found: Published, feeds: list[_Feed], by_tag: dict[int, _Feed]) -> Iterator[list[_Slot]]:
        """Batches of rows to build, in feed order.

        A full run walks every row, counting its place in each feed.  After a few changes only the
        changed articles and the rows of the pages being rebuilt are visited: at 100 000 articles,
        walking them all cost more than the rebuild.
        """
        self.report.articles = len(found.rows)
        if self.full or self.recovering:
            for start in range(0, len(found.rows), _BATCH):
                yield self._plan_batch(found.rows[start:start + _BATCH], feeds[-1], by_tag)
            return
        slots: dict[int, list[tuple[_Feed, int]]] = {}
        for feed in feeds:
            for number in feed.rebuild:
                for row in feed.page_rows(number):
                    slots.setdefault(row.id, []).append((feed, number))
        unchanged = len(found.rows) - len(self.changed_ids)
        self.report.unchanged += unchanged
        self._tick(unchanged)
        wanted = [row for row in found.rows if row.id in slots or row.id in self.changed_ids]
        for start in range(0, len(wanted), _BATCH):
            yield [(row, row.id in self.changed_ids, slots.get(row.id, [])) for row in wanted[start:start + _BATCH]]

    def _plan_batch(self, rows: list[Row], main: _Feed, by_tag: dict[int, _Feed]) -> list[_Slot]:
        """For each row: whether its article file is rebuilt, and the pages being rebuilt that show it."""
        plan = []
        for row in rows:
            changed = self.full or row.id in self.changed_ids
            if not changed:
                self.report.unchanged += 1
                self._tick()
            slots = []
            for feed in (main, *(by_tag[t] for t in row.tag_ids)):
                number, feed.cursor = feed.page_of(feed.cursor), feed.cursor + 1
                if number in feed.rebuild:
                    slots.append((feed, number))
            plan.append((row, changed, slots))
        return plan

    def _place_answer(self, plan: list[_Slot], tags: dict[int, list[str]]) -> None:
        """A worker's answer for ``plan``; articles that moved on since the plan are built from this snapshot."""
        assert self.team is not None
        built, moved = self.team.next_answer()
        own = jsonfeed.encode_items(self.settings, moved, {i: tags[i] for i in moved}) if moved else {}
        self._place(plan, own, built)

    def _place(self, plan: list[_Slot], items: dict[int, jsonfeed.EncodedItem],
               built: dict[int, workers.Built]) -> None:
        """Article files (unless a worker wrote them) and page slots, in plan order."""
        for row, changed, slots in plan:
            if row.id in built:
                done = built[row.id]
                page = done.page
                if changed and done.written is not None:
                    self._article_done(article_path(row.slug), done.temp)
            elif row.id in items:
                page = items[row.id].page
                if changed:
                    self._article_file(row, items[row.id])
            else:
                continue
            for feed, number in slots:
                if number not in feed.sinks:
                    feed.sinks[number] = self._open_page(feed, number)
                sink = feed.sinks[number]
                sink.add(page)
                if sink.count == feed.rebuild[number][1]:
                    self._close_page(feed, number, feed.sinks.pop(number))

    def _article_file(self, row: Row, item: jsonfeed.EncodedItem) -> None:
        """Staged by a writer thread (renamed into place once everything is on disk: :meth:`place_articles`)."""
        rel = article_path(row.slug)
        data = jsonfeed.article_feed_bytes(self.settings, rel, item)
        if self.writers is None:
            same = files.same_bytes(self._folder("articles", create=False), f"{row.slug}.json", data)
            self._article_done(rel, None if same else "")
            return
        folder = self._folder("articles", create=True)
        self.pending.append((rel, self.writers.submit(files.stage, folder, f"{row.slug}.json", data)))
        while len(self.pending) > 64:
            self._article_done(*self._next_pending())

    def _next_pending(self) -> tuple[str, str | None]:
        rel, future = self.pending.popleft()
        return rel, future.result()

    def drain(self) -> None:
        """Every article file staged (or the first error raised)."""
        while self.pending:
            self._article_done(*self._next_pending())

    def place_articles(self) -> None:
        """Everything staged (article files and pages) on disk at once, then the article files renamed into
        place, and ``articles/`` synced: every article file is there before a page that lists it."""
        if self.dry_run or not (self.staged_articles or any(feed.staged for feed in self.feeds)):
            return
        devices = {}
        for fd in self.folders.values():
            if fd is not None:
                devices.setdefault(os.fstat(fd).st_dev, fd)
        for fd in devices.values():  # one file system (or one for each folder on its own)
            files.flush(fd)
        folder = self.folders.get("articles")
        assert folder is not None or not self.staged_articles
        for temp in self.staged_articles:  # on a failure, cleanup() discards those left (the renamed are gone)
            files.replace(folder, temp, target_name(temp))
            self.touched.add("articles")
        self.staged_articles.clear()
        self._sync("articles")

    def _article_done(self, rel: str, temp: str | None) -> None:
        """An article file staged as ``temp`` ("" in a dry run), or unchanged (None)."""
        if temp is not None:
            self._count_write(rel)
            if temp:
                self.staged_articles.append(temp)
        else:
            self.report.unchanged += 1
        self._tick()

    def _open_page(self, feed: _Feed, number: int) -> _PageSink:
        """A page is streamed into its temporary file item by item, so no page is ever held in memory."""
        rel = feed.path(number)
        has_next = number + 1 < feed.pages
        head = jsonfeed.FeedHead(
            title=feed.title, home_page_url=self.settings.home_page_url,
            feed_url=jsonfeed.feed_url(self.settings, rel),
            next_url=jsonfeed.feed_url(self.settings, feed.path(number + 1)) if has_next else None)
        head_bytes = (jsonfeed.head_json(self.settings, head) + ',"items":[').encode("utf-8")
        if self.dry_run:
            return _PageSink(head_bytes, *self._where(rel), None)
        folder, tmp = self._temp(rel)
        return _PageSink(head_bytes, folder, rel.rpartition("/")[2], tmp)

    def _close_page(self, feed: _Feed, number: int, sink: _PageSink) -> None:
        """Keep the page if its bytes changed (staged for :meth:`commit`), else drop the temporary file."""
        rel = feed.path(number)
        key, count = feed.rebuild[number]
        unchanged = sink.close()
        self.new_pages[rel] = key
        self._tick(count)
        if unchanged:
            self.report.unchanged += 1
            self._drop(sink.folder, sink.tmp)
            return
        self._count_write(rel)
        if sink.tmp is not None:
            feed.staged.append((number, sink.tmp, rel))

    def commit(self, feeds: list[_Feed]) -> None:
        """Tag feeds, then the main feed; within a feed the last page first, so ``next_url`` always resolves."""
        for feed in feeds:
            for _number, tmp, rel in sorted(feed.staged, reverse=True):
                folder, _name = self._where(rel)
                assert folder is not None
                self._rename(folder, tmp, rel)

    # -- removal -----------------------------------------------------------------------------
    def remove_stale(self, rows: list[Row]) -> None:
        """Files of articles that left (or were renamed) and pages no longer needed go last."""
        slugs = set(self.stale_slugs)
        if slugs:
            slugs -= {row.slug for row in rows}  # a slug that moved to another article is still in use
        stale = {article_path(slug) for slug in slugs} | (set(self.old_pages) - self.produced)
        if self.recovering:
            stale |= self._orphans(rows)
        # Pages before article files: a page no longer produced may still list an article that left, and a
        # run killed between the two removals must not leave that page pointing at a removed file.
        # Every path here is one of the export's own (checked when the manifest was read, or found in
        # its folders), removed inside its open folder: the name itself goes, a symlink is not followed.
        for rel in sorted(stale, key=lambda rel: (rel.startswith("articles/"), rel)):
            folder, name = self._where(rel)
            kind = files.kind(folder, name)
            if kind is None:
                continue
            if kind == stat.S_IFDIR:
                self.report.warn(_("Left {path} in place: it should be a file, it is a directory").format(
                    path=self.out / rel))
                continue
            self.report.removed += 1
            if len(self.report.removed_paths) < 1000:
                self.report.removed_paths.append(rel)
            if not self.dry_run and folder is not None and files.remove(folder, name):
                self.touched.add(rel.rpartition("/")[0])

    def _orphans(self, rows: list[Row]) -> set[str]:
        """After a killed run: feed files on disk that no manifest knows (pages and article files it wrote
        for a state that has since changed), which would otherwise stay, pointing at removed files."""
        keep = self.produced | {article_path(row.slug) for row in rows}
        found: set[str] = set()
        for key in ("", "articles", "tags"):
            with contextlib.suppress(OSError):
                folder = self._folder(key, create=False)
                if folder is None:
                    continue
                with os.scandir(folder) as entries:
                    for entry in entries:
                        name = entry.name
                        ours = name.endswith(".json") and not name.startswith(".") and (
                            key or name == "feed.json" or (name.startswith("feed-") and name[5:-5].isdigit()))
                        rel = f"{key}/{name}" if key else name
                        if ours and rel not in keep and not entry.is_dir(follow_symlinks=False):
                            found.add(rel)
        return found

    def _mark_dirty(self, *, work: bool) -> None:
        """Before the first write (and synced when there is ``work`` to do, so it is there after a power cut
        too); when recovering, also sweep the temporary files the killed run left, in the export's own
        folders only.

        A symlink or other non-file at the marker's name is replaced: this runs under the export lock, so no
        other export uses the name, and removing a link never touches what it points to.
        """
        top = self.folders[""]
        assert top is not None
        if self.recovering:
            for key in ("", "articles", "tags"):
                files.sweep_temporary(self._folder(key, create=False))
        kind = files.kind(top, DIRTY)
        if kind == stat.S_IFDIR:
            raise files.LinkRefused(errno.EISDIR, str(self.out / DIRTY), directory=False)
        if kind is not None and kind != stat.S_IFREG:
            files.remove(top, DIRTY)
        os.close(os.open(DIRTY, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o666,
                         dir_fd=top))
        if work:
            files.sync_folder(top)

    def _start_team(self, items: int) -> None:
        """Worker processes for a big job (on an SQLite file; a dry run builds nothing to share)."""
        database_file = current_database().database
        if self.team is not None or self.dry_run or not workers.usable(items) or not os.path.isfile(database_file):
            return
        try:
            self.team = workers.Team(os.path.abspath(database_file), self.settings,
                                     self._folder("articles", create=True))  # type: ignore[arg-type]
        except OSError:  # no process could be started (a limit, no interpreter to run): one process it is
            self.team = None

    def cleanup(self) -> None:
        """Workers and threads stopped, this run's temporary files removed, its folders closed (not the top)."""
        if self.team is not None:
            self.team.stop()
        if self.writers is not None:
            self.writers.shutdown(wait=True, cancel_futures=True)
        for folder, tmp in list(self.tmp_files):
            with contextlib.suppress(OSError):
                files.discard(folder, tmp)
        self.tmp_files.clear()
        articles = self.folders.get("articles")
        for temp in self.staged_articles if articles is not None else ():
            with contextlib.suppress(OSError):
                files.discard(articles, temp)
        self.staged_articles.clear()
        for key in ("articles", "tags"):
            fd = self.folders.pop(key, None)
            if fd is not None:
                os.close(fd)

    def run(self) -> ExportReport:
        if self.full or self.recovering:  # started first, so the workers' imports overlap the planning
            self._start_team(current_database().execute_sql(
                "SELECT COUNT(*) FROM article WHERE status = 'published'").fetchone()[0])
        found = published()
        for warning in found.unsafe:
            self.report.warn(warning)
        self.total = 2 * len(found.rows) + sum(len(rows) for _id, _name, _slug, rows in found.tags)
        size = self.settings.feed_page_size
        by_tag = {tag_id: _Feed(f"{self.settings.title} · {name}", rows, lambda n, s=slug: tag_page_path(s, n), size)
                  for tag_id, name, slug, rows in found.tags}
        feeds = self.feeds = [*by_tag.values(), _Feed(self.settings.title, found.rows, main_page_path, size)]
        self.compare(found.rows)
        for feed in feeds:
            self.plan(feed)
        self._start_team(len(self.changed_ids) + sum(count for feed in feeds for _key, count in feed.rebuild.values()))
        if not self.dry_run:
            self._mark_dirty(work=self.full or self.recovering or bool(self.changed_ids or self.stale_slugs)
                             or any(feed.rebuild for feed in feeds) or set(self.old_pages) != self.produced)
        self.export_all(found, feeds, by_tag)
        self.drain()
        self.place_articles()  # every article file on disk and in place before a page links to it
        self.commit(feeds)
        self.remove_stale(found.rows)
        self._sync("articles", "tags", "")  # the pages' renames (and the removals) before the manifest's
        if not self.dry_run:
            top = self.folders[""]
            assert top is not None
            if self._manifest_moved():
                self._write_manifest(found.rows)
            with contextlib.suppress(FileNotFoundError):  # removed by hand meanwhile: the same end
                os.unlink(DIRTY, dir_fd=top)
            # The manifest's rename (the marker's removal rides along; were it lost in a power cut, the
            # next export would only rebuild everything): after this, the export is done.
            self._sync("")
        if self.progress is not None:
            self.progress(self.total, self.total)
        return self.report


def resolve_out_dir(out_dir: str | os.PathLike[str] | None, settings: SiteSettings) -> Path:
    """``--out`` > the ``export_dir`` setting; a clear error naming the command that sets it."""
    chosen = str(out_dir) if out_dir else settings.export_dir
    if not chosen:
        raise ValidationError(_("No export directory: pass --out DIR or run: beritatui site set export_dir DIR"))
    return Path(chosen).expanduser()


def check_ready(settings: SiteSettings) -> None:
    """A base URL, and only addresses a feed may carry in every URL setting (one line naming the setting)."""
    if not settings.base_url:
        raise ValidationError(
            _("The site has no base_url; set it first: beritatui site set base_url https://…"))
    check_exportable(settings)


def _refused_link(path: object, *, directory: bool = True) -> ExportError:
    """One line for a name in the export directory that is not what the export needs (a planted link?)."""
    if os.path.islink(str(path)):
        message = _("Not exporting: {path} is a symbolic link, and an export never follows one; "
                    "remove it and export again")
    elif directory:
        message = _("Not exporting: {path} is not a directory; remove it and export again")
    else:
        message = _("Not exporting: {path} is not a regular file; remove it and export again")
    return ExportError(message.format(path=path))


@contextlib.contextmanager
def _export_lock(out: Path, top: int, waiting: Callable[[], None] | None) -> Iterator[None]:
    """One export per directory at a time: a second one waits for the first (up to :data:`LOCK_WAIT`
    seconds, looking every :data:`LOCK_POLL`; ``waiting`` is called once if it waits more than
    :data:`LOCK_NOTICE`), then runs; past the bound it fails with the reason.

    The lock file is opened without following a symlink: a link there is refused, never replaced,
    since two exports replacing it at once could each lock a different file.
    """
    try:
        fd = os.open(LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o666, dir_fd=top)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO):
            raise _refused_link(out / LOCK, directory=False) from exc
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _refused_link(out / LOCK, directory=False)
        started = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as exc:
                waited = time.monotonic() - started
                if waited >= LOCK_WAIT:
                    raise ExportError(_("Another export is writing to {path}; try again when it ends").format(
                        path=out)) from exc
                if waiting is not None and not told and waited >= LOCK_NOTICE:
                    told = True
                    waiting()
                time.sleep(LOCK_POLL)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _small_page_cache() -> Iterator[None]:
    """The export reads each page once, so SQLite's page cache would only hold memory: shrink it meanwhile."""
    db = current_database()
    previous = int(db.execute_sql("PRAGMA cache_size").fetchone()[0])
    db.execute_sql("PRAGMA cache_size = -2000")
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA cache_size = {previous}")


def _open_out(out: Path, *, create: bool) -> int | None:
    """The export directory, opened without following a symlink at its own name (created when asked)."""
    if out.is_symlink():
        raise _refused_link(out)
    if out.exists() and not out.is_dir():
        raise ExportError(_("{path} is not a directory").format(path=out))
    if create:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(_("Cannot create {path}: {reason}").format(path=out, reason=exc.strerror)) from exc
    try:
        return files.open_folder(None, str(out), create=False)
    except files.LinkRefused as exc:
        raise _refused_link(out) from exc
    except OSError as exc:
        raise ExportError(_("Cannot open {path}: {reason}").format(path=out, reason=exc.strerror)) from exc


def export_feeds(out_dir: str | os.PathLike[str] | None, *, actor: User | None = None, dry_run: bool = False,
                 full: bool = False, progress: Progress | None = None,
                 waiting: Callable[[], None] | None = None) -> ExportReport:
    """Write the JSON Feed files for every published article into ``out_dir``.

    Safe in a worker thread (it uses that thread's own database connection; the
    caller may release it afterwards).  ``actor`` is accepted for symmetry with
    other services; exports are read-only apart from publishing what is due.
    ``waiting`` is called once when another export holds the directory for more than a second.
    """
    del actor
    settings = get_settings()
    check_ready(settings)
    out = resolve_out_dir(out_dir, settings)
    if not is_sqlite():
        raise ExportError(_("Export needs an SQLite database"))
    if not dry_run:
        transitions.publish_due()
    top = _open_out(out, create=not dry_run)
    try:
        lock = _export_lock(out, top, waiting) if top is not None and not dry_run else contextlib.nullcontext()
        with lock, _small_page_cache(), current_database().atomic(lock_type="DEFERRED"):
            exporter = _Exporter(out, top, settings, dry_run=dry_run, full=full, progress=progress)
            try:
                return exporter.run()
            except files.LinkRefused as exc:
                raise _refused_link(exc.filename, directory=exc.directory) from exc
            except OSError as exc:
                raise ExportError(
                    _("Export stopped at {path}: {reason}. Files already in place are complete; run it again.").format(
                        path=exc.filename or out, reason=exc.strerror or exc)) from exc
            finally:
                exporter.cleanup()
    finally:
        if top is not None:
            os.close(top)
