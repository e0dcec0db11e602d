"""The smaller desk rules: finding articles, notes, reaction tallies, autosave slots and presence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from beritatui.core import autosave, clock, notes, presence, reactions
from beritatui.core.articles import ArticleDraft, create_article, describe_reading, get_article, reactions_of
from beritatui.core.errors import NotFound, PermissionDenied, ValidationError

T0 = datetime(2026, 11, 5, 2, 0, tzinfo=UTC)


def test_get_article_by_id_slug_uuid_and_urn(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Panen Kangkung"))
    for ref in (article.id, str(article.id), article.slug, article.uuid, f"urn:uuid:{article.uuid}"):
        assert get_article(ref).id == article.id
    with pytest.raises(NotFound, match="No article 'tidak-ada'"):
        get_article("tidak-ada")


def test_describe_reading_counts_words_and_minutes():
    assert describe_reading("kata " * 450) == "450 words · 2 min read"
    assert describe_reading("satu") == "1 word · 1 min read"


def test_notes_are_added_listed_and_resolved(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Panen Kangkung"))
    clock.freeze(T0)
    first = notes.add_note(newsroom.editor, article.slug, "  Foto kurang jelas. ")
    clock.freeze(T0 + timedelta(minutes=1))
    notes.add_note(newsroom.writer, article.slug, "Sudah saya ganti.")
    assert [n.text for n in notes.list_notes(article.slug)] == ["Foto kurang jelas.", "Sudah saya ganti."]
    resolved = notes.resolve_note(newsroom.editor, first.id)
    assert (resolved.resolved, resolved.resolved_by, resolved.resolved_at) == (True, "eko", T0 + timedelta(minutes=1))
    assert [n.text for n in notes.list_notes(article.slug, include_resolved=False)] == ["Sudah saya ganti."]


def test_only_the_notes_author_or_an_editor_resolves_it(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Panen Kangkung"))
    note = notes.add_note(newsroom.writer, article.id, "Perlu cek nama.")
    with pytest.raises(PermissionDenied):
        notes.resolve_note(newsroom.writer2, note.id)
    assert notes.resolve_note(newsroom.writer, note.id).resolved
    with pytest.raises(NotFound):
        notes.resolve_note(newsroom.editor, 999)


@pytest.mark.parametrize("text", ["", "   ", "x" * 10_001])
def test_empty_or_huge_notes_are_refused(newsroom, text):
    article = create_article(newsroom.writer, ArticleDraft(title="Panen Kangkung"))
    with pytest.raises(ValidationError):
        notes.add_note(newsroom.writer, article.id, text)


def test_reactions_import_updates_known_slugs_and_reports_unknown(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Panen Kangkung"))
    updated, unknown = reactions.import_tallies(newsroom.editor, {article.slug: {"like": 7, "wow": 1},
                                                                 "tidak-ada": {"sad": 1}})
    assert (updated, unknown) == (1, ["tidak-ada"])
    assert reactions_of(article.id) == {"like": 7, "dislike": 0, "love": 0, "funny": 0, "angry": 0, "sad": 0,
                                        "wow": 1}
    reactions.import_tallies(newsroom.editor, {article.slug: {"love": 2}})
    assert reactions_of(article.id)["like"] == 7


@pytest.mark.parametrize("counts", [{"like": -1}, {"like": 1.5}, {"like": True}, {"like": "3"}, {"marah": 1}, [],
                                    {"like": 10**20}])
def test_bad_tallies_are_refused_whole(newsroom, counts):
    """Regression for 10**20: SQLite raised OverflowError instead of a ValidationError."""
    article = create_article(newsroom.writer, ArticleDraft(title="Panen Kangkung"))
    with pytest.raises(ValidationError):
        reactions.import_tallies(newsroom.editor, {"x": {"like": 1}, article.slug: counts})
    assert sum(reactions_of(article.id).values()) == 0


def test_only_editors_import_reactions(newsroom):
    with pytest.raises(PermissionDenied):
        reactions.import_tallies(newsroom.writer, {})


def test_autosave_slot_round_trip_and_discard(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Panen Kangkung"))
    slot = autosave.slot_for(article.uuid)
    autosave.store(slot, "wati", {"body": "ketikan pertama"}, article_id=article.id, base_version=1)
    autosave.store(slot, "wati", {"body": "ketikan kedua"}, article_id=article.id, base_version=1)
    autosave.store(autosave.slot_for(None, "abc"), "wati", {"title": "Baru"})
    autosave.store(slot, "budi", {"body": "milik budi"}, article_id=article.id, base_version=1)
    assert autosave.load(slot, "wati").payload == {"body": "ketikan kedua"}
    assert {a.slot for a in autosave.pending("wati")} == {article.uuid, "new:abc"}
    autosave.discard(slot, "wati")
    assert autosave.load(slot, "wati") is None
    assert autosave.load(slot, "budi").payload == {"body": "milik budi"}


def test_presence_shows_fresh_others_only(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Panen Kangkung"))
    clock.freeze(T0)
    presence.heartbeat(article.id, newsroom.editor)
    presence.heartbeat(article.id, newsroom.writer)
    assert presence.others(article.id, "wati") == ["Eko Prasetyo"]
    clock.freeze(T0 + presence.STALE_AFTER + timedelta(seconds=1))
    assert presence.others(article.id, "wati") == []
    presence.heartbeat(article.id, newsroom.editor)
    assert presence.others(article.id, "wati") == ["Eko Prasetyo"]
    presence.leave(article.id, "eko")
    assert presence.others(article.id, "wati") == []
