"""JSON Feed 1.0 and 1.1 (a beritatui export's or another site's): every item becomes a source.

A feed is refused before parsing when it nests too deeply or holds too many values; foreign HTML is
cut to the renderer's allow-list before it becomes Markdown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import nh3
from markdownify import markdownify

from beritatui.core.errors import BeritaError
from beritatui.core.render import ALLOWED_TAGS
from beritatui.core.site import get_settings
from beritatui.core.textfile import load_json
from beritatui.feeds.jsonfeed import EXTENSION
from beritatui.i18n import _

from .fields import as_moment, as_names, as_reactions, as_text, as_uuid
from .source import ImportProblem, Source

MAX_HTML = 4 * 1024 * 1024  # an item's content_html; the Markdown made of it may be at most 2 MB anyway
MAX_JSON_VALUES = 1_000_000
# Tags other sites use that markdownify understands or unwraps; everything else is dropped first.
FOREIGN_TAGS = {"b", "i", "u", "div", "span", "section", "article", "figure", "figcaption", "sup", "sub"}


def html_to_markdown(html: str) -> str:
    """Foreign HTML to Markdown: first cut to our allow-list (scripts and styles go with their content)."""
    clean = nh3.clean(html, tags=ALLOWED_TAGS | FOREIGN_TAGS, attributes={"a": {"href"}, "img": {"src", "alt"}},
                      url_schemes={"http", "https", "mailto"}, link_rel=None)
    return markdownify(clean, heading_style="ATX", bullets="-").strip()



def read_feed(path: Path, text: str) -> list[Source | ImportProblem]:
    """JSON Feed 1.0 or 1.1: every item becomes a source; a broken item is reported on its own."""
    try:
        data = load_json(text, max_values=MAX_JSON_VALUES)
    except RecursionError as exc:
        raise ImportProblem(_("not valid JSON: nested too deeply")) from exc
    except ValueError as exc:
        raise ImportProblem(_("not valid JSON: {reason}").format(reason=exc)) from exc
    if isinstance(data, dict) and (data.get("withdrawn") is True or list(data) == ["redirects"]):
        return []  # what an export writes beside its feeds (docs/feeds.md): a withdrawn article, the redirects
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org/version/1"):
        raise ImportProblem(_("not a JSON Feed (no jsonfeed.org version)"))
    items = data.get("items")
    if not isinstance(items, list):
        raise ImportProblem(_("the feed has no items list"))
    # An export's changes.json: its items are events of the site's history, not articles.
    items = [item for item in items if not (isinstance(item, dict) and isinstance(item.get(EXTENSION), dict)
                                            and "change" in item[EXTENSION])]
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
    title = as_text(item.get("title"), "title")
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
        if isinstance(author, dict) and as_text(author.get("name"), "author"):
            unit = author.get(EXTENSION, {}).get("unit", "") if isinstance(author.get(EXTENSION), dict) else ""
            bylines.append((as_text(author["name"], "author"), as_text(unit, "unit")))
    slug = as_text(ext.get("slug"), "slug") or _url_slug(as_text(item.get("url"), "url"))
    return Source(
        origin=str(path), title=title, body=body, uuid=as_uuid(item.get("id")), slug=slug,
        summary=as_text(item.get("summary"), "summary"), tags=as_names(item.get("tags")), bylines=bylines,
        language=as_text(item.get("language") or feed_language, "language"),
        image_url=as_text(item.get("image"), "image"), image_alt=as_text(ext.get("image_alt"), "image_alt"),
        published_at=as_moment(item.get("date_published"), tz), modified_at=as_moment(item.get("date_modified"), tz),
        reactions=as_reactions(ext.get("reactions")),
        page_form=bool(ext) and "markdown" not in ext,
    )


def _url_slug(url: str) -> str:
    last = urlparse(url).path.rstrip("/").rsplit("/", 1)[-1] if url else ""
    return last.rsplit(".", 1)[0] if last.endswith((".html", ".htm", ".php")) else last
