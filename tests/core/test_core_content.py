"""core.content: the article's editable content as one type, and the two written forms of its bylines."""

from __future__ import annotations

from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.content import Content, bylines_display, bylines_field, parse_bylines_field

BYLINES = (("Andi Pratama", "Lapas Kelas IIA Watampone, Bone"), ("Tim Humas", ""))


def test_the_field_form_reads_back_even_when_a_unit_holds_a_comma():
    assert bylines_field(BYLINES) == "Andi Pratama (Lapas Kelas IIA Watampone, Bone); Tim Humas"
    assert tuple(parse_bylines_field(bylines_field(BYLINES))) == BYLINES
    assert bylines_display(BYLINES) == "Andi Pratama (Lapas Kelas IIA Watampone, Bone), Tim Humas"


def test_a_payload_never_blanks_a_field_it_cannot_say():
    base = Content(title="Penyuluhan Hukum", summary="Materi hak.", tags=("Humas",), bylines=BYLINES,
                   language="id", body="Isi.")
    payload = {"title": "Penyuluhan Hukum bagi Warga Binaan", "summary": None, "tags": "Humas, Pembinaan",
               "bylines": [["Andi Pratama"]], "language": 5, "body": "Isi baru."}
    assert Content.from_payload(payload, base) == base.replace(title="Penyuluhan Hukum bagi Warga Binaan",
                                                               body="Isi baru.")
    assert Content.from_payload(base.as_payload()) == base  # a payload round-trips
    assert Content.from_payload("bukan payload", base) == base


def test_change_requests_from_a_content(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Penyuluhan Hukum", body="Isi.", tags=["Humas"]))
    current = Content.of_article(article)
    assert current.bylines == (("Wati Handayani", "Lapas Watampone"),) and current.language == "id"
    changed = current.replace(body="Isi baru.", slug="judul-lain", language="")
    assert changed.changes_from(current, slug=False) == ArticleDraft(body="Isi baru.")
    full = changed.as_draft(slug=False)
    assert (full.slug, full.language, full.tags, full.title) == (None, None, ["Humas"], "Penyuluhan Hukum")
    assert current.with_changes(ArticleDraft(tags=["Humas", "Pembinaan"])).tags == ("Humas", "Pembinaan")
