"""What is where in the export directory, and which names the export may ever touch there.

Every path the export writes, compares or removes is made here (``article_path``, the page paths),
or read from the manifest and checked here to be one of those (:func:`own_page`, :func:`own_slug`):
a name that looks like anything else never becomes a file name.
"""

from __future__ import annotations

import re

from beritatui.core.fsio import UnsafePath, child_path

MANIFEST = ".beritatui-export.json"
# Present from an export's first write until its manifest is in place: finding it means the last run was
# killed, so the files on disk may be newer than the manifest says and none of its page keys can be trusted.
DIRTY = ".beritatui-export.dirty"
LOCK = ".beritatui-export.lock"
FOLDERS = ("", "articles", "tags")  # the export directory itself, and the two folders inside it
# What a slug looks like (python-slugify's lower-case ASCII): never a dot, a slash or anything else a
# path could be made of.  A slug read from the manifest (or, by hand, put in the database) that does not
# look like one never becomes a file name.
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,127}\Z")
REDIRECTS = "redirects.json"
# The pages of the feeds, of changes.json, redirects.json and (a withdrawn article's file while its tombstone
# lasts) an article file: what the manifest's ``pages`` may name.
_PAGE = re.compile(r"(?:(?:feed|changes)(?:-[1-9][0-9]{0,8})?|redirects|tags/[a-z0-9][a-z0-9-]{0,127}"
                   r"(?:\.page[1-9][0-9]{0,8})?|articles/[a-z0-9][a-z0-9-]{0,127})\.json\Z")


def article_path(slug: str) -> str:
    return f"articles/{slug}.json"


def main_page_path(n: int) -> str:
    return "feed.json" if n == 1 else f"feed-{n}.json"


def changes_page_path(n: int) -> str:
    """``changes.json``, then ``changes-2.json`` (the oldest), … as the main feed's pages are named."""
    return "changes.json" if n == 1 else f"changes-{n}.json"


def tag_page_path(slug: str, n: int) -> str:
    """A dot never occurs in a slug, so a page suffix cannot collide with another tag's slug."""
    return f"tags/{slug}.json" if n == 1 else f"tags/{slug}.page{n}.json"


def own_page(rel: str) -> bool:
    """Whether ``rel`` is one of the pages an export writes (what the manifest may name)."""
    if not _PAGE.match(rel):
        return False
    try:
        child_path(".", rel)
    except UnsafePath:
        return False
    return True


def own_slug(slug: str) -> bool:
    """Whether a slug read from the manifest names a file of ``articles/`` (and only that)."""
    if not SLUG.match(slug):
        return False
    try:
        child_path(".", article_path(slug))
    except UnsafePath:
        return False
    return True


def feed_file(folder: str, name: str) -> bool:
    """Whether ``name`` in ``folder`` (one of :data:`FOLDERS`) looks like a file an export writes there
    (what a killed run may have left that no manifest knows)."""
    return name.endswith(".json") and not name.startswith(".") and (
        bool(folder) or name in ("feed.json", "changes.json", REDIRECTS)
        or (name.startswith("feed-") and name[5:-5].isdigit())
        or (name.startswith("changes-") and name[8:-5].isdigit()))
