"""The export's fast item encoder writes exactly the bytes of the plain one, whatever the text holds."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beritatui.core import bulk, correction_review, site, urls
from beritatui.core.charcheck import hidden_character
from beritatui.core.database import current_database
from beritatui.core.models import REACTIONS, Article, ArticleTag, Byline, Reactions, Tag
from beritatui.core.timeparse import rfc3339
from beritatui.feeds import jsonfeed
from beritatui.feeds.jsonfeed import EXTENSION, EXTENSION_ABOUT

# Text a person can type or paste, including quotes, backslashes, markup, controls and line separators.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60) | st.sampled_from([
    'Kalapas berkata "siap" \\ <b>tegas</b> & jelas', "baris\tsatu\r\nbaris dua\x0cform\x00nul",
    "pemisah\u2028baris\u2029paragraf \x7f", "émoji 🙂 — tanda pisah", ""])


@pytest.fixture
def ready(desk):
    return desk, site.get_settings()


def plain_item(settings_now, article_id: int) -> dict:
    """The item's documented fields (docs/feeds.md), spelled the plain way: models, a dict, the json module.

    The reference the export's encoder must match byte for byte; keys in the documented order, empty
    optional fields left out.
    """
    article = Article.get_by_id(article_id)
    bylines = [(b.name, b.unit) for b in Byline.select().where(Byline.article == article_id).order_by(Byline.position)]
    tags = [t.name for t in Tag.select(Tag.name).join(ArticleTag).where(ArticleTag.article == article_id)
            .order_by(ArticleTag.position) if not t.name.startswith("#")]
    counts = Reactions.get_or_none(Reactions.article == article_id)
    reactions = counts.as_dict() if counts else {}
    zone = settings_now.timezone
    item = {"id": f"urn:uuid:{article.uuid}", "url": settings_now.article_url(article.slug, article.uuid),
            "title": article.title, "content_html": article.body_html, "content_text": article.body_text}
    if article.summary:
        item["summary"] = article.summary
    if article.image_url and urls.http_url_problem(article.image_url) is None:  # a bad stored one is left out
        item["image"] = article.image_url
    item["date_published"] = rfc3339(article.published_at or article.created_at, zone)
    item["date_modified"] = rfc3339(article.modified_at, zone)
    if bylines:
        item["authors"] = [{"name": name, EXTENSION: {"unit": unit}} if unit else {"name": name}
                           for name, unit in bylines]
    if tags:
        item["tags"] = tags
    item["language"] = article.language
    item[EXTENSION] = {
        "about": EXTENSION_ABOUT, "slug": article.slug,
        "unit": next((unit for _name, unit in bylines if unit), ""), "primary_tag": tags[0] if tags else "",
        "reactions": {name: int(reactions.get(name, 0)) for name in REACTIONS},
        "image_alt": article.image_alt,
    }
    applied = correction_review.applied(article_id)
    if applied:
        item[EXTENSION]["corrections"] = [{"date": rfc3339(c.decided_at, zone), "note": c.note} for c in applied]
    item[EXTENSION]["markdown"] = article.body
    return item


def page_item(item: dict) -> dict:
    """An item as feed pages show it: without ``content_text`` and the Markdown source."""
    page = {key: value for key, value in item.items() if key != "content_text"}
    page[EXTENSION] = {key: value for key, value in item[EXTENSION].items() if key != "markdown"}
    return page


def _store(actor, title, summary, body, html, text, tags):
    bulk.insert_articles(actor, [bulk.BulkArticle(title=title or "Judul", summary=summary, body=body,
                                                  body_html=html, body_text=text, status="published",
                                                  tags=tags, bylines=[("Sri \"Yuni\"", "Rutan <Sinjai>")])])
    return int(current_database().execute_sql("SELECT MAX(id) FROM article").fetchone()[0])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXT, summary=TEXT, body=TEXT, html=TEXT, text=TEXT)
def test_encoded_items_equal_the_json_module(ready, title, summary, body, html, text):
    actor, settings_now = ready
    title = " ".join(title.split()) or "Judul"
    if hidden_character(title) is not None:  # refused as a title (core.charcheck): never stored, never exported
        title = "".join(ch for ch in title if hidden_character(ch) is None) or "Judul"
    article_id = _store(actor, title, summary, body, html, text, ["Humas & Media", "#internal"])
    plain = plain_item(settings_now, article_id)
    fast = jsonfeed.encode_items(settings_now, [article_id])[article_id]
    assert fast.data == jsonfeed.dumps(plain).encode("utf-8")
    assert fast.page == jsonfeed.dumps(page_item(plain)).encode("utf-8")
    assert "content_text" not in json.loads(fast.page) and "markdown" not in json.loads(fast.page)["_beritatui"]
    assert json.loads(fast.data)["content_text"] == text
    assert (fast.title, fast.url) == (plain["title"], plain["url"])


@pytest.mark.parametrize("raw", [b"", b"a\"b\\c", b"<p>Satu &amp; dua</p>\n\t\r", "é\u2028x".encode(),
                                 b"nul\x00 bel\x07 ff\x0c bs\x08 esc\x1b"])
def test_json_string_body_matches_dumps(raw):
    assert jsonfeed.json_string_body(raw) == jsonfeed.dumps(raw.decode())[1:-1].encode()


def test_bulk_tag_checks_keep_the_rules_of_a_save(newsroom, desk):
    """Checked once per distinct name, a list still drops duplicates and refuses more than fifty tags."""
    inserter = bulk._Inserter(desk, "import")
    assert inserter._tags(["Humas", " humas ", "Kesehatan", "", "HUMAS"]) == ["Humas", "Kesehatan"]
    assert inserter._tags(["Humas"]) == ["Humas"]
    with pytest.raises(Exception, match="50"):
        inserter._tags([f"Tag {i}" for i in range(51)])
    with pytest.raises(Exception, match="comma"):
        inserter._tags(["a,b"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXT, home=TEXT, following=st.none() | TEXT, description=TEXT)
def test_feed_heads_equal_the_json_module(ready, title, home, following, description):
    _actor, settings_now = ready
    settings_now = dataclasses.replace(settings_now, description=description, title=title or "Berita")
    head = jsonfeed.FeedHead(title=title, home_page_url=home, feed_url=f"https://x.go.id/{title}",
                             next_url=following)
    assert jsonfeed.head_json(settings_now, head) == _head_through_the_json_module(settings_now, head)
    assert "<" not in jsonfeed.head_json(settings_now, head)


def _head_through_the_json_module(settings_now, head) -> str:
    """A feed head as docs/feeds.md lists its fields, spelled by the json module."""
    data = {"version": jsonfeed.VERSION, "title": head.title}
    if head.home_page_url:
        data["home_page_url"] = head.home_page_url
    data["feed_url"] = head.feed_url
    if settings_now.description:
        data["description"] = settings_now.description
    data["language"] = settings_now.language
    for key in ("icon", "favicon"):
        if getattr(settings_now, key):
            data[key] = getattr(settings_now, key)
    data["authors"] = [{"name": settings_now.title, **({"url": settings_now.home_page_url}
                                                       if settings_now.home_page_url else {})}]
    if head.next_url:
        data["next_url"] = head.next_url
    return jsonfeed.dumps(data)[:-1]
