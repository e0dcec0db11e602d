"""What the previous run wrote, and what changed since; then the new manifest.

The manifest (:data:`~.layout.MANIFEST`) is JSON laid out one article a line, sorted by uuid, so
that it can be read as a stream and merged with the published articles: 100 000 entries never
become a dict in memory.  Its first line holds the format, the settings key and every page's key::

    {"format":3,"settings":"…","pages":{"feed.json":"…",…},"articles":{
    "<uuid>":"<fingerprint> <slug>",
    …
    }}

Nothing read from it is trusted: a page it names must be one of the export's own, a slug must look
like a slug (else the entry is ignored, with a warning, and the manifest rewritten), and a damaged
manifest is not read at all (everything is rebuilt, and compared with what is in place).
"""

from __future__ import annotations

import io
import json
import stat
from collections.abc import Iterator
from typing import Any

from beritatui.core.sitevalue import SiteSettings
from beritatui.core.textfile import brief
from beritatui.feeds import files, jsonfeed
from beritatui.i18n import _

from .layout import MANIFEST, own_page, own_slug
from .plan import Since
from .report import Tally
from .source import UUID, Row
from .write import Disk

_HEAD_LIMIT = 64 << 20  # the first line: the pages of 100 000 articles are a few MB
_LINE_LIMIT = 4096  # one article: uuid, fingerprint and slug
_BLOCK = 2000  # lines written at a time


def _entry(row: Row) -> str:
    return f"{row.fingerprint} {row.slug}"


def _line(line: str) -> tuple[str, str]:
    """``"uuid":"fingerprint slug"`` read back (by hand when nothing in it is escaped, which is the rule)."""
    if "\\" not in line and line.count('"') == 4 and line.startswith('"') and line.endswith('"'):
        uuid, separator, entry = line[1:-1].partition('":"')
        if separator:
            return uuid, entry
    uuid, entry = json.loads("[" + line.replace(":", ",", 1) + "]")
    if not isinstance(uuid, str) or not isinstance(entry, str):
        raise ValueError("manifest entry is not two strings")
    return uuid, entry


def _open(top: int | None) -> io.TextIOWrapper | None:
    """The manifest for reading: a regular file, never followed through a symlink (nor a FIFO)."""
    fd = files.open_regular(top, MANIFEST) if top is not None else None
    if fd is None:
        return None
    return io.open(fd, encoding="utf-8", closefd=True)  # noqa: UP020 - a descriptor, not a path


def _head(disk: Disk, tally: Tally) -> dict[str, Any]:
    kind = files.kind(disk.top, MANIFEST)
    if kind is not None and kind != stat.S_IFREG:
        tally.warn(_("{path} is not a regular file (a symbolic link?): it was not read, and is replaced").format(
            path=disk.out / MANIFEST))
    try:
        handle = _open(disk.top)
        if handle is None:
            return {}
        with handle:
            line = handle.readline(_HEAD_LIMIT)
            head = json.loads(line + "}}") if line.endswith("\n") else None
    except (OSError, ValueError, RecursionError):
        return {}
    return head if isinstance(head, dict) and head.get("format") == jsonfeed.FORMAT else {}


def _own_pages(pages: Any, since: Since, tally: Tally) -> dict[str, str]:
    """The manifest's pages that are pages of this export; any other entry is ignored, with a warning."""
    if not isinstance(pages, dict):
        return {}
    own = {}
    for rel, key in pages.items():
        if isinstance(rel, str) and isinstance(key, str) and own_page(rel):
            own[rel] = key
        else:
            since.ignored = True
            tally.warn(_("Ignored a manifest entry that is not a page of the export: {entry}").format(
                entry=brief(repr(rel), 120)))
    return own


def read(disk: Disk, settings: SiteSettings, tally: Tally, *, full: bool) -> Since:
    """The previous run's page keys, if its manifest was written with these settings (else: a full run)."""
    old = {} if full else _head(disk, tally)
    if old.get("settings") != jsonfeed.settings_key(settings):
        old = {}
    since = Since(full=full or not old)
    since.pages = _own_pages(old.get("pages", {}), since, tally)
    return since


def _articles(top: int | None) -> Iterator[tuple[str, str]]:
    """(uuid, entry) from the manifest in uuid order; a damaged manifest raises ValueError."""
    handle = _open(top)
    if handle is None:
        raise ValueError("no manifest")
    with handle:
        handle.readline(_HEAD_LIMIT)
        previous = ""
        while line := handle.readline(_LINE_LIMIT):
            if not line.endswith("\n"):
                raise ValueError("manifest line too long or cut short")
            line = line.rstrip("\n").rstrip(",")
            if line == "}}":
                return
            uuid, entry = _line(line)
            if uuid <= previous:
                raise ValueError("manifest out of order")
            previous = uuid
            yield uuid, entry
    raise ValueError("manifest cut short")


def _stale(entry: str, stale: list[str], since: Since, tally: Tally) -> None:
    """The article file a manifest entry names goes stale, if it is one of ``articles/`` (else: a warning)."""
    slug = entry.partition(" ")[2]
    if own_slug(slug):
        stale.append(slug)
    else:
        since.ignored = True
        tally.warn(_("Ignored a manifest entry whose slug is not a slug: {slug}").format(
            slug=brief(repr(slug), 120)))


def compare(disk: Disk, since: Since, rows: list[Row], tally: Tally) -> None:
    """Merge the manifest with the published articles: which changed, which files went stale (into ``since``).

    A manifest that turns out damaged is not read at all: ``since`` becomes a full run, and the
    warnings about its entries are taken back.
    """
    if since.full:
        return
    changed: set[int] = set()
    stale: list[str] = []
    mark = tally.mark()
    try:
        old = _articles(disk.top)
        entry = next(old, None)
        for row in sorted(rows, key=UUID):
            while entry is not None and entry[0] < row.uuid:
                _stale(entry[1], stale, since, tally)
                entry = next(old, None)
            if entry is not None and entry[0] == row.uuid:
                if entry[1].partition(" ")[2] != row.slug:
                    _stale(entry[1], stale, since, tally)
                if entry[1] != _entry(row):
                    changed.add(row.id)
                entry = next(old, None)
            else:
                changed.add(row.id)
        while entry is not None:
            _stale(entry[1], stale, since, tally)
            entry = next(old, None)
    except (OSError, ValueError, TypeError, RecursionError):
        since.full, since.pages = True, {}
        tally.take_back(mark)
        return
    since.changed, since.stale_slugs = changed, stale


def write(disk: Disk, settings: SiteSettings, pages: dict[str, str], rows: list[Row]) -> None:
    """Streamed to its temporary file; kept only if its bytes changed (then synced before its rename)."""
    head = {"format": jsonfeed.FORMAT, "settings": jsonfeed.settings_key(settings),
            "pages": dict(sorted(pages.items()))}
    top, tmp = disk.temp(MANIFEST)
    sink = files.StreamedFile((json.dumps(head, separators=(",", ":"))[:-1] + ',"articles":{\n').encode(),
                              top, MANIFEST, tmp, sync=True)
    quote = json.encoder.encode_basestring_ascii  # what json.dumps writes for a string, without its setup
    ordered = sorted(rows, key=UUID)
    for start in range(0, len(ordered), _BLOCK):  # a block at a time: 100 000 lines never sit in memory at once
        block = ",\n".join(f"{quote(row.uuid)}:{quote(_entry(row))}" for row in ordered[start:start + _BLOCK])
        sink.add(("\n" if start else "").encode() + block.encode())  # the sink puts the comma between blocks
    if sink.close(end=b"\n}}\n"):
        disk.drop(top, tmp)
    else:
        disk.rename(top, tmp, MANIFEST)
