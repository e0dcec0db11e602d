"""``beritatui import``: articles from Markdown with front matter, JSON Feeds and plain-text pages.

Each file becomes one or more :class:`Source` records, then each record is
created or updated through the same core functions an editor uses (so every
rule, the rendering and the search index apply), with a revision of reason
``import``.  A record is matched by its id/uuid first, then by slug, so
importing the same source twice updates instead of duplicating.  A file that
cannot be read is reported with its path and the reason, and skipped.

What comes in is not trusted:

* Files are opened inside the directory descriptors of the walk, never through a symbolic
  link (one found while walking is reported and skipped, as is anything but a regular file):
  a colleague's link to a file only the importing editor may read never ends up in the feed.
* YAML front matter may not use anchors or aliases (a few hundred bytes of them expand to
  gigabytes), and is at most 64 KiB; JSON is refused before parsing when it nests too deeply
  or holds too many values; every reason shown is one short line (:func:`core.textfile.brief`).
* What arrives is a draft: only an editor who asks (``status``, or ``keep_status`` for what the
  source says) puts imported text anywhere else, and an article already past the draft stage is
  never changed by an import that did not ask.
"""

from __future__ import annotations

import errno
import os
import re
import reprlib
import stat
import uuid as uuidlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import frontmatter
import nh3
import yaml
from frontmatter.default_handlers import JSONHandler, YAMLHandler
from markdownify import markdownify

from beritatui.core import slugs
from beritatui.core.articles import Rendered, create_article, prerender, save_article
from beritatui.core.bulk import IMPORT_STATES, set_imported_state
from beritatui.core.content import Content, parse_byline
from beritatui.core.database import current_database
from beritatui.core.errors import BeritaError, NotFound, ValidationError
from beritatui.core.models import REACTIONS, Article, User
from beritatui.core.render import ALLOWED_TAGS
from beritatui.core.site import get_settings
from beritatui.core.textfile import UnreadableText, brief, load_json, read_text_file
from beritatui.core.timeparse import parse_time
from beritatui.core.users import require
from beritatui.core.workflow import status_label
from beritatui.feeds.jsonfeed import EXTENSION
from beritatui.i18n import _, ngettext

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_FRONT_MATTER = 64 * 1024  # Hugo and Jekyll front matter is a few hundred bytes
MAX_YAML_DEPTH = 32
MAX_HTML = 4 * 1024 * 1024  # an item's content_html; the Markdown made of it may be at most 2 MB anyway
MAX_JSON_VALUES = 1_000_000
MAX_DEPTH = 32  # folders inside a folder being imported
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown")
TEXT_SUFFIXES = (".txt",)
FEED_SUFFIXES = (".json",)
# Tags other sites use that markdownify understands or unwraps; everything else is dropped first.
FOREIGN_TAGS = {"b", "i", "u", "div", "span", "section", "article", "figure", "figcaption", "sup", "sub"}
REACTION_HEADING = re.compile(r"^what'?s your reaction\??$", re.I)
BYLINE_LINE = re.compile(r"^penulis\s*:\s*(.*)$", re.I)
BULLET = re.compile(r"^\s*[•●▪·◦‣∙]\s*")
MARKDOWN_START = re.compile(r"^(\s{0,3})(#{1,6}\s|>|[-+*]\s|\d{1,9}[.)]\s|=+\s*$|-+\s*$|```|~~~)")


class ImportProblem(Exception):
    """A file or feed item that cannot be imported; the message says why."""


@dataclass(frozen=True, kw_only=True)
class Source(Content):
    """One article as read from a file, before it meets the database: its content, and where it came from."""

    origin: str
    uuid: str = ""
    published_at: datetime | None = None
    modified_at: datetime | None = None
    draft: bool = False
    reactions: dict[str, int] | None = None
    # An item of a beritatui feed page: it carries the HTML, not the Markdown (that is in the
    # export's articles/<slug>.json), so it may create an article but never overwrites one.
    page_form: bool = False


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    dry_run: bool = False
    problems: list[tuple[str, str]] = field(default_factory=list)
    articles: list[tuple[str, str, str]] = field(default_factory=list)  # (action, slug, status now)

    def skip(self, path: str | Path, reason: object) -> None:
        """One file or item left out: its path and why, each made one short line (never the input itself)."""
        self.skipped += 1
        self.problems.append((brief(str(path), 500), brief(str(reason))))

    def statuses(self) -> dict[str, int]:
        """How many of the articles created or updated are now in each status."""
        counts: dict[str, int] = {}
        for action, _slug, status in self.articles:
            if action != "unchanged":
                counts[status] = counts.get(status, 0) + 1
        return counts

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "skipped": self.skipped, "dry_run": self.dry_run, "statuses": self.statuses(),
                "problems": [{"path": path, "reason": reason} for path, reason in self.problems],
                "articles": [{"action": action, "slug": slug, "status": status}
                             for action, slug, status in self.articles]}

    def summary(self) -> str:
        """``3 created, 1 updated, 0 unchanged, 0 skipped; 3 as drafts, 1 published``."""
        text = _("{created} created, {updated} updated, {unchanged} unchanged, {skipped} skipped").format(
            created=self.created, updated=self.updated, unchanged=self.unchanged, skipped=self.skipped)
        counts = self.statuses()
        if counts:
            where = ", ".join(_status_count(status, counts[status]) for status in IMPORT_STATES if status in counts)
            text = _("{counts}; {statuses}").format(counts=text, statuses=where)
        return _("Dry run: {summary}").format(summary=text) if self.dry_run else text


def _status_count(status: str, n: int) -> str:
    if status == "draft":
        return ngettext("{n} as a draft", "{n} as drafts", n).format(n=n)
    if status == "review":
        return ngettext("{n} in review", "{n} in review", n).format(n=n)
    if status == "published":
        return ngettext("{n} published", "{n} published", n).format(n=n)
    return ngettext("{n} archived", "{n} archived", n).format(n=n)


# -- reading files ---------------------------------------------------------------------------------

def read_text(path: Path, dir_fd: int | None = None) -> str:
    """The file as text, refusing a symlink, a non-regular file, and what is too large, binary or not UTF-8.

    With ``dir_fd``, ``path``'s last part is opened inside that directory (the walk's descriptor).
    """
    try:
        return read_text_file(path.name if dir_fd is not None else path, MAX_FILE_BYTES, dir_fd=dir_fd)
    except UnreadableText as exc:
        if exc.os_error:
            raise ImportProblem(_("cannot read: {reason}").format(reason=exc.reason)) from exc
        raise ImportProblem(exc.reason) from exc


def _kind(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in FEED_SUFFIXES:
        return "feed"
    if suffix in TEXT_SUFFIXES:
        return "text"
    stripped = text.lstrip()
    if stripped.startswith("---"):
        return "markdown"
    if stripped.startswith("{"):
        return "feed"
    return "text"


def read_sources(path: Path, dir_fd: int | None = None) -> list[Source | ImportProblem]:
    """The articles in one file; a broken item of a feed comes back as an :class:`ImportProblem`."""
    text = read_text(path, dir_fd)
    kind = _kind(path, text)
    if kind == "markdown":
        return [read_markdown(path, text)]
    if kind == "feed":
        return read_feed(path, text)
    return [read_plain_text(path, text)]


SUFFIXES = MARKDOWN_SUFFIXES + FEED_SUFFIXES + TEXT_SUFFIXES
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


@dataclass(frozen=True)
class Found:
    """A file to read: its path as shown, and the open directory it is read from (None: a path named directly)."""

    path: Path
    dir_fd: int | None = None


def walk(paths: list[Path]) -> Iterator[Found | tuple[Path, str]]:
    """Files named directly, and the Markdown/JSON/text files under directories, or (path, why it is skipped).

    In path order (sorted, hidden files and folders skipped), lazily: each file must be read before
    the walk goes on, while its directory is still open.  A directory is opened with ``O_NOFOLLOW``
    and listed through its descriptor, so nothing found in it is reached through a symbolic link,
    even one swapped in during the walk; links that would have been read are reported.
    """
    for path in paths:
        named = Path(os.fspath(path).rstrip("/") or os.fspath(path))  # a trailing slash would follow a link
        try:
            info = os.stat(named, follow_symlinks=False)
        except OSError as exc:
            yield named, _("cannot read: {reason}").format(reason=exc.strerror)
            continue
        if stat.S_ISLNK(info.st_mode):
            yield named, _("a symbolic link (not followed): name the file or folder it points to")
        elif stat.S_ISDIR(info.st_mode):
            try:
                fd = os.open(named, _FOLDER)
            except OSError as exc:
                yield named, _("cannot read: {reason}").format(reason=exc.strerror)
                continue
            try:
                yield from _walk_folder(named, fd, 1)
            finally:
                os.close(fd)
        else:
            yield Found(named)  # a FIFO or device is refused when opened: one line, at once


def _walk_folder(folder: Path, fd: int, depth: int) -> Iterator[Found | tuple[Path, str]]:
    with os.scandir(fd) as listing:
        entries = sorted(((entry.name, entry) for entry in listing if not entry.name.startswith(".")),
                         key=lambda pair: pair[0])
    for name, entry in entries:
        child = folder / name
        wanted = os.path.splitext(name)[1].lower() in SUFFIXES
        try:
            if entry.is_symlink():
                if wanted or entry.is_dir():  # is_dir follows the link, only to tell what it is
                    yield child, _("a symbolic link (not followed)")
            elif entry.is_dir(follow_symlinks=False):
                if depth >= MAX_DEPTH:
                    yield child, _("folders nested more than {n} deep are not read").format(n=MAX_DEPTH)
                    continue
                try:
                    inner = os.open(name, _FOLDER, dir_fd=fd)
                except OSError as exc:
                    reason = (_("a symbolic link (not followed)") if exc.errno in (errno.ELOOP, errno.ENOTDIR)
                              else _("cannot read: {reason}").format(reason=exc.strerror))
                    yield child, reason
                    continue
                try:
                    yield from _walk_folder(child, inner, depth + 1)
                finally:
                    os.close(inner)
            elif wanted:
                if entry.is_file(follow_symlinks=False):
                    yield Found(child, fd)
                else:
                    yield child, _("not a regular file (a device, a FIFO, a socket or a directory)")
        except OSError as exc:
            yield child, _("cannot read: {reason}").format(reason=exc.strerror)


# -- field helpers ---------------------------------------------------------------------------------

def _moment(value: Any, timezone: str) -> datetime | None:
    """A front-matter or feed date (datetime, date or text) as aware UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return parse_time(value.isoformat(), timezone)
    if isinstance(value, date):
        return parse_time(datetime.combine(value, time()).isoformat(), timezone)
    if isinstance(value, str):
        return parse_time(value, timezone)
    raise ImportProblem(_("{value} is not a date").format(value=reprlib.repr(value)))


def _names(value: Any) -> list[str]:
    """Tags or categories given as a list or as ``"a, b"``."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    raise ImportProblem(_("tags must be a list or comma-separated text"))


def _text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    raise ImportProblem(_("{name} must be text").format(name=name))


def _uuid_of(value: Any) -> str:
    """A UUID from ``urn:uuid:…`` or a bare UUID; any other id maps to a stable UUID (so re-imports match)."""
    text = _text(value, "id")
    if not text:
        return ""
    bare = text[len("urn:uuid:"):] if text.lower().startswith("urn:uuid:") else text
    try:
        return str(uuidlib.UUID(bare))
    except ValueError:
        return str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, text))


def _reactions(value: Any) -> dict[str, int] | None:
    if not isinstance(value, dict):
        return None
    return {name: count for name, count in value.items() if name in REACTIONS and isinstance(count, int)
            and not isinstance(count, bool) and count >= 0}


def html_to_markdown(html: str) -> str:
    """Foreign HTML to Markdown: first cut to our allow-list (scripts and styles go with their content)."""
    clean = nh3.clean(html, tags=ALLOWED_TAGS | FOREIGN_TAGS, attributes={"a": {"href"}, "img": {"src", "alt"}},
                      url_schemes={"http", "https", "mailto"}, link_rel=None)
    return markdownify(clean, heading_style="ATX", bullets="-").strip()


# -- Markdown with front matter ----------------------------------------------------------------------

class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing anchors and aliases and nesting beyond :data:`MAX_YAML_DEPTH`.

    Aliases are how a few hundred bytes ("billion laughs") become gigabytes once expanded, and
    nobody writes them in a Hugo or Jekyll header.
    """

    def __init__(self, stream: str):
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ImportProblem(_("the front matter uses a YAML anchor or alias (& or *); they are not accepted"))
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                raise ImportProblem(_("the front matter is nested more than {n} levels deep").format(
                    n=MAX_YAML_DEPTH))
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _front_matter_size(text: str) -> None:
    if len(text) > MAX_FRONT_MATTER:
        raise ImportProblem(_("the front matter is larger than {n} KiB").format(n=MAX_FRONT_MATTER // 1024))


class _YAMLFrontMatter(YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        _front_matter_size(fm)
        return yaml.load(fm, Loader=_FrontMatterLoader)  # noqa: S506 - a SafeLoader without aliases


class _JSONFrontMatter(JSONHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        _front_matter_size(fm)
        return load_json(fm, max_depth=MAX_YAML_DEPTH)


_FRONT_MATTER = (_YAMLFrontMatter(), _JSONFrontMatter())


def _front_matter(text: str) -> frontmatter.Post:
    """The front matter and body, through the bounded handlers only (never python-frontmatter's own choice)."""
    stripped = text.strip()
    handler = next((handler for handler in _FRONT_MATTER if handler.detect(stripped)), None)
    if handler is None:
        return frontmatter.Post(stripped)
    return frontmatter.loads(text, handler=handler)


def read_markdown(path: Path, text: str) -> Source:
    """Hugo/Jekyll fields: title, slug, date, lastmod, draft, tags, categories, summary/description, author, unit, image."""
    try:
        post = _front_matter(text)
    except RecursionError as exc:
        raise ImportProblem(_("the front matter is nested too deeply")) from exc
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        raise ImportProblem(_("broken front matter: {reason}").format(reason=brief(str(exc), 200))) from exc
    meta = post.metadata
    if not isinstance(meta, dict):
        raise ImportProblem(_("the front matter is not a set of fields"))
    title = _text(meta.get("title"), "title")
    if not title:
        raise ImportProblem(_("no title in the front matter"))
    tz = get_settings().timezone
    unit = _text(meta.get("unit"), "unit")
    authors = meta.get("authors", meta.get("author"))
    author_list = [authors] if isinstance(authors, str) else authors if isinstance(authors, list) else []
    bylines = []
    for author in author_list:
        name, own_unit = parse_byline(str(author))
        bylines.append((name, own_unit or unit))
    images = meta.get("images")
    image = meta.get("image") or meta.get("featured_image") or (images[0] if isinstance(images, list) and images
                                                                 else "")
    slug = _text(meta.get("slug"), "slug")
    if not slug:
        slug = path.parent.name if path.stem in ("index", "_index") else path.stem
    return Source(
        origin=str(path), title=title, body=post.content, uuid=_uuid_of(meta.get("uuid") or meta.get("id")),
        slug=slug, summary=_text(meta.get("summary") or meta.get("description"), "summary"),
        tags=_names(meta.get("tags")) + _names(meta.get("categories")), bylines=bylines,
        language=_text(meta.get("language") or meta.get("lang"), "language"), image_url=_text(image, "image"),
        image_alt=_text(meta.get("image_alt"), "image_alt"),
        published_at=_moment(meta.get("date") or meta.get("publishDate"), tz),
        modified_at=_moment(meta.get("lastmod"), tz), draft=bool(meta.get("draft", False)),
        reactions=_reactions(meta.get("reactions")),
    )


# -- JSON Feed ---------------------------------------------------------------------------------------

def read_feed(path: Path, text: str) -> list[Source | ImportProblem]:
    """JSON Feed 1.0 or 1.1: every item becomes a source; a broken item is reported on its own."""
    try:
        data = load_json(text, max_values=MAX_JSON_VALUES)
    except RecursionError as exc:
        raise ImportProblem(_("not valid JSON: nested too deeply")) from exc
    except ValueError as exc:
        raise ImportProblem(_("not valid JSON: {reason}").format(reason=exc)) from exc
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org/version/1"):
        raise ImportProblem(_("not a JSON Feed (no jsonfeed.org version)"))
    items = data.get("items")
    if not isinstance(items, list):
        raise ImportProblem(_("the feed has no items list"))
    tz = get_settings().timezone
    sources: list[Source | ImportProblem] = []
    for number, item in enumerate(items, start=1):
        try:
            sources.append(_feed_item(path, item, data.get("language", ""), tz))
        except (ImportProblem, BeritaError) as exc:
            sources.append(ImportProblem(_("item {n}: {reason}").format(n=number, reason=exc)))
    return sources


def _feed_item(path: Path, item: Any, feed_language: Any, tz: str) -> Source:
    if not isinstance(item, dict):
        raise ImportProblem(_("an item must be an object"))
    ext = item.get(EXTENSION) if isinstance(item.get(EXTENSION), dict) else {}
    title = _text(item.get("title"), "title")
    if not title:
        raise ImportProblem(_("the item has no title"))
    if isinstance(ext.get("markdown"), str):
        body = ext["markdown"]
    elif isinstance(item.get("content_text"), str):
        body = item["content_text"]
    elif isinstance(item.get("content_html"), str):
        if len(item["content_html"]) > MAX_HTML:
            raise ImportProblem(_("content_html is larger than {n} MiB").format(n=MAX_HTML >> 20))
        body = html_to_markdown(item["content_html"])
    else:
        raise ImportProblem(_("the item has neither content_text nor content_html"))
    authors = item.get("authors")
    if not isinstance(authors, list):
        authors = [item["author"]] if isinstance(item.get("author"), dict) else []
    bylines = []
    for author in authors:
        if isinstance(author, dict) and _text(author.get("name"), "author"):
            unit = author.get(EXTENSION, {}).get("unit", "") if isinstance(author.get(EXTENSION), dict) else ""
            bylines.append((_text(author["name"], "author"), _text(unit, "unit")))
    slug = _text(ext.get("slug"), "slug") or _url_slug(_text(item.get("url"), "url"))
    return Source(
        origin=str(path), title=title, body=body, uuid=_uuid_of(item.get("id")), slug=slug,
        summary=_text(item.get("summary"), "summary"), tags=_names(item.get("tags")), bylines=bylines,
        language=_text(item.get("language") or feed_language, "language"),
        image_url=_text(item.get("image"), "image"), image_alt=_text(ext.get("image_alt"), "image_alt"),
        published_at=_moment(item.get("date_published"), tz), modified_at=_moment(item.get("date_modified"), tz),
        reactions=_reactions(ext.get("reactions")),
        page_form=bool(ext) and "markdown" not in ext,
    )


def _url_slug(url: str) -> str:
    last = urlparse(url).path.rstrip("/").rsplit("/", 1)[-1] if url else ""
    return last.rsplit(".", 1)[0] if last.endswith((".html", ".htm", ".php")) else last


# -- plain text as the institution's website shows it --------------------------------------------------

def read_plain_text(path: Path, text: str) -> Source:
    """Title line (often repeated), body, ``Penulis: NAME (UNIT)``, then a "What's Your Reaction?" block."""
    lines = [line.replace("\u00a0", " ").rstrip() for line in text.splitlines()]
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise ImportProblem(_("the file is empty"))
    title = " ".join(lines.pop(0).split())
    lines = _drop_repeated_title(lines, title)
    lines, reactions = _split_reactions(lines)
    bylines: list[tuple[str, str]] = []
    for index in range(len(lines) - 1, -1, -1):
        match = BYLINE_LINE.match(lines[index].strip())
        if match:
            name = match.group(1).strip()
            bylines = [parse_byline(name)] if name else []
            del lines[index:]
            break
    return Source(origin=str(path), title=title, body=plain_to_markdown(lines), bylines=bylines,
                  reactions=reactions)


def _drop_repeated_title(lines: list[str], title: str) -> list[str]:
    for index, line in enumerate(lines):
        if line.strip():
            if " ".join(line.split()) == title:
                return lines[index + 1:]
            break
    return lines


def _split_reactions(lines: list[str]) -> tuple[list[str], dict[str, int] | None]:
    for index, line in enumerate(lines):
        if REACTION_HEADING.match(line.strip()):
            words = [part.strip().lower() for part in lines[index + 1:] if part.strip()]
            counts: dict[str, int] = {}
            for name, count in zip(words[::2], words[1::2], strict=False):
                if name in REACTIONS and count.isdigit():
                    counts[name] = int(count)
            return lines[:index], counts
    return lines, None


def _escape_line(line: str) -> str:
    """Plain text must not turn into Markdown structure by accident (a line starting with ``#`` or ``1.``)."""
    match = MARKDOWN_START.match(line)
    if not match:
        return line
    indent = match.group(1)
    return indent + "\\" + line[len(indent):]


def _escape_inline(line: str) -> str:
    """Characters that would start emphasis, code or a link in Markdown stay literal."""
    for char in ("*", "_", "`", "["):
        line = line.replace(char, "\\" + char)
    return line


def plain_to_markdown(lines: list[str]) -> str:
    """Paragraphs stay paragraphs; ``•`` bullet lines become a Markdown list."""
    out: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        if BULLET.match(line):
            item = "- " + _escape_inline(_escape_line(BULLET.sub("", line)))
            if out and out[-1] != "" and not out[-1].startswith("- "):
                out.append("")
            out.append(item)
            continue
        if out and out[-1].startswith("- "):
            out.append("")
        out.append(_escape_inline(_escape_line(line)))
    return "\n".join(out).strip() + "\n"


# -- writing ------------------------------------------------------------------------------------------

def _match(source: Source) -> Article | None:
    """The article this source updates: same uuid, else same slug (as given or as the title makes it)."""
    if source.uuid:
        found = Article.get_or_none(Article.uuid == source.uuid)
        if found is not None:
            return found
    slug = slugs.normalize_slug(source.slug) or slugs.base_slug(source.title, source.uuid or "00000000")
    return Article.get_or_none(Article.slug == slug)


class _LeftAlone(Exception):
    """An article past the draft stage that an import which did not ask for a status would change."""


def apply_source(actor: User, source: Source, status: str | None,
                 rendered: Rendered | None = None, *, keep_status: bool = False) -> tuple[str, Article]:
    """Create or update one article; returns ("created"|"updated"|"unchanged", article).

    Where it ends: ``status`` when given; with ``keep_status``, what the source says (``draft: true``
    gives a draft, anything else is published); otherwise a draft.  Without either, an article that is
    already in review, scheduled, published or archived is left as it is: changing its text would put
    it on the site (or in an editor's queue) unreviewed, so such a source raises :class:`ImportProblem`.

    The body is rendered before the transaction opens (or was, by the caller: ``rendered``),
    so the write lock is held only for the SQL.
    """
    asked = status is not None or keep_status
    target = status or ("draft" if source.draft or not keep_status else "published")
    draft = source.as_draft(slug=False)
    draft.bylines = draft.bylines or None  # a file that names nobody keeps the article's bylines
    rendered = rendered or prerender(source.body)
    with current_database().atomic():
        existing = _match(source)
        if existing is not None and source.page_form:
            return "unchanged", existing
        if existing is None:
            draft.slug = source.slug or None
            article = create_article(actor, draft, reason="import", article_uuid=source.uuid or None,
                                     prerendered=rendered)
            action = "created"
        else:
            if source.slug and slugs.normalize_slug(source.slug) != existing.slug:
                draft.slug = source.slug
            before = existing.version
            try:
                with current_database().atomic():  # a savepoint: undone when the article must be left alone
                    article = save_article(actor, existing.id, existing.version, draft, reason="import",
                                           prerendered=rendered)
                    if not asked and existing.status != "draft" and article.version != before:
                        raise _LeftAlone
            except _LeftAlone:
                raise ImportProblem(_(
                    "{slug} is {status} and the file would change it; import it with --status or --keep-status "
                    "to change it").format(slug=existing.slug, status=status_label(existing.status))) from None
            action = "updated" if article.version != before else "unchanged"
            if not asked and existing.status != "draft":
                return action, Article.get_by_id(article.id)  # unchanged, and left where it is
        changed = set_imported_state(actor, article.id, target, published_at=source.published_at,
                                     modified_at=source.modified_at, reactions=source.reactions)
        if changed and action == "unchanged":
            action = "updated"
    return action, Article.get_by_id(article.id)


class _DryRun(Exception):
    """Raised at the end of a dry run to roll every change back."""


def import_paths(actor: User, paths: list[str | Path], *, dry_run: bool = False,
                 status: str | None = None, keep_status: bool = False) -> ImportReport:
    """Import files and directories; bad files are reported and skipped, the rest goes in.

    Articles arrive as drafts unless ``status`` names another state or ``keep_status`` takes the
    one the source gives (see :func:`apply_source`); only an editor may import at all.
    ``dry_run`` runs the whole import inside one transaction and rolls it back,
    so the report is exact and nothing is kept.
    """
    # The role as it is now; each article's transaction asks again (set_imported_state), so a login
    # demoted in the middle of an import writes nothing more.
    actor = require(actor, "editor", _("Only an editor may import articles"))
    if status is not None and status not in IMPORT_STATES:
        raise ValidationError(_("--status must be one of: {statuses}").format(statuses=", ".join(IMPORT_STATES)))
    if status is not None and keep_status:
        raise ValidationError(_("Give either --status or --keep-status, not both"))
    for path in paths:
        if not os.path.lexists(path):
            raise NotFound(_("No file or directory {path}").format(path=brief(str(path), 500)))
    report = ImportReport(dry_run=dry_run)
    found = walk([Path(p) for p in paths])
    if not dry_run:
        _import_sources(actor, _prepared(found, report), status, keep_status, report)
        return report
    # A dry run must roll everything back, so it is one transaction: every file is read and
    # rendered first, and the transaction holds the write lock only for the SQL.
    prepared = list(_prepared(found, report))
    try:
        with current_database().atomic():
            _import_sources(actor, prepared, status, keep_status, report)
            raise _DryRun
    except _DryRun:
        pass
    return report


Prepared = tuple[Path, Source, Rendered | None]


def _prepared(found: Iterable[Found | tuple[Path, str]], report: ImportReport) -> Iterator[Prepared]:
    """Each file read and each body rendered (no database lock is held meanwhile); problems go in the report.

    Each file is read as soon as the walk finds it, while its directory is open.
    """
    for entry in found:
        if isinstance(entry, tuple):
            report.skip(*entry)
            continue
        path = entry.path
        try:
            sources = read_sources(path, entry.dir_fd)
        except (ImportProblem, BeritaError) as exc:
            report.skip(path, exc)
            continue
        except RecursionError:
            report.skip(path, _("cannot be read: nested too deeply"))
            continue
        except Exception as exc:  # noqa: BLE001 - a parser choking on one file must not stop the others
            report.skip(path, _("cannot be read: {reason}").format(reason=brief(f"{type(exc).__name__}: {exc}", 200)))
            continue
        for source in sources:
            if isinstance(source, ImportProblem):
                report.skip(path, source)
                continue
            try:
                rendered = prerender(source.body)
            except BeritaError as exc:
                report.skip(path, exc)
                continue
            yield path, source, rendered


def _import_sources(actor: User, prepared: Iterable[Prepared], status: str | None, keep_status: bool,
                    report: ImportReport) -> None:
    for path, source, rendered in prepared:
        try:
            action, article = apply_source(actor, source, status, rendered, keep_status=keep_status)
        except (BeritaError, ImportProblem) as exc:
            report.skip(path, exc)
            continue
        setattr(report, action, getattr(report, action) + 1)
        report.articles.append((action, article.slug, article.status))
