"""Slug rules: ASCII, lower case, <= 80 on a word boundary, unique, and stable once a person or publishing fixes it."""

from __future__ import annotations

import re
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beritatui.core import slugs, transitions
from beritatui.core.articles import ArticleDraft, create_article, get_article, preview_slug, save_article
from beritatui.core.charcheck import hidden_character
from beritatui.core.errors import PermissionDenied, ValidationError
from beritatui.core.models import Article

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LONG_TITLE = ("Kegiatan Penyuluhan Hukum Terpadu bagi Warga Binaan Pemasyarakatan dan Keluarga "
              "di Lembaga Pemasyarakatan Kelas Dua")


def test_slug_is_lower_case_ascii_from_the_title(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Kopí Pagi Bersama Kepala Rutan ☕"))
    assert article.slug == "kopi-pagi-bersama-kepala-rutan"


def test_long_title_is_cut_at_80_on_a_word_boundary(newsroom):
    full = slugs.slugify(LONG_TITLE, lowercase=True)
    article = create_article(newsroom.writer, ArticleDraft(title=LONG_TITLE))
    assert len(full) > 80
    assert len(article.slug) <= 80
    assert full.startswith(article.slug)
    assert full[len(article.slug)] == "-"


def test_title_without_letters_gets_artikel_and_eight_hex_of_the_uuid(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="☕ 🙏 ✨"))
    assert article.slug == "artikel-" + article.uuid.replace("-", "")[:8]


def test_colliding_titles_get_2_then_3(newsroom):
    made = [create_article(newsroom.writer, ArticleDraft(title="Upacara Hari Bakti")) for _ in range(3)]
    assert [a.slug for a in made] == ["upacara-hari-bakti", "upacara-hari-bakti-2", "upacara-hari-bakti-3"]


def test_collision_suffix_keeps_a_long_slug_within_80():
    taken = {"a" * 80}
    slug = slugs.unique_slug("a" * 80, lambda s: s in taken)
    assert slug == "a" * 78 + "-2"


def test_slug_follows_the_title_while_nobody_fixed_it(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Donor Darah"))
    article = save_article(newsroom.writer, article.id, article.version, ArticleDraft(title="Donor Darah Massal"))
    assert article.slug == "donor-darah-massal"


def test_slug_stays_once_a_person_edited_it(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Donor Darah"))
    article = save_article(newsroom.writer, article.id, article.version, ArticleDraft(slug="donor-darah-2026"))
    assert article.slug_locked
    article = save_article(newsroom.writer, article.id, article.version, ArticleDraft(title="Aksi Donor Darah"))
    assert article.slug == "donor-darah-2026"


def test_slug_given_at_creation_is_normalized_and_fixed(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Donor Darah", slug="  Donor DARAH Pagi "))
    assert (article.slug, article.slug_locked) == ("donor-darah-pagi", True)
    article = save_article(newsroom.writer, article.id, article.version, ArticleDraft(title="Judul Lain"))
    assert article.slug == "donor-darah-pagi"


def test_slug_stays_once_published(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Lomba Kebersihan Blok"))
    transitions.submit(newsroom.writer, article.id)
    article = transitions.publish(newsroom.editor, article.id)
    article = save_article(newsroom.editor, article.id, article.version, ArticleDraft(title="Lomba Kebersihan"))
    assert article.slug == "lomba-kebersihan-blok"


def _published_then_reopened(newsroom) -> Article:
    article = create_article(newsroom.writer, ArticleDraft(title="Bakti Sosial Ramadan"))
    transitions.submit(newsroom.writer, article.id)
    transitions.publish(newsroom.editor, article.id)
    transitions.unpublish(newsroom.editor, article.id)
    return transitions.reopen(newsroom.editor, article.id)


def test_after_publishing_a_writer_may_not_change_the_slug(newsroom):
    article = _published_then_reopened(newsroom)
    with pytest.raises(PermissionDenied, match="only an editor may change the slug"):
        save_article(newsroom.writer, article.id, article.version, ArticleDraft(slug="bakti-sosial"))
    assert get_article(article.id).slug == "bakti-sosial-ramadan"


def test_after_publishing_an_editor_may_change_the_slug(newsroom):
    article = _published_then_reopened(newsroom)
    article = save_article(newsroom.editor, article.id, article.version, ArticleDraft(slug="bakti-sosial"))
    assert article.slug == "bakti-sosial"


def test_a_slug_without_letters_or_digits_is_refused(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Senam Pagi"))
    with pytest.raises(ValidationError, match="letters or digits"):
        save_article(newsroom.writer, article.id, article.version, ArticleDraft(slug="!!! ---"))


def test_edited_slug_that_is_taken_gets_a_suffix(newsroom):
    create_article(newsroom.writer, ArticleDraft(title="Senam Pagi"))
    other = create_article(newsroom.writer, ArticleDraft(title="Senam Sore"))
    other = save_article(newsroom.writer, other.id, other.version, ArticleDraft(slug="senam-pagi"))
    assert other.slug == "senam-pagi-2"


def test_preview_slug_shows_the_suffix_a_new_title_would_get(newsroom):
    create_article(newsroom.writer, ArticleDraft(title="Kunjungan Keluarga"))
    assert preview_slug("Kunjungan Keluarga") == "kunjungan-keluarga-2"


def test_tag_slugs_mark_internal_tags():
    assert slugs.tag_slug("#Rapat Internal") == "internal-rapat-internal"
    assert slugs.tag_slug("Rapat Internal") == "rapat-internal"
    assert slugs.tag_slug("🙏") == "tag"


TITLES = st.one_of(
    st.text(max_size=120),
    st.text(alphabet=st.characters(whitelist_categories=("Lo", "Mn", "So", "Cc", "Zs")), max_size=60),
    st.sampled_from(["مرحبا بالعالم", "שלום", "😀" * 30, " " * 10_000 + "x", "\x1b[31mmerah\x07",
                     "a" * 255, "Rapat " * 40, "-" * 50, "2026"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(titles=st.lists(TITLES, min_size=1, max_size=4))
def test_any_title_gives_a_unique_valid_slug(newsroom, titles):
    for title in titles:
        try:
            article = create_article(newsroom.writer, ArticleDraft(title=title))
        except ValidationError:
            clean = " ".join("".join(ch for ch in title if ch.isprintable() or ch.isspace()).split())
            assert not clean or len(clean) > 255 or hidden_character(title) is not None  # refused, never kept
            continue
        assert SLUG.match(article.slug), article.slug
        assert len(article.slug) <= 80
    all_slugs = [a.slug for a in Article.select(Article.slug)]
    assert len(all_slugs) == len(set(all_slugs))


@settings(max_examples=200, deadline=None)
@given(title=st.text(max_size=300))
def test_base_slug_is_always_valid(title):
    made = slugs.base_slug(title, str(uuid.uuid4()))
    assert SLUG.match(made) and len(made) <= 80


@settings(max_examples=100, deadline=None)
@given(wanted=st.text(alphabet="ab-", min_size=1, max_size=80).filter(lambda s: SLUG.match(s) is not None),
       taken_count=st.integers(min_value=0, max_value=12))
def test_unique_slug_never_returns_a_taken_one(wanted, taken_count):
    taken = {wanted} | {f"{wanted[:77].rstrip('-')}-{n}" for n in range(2, taken_count + 2)}
    made = slugs.unique_slug(wanted, lambda s: s in taken)
    assert made not in taken and SLUG.match(made) and len(made) <= 80
