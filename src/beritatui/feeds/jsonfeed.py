"""JSON Feed 1.1 documents built from the database, serialized byte-for-byte reproducibly.

Every string is written with ``<``, ``>`` and ``&`` escaped as ``\\u003c``,
``\\u003e`` and ``\\u0026``, so no raw markup appears in an exported file even
where a title or plain text quotes some; keys come in a fixed order and no
generation time is written, so the same database always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from beritatui.core.models import REACTIONS, Article, ArticleTag, Byline, Reactions, Tag
from beritatui.core.site import SiteSettings
from beritatui.core.timeparse import rfc3339

VERSION = "https://jsonfeed.org/version/1.1"
EXTENSION = "_beritatui"
EXTENSION_ABOUT = "https://github.com/beritatui/beritatui/blob/main/docs/feeds.md#the-_beritatui-extension"
# Bump when the layout of exported bytes changes, so the next export rebuilds everything.
FORMAT = 1

def dumps(value: Any) -> str:
    """Compact JSON with markup characters escaped (safe inside any string value)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@dataclass(frozen=True)
class FeedHead:
    """The feed-level fields of one page, before its items."""

    title: str
    home_page_url: str
    feed_url: str
    next_url: str | None = None


def settings_key(settings: SiteSettings) -> str:
    """Changes whenever a setting that appears in exported bytes changes (then everything is rebuilt)."""
    parts = [str(FORMAT), settings.title, settings.description, settings.base_url, settings.home_page_url,
             settings.language, settings.timezone, settings.article_url_template, str(settings.feed_page_size),
             settings.icon, settings.favicon]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def feed_url(settings: SiteSettings, path: str) -> str:
    """Feeds are served from the website's root: ``<base_url>/<path>``."""
    return f"{settings.base_url}/{path}"


def head_json(settings: SiteSettings, head: FeedHead) -> str:
    """The feed object without its closing brace, ready for ``,"items":[…]}``."""
    data: dict[str, Any] = {"version": VERSION, "title": head.title}
    if head.home_page_url:
        data["home_page_url"] = head.home_page_url
    data["feed_url"] = head.feed_url
    if settings.description:
        data["description"] = settings.description
    data["language"] = settings.language
    if settings.icon:
        data["icon"] = settings.icon
    if settings.favicon:
        data["favicon"] = settings.favicon
    author: dict[str, Any] = {"name": settings.title}
    if settings.home_page_url:
        author["url"] = settings.home_page_url
    data["authors"] = [author]
    if head.next_url:
        data["next_url"] = head.next_url
    return dumps(data)[:-1]


def feed_bytes(settings: SiteSettings, head: FeedHead, items: Iterable[str]) -> bytes:
    """One feed page from already serialized items (``items`` always comes last)."""
    return (head_json(settings, head) + ',"items":[' + ",".join(items) + "]}\n").encode("utf-8")


def fingerprint(uuid: str, version: int, modified: str, published: str, slug: str, reactions: Iterable[int],
                tags: str) -> str:
    """Everything that can change an exported item, hashed (the manifest compares these)."""
    text = "\x1f".join((uuid, str(version), modified, published, slug, ",".join(map(str, reactions)), tags))
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def _grouped(rows: Iterable[Any], key: str) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(getattr(row, key), []).append(row)
    return grouped


def build_items(settings: SiteSettings, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The JSON Feed item of each published article in ``ids`` (a few queries for the whole batch)."""
    if not ids:
        return {}
    articles = list(Article.select().where(Article.id.in_(ids)))
    bylines = _grouped(Byline.select().where(Byline.article.in_(ids)).order_by(Byline.article, Byline.position),
                       "article_id")
    tag_rows = (Tag.select(ArticleTag.article, Tag.name).join(ArticleTag)
                .where(ArticleTag.article.in_(ids)).order_by(ArticleTag.article, ArticleTag.position))
    tags: dict[int, list[str]] = {}
    for article_id, name in tag_rows.tuples():
        if not name.startswith("#"):
            tags.setdefault(article_id, []).append(name)
    reactions = {row.article_id: row.as_dict() for row in Reactions.select().where(Reactions.article.in_(ids))}
    return {
        article.id: item_dict(settings, article, [(b.name, b.unit) for b in bylines.get(article.id, [])],
                              tags.get(article.id, []), reactions.get(article.id) or dict.fromkeys(REACTIONS, 0))
        for article in articles
    }


def item_dict(settings: SiteSettings, article: Article, bylines: list[tuple[str, str]], tags: list[str],
              reactions: dict[str, int]) -> dict[str, Any]:
    """One item, keys in a fixed order; empty optional fields are left out."""
    tz = settings.timezone
    item: dict[str, Any] = {
        "id": f"urn:uuid:{article.uuid}",
        "url": settings.article_url(article.slug, article.uuid),
        "title": article.title,
        "content_html": article.body_html,
        "content_text": article.body_text,
    }
    if article.summary:
        item["summary"] = article.summary
    if article.image_url:
        item["image"] = article.image_url
    item["date_published"] = rfc3339(article.published_at or article.created_at, tz)
    item["date_modified"] = rfc3339(article.modified_at, tz)
    if bylines:
        item["authors"] = [_author(name, unit) for name, unit in bylines]
    if tags:
        item["tags"] = tags
    item["language"] = article.language
    item[EXTENSION] = {
        "about": EXTENSION_ABOUT,
        "slug": article.slug,
        "unit": next((unit for _name, unit in bylines if unit), ""),
        "primary_tag": tags[0] if tags else "",
        "reactions": {name: int(reactions.get(name, 0)) for name in REACTIONS},
        "image_alt": article.image_alt,
        "markdown": article.body,
    }
    return item


def _author(name: str, unit: str) -> dict[str, Any]:
    author: dict[str, Any] = {"name": name}
    if unit:
        author[EXTENSION] = {"unit": unit}
    return author
