"""``beritatui import``: articles from Markdown with front matter, JSON Feeds and plain-text pages.

Each file becomes one or more :class:`Source` records, then each record is
created or updated through the same core functions an editor uses (so every
rule, the rendering and the search index apply), with a revision of reason
``import``.  A record is matched by its id/uuid first, then by slug, so
importing the same source twice updates instead of duplicating.  A file that
cannot be read is reported with its path and the reason, and skipped.
"""

from __future__ import annotations

import json
import re
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
from markdownify import markdownify

from beritatui.core import slugs
from beritatui.core.articles import (
    ArticleDraft,
    Rendered,
    create_article,
    parse_byline,
    prerender,
    save_article,
)
from beritatui.core.bulk import IMPORT_STATES, set_imported_state
from beritatui.core.database import current_database
from beritatui.core.errors import BeritaError, NotFound, PermissionDenied, ValidationError
from beritatui.core.models import REACTIONS, Article, User
from beritatui.core.site import get_settings
from beritatui.core.textfile import UnreadableText, read_text_file
from beritatui.core.timeparse import parse_time
from beritatui.feeds.jsonfeed import EXTENSION
from beritatui.feeds.render import ALLOWED_TAGS
from beritatui.i18n import _

MAX_FILE_BYTES = 16 * 1024 * 1024
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


@dataclass
class Source:
    """One article as read from a file, before it meets the database."""

    origin: str
    title: str
    body: str
    uuid: str = ""
    slug: str = ""
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    bylines: list[tuple[str, str]] = field(default_factory=list)
    language: str = ""
    image_url: str = ""
    image_alt: str = ""
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
    articles: list[tuple[str, str]] = field(default_factory=list)  # (action, slug)

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "skipped": self.skipped, "dry_run": self.dry_run,
                "problems": [{"path": path, "reason": reason} for path, reason in self.problems],
                "articles": [{"action": action, "slug": slug} for action, slug in self.articles]}

    def summary(self) -> str:
        text = _("{created} created, {updated} updated, {unchanged} unchanged, {skipped} skipped").format(
            created=self.created, updated=self.updated, unchanged=self.unchanged, skipped=self.skipped)
        return _("Dry run: {summary}").format(summary=text) if self.dry_run else text


# -- reading files ---------------------------------------------------------------------------------

def read_text(path: Path) -> str:
    """The file as text, refusing what is too large, binary or not UTF-8."""
    try:
        return read_text_file(path, MAX_FILE_BYTES)
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


def read_sources(path: Path) -> list[Source | ImportProblem]:
    """The articles in one file; a broken item of a feed comes back as an :class:`ImportProblem`."""
    text = read_text(path)
    kind = _kind(path, text)
    if kind == "markdown":
        return [read_markdown(path, text)]
    if kind == "feed":
        return read_feed(path, text)
    return [read_plain_text(path, text)]


def walk(paths: list[Path]) -> Iterator[Path]:
    """Files named directly, and the Markdown/JSON/text files under directories (sorted, hidden skipped)."""
    suffixes = MARKDOWN_SUFFIXES + FEED_SUFFIXES + TEXT_SUFFIXES
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if child.is_file() and child.suffix.lower() in suffixes and not any(
                        part.startswith(".") for part in relative):
                    yield child
        else:
            yield path


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
    raise ImportProblem(_("{value!r} is not a date").format(value=value))


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

def read_markdown(path: Path, text: str) -> Source:
    """Hugo/Jekyll fields: title, slug, date, lastmod, draft, tags, categories, summary/description, author, unit, image."""
    try:
        post = frontmatter.loads(text)
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        raise ImportProblem(_("broken front matter: {reason}").format(
            reason=" ".join(str(exc).split())[:200])) from exc
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
        data = json.loads(text)
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


def apply_source(actor: User, source: Source, status: str | None,
                 rendered: Rendered | None = None) -> tuple[str, Article]:
    """Create or update one article; returns ("created"|"updated"|"unchanged", article).

    The body is rendered before the transaction opens (or was, by the caller: ``rendered``),
    so the write lock is held only for the SQL.
    """
    target = status or ("draft" if source.draft else "published")
    draft = ArticleDraft(title=source.title, summary=source.summary, body=source.body, tags=source.tags,
                         bylines=source.bylines or None, language=source.language or None,
                         image_url=source.image_url, image_alt=source.image_alt)
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
            article = save_article(actor, existing.id, existing.version, draft, reason="import",
                                   prerendered=rendered)
            action = "updated" if article.version != before else "unchanged"
        changed = set_imported_state(actor, article.id, target, published_at=source.published_at,
                                     modified_at=source.modified_at, reactions=source.reactions)
        if changed and action == "unchanged":
            action = "updated"
    return action, Article.get_by_id(article.id)


class _DryRun(Exception):
    """Raised at the end of a dry run to roll every change back."""


def import_paths(actor: User, paths: list[str | Path], *, dry_run: bool = False,
                 status: str | None = None) -> ImportReport:
    """Import files and directories; bad files are reported and skipped, the rest goes in.

    ``dry_run`` runs the whole import inside one transaction and rolls it back,
    so the report is exact and nothing is kept.
    """
    if not actor.is_editor:
        raise PermissionDenied(_("Only an editor may import articles"))
    if status is not None and status not in IMPORT_STATES:
        raise ValidationError(_("--status must be one of: {statuses}").format(statuses=", ".join(IMPORT_STATES)))
    for path in paths:
        if not Path(path).exists():
            raise NotFound(_("No file or directory {path}").format(path=path))
    report = ImportReport(dry_run=dry_run)
    files = list(walk([Path(p) for p in paths]))
    if not dry_run:
        _import_sources(actor, _prepared(files, report), status, report)
        return report
    # A dry run must roll everything back, so it is one transaction: every file is read and
    # rendered first, and the transaction holds the write lock only for the SQL.
    prepared = list(_prepared(files, report))
    try:
        with current_database().atomic():
            _import_sources(actor, prepared, status, report)
            raise _DryRun
    except _DryRun:
        pass
    return report


Prepared = tuple[Path, Source, Rendered | None]


def _prepared(files: list[Path], report: ImportReport) -> Iterator[Prepared]:
    """Each file read and each body rendered (no database lock is held meanwhile); problems go in the report."""
    for path in files:
        try:
            sources = read_sources(path)
        except (ImportProblem, BeritaError) as exc:
            report.skipped += 1
            report.problems.append((str(path), str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - a parser choking on one file must not stop the others
            report.skipped += 1
            report.problems.append((str(path), _("cannot be read: {reason}").format(
                reason=f"{type(exc).__name__}: {exc}"[:200])))
            continue
        for source in sources:
            if isinstance(source, ImportProblem):
                report.skipped += 1
                report.problems.append((str(path), str(source)))
                continue
            try:
                rendered = prerender(source.body)
            except BeritaError as exc:
                report.skipped += 1
                report.problems.append((str(path), str(exc)))
                continue
            yield path, source, rendered


def _import_sources(actor: User, prepared: Iterable[Prepared], status: str | None, report: ImportReport) -> None:
    for path, source, rendered in prepared:
        try:
            action, article = apply_source(actor, source, status, rendered)
        except BeritaError as exc:
            report.skipped += 1
            report.problems.append((str(path), str(exc)))
            continue
        setattr(report, action, getattr(report, action) + 1)
        report.articles.append((action, article.slug))
