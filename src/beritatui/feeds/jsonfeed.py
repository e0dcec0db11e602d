"""JSON Feed 1.1 documents built from the database, serialized byte-for-byte reproducibly.

Every string is written with ``<``, ``>`` and ``&`` escaped as ``\\u003c``,
``\\u003e`` and ``\\u0026``, so no raw markup appears in an exported file even
where a title or plain text quotes some; keys come in a fixed order and no
generation time is written, so the same database always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from beritatui.core.database import current_database
from beritatui.core.models import REACTIONS, Article
from beritatui.core.site import SiteSettings
from beritatui.core.timeparse import rfc3339

VERSION = "https://jsonfeed.org/version/1.1"
EXTENSION = "_beritatui"
EXTENSION_ABOUT = "https://github.com/beritatui/beritatui/blob/main/docs/feeds.md#the-_beritatui-extension"
# Bump when the layout of exported bytes changes, so the next export rebuilds everything.
FORMAT = 1

# One encoder for every call: ``json.dumps`` with arguments builds a new one each time, which costs
# more than encoding a feed head.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def dumps(value: Any) -> str:
    """Compact JSON with markup characters escaped (safe inside any string value)."""
    text = _encode(value)
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


_ITEM_COLUMNS = ("id", "uuid", "slug", "title", "body_html", "body_text", "summary", "image_url", "published_at",
                 "created_at", "modified_at", "language", "image_alt", "body")
_ITEM_SQL = (
    "SELECT " + ", ".join(f"a.{name}" for name in _ITEM_COLUMNS) + ", "
    + ", ".join(f"r.{name}_count" for name in REACTIONS)
    + " FROM article a LEFT JOIN reactions r ON r.article_id = a.id WHERE a.id IN ({marks})"
)
_BYLINE_SQL = "SELECT article_id, name, unit FROM byline WHERE article_id IN ({marks}) ORDER BY article_id, position"
_TAG_SQL = (
    "SELECT at.article_id, t.name FROM article_tag at JOIN tag t ON t.id = at.tag_id "
    "WHERE at.article_id IN ({marks}) ORDER BY at.article_id, at.position"
)


class _Stored:
    """The columns an item needs, read as plain tuples: building model instances cost more than the JSON."""

    __slots__ = _ITEM_COLUMNS

    def __init__(self, values: Sequence[Any]):
        for name, value in zip(_ITEM_COLUMNS, values, strict=False):
            setattr(self, name, value)
        for name in ("published_at", "created_at", "modified_at"):
            setattr(self, name, _moment(getattr(self, name)))


def _moment(value: Any) -> datetime | None:
    """A stored time (naive UTC text, as the models write it) as an aware datetime."""
    if value is None or isinstance(value, datetime):
        moment = value
    else:
        moment = datetime.fromisoformat(str(value))
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _bylines_and_tags(ids: list[int], marks: str, public_tags: Mapping[int, list[str]] | None
                      ) -> tuple[dict[int, list[tuple[str, str]]], Mapping[int, list[str]]]:
    """Bylines of every article in ``ids`` (one query), and its public tags unless the caller has them."""
    bylines: dict[int, list[tuple[str, str]]] = {}
    for article_id, name, unit in current_database().execute_sql(_BYLINE_SQL.format(marks=marks), ids):
        bylines.setdefault(article_id, []).append((name, unit))
    return bylines, public_tags if public_tags is not None else _public_tags(ids, marks)


def build_items(settings: SiteSettings, ids: list[int],
                public_tags: Mapping[int, list[str]] | None = None) -> dict[int, dict[str, Any]]:
    """The JSON Feed item of each published article in ``ids`` (three queries for the whole batch).

    ``public_tags`` (article id -> public tag names in order) saves the tag query when the caller
    already read them.
    """
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    bylines, public_tags = _bylines_and_tags(ids, marks, public_tags)
    items = {}
    width = len(_ITEM_COLUMNS)
    for record in current_database().execute_sql(_ITEM_SQL.format(marks=marks), ids).fetchall():
        article = _Stored(record)
        reactions = dict(zip(REACTIONS, (count or 0 for count in record[width:]), strict=True))
        items[article.id] = item_dict(settings, article, bylines.get(article.id, []),
                                      list(public_tags.get(article.id, [])), reactions)
    return items


# The three long texts of an item are read as UTF-8 bytes and escaped with byte replacements, then
# spliced into the JSON of the rest of the item: the same bytes ``dumps`` gives, at a tenth of its cost
# (decoding, encoding, escaping and re-encoding 12 kB per article dominated a full export).
_ENCODED_SQL = (
    "SELECT a.id, a.uuid, a.slug, a.title, '', '', a.summary, a.image_url, a.published_at, a.created_at, "
    "a.modified_at, a.language, a.image_alt, '', "
    + ", ".join(f"r.{name}_count" for name in REACTIONS)
    + ", CAST(a.body_html AS BLOB), CAST(a.body_text AS BLOB), CAST(a.body AS BLOB) "
    "FROM article a LEFT JOIN reactions r ON r.article_id = a.id WHERE a.id IN ({marks})"
)
_TEXTS_SLOT = b',"content_html":"","content_text":""'
_MARKDOWN_SLOT = b'"markdown":""}}'
_CONTROL_BYTES = [code for code in range(32) if code not in (9, 10, 13)]


def json_string_body(raw: bytes) -> bytes:
    """UTF-8 text as the inside of a JSON string, byte for byte what :func:`dumps` writes for it."""
    if any(map(raw.__contains__, _CONTROL_BYTES)):  # rare: let the json module spell \u00XX escapes
        return dumps(raw.decode("utf-8"))[1:-1].encode("utf-8")
    return (raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"').replace(b"\n", b"\\n").replace(b"\r", b"\\r")
            .replace(b"\t", b"\\t").replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026"))


@dataclass(frozen=True)
class EncodedItem:
    """One item serialized (UTF-8 JSON), with what its own feed file's head needs."""

    title: str
    url: str
    data: bytes


def encode_items(settings: SiteSettings, ids: list[int],
                 public_tags: Mapping[int, list[str]] | None = None) -> dict[int, EncodedItem]:
    """The same bytes as ``dumps(build_items(...)[id])`` for each article in ``ids``, built for speed."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    bylines, public_tags = _bylines_and_tags(ids, marks, public_tags)
    encoded = {}
    width = len(_ITEM_COLUMNS)
    for record in current_database().execute_sql(_ENCODED_SQL.format(marks=marks), ids).fetchall():
        article = _Stored(record)
        reactions = dict(zip(REACTIONS, (count or 0 for count in record[width:width + len(REACTIONS)]),
                             strict=True))
        item = item_dict(settings, article, bylines.get(article.id, []), list(public_tags.get(article.id, [])),
                         reactions)
        html, text, markdown = record[width + len(REACTIONS):]
        head, found, rest = dumps(item).encode("utf-8").partition(_TEXTS_SLOT)
        if not found or not rest.endswith(_MARKDOWN_SLOT):
            raise AssertionError("item layout changed; update encode_items")
        data = b"".join((head, b',"content_html":"', json_string_body(html or b""), b'","content_text":"',
                         json_string_body(text or b""), b'"', rest[:-len(_MARKDOWN_SLOT)], b'"markdown":"',
                         json_string_body(markdown or b""), b'"}}'))
        encoded[article.id] = EncodedItem(item["title"], item["url"], data)
    return encoded


def _public_tags(ids: list[int], marks: str) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = {}
    for article_id, name in current_database().execute_sql(_TAG_SQL.format(marks=marks), ids):
        if not name.startswith("#"):
            tags.setdefault(article_id, []).append(name)
    return tags


def item_dict(settings: SiteSettings, article: Article | _Stored, bylines: list[tuple[str, str]], tags: list[str],
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
