"""Corrections in the feed: a pending one stays out, an applied one moves date_modified and is listed with its note."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beritatui.core import clock, correction_review, site, unit_settings, units
from beritatui.core.articles import ArticleDraft, get_article, save_article
from beritatui.core.database import current_database
from beritatui.core.timeparse import rfc3339
from beritatui.feeds import jsonfeed
from beritatui.feeds.export import MANIFEST, export_feeds

from .test_feeds_encode import page_item, plain_item


def _review_corrections() -> None:
    with current_database().atomic():
        unit_settings.store(units.root_id(), "corrections", "review")


def _item(out, slug: str) -> dict:
    return json.loads((out / "articles" / f"{slug}.json").read_bytes())["items"][0]


def test_a_pending_correction_stays_off_the_site_and_an_applied_one_is_listed(desk, kit, tmp_path, newsroom):
    _review_corrections()
    start = clock.utcnow().replace(microsecond=0)
    clock.freeze(start)
    article = kit.publish(desk, "Panen Sayur di Kebun Lapas", "Dua puluh ikat.")
    others = [kit.publish(desk, f"Berita lain {i}") for i in range(4)]
    out = tmp_path / "out"
    export_feeds(out, actor=desk)
    first = _item(out, article.slug)
    assert "corrections" not in first["_beritatui"]
    clock.freeze(start + timedelta(hours=1))
    pending = save_article(newsroom.editor, article.id, article.version, ArticleDraft(body="Tiga puluh ikat."))
    export_feeds(out, actor=desk)
    assert _item(out, article.slug) == first  # nothing of a pending correction reaches the feed
    before = kit.snapshot(out)
    clock.freeze(start + timedelta(hours=2))
    correction_review.publish_correction(desk, article.slug, "Jumlah ikat diperbaiki <bukan 20>")
    export_feeds(out, actor=desk)
    after = kit.snapshot(out)
    changed = {name for name in after if before.get(name) != after[name]} - {MANIFEST}
    assert f"articles/{article.slug}.json" in changed and not any(o.slug in name for o in others for name in changed)
    data = kit.check(out / "articles" / f"{article.slug}.json")
    item = data["items"][0]
    zone = site.get_settings().timezone
    assert item["content_text"].strip() == "Tiga puluh ikat."
    assert item["date_modified"] == rfc3339(start + timedelta(hours=2), zone) != item["date_published"]
    assert item["_beritatui"]["corrections"] == [{"date": item["date_modified"],
                                                 "note": "Jumlah ikat diperbaiki <bukan 20>"}]
    assert b"<bukan" not in (out / "articles" / f"{article.slug}.json").read_bytes()
    for path in kit.feed_files(out):
        kit.check(path)
    # a second correction comes after the first
    clock.freeze(start + timedelta(hours=3))
    current = get_article(article.id)
    save_article(newsroom.editor, article.id, current.version, ArticleDraft(title="Panen Sayur Melimpah"))
    correction_review.publish_correction(desk, article.slug, "Judul diperbaiki")
    export_feeds(out, actor=desk)
    notes = [c["note"] for c in _item(out, article.slug)["_beritatui"]["corrections"]]
    assert notes == ["Jumlah ikat diperbaiki <bukan 20>", "Judul diperbaiki"]
    assert pending.version < get_article(article.id).version


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80)
       .filter(lambda text: text.split()))
def test_an_item_with_corrections_equals_the_json_module(desk, kit, note):
    article = kit.publish(desk, "Rapat Koordinasi")
    correction_review.publish_correction(desk, article.slug, note)  # direct mode: the note alone
    settings_now = site.get_settings()
    plain = plain_item(settings_now, article.id)
    assert plain["_beritatui"]["corrections"][0]["note"] == " ".join(note.split())
    fast = jsonfeed.encode_items(settings_now, [article.id])[article.id]
    assert fast.data == jsonfeed.dumps(plain).encode("utf-8")
    assert fast.page == jsonfeed.dumps(page_item(plain)).encode("utf-8")
    schema = json.loads((Path(__file__).parent.parent / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
    document = json.loads(jsonfeed.article_feed_bytes(settings_now, "articles/a.json", fast))
    assert list(jsonschema.Draft7Validator(schema).iter_errors(document)) == []
