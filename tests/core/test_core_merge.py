"""The three-way merge of content (core.merge), as the TUI's conflict screen and ``beritatui edit`` use it."""

from __future__ import annotations

from beritatui.core.content import Content
from beritatui.core.merge import describe_merge, merge_fields

BASE = Content(title="Penyuluhan Hukum", slug="penyuluhan-hukum", summary="Materi hak.", tags=("Humas",),
               bylines=(("Wati Handayani", "Lapas Watampone"),), language="id",
               body="Pembuka.\n\nIsi materi.\n\nPenutup.\n")


def test_contents_merge_field_by_field_and_the_body_line_by_line():
    yours = BASE.replace(title="Penyuluhan Hukum bagi Warga Binaan", body=BASE.body.replace("Pembuka.", "Pembuka!"))
    theirs = BASE.replace(image_url="https://humas.example.id/aula.jpg", body=BASE.body.replace("Penutup.", "Akhir."))
    result = merge_fields(BASE, yours, theirs)
    assert result.clean and result.conflicted == []
    assert result.content == BASE.replace(title=yours.title, image_url=theirs.image_url,
                                          body="Pembuka!\n\nIsi materi.\n\nAkhir.\n")
    assert "+Title: Penyuluhan Hukum bagi Warga Binaan" in describe_merge(result, theirs, yours)


def test_an_untouched_slug_follows_theirs_and_a_clash_keeps_yours():
    yours = BASE.replace(slug="slug-yang-mengikuti-judul", image_alt="Aula lapas")
    theirs = BASE.replace(slug="penyuluhan-hukum-2", image_alt="Ruang kelas")
    result = merge_fields(BASE, yours, theirs, untouched=("slug",))
    assert not result.clean and result.conflicted == ["image_alt"]
    assert (result.content.slug, result.content.image_alt) == ("penyuluhan-hukum-2", "Aula lapas")
