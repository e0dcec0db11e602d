"""Invisible formatting characters (bidi overrides, zero-width characters) are refused in names, by code point.

``Humas`` and ``Hu<U+200B>mas`` look the same in every list: two tags a reader cannot tell
apart, a title that reads backwards after U+202E.  Titles, tags, slugs, bylines and logins
refuse them with one line that names the character; a language that needs a joiner (Persian,
the Indic scripts, emoji sequences) keeps it.  Also here: an empty database file is refused,
not silently made into a new newsroom.
"""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beritatui.core import tags, users
from beritatui.core.articles import ArticleDraft, article_tags, create_article, get_article, save_article
from beritatui.core.database import close_database
from beritatui.core.errors import ValidationError
from beritatui.core.models import Article, Tag, User

from .conftest import dump

FORMAT = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
VISIBLE_SIGNS = {chr(c) for c in (*range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD)}
REFUSED = [ch for ch in FORMAT if ch not in VISIBLE_SIGNS]
NAMED = {"\u200b": "U+200B ZERO WIDTH SPACE", "\u200e": "U+200E LEFT-TO-RIGHT MARK",
         "\u202e": "U+202E RIGHT-TO-LEFT OVERRIDE", "\u2066": "U+2066 LEFT-TO-RIGHT ISOLATE",
         "\u2060": "U+2060 WORD JOINER", "\ufeff": "U+FEFF ZERO WIDTH NO-BREAK SPACE",
         "\u200d": "U+200D ZERO WIDTH JOINER", "\u00ad": "U+00AD SOFT HYPHEN"}


def test_the_refused_set_covers_every_range_the_threat_names():
    for start, end in ((0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x2069), (0xFEFF, 0xFEFF)):
        for code in range(start, end + 1):
            with pytest.raises(ValidationError, match=f"U\\+{code:04X} "):
                tags.check_tag_name(f"Hu{chr(code)}mas")


@pytest.mark.parametrize("ch", sorted(NAMED))
def test_cli_refuses_each_in_a_title_a_tag_a_slug_a_byline_and_a_login(cli, newsroom, ch):
    close_database()
    before = dump(newsroom.path)
    name = NAMED[ch]
    attempts = [
        ["new", "--title", f"Penyuluhan Hukum{ch} bagi Warga Binaan"],
        ["new", "--title", "Penyuluhan Hukum", "--tag", f"Hu{ch}mas"],
        ["new", "--title", "Penyuluhan Hukum", "--slug", f"penyuluhan{ch}-hukum"],
        ["new", "--title", "Penyuluhan Hukum", "--byline", f"Wati{ch} Handayani (Lapas Watampone)"],
        ["user", "add", f"bu{ch}di"],
    ]
    for argv in attempts:
        result = cli.refused(*argv)
        assert name in result.stderr, (argv, result.stderr)
        assert ch not in result.stderr  # the message shows the code point, never the character itself
    assert dump(newsroom.path) == before


def test_tag_rename_and_tagging_refuse_a_look_alike(cli, newsroom, wati_draft):
    assert "U+200B ZERO WIDTH SPACE" in cli.refused("tags", "rename", "Humas", "Hu\u200bmas").stderr
    assert "U+2068 FIRST STRONG ISOLATE" in cli.refused("tag", wati_draft.slug, "--add", "\u2068Humas").stderr
    assert sorted(t.name for t in Tag.select()) == ["Humas", "Pembinaan"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(REFUSED), st.text(alphabet="abcdefghij ", min_size=1, max_size=12), st.integers(0, 12))
def test_every_refused_format_character_is_named_wherever_it_sits(ch, word, at):
    text = "Berita" + word[:at] + ch + word[at:]
    with pytest.raises(ValidationError) as refused:
        tags.check_tag_name(text)
    assert f"U+{ord(ch):04X}" in str(refused.value)
    with pytest.raises(ValidationError):
        users.check_login("op" + ch + "erator")


@pytest.mark.parametrize(("text", "look_alike"), [
    ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "Hu\u200cmas"),  # Persian: ZWNJ inside a word
    ("\u0915\u094d\u200d\u0937", "Hu\u200dmas"),  # Devanagari: ZWJ after a virama
    ("\U0001F468\u200d\U0001F469\u200d\U0001F467", "Humas\u200d"),  # an emoji family
    ("Sensus \u0600\u0661\u0662", "Sensus \u061c12"),  # an Arabic number sign; the Arabic letter mark is not
], ids=["persian", "devanagari", "emoji", "arabic-sign"])
def test_a_script_that_needs_a_joiner_or_a_sign_keeps_it_where_latin_does_not(newsroom, text, look_alike):
    article = create_article(newsroom.writer, ArticleDraft(title=f"Laporan {text}", tags=[text]))
    assert get_article(article.id).title == f"Laporan {text}"
    assert [t.name for t in article_tags(article.id)] == [text]
    with pytest.raises(ValidationError, match="an invisible formatting character"):
        create_article(newsroom.writer, ArticleDraft(title="Laporan", tags=[look_alike]))


def test_a_joiner_next_to_latin_letters_is_refused(newsroom):
    for text in ("Hu\u200dmas", "Humas\u200c", "\u200cHumas", "Hu\u200cm\u00e4s"):
        with pytest.raises(ValidationError, match="U\\+200[CD]"):
            tags.check_tag_name(text)


def test_a_save_that_keeps_a_hidden_title_is_refused_and_changes_nothing(newsroom, wati_draft):
    with pytest.raises(ValidationError, match="U\\+202E RIGHT-TO-LEFT OVERRIDE"):
        save_article(newsroom.writer, wati_draft.id, 1, ArticleDraft(title="\u202eHukum Penyuluhan"))
    assert Article.get_by_id(wati_draft.id).version == 1
    assert not User.select().where(User.login.contains("\u202e")).exists()


def test_an_empty_database_file_is_refused_not_rebuilt(cli, tmp_path):
    empty = tmp_path / "kosong.db"
    empty.write_bytes(b"")
    for argv in (["check"], ["list"], ["init"], ["backup", tmp_path / "b.db"], ["publish-due"]):
        result = cli.refused("--db", empty, *argv)
        assert "is an empty file (0 bytes), not a database" in result.stderr, (argv, result.stderr)
    assert empty.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("kosong")) == ["kosong.db"]
