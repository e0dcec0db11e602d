"""Tags (unique ignoring case, ordered, first is primary, ``#`` internal) and the article size limits."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beritatui.core import articles, tags, transitions
from beritatui.core.articles import (
    MAX_BODY_BYTES,
    ArticleDraft,
    article_bylines,
    article_tags,
    create_article,
    get_article,
    save_article,
)
from beritatui.core.errors import NotFound, PermissionDenied, ValidationError
from beritatui.core.models import Tag


def names(article_id: int) -> list[str]:
    return [t.name for t in article_tags(article_id)]


def test_tags_are_unique_ignoring_case(newsroom):
    first = create_article(newsroom.writer, ArticleDraft(title="Satu", tags=["Humas"]))
    second = create_article(newsroom.writer, ArticleDraft(title="Dua", tags=["HUMAS", "humas", "Humas "]))
    assert names(second.id) == ["Humas"]
    assert Tag.select().count() == 1
    assert article_tags(first.id)[0].id == article_tags(second.id)[0].id


def test_tags_keep_their_order_and_the_first_is_primary(newsroom):
    from beritatui.core.listing import ArticleQuery, list_articles

    article = create_article(newsroom.writer, ArticleDraft(title="Satu", tags=["Pembinaan", "Humas", "Agama"]))
    assert names(article.id) == ["Pembinaan", "Humas", "Agama"]
    article = save_article(newsroom.writer, article.id, article.version, ArticleDraft(tags=["Agama", "Pembinaan"]))
    assert names(article.id) == ["Agama", "Pembinaan"]
    assert list_articles(ArticleQuery()).rows[0].primary_tag == "Agama"


def test_hash_tags_are_internal(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Satu", tags=["#perlu-foto", "Humas"]))
    internal = {t.name: t.internal for t in article_tags(article.id)}
    assert internal == {"#perlu-foto": True, "Humas": False}
    assert {t.name: t.internal for t in tags.list_tags()} == internal
    assert tags.find_tag("#perlu-foto").slug == "internal-perlu-foto"


def test_one_rule_says_which_tags_are_internal(newsroom):
    from beritatui.core import slugs

    names_ = ["#perlu-foto", "#", "Humas #1", " #rapat", "Pembinaan"]
    assert [tags.is_internal_tag(name) for name in names_] == [True, True, False, False, False]
    assert [slugs.tag_slug(name).startswith("internal") for name in names_] == [True, True, False, False, False]
    assert Tag(name="#perlu-foto").internal and not Tag(name="Humas #1").internal


def test_a_tag_is_at_most_64_characters(newsroom):
    create_article(newsroom.writer, ArticleDraft(title="Satu", tags=["x" * 64]))
    with pytest.raises(ValidationError, match="at most 64"):
        create_article(newsroom.writer, ArticleDraft(title="Dua", tags=["x" * 65]))


def test_an_article_has_at_most_50_tags(newsroom):
    create_article(newsroom.writer, ArticleDraft(title="Satu", tags=[f"Tag {n}" for n in range(50)]))
    with pytest.raises(ValidationError, match="At most 50 tags"):
        create_article(newsroom.writer, ArticleDraft(title="Dua", tags=[f"Tag {n}" for n in range(51)]))


@pytest.mark.parametrize("bad", ["#", "a,b"])
def test_empty_or_comma_tag_names_are_refused(newsroom, bad):
    with pytest.raises(ValidationError):
        tags.create_tag(newsroom.editor, bad)


def test_split_tags_reads_a_comma_list():
    assert tags.split_tags(" Humas, Pelayanan Publik ,, #cek ") == ["Humas", "Pelayanan Publik", "#cek"]


def test_only_editors_manage_tags(newsroom):
    tags.create_tag(newsroom.editor, "Humas")
    for call in (lambda: tags.create_tag(newsroom.writer, "Baru"),
                 lambda: tags.rename_tag(newsroom.writer, "Humas", "Kehumasan"),
                 lambda: tags.merge_tags(newsroom.writer, "Humas", "Baru"),
                 lambda: tags.delete_tag(newsroom.writer, "Humas")):
        with pytest.raises(PermissionDenied):
            call()
    assert [t.name for t in tags.list_tags()] == ["Humas"]


def test_create_tag_refuses_an_existing_name_in_any_case(newsroom):
    tags.create_tag(newsroom.editor, "Humas")
    with pytest.raises(ValidationError, match="exists already"):
        tags.create_tag(newsroom.editor, "hUMAS")


def test_rename_changes_name_and_slug_and_touches_articles(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Satu", tags=["Humas", "Agama"]))
    renamed = tags.rename_tag(newsroom.editor, "humas", "Kehumasan")
    assert (renamed.name, renamed.slug) == ("Kehumasan", "kehumasan")
    assert names(article.id) == ["Kehumasan", "Agama"]
    assert get_article(article.id).version == article.version + 1
    from beritatui.core.listing import ArticleQuery, list_articles

    assert [r.id for r in list_articles(ArticleQuery(text="kehumasan")).rows] == [article.id]


def test_rename_onto_an_existing_tag_is_refused(newsroom):
    create_article(newsroom.writer, ArticleDraft(title="Satu", tags=["Humas", "Agama"]))
    with pytest.raises(ValidationError, match="merge into it"):
        tags.rename_tag(newsroom.editor, "Humas", "AGAMA")


def test_rename_may_change_only_the_case(newsroom):
    create_article(newsroom.writer, ArticleDraft(title="Satu", tags=["humas"]))
    assert tags.rename_tag(newsroom.editor, "humas", "Humas").name == "Humas"


def test_merge_moves_articles_keeps_positions_and_drops_the_source(newsroom):
    both = create_article(newsroom.writer, ArticleDraft(title="Satu", tags=["Agama", "Rohani", "Humas"]))
    only_source = create_article(newsroom.writer, ArticleDraft(title="Dua", tags=["Humas", "Rohani"]))
    target = tags.merge_tags(newsroom.editor, "Rohani", "Agama")
    assert target.name == "Agama"
    assert names(both.id) == ["Agama", "Humas"]
    assert names(only_source.id) == ["Humas", "Agama"]
    with pytest.raises(NotFound):
        tags.find_tag("Rohani")


def test_merge_into_itself_is_refused(newsroom):
    create_article(newsroom.writer, ArticleDraft(title="Satu", tags=["Agama"]))
    with pytest.raises(ValidationError, match="itself"):
        tags.merge_tags(newsroom.editor, "agama", "Agama")


def test_delete_keeps_the_articles_other_tags(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Satu", tags=["Agama", "Humas", "Olahraga"]))
    tags.delete_tag(newsroom.editor, "Humas")
    assert names(article.id) == ["Agama", "Olahraga"]
    assert get_article(article.id).status == "draft"
    with pytest.raises(NotFound):
        tags.find_tag("Humas")


def test_list_tags_counts_articles_outside_the_trash(newsroom):
    kept = create_article(newsroom.writer, ArticleDraft(title="Satu", tags=["Humas"]))
    binned = create_article(newsroom.writer, ArticleDraft(title="Dua", tags=["Humas"]))
    transitions.trash(newsroom.writer, binned.id)
    tags.create_tag(newsroom.editor, "Kosong")
    assert {t.name: t.count for t in tags.list_tags()} == {"Humas": 1, "Kosong": 0}
    assert {t.name: t.count for t in tags.list_tags(include_trash=True)}["Humas"] == 2
    assert kept.id


def test_tag_names_completes_by_prefix_most_used_first(newsroom):
    create_article(newsroom.writer, ArticleDraft(title="Satu", tags=["Pembinaan", "Pelayanan"]))
    create_article(newsroom.writer, ArticleDraft(title="Dua", tags=["Pelayanan"]))
    assert tags.tag_names("pe") == ["Pelayanan", "Pembinaan"]


def test_tag_article_adds_and_removes(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Satu", tags=["Agama"]))
    article = articles.tag_article(newsroom.writer, article.slug, add=["Humas"], remove=["agama"])
    assert names(article.id) == ["Humas"]
    with pytest.raises(ValidationError, match="no tag"):
        articles.tag_article(newsroom.writer, article.slug, add=[], remove=["Olahraga"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.lists(st.text(max_size=70), max_size=8))
def test_any_typed_tag_list_is_stored_clean_or_refused(newsroom, typed):
    try:
        article = create_article(newsroom.writer, ArticleDraft(title="Uji tag", tags=typed))
    except ValidationError:
        return
    stored = names(article.id)
    assert len({tags.name_key(n) for n in stored}) == len(stored)
    for name in stored:
        assert name and "," not in name and len(name) <= 64
        assert not any(unicodedata.category(ch) == "Cc" for ch in name)


def test_title_is_at_most_255_characters(newsroom):
    create_article(newsroom.writer, ArticleDraft(title="J" * 255))
    with pytest.raises(ValidationError, match="at most 255"):
        create_article(newsroom.writer, ArticleDraft(title="J" * 256))


@pytest.mark.parametrize("title", ["", "   ", "\n\t"])
def test_title_is_required(newsroom, title):
    with pytest.raises(ValidationError, match="title is required"):
        create_article(newsroom.writer, ArticleDraft(title=title))


def test_body_is_at_most_2_mb(newsroom):
    create_article(newsroom.writer, ArticleDraft(title="Besar", body="a" * MAX_BODY_BYTES))
    with pytest.raises(ValidationError, match="2 MB"):
        create_article(newsroom.writer, ArticleDraft(title="Terlalu besar", body="é" * (MAX_BODY_BYTES // 2 + 1)))


def test_control_characters_never_reach_the_database(newsroom):
    """Regression: an ESC in a title would reach every terminal that lists it."""
    article = create_article(newsroom.writer, ArticleDraft(
        title="Judul \x1b[31mmerah\x07\r\nbaru", summary="ring\x00kasan\x1b", body="a\x1bb\r\nc\td",
        tags=["Hu\x1bmas"], bylines=[("Wa\x07ti", "Lapas\x1b Bone")], image_alt="foto\x1b"))
    assert article.title == "Judul [31mmerah baru"
    assert (article.summary, article.body, article.image_alt) == ("ringkasan", "ab\nc\td", "foto")
    assert names(article.id) == ["Humas"]
    assert article_bylines(article.id) == [("Wati", "Lapas Bone")]


def test_bylines_default_to_the_author_and_parse(newsroom):
    from beritatui.core.articles import format_byline, parse_byline

    article = create_article(newsroom.writer, ArticleDraft(title="Satu"))
    assert article_bylines(article.id) == [("Wati Handayani", "Lapas Watampone")]
    assert parse_byline("  A.  Yudistira (Lapas  Watampone) ") == ("A. Yudistira", "Lapas Watampone")
    assert parse_byline("Humas") == ("Humas", "")
    assert format_byline("A. Yudistira", "Lapas Watampone") == "A. Yudistira (Lapas Watampone)"


def test_image_url_must_be_http(newsroom):
    with pytest.raises(ValidationError, match="http"):
        create_article(newsroom.writer, ArticleDraft(title="Foto", image_url="javascript:alert(1)"))


def test_a_huge_tag_name_is_not_echoed_back_in_full(newsroom):
    with pytest.raises(ValidationError) as refused:
        create_article(newsroom.writer, ArticleDraft(title="Tiga", tags=["y" * 100_000]))
    assert len(str(refused.value)) < 200
