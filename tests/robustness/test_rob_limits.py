"""The size limits, at the edge and one past it, through the core and the command line: a clear message each time."""

from __future__ import annotations

import pytest

from beritatui.core import articles as corearticles
from beritatui.core import tags as coretags
from beritatui.core.articles import MAX_BODY_BYTES, MAX_TITLE, ArticleDraft, create_article, save_article
from beritatui.core.errors import ValidationError
from beritatui.core.models import Article, Tag

from .conftest import dump

TAG_NAMES = [f"Topik {n:02d}" for n in range(51)]


def _body(size: int) -> str:
    line = "Warga binaan mengikuti pelatihan keterampilan. "
    return (line * (size // len(line) + 1))[:size]


# -- the core ------------------------------------------------------------------------------------

def test_title_of_255_characters_is_kept_and_256_refused(newsroom):
    title = ("Rapat Koordinasi " * 20)[:MAX_TITLE - 1] + "x"
    assert len(create_article(newsroom.writer, ArticleDraft(title=title)).title) == MAX_TITLE
    with pytest.raises(ValidationError, match="256 characters; at most 255"):
        create_article(newsroom.writer, ArticleDraft(title=title + "y"))


def test_body_of_2_mb_is_kept_and_one_byte_more_refused(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Laporan Tahunan", body=_body(MAX_BODY_BYTES)))
    assert len(article.body.encode()) == MAX_BODY_BYTES
    with pytest.raises(ValidationError, match="larger than 2 MB"):
        save_article(newsroom.writer, article.id, article.version, ArticleDraft(body=_body(MAX_BODY_BYTES) + "é"))
    assert Article.get_by_id(article.id).version == article.version


def test_a_huge_body_of_control_characters_is_refused_not_emptied(newsroom):
    """Regression: 50 MB of NUL bytes used to pass, stripped to an empty body."""
    with pytest.raises(ValidationError, match="larger than 2 MB"):
        create_article(newsroom.writer, ArticleDraft(title="Berkas Salah", body="\x00" * (MAX_BODY_BYTES + 1)))
    assert not Article.select().where(Article.title == "Berkas Salah").exists()


def test_fifty_tags_are_kept_and_fifty_one_refused(newsroom):
    article = create_article(newsroom.editor, ArticleDraft(title="Banyak Topik", tags=TAG_NAMES[:50]))
    with pytest.raises(ValidationError, match="At most 50 tags"):
        save_article(newsroom.editor, article.id, article.version, ArticleDraft(tags=TAG_NAMES))
    with pytest.raises(ValidationError, match="At most 50 tags"):
        corearticles.tag_article(newsroom.editor, article.slug, ["Topik Tambahan"], [])


def test_tag_name_of_64_characters_is_kept_and_65_refused(newsroom):
    name = "K" * 64
    assert coretags.create_tag(newsroom.editor, name).name == name
    for call in (lambda: coretags.create_tag(newsroom.editor, name + "x"),
                 lambda: coretags.rename_tag(newsroom.editor, name, name + "x"),
                 lambda: create_article(newsroom.writer, ArticleDraft(title="Tag Panjang", tags=[name + "x"]))):
        with pytest.raises(ValidationError, match="at most 64 characters"):
            call()
    assert [t.name for t in Tag.select()] == [name]


# -- the command line ----------------------------------------------------------------------------

def test_the_command_line_names_each_limit(cli, newsroom, tmp_path):
    big = tmp_path / "besar.md"
    big.write_text(_body(MAX_BODY_BYTES + 1), encoding="utf-8")
    before = dump(newsroom.path)
    cases = [
        (["new", "--title", "J" * 256], "256 characters; at most 255"),
        (["new", "--title", "Laporan", "--body-file", big], "larger than 2 MB"),
        (["new", "--title", "Banyak Topik", "--tag", ",".join(TAG_NAMES)], "At most 50 tags"),
        (["new", "--title", "Tag Panjang", "--tag", "T" * 65], "at most 64 characters"),
        (["tags", "rename", "Humas", "T" * 65], None),
    ]
    for args, message in cases:
        result = cli.refused(*args, login="eko")
        if message:
            assert message in result.stderr, (args, result.stderr)
    assert dump(newsroom.path) == before
    created = cli.ok("new", "--title", "J" * 255, "--tag", ",".join(TAG_NAMES[:49] + ["T" * 64]), login="eko")
    assert "Created draft" in created.output
    slug = Article.get(Article.title == "J" * 255).slug
    result = cli.refused("tag", slug, "--add", "Satu Lagi", login="eko")
    assert "At most 50 tags" in result.stderr
