"""Every address an export writes is an absolute http(s) URL with a host: the settings, the article URL
template and image URLs are refused otherwise on the way in, and a bad one already stored never goes out."""

from __future__ import annotations

import dataclasses
import json
import string
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beritatui.core import site
from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.database import current_database
from beritatui.core.errors import ValidationError
from beritatui.core.models import Setting
from beritatui.feeds.export import export_feeds

URL_KEYS = ("base_url", "home_page_url", "icon", "favicon")
# What a URI may not hold as is (the feed schema's "uri" format), plus the quote that ends an HTML attribute.
FORBIDDEN = set(' "\'<>\\`{}|^') | {chr(c) for c in range(32)} | {"\x7f"}


def plain_http(address: str) -> bool:
    """The test's own notion of an address a feed may carry (independent of core/urls.py)."""
    parts = urlsplit(address)
    return (parts.scheme in ("http", "https") and bool(parts.hostname) and "@" not in parts.netloc
            and address.isascii() and not FORBIDDEN & set(address))


@pytest.mark.parametrize(("key", "value"), [
    ("article_url_template", "javascript:alert(1)//{slug}"),
    ("article_url_template", "data:text/html,<script>alert(1)</script>{slug}"),
    ("article_url_template", "JavaScript:alert(document.cookie)//{base_url}/{slug}"),
    ("article_url_template", "//evil.example/{slug}"),
    ("article_url_template", "{slug}"),
    ("article_url_template", "https://{slug}.evil.example/"),
    ("article_url_template", "{base_url}{slug}"),
    ("article_url_template", '{base_url}/berita/{slug}" onmouseover="alert(1)'),
    ("base_url", "javascript:alert(1)//x"),
    ("base_url", "data:text/html,halo"),
    ("base_url", "ftp://lapas.example.go.id"),
    ("base_url", "https://admin:rahasia@lapas.example.go.id"),
    ("home_page_url", "javascript://lapas.example.go.id/%0aalert(1)"),
    ("home_page_url", "vbscript:msgbox(1)"),
    ("icon", 'https://lapas.example.go.id/ikon.png" onerror="alert(1)'),
    ("icon", "https://lapas.example.go.id/ikon <b>.png"),
    ("favicon", "https://lapas.example.go.id/fav\x1b[2J.ico"),
    ("favicon", "https:///fav.ico"),
])
def test_unsafe_urls_are_refused_with_one_line(cli, key, value):
    result = cli.refused("site", "set", key, value)
    assert key in result.stderr or "URL" in result.stderr or "address" in result.stderr
    assert "\x1b" not in result.stderr
    stored = Setting.get_or_none(Setting.key == key)
    assert stored is None or stored.value != value


@pytest.mark.parametrize(("key", "value"), [
    ("base_url", "https://lapas-watampone.example.go.id/portal"),
    ("home_page_url", "http://192.0.2.7:8080/beranda"),
    ("icon", "https://cdn.example.go.id/ikon%20besar.png?v=2"),
    ("article_url_template", "{base_url}/berita/{uuid}/{slug}"),
    ("article_url_template", "https://berita.example.go.id/artikel/{slug}?sumber=feed#isi"),
])
def test_plain_http_addresses_are_accepted_and_one_quote_more_is_not(cli, key, value):
    cli.ok("site", "set", key, value)
    cli.refused("site", "set", key, value + '"onmouseover="alert(1)')
    assert Setting.get(Setting.key == key).value == value.rstrip("/")


_HOSTS = st.from_regex(r"\A[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?){0,3}\Z")
_PATH = st.text(st.sampled_from(string.ascii_letters + string.digits + "-._~/?#=&%"), max_size=30)
_ANY = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
URLISH = st.one_of(
    st.builds(lambda scheme, host, path: f"{scheme}{host}{path}",
              st.sampled_from(["http://", "https://", "HTTPS://", "javascript:", "data:", "ftp://", "//", "", "http:",
                               "https://user@", "http://[", "https://:"]),
              st.one_of(_HOSTS, _ANY), st.one_of(_PATH, _ANY)),
    _ANY,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(URL_KEYS), value=URLISH)
def test_an_accepted_url_setting_is_always_an_absolute_http_address(newsroom, key, value):
    try:
        stored = site.set_setting(newsroom.admin, key, value)
    except ValidationError as refused:
        assert "\n" not in str(refused)
        return
    if not stored:
        return
    assert plain_http(stored), stored


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(template=st.one_of(
    st.builds(lambda a, b: f"{a}{{slug}}{b}", st.one_of(st.sampled_from(
        ["{base_url}/", "{base_url}", "https://x.example/", "javascript:", "data:,", "//h/", "{base_url}/{uuid}/",
         "https://{uuid}.example/", "http://h.example"]), _ANY), st.one_of(_PATH, _ANY)),
    _ANY))
def test_an_accepted_template_gives_an_http_address_for_any_slug(newsroom, template):
    try:
        site.set_setting(newsroom.admin, "article_url_template", template)
    except ValidationError:
        return
    current = dataclasses.replace(site.get_settings(), base_url="https://lapas.example.go.id")
    for slug in ("a", "panen-sayur-di-kebun-lapas", "javascript", "x" * 80):
        address = current.article_url(slug, "0b7e4a52-5a1d-4f0e-9a57-2f7d3c9e1a10")
        assert plain_http(address), (template, address)


def _store_raw(key: str, value: str) -> None:
    """As an older release (or sqlite3 by hand) left it: straight into the table, no check."""
    Setting.insert(key=key, value=value).on_conflict(conflict_target=[Setting.key],
                                                     update={Setting.value: value}).execute()


@pytest.mark.parametrize(("key", "value"), [
    ("article_url_template", "javascript:alert(1)//{slug}"),
    ("article_url_template", "data:text/html,{slug}"),
    ("home_page_url", "data:text/html,<script>alert(1)</script>"),
    ("icon", 'https://lapas.example.go.id/i.png" onerror="alert(1)'),
    ("favicon", "javascript:alert(1)"),
    ("base_url", "javascript://lapas.example.go.id"),
])
def test_a_bad_value_already_stored_refuses_the_export_naming_the_setting(cli, desk, kit, tmp_path, key, value):
    kit.publish(desk, "Penyuluhan Hukum bagi Warga Binaan")
    _store_raw(key, value)
    out = tmp_path / "situs"
    result = cli.refused("export", "--out", out)
    assert f"site setting {key}" in result.stderr and f"beritatui site set {key}" in result.stderr
    assert not out.exists() or not any(out.rglob("*.json"))


def test_image_urls_with_markup_or_spaces_are_refused(newsroom):
    for bad in ('https://lapas.example.go.id/a.jpg" onerror="alert(1)', "https://lapas.example.go.id/a b.jpg",
                "https://lapas.example.go.id/<svg>.jpg", "https:///tanpa-host.jpg", "https://x@lapas.example.go.id/"):
        with pytest.raises(ValidationError, match="image URL"):
            create_article(newsroom.writer, ArticleDraft(title="Foto Kegiatan", image_url=bad))
    ok = create_article(newsroom.writer, ArticleDraft(title="Foto Kegiatan",
                                                      image_url="https://lapas.example.go.id/foto/2025%2001.jpg"))
    assert ok.image_url.endswith("%2001.jpg")


def test_a_bad_image_url_already_stored_is_left_out_of_the_feed(desk, kit, tmp_path):
    article = kit.publish(desk, "Pentas Seni Warga Binaan", image_url="https://lapas.example.go.id/pentas.jpg")
    good = kit.publish(desk, "Panen Sayur di Kebun Lapas", image_url="https://lapas.example.go.id/panen.jpg")
    current_database().execute_sql("UPDATE article SET image_url = ? WHERE id = ?",
                                   ('javascript:alert(1)" x="', article.id))
    out = tmp_path / "situs"
    export_feeds(out, actor=desk)
    items = {item["_beritatui"]["slug"]: item for item in json.loads((out / "feed.json").read_text())["items"]}
    assert "image" not in items[article.slug]
    assert items[good.slug]["image"] == "https://lapas.example.go.id/panen.jpg"
    raw = b"".join(path.read_bytes() for path in out.rglob("*.json"))
    assert b"javascript" not in raw
    for path in kit.feed_files(out):
        kit.check(path)
