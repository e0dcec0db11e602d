"""The files of the public history (:mod:`.history`): ``changes.json`` and its pages, ``redirects.json``, the
withdrawn files that replace an article file while its tombstone lasts, and the tombstones feed.json carries.

Each file has a key (a hash of its bytes, or for a changes page the ordered hashes of its items and the
page after it) kept in the manifest's ``pages`` beside the feed pages: a file whose key is the manifest's
and that is in place is left alone, any other is rebuilt and compared with what is in place; a file no
longer produced (an expired tombstone's withdrawn file, a changes page that went away) is removed with the
stale pages.  Written after the feed pages, each to a temporary file synced and renamed into place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from beritatui.core.sitevalue import SiteSettings
from beritatui.feeds import files, jsonfeed

from . import encode
from .history import Change, History
from .layout import REDIRECTS, article_path, changes_page_path
from .plan import Feed, Plan, Since
from .report import Tally
from .source import Row
from .write import Disk

_site_time = jsonfeed._site_time  # noqa: SLF001 - the one spelling of a stored time in the site's zone


def _key(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()[:16]


def removed_members(settings: SiteSettings, history: History) -> str:
    """feed.json's ``_beritatui`` members for the tombstones (``""`` when there are none: the bytes stay)."""
    if not history.tombstones:
        return ""
    listed = [{"id": f"urn:uuid:{t.uuid}", "removed_at": _site_time(t.at, settings.zone)}
              for t in history.tombstones]
    return '"removed":' + jsonfeed.dumps(listed)


def change_item(settings: SiteSettings, change: Change) -> bytes:
    """One item of ``changes.json``: what happened, when, to which article (its uuid and URL)."""
    url = settings.article_url(change.slug, change.uuid)
    when = _site_time(change.at, settings.zone)
    ext: dict[str, str] = {"about": jsonfeed.EXTENSION_ABOUT, "change": change.kind,
                           "article": f"urn:uuid:{change.uuid}", "url": url}
    if change.kind == "moved":
        ext["old_url"] = settings.article_url(change.old_slug, change.uuid)
        text = f"moved: {ext['old_url']} -> {url}"
    elif change.kind == "corrected":
        ext["note"] = change.note
        text = f"corrected: {url}: {change.note}"
    else:
        text = f"{change.kind}: {url}"
    item = {"id": f"urn:uuid:{change.uuid}#{change.kind}-{change.event}", "url": url, "content_text": text,
            "date_published": when, "date_modified": when, jsonfeed.EXTENSION: ext}
    return jsonfeed.dumps(item).encode("utf-8")


def withdrawn_file(settings: SiteSettings, uuid: str, at: str, kind: str) -> bytes:
    """What stands at an article's file while its tombstone lasts: that it was withdrawn, and when."""
    return (jsonfeed.dumps({"id": f"urn:uuid:{uuid}", "withdrawn": True,
                            "withdrawn_at": _site_time(at, settings.zone), "change": kind}) + "\n").encode()


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def redirects_file(settings: SiteSettings, history: History, uuids: dict[str, str]) -> bytes:
    """``redirects.json``: each old article path to the article's present one (chains already collapsed)."""
    paths = {}
    for old, new in history.redirects.items():
        uuid = uuids.get(new, "")
        source, target = _path(settings.article_url(old, uuid)), _path(settings.article_url(new, uuid))
        if source != target:
            paths[source] = target
    return (jsonfeed.dumps({"redirects": dict(sorted(paths.items()))}) + "\n").encode()


@dataclass
class Extras:
    """The history files of one run: those to rebuild (path, how to build its bytes) and how many are kept."""

    rebuild: list[tuple[str, Callable[[], bytes]]] = field(default_factory=list)
    kept: int = 0


def changes_feed(settings: SiteSettings, history: History) -> tuple[Feed, dict[int, Change]]:
    """The changes feed's geometry (pages as the other feeds have them) over the changes, newest first."""
    # An item's bytes follow from its change and the settings (a change of those rebuilds everything):
    # its fingerprint is the change itself, with no item encoded for a page that is kept.
    rows = [Row((c.event, c.uuid, c.slug,
                 _key(f"{c.event}\x1f{c.at}\x1f{c.kind}\x1f{c.uuid}\x1f{c.slug}\x1f{c.old_slug}\x1f{c.note}".encode()),
                 ())) for c in history.changes]
    feed = Feed(f"{settings.title} · changes", rows, changes_page_path, settings.feed_page_size)
    return feed, {c.event: c for c in history.changes}


def _page(settings: SiteSettings, feed: Feed, number: int, by_event: dict[int, Change]) -> bytes:
    items = b",".join(change_item(settings, by_event[row.id]) for row in feed.page_rows(number))
    return encode.page_head(settings, feed, number) + items + b"]}\n"


def make(settings: SiteSettings, history: History, todo: Plan, since: Since, *, recovering: bool,
         present: Callable[[str], bool]) -> Extras:
    """Which history files to rebuild; every one's key goes into ``todo.keys`` (the new manifest's pages)."""
    trusted = not since.full and not recovering
    extras = Extras()

    def plan(rel: str, key: str, build: Callable[[], bytes]) -> None:
        todo.keys[rel] = key
        if trusted and since.pages.get(rel) == key and present(rel):
            extras.kept += 1
        else:
            extras.rebuild.append((rel, build))

    live = {row.slug for row in todo.rows} if history.tombstones else set()
    for stone in history.tombstones:
        if stone.slug not in live:
            data = withdrawn_file(settings, stone.uuid, stone.at, stone.kind)
            plan(article_path(stone.slug), _key(data), lambda data=data: data)
    redirects = redirects_file(settings, history, {row.slug: row.uuid for row in todo.rows}
                               if history.redirects else {})
    plan(REDIRECTS, _key(redirects), lambda: redirects)
    feed, by_event = changes_feed(settings, history)
    for number in reversed(range(feed.pages)):  # the last page first: every next_url resolves
        plan(feed.path(number), feed.key(number), lambda n=number: _page(settings, feed, n, by_event))
    todo.extra_work = bool(extras.rebuild)
    return extras


def write(disk: Disk, extras: Extras, tally: Tally, *, withdrawn: bool) -> None:
    """Each file rebuilt: left alone when its bytes are those in place, else synced and renamed into place.

    The withdrawn files (``withdrawn``) go after the stale pages are removed, as a removed article file
    would: a run stopped before leaves every page that lists an article with its article file.
    """
    if not withdrawn:
        tally.unchanged(extras.kept)
    for rel, build in extras.rebuild:
        if rel.startswith("articles/") != withdrawn:
            continue
        data = build()
        folder, name = disk.where(rel, create=not disk.dry_run)
        if files.same_bytes(folder, name, data):
            tally.unchanged()
            continue
        tally.written(rel)
        if disk.dry_run or folder is None:
            continue
        tmp = files.write_new(folder, name, data, sync=True)
        disk.tmp_files.add((folder, tmp))
        disk.rename(folder, tmp, rel)
