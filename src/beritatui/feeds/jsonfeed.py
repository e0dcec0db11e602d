"""JSON Feed 1.1 documents built from the database, serialized byte-for-byte reproducibly.

Every string is written with ``<``, ``>`` and ``&`` escaped as ``\\u003c``,
``\\u003e`` and ``\\u0026``, so no raw markup appears in an exported file even
where a title or plain text quotes some; keys come in a fixed order and no
generation time is written, so the same database always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from beritatui.core.sitevalue import SiteSettings
from beritatui.core.urls import is_http_url
from beritatui.core.vocabulary import REACTIONS, is_internal_tag

VERSION = "https://jsonfeed.org/version/1.1"
EXTENSION = "_beritatui"
EXTENSION_ABOUT = "https://github.com/beritatui/beritatui/blob/main/docs/feeds.md#the-_beritatui-extension"
# Bump when the layout of exported bytes changes, so the next export rebuilds everything.
# 2: feed pages carry items without content_text and markdown (articles/<slug>.json keeps them).
# 3: archive pages are numbered from the oldest (a new article no longer moves every page).
FORMAT = 3

# One encoder for every call: ``json.dumps`` with arguments builds a new one each time, which costs
# more than encoding a feed head.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_quote = json.encoder.encode_basestring  # '"…"' exactly as dumps spells a string (ensure_ascii off)


def escape_markup(json_text: str) -> str:
    """``<``, ``>`` and ``&`` as JSON escapes: they only occur inside strings, so the whole text can be done."""
    return json_text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def dumps(value: Any) -> str:
    """Compact JSON with markup characters escaped (safe inside any string value)."""
    return escape_markup(_encode(value))


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
    home = f',"home_page_url":{_quote(head.home_page_url)}' if head.home_page_url else ""
    following = f',"next_url":{_quote(head.next_url)}' if head.next_url else ""
    text = (f'{{"version":"{VERSION}","title":{_quote(head.title)}{home},"feed_url":{_quote(head.feed_url)}'
            f"{_site_part(settings)}{following}")
    return escape_markup(text)


@lru_cache(maxsize=8)
def _site_part(settings: SiteSettings) -> str:
    """What every feed head says of the site (the same for every page and article of an export)."""
    data: dict[str, Any] = {}
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
    return "," + _encode(data)[1:-1]


def article_feed_bytes(settings: SiteSettings, rel: str, item: EncodedItem) -> bytes:
    """``articles/<slug>.json``: a feed whose one item is the whole article, headed by its title and URL."""
    head = FeedHead(title=item.title, home_page_url=item.url, feed_url=feed_url(settings, rel))
    return b"".join((head_json(settings, head).encode("utf-8"), b',"items":[', item.data, b"]}\n"))


# What the manifest fingerprints of an article, spelled by SQL (one string a row, no Python per field):
# everything an exported item shows but its text, whose every change moves ``version``.  The public tag
# names are added by :func:`fingerprint`.
FINGERPRINT_SQL = (
    "a.uuid || char(31) || a.version || char(31) || COALESCE(a.modified_at, '') || char(31) "
    "|| COALESCE(a.published_at, '') || char(31) || a.slug || char(31) || "
    + " || ',' || ".join(f"COALESCE(r.{name}_count, 0)" for name in REACTIONS)
)


def fingerprint(text: str, tags: Iterable[str]) -> str:
    """The fingerprint of an article from its :data:`FINGERPRINT_SQL` text and public tag names, hashed."""
    return hashlib.sha1(f"{text}\x1f{chr(31).join(tags)}".encode()).hexdigest()[:16]


_BYLINE_SQL = "SELECT article_id, name, unit FROM byline WHERE article_id IN ({marks}) ORDER BY article_id, position"
# The corrections an item lists (``_beritatui.corrections``): those published with a note, oldest first.
_CORRECTION_SQL = ("SELECT article_id, decided_at, note FROM correction WHERE article_id IN ({marks}) "
                   "AND status = 'applied' AND note <> '' ORDER BY article_id, decided_at, id")
_TAG_SQL = (
    "SELECT at.article_id, t.name FROM article_tag at JOIN tag t ON t.id = at.tag_id "
    "WHERE at.article_id IN ({marks}) ORDER BY at.article_id, at.position"
)


def _moment(value: Any) -> datetime | None:
    """A stored time (naive UTC text, as the models write it) as an aware datetime."""
    if value is None or isinstance(value, datetime):
        moment = value
    else:
        moment = datetime.fromisoformat(str(value))
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


Execute = Callable[[str, Sequence[Any]], Any]


def _execute() -> Execute:
    # Imported here: the export's worker processes use this module without the database layer.
    from beritatui.core.database import current_database

    return current_database().execute_sql


def _bylines_and_tags(ids: list[int], marks: str, public_tags: Mapping[int, list[str]] | None,
                      execute: Execute | None = None
                      ) -> tuple[dict[int, list[tuple[str, str]]], Mapping[int, list[str]]]:
    """Bylines of every article in ``ids`` (one query), and its public tags unless the caller has them."""
    bylines: dict[int, list[tuple[str, str]]] = {}
    for article_id, name, unit in (execute or _execute())(_BYLINE_SQL.format(marks=marks), ids):
        bylines.setdefault(article_id, []).append((name, unit))
    return bylines, public_tags if public_tags is not None else _public_tags(ids, marks)


# The three long texts of an item are read as UTF-8 bytes and escaped with byte replacements; the short
# fields are spelled with templates and the json module's string encoder.  The result is the bytes
# ``dumps`` gives for the item as a dict of its documented fields (a Hypothesis test builds that dict the
# plain way and compares), at a fraction of its cost: building a dict and encoding it per article
# dominated a full export.
_ENCODED_SQL = (
    "SELECT a.id, a.uuid, a.slug, a.title, a.summary, a.image_url, a.published_at, a.created_at, "
    "a.modified_at, a.language, a.image_alt, "
    + ", ".join(f"COALESCE(r.{name}_count, 0)" for name in REACTIONS)
    + ", CAST(a.body_html AS BLOB), CAST(a.body_text AS BLOB), CAST(a.body AS BLOB), "
    + FINGERPRINT_SQL + ", a.status FROM article a LEFT JOIN reactions r ON r.article_id = a.id WHERE a.id IN ({marks})"
)
_TEXTS = slice(11 + len(REACTIONS), 14 + len(REACTIONS))


def record_fingerprint(record: Sequence[Any], tags: list[str]) -> str:
    """The manifest's fingerprint of an article read with the encoder's query ('' unless it is published)."""
    return fingerprint(record[-2], tags) if record[-1] == "published" else ""
# Control characters other than tab, newline and return (a pass of ``bytes.translate`` finds them six times
# faster than a regular expression).
_CONTROL = bytes(code for code in range(32) if code not in (9, 10, 13))


def json_string_body(raw: bytes) -> bytes:
    """UTF-8 text as the inside of a JSON string, byte for byte what :func:`dumps` writes for it."""
    if len(raw.translate(None, _CONTROL)) != len(raw):  # rare: let the json module spell \u00XX escapes
        return dumps(raw.decode("utf-8"))[1:-1].encode("utf-8")
    return (raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"').replace(b"\n", b"\\n").replace(b"\r", b"\\r")
            .replace(b"\t", b"\\t").replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026"))


def _markup_safe(text: str) -> bytes:
    return escape_markup(text).encode("utf-8")


def _site_time(value: Any, zone: ZoneInfo) -> str:
    """A stored time (naive UTC text) in the site's zone, as :func:`rfc3339` writes it."""
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC, microsecond=0).astimezone(zone).isoformat()
    return _moment(value).replace(microsecond=0).astimezone(zone).isoformat()


@dataclass(frozen=True)
class EncodedItem:
    """One item serialized (UTF-8 JSON): whole for its own file, and as feed pages show it."""

    title: str
    url: str
    data: bytes
    page: bytes


class _Encoder:
    """What every item of an export shares, worked out once: the site's zone and URL template, the
    spelling of each distinct byline list and tag list (a newsroom repeats them), the reactions' keys.

    One encoder serves every batch with the same settings, so the spellings outlive a batch; each
    list of spellings is emptied when it reaches ``_SPELLINGS`` entries.
    """

    def __init__(self, settings: SiteSettings):
        self.settings = settings
        self.zone = settings.zone
        self.about = _quote(EXTENSION_ABOUT)
        self.reactions = ",".join(f'"{name}":%d' for name in REACTIONS)
        self.authors: dict[tuple[tuple[str, str], ...], tuple[str, str]] = {}
        self.tag_lists: dict[tuple[str, ...], tuple[str, str]] = {}

    def _authors(self, bylines: list[tuple[str, str]]) -> tuple[str, str]:
        """``authors``, and the extension's ``unit`` (JSON, markup not escaped)."""
        key = tuple(bylines)
        spelled = self.authors.get(key)
        if spelled is None:
            listed = (',"authors":[' + ",".join(
                f'{{"name":{_quote(name)},"{EXTENSION}":{{"unit":{_quote(unit)}}}}}' if unit
                else f'{{"name":{_quote(name)}}}' for name, unit in bylines) + "]") if bylines else ""
            unit = next((unit for _name, unit in bylines if unit), "")
            spelled = _remember(self.authors, key, (listed, f'"unit":{_quote(unit)}'))
        return spelled

    def _tags(self, tags: list[str]) -> tuple[str, str]:
        """``tags``, and the extension's ``primary_tag`` (JSON, markup not escaped)."""
        key = tuple(tags)
        spelled = self.tag_lists.get(key)
        if spelled is None:
            listed = (',"tags":[' + ",".join(map(_quote, tags)) + "]") if tags else ""
            spelled = _remember(self.tag_lists, key, (listed, f',"primary_tag":{_quote(tags[0] if tags else "")}'))
        return spelled

    def _corrections(self, found: list[tuple[Any, str]]) -> str:
        """``_beritatui.corrections``: when and why a public article changed (nothing when it never did)."""
        if not found:
            return ""
        return ',"corrections":[' + ",".join(
            f'{{"date":"{_site_time(when, self.zone)}","note":{_quote(note)}}}' for when, note in found) + "]"

    def encode(self, record: Sequence[Any], bylines: list[tuple[str, str]], tags: list[str],
               corrections: list[tuple[Any, str]] | None = None) -> EncodedItem:
        (_id, uuid, slug, title, summary, image, published, created, modified, language, image_alt) = record[:11]
        html, text, markdown = record[_TEXTS]
        url = self.settings.article_url(slug, uuid)
        head = f'{{"id":"urn:uuid:{uuid}","url":{_quote(url)},"title":{_quote(title)},"content_html":"'
        authors, unit = self._authors(bylines)
        tag_list, primary_tag = self._tags(tags)
        rest = "".join((
            f',"summary":{_quote(summary)}' if summary else "",
            f',"image":{_quote(image)}' if image and is_http_url(image) else "",  # an older release's bad URL: left out
            f',"date_published":"{_site_time(published or created, self.zone)}"'
            f',"date_modified":"{_site_time(modified, self.zone)}"',
            authors, tag_list,
            f',"language":{_quote(language)},"{EXTENSION}":{{"about":{self.about},"slug":{_quote(slug)},',
            unit, primary_tag,
            ',"reactions":{', self.reactions % record[11:11 + len(REACTIONS)], f'}},"image_alt":{_quote(image_alt)}',
            self._corrections(corrections or [])))
        head_bytes, rest_bytes = _markup_safe(head), _markup_safe(rest)
        html_body = json_string_body(html or b"")
        data = b"".join((head_bytes, html_body, b'","content_text":"', json_string_body(text or b""), b'"',
                         rest_bytes, b',"markdown":"', json_string_body(markdown or b""), b'"}}'))
        page = b"".join((head_bytes, html_body, b'"', rest_bytes, b"}}"))
        return EncodedItem(title, url, data, page)


_SPELLINGS = 4096


def _remember(spellings: dict[Any, tuple[str, str]], key: Any, spelled: tuple[str, str]) -> tuple[str, str]:
    if len(spellings) >= _SPELLINGS:
        spellings.clear()
    spellings[key] = spelled
    return spelled


@lru_cache(maxsize=2)
def _encoder(settings: SiteSettings) -> _Encoder:
    return _Encoder(settings)


def encode_items(settings: SiteSettings, ids: list[int], public_tags: Mapping[int, list[str]] | None = None,
                 execute: Execute | None = None, expected: Mapping[int, str] | None = None
                 ) -> dict[int, EncodedItem]:
    """Each published article in ``ids`` as an item: whole for its own file, and as feed pages show it
    (without ``content_text`` and the Markdown, which only its own file needs: every article sits on three
    or four pages).

    ``execute`` runs the queries on another connection (an export's worker process has its own);
    with ``expected`` (id -> fingerprint), an article whose fingerprint is not that one is left out.
    """
    if not ids:
        return {}
    execute = execute or _execute()
    marks = ",".join("?" * len(ids))
    bylines, public_tags = _bylines_and_tags(ids, marks, public_tags, execute)
    corrections: dict[int, list[tuple[Any, str]]] = {}
    for article_id, when, note in execute(_CORRECTION_SQL.format(marks=marks), ids):
        corrections.setdefault(article_id, []).append((when, note))
    encoder = _encoder(settings)
    items = {}
    for record in execute(_ENCODED_SQL.format(marks=marks), ids).fetchall():
        tags = list(public_tags.get(record[0], []))
        if expected is None or record_fingerprint(record, tags) == expected.get(record[0]):
            items[record[0]] = encoder.encode(record, bylines.get(record[0], []), tags, corrections.get(record[0]))
    return items


def _public_tags(ids: list[int], marks: str) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = {}
    for article_id, name in _execute()(_TAG_SQL.format(marks=marks), ids):
        if not is_internal_tag(name):
            tags.setdefault(article_id, []).append(name)
    return tags
