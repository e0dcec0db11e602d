"""Who may read and resolve an article's notes, and their numbers (core.notes): the rules both surfaces call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beritatui.core import clock, notes, transitions
from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.errors import NotFound, PermissionDenied, ValidationError
from beritatui.core.models import AuditEvent, Note
from beritatui.core.users import set_role

T0 = datetime(2026, 11, 5, 2, 0, tzinfo=UTC)


@pytest.fixture
def thread(newsroom):
    """wati's draft with a note by eko (the editor), one by budi (another writer) and wati's own reply."""
    article = create_article(newsroom.writer, ArticleDraft(title="Penyuluhan Hukum bagi Warga Binaan"))
    notes.add_note(newsroom.editor, article.id, "Nama penyuluh belum ada.")
    notes.add_note(newsroom.writer2, article.id, "Saya punya foto kegiatannya.")
    notes.add_note(newsroom.writer, article.id, "Sudah saya tambahkan.")
    return article


def numbers(found) -> list[tuple[int, str]]:
    return [(note.number, note.login) for note in found]


def test_editors_and_the_article_s_writer_read_every_note_others_only_their_own(newsroom, thread):
    everything = [(1, "eko"), (2, "budi"), (3, "wati")]
    assert numbers(notes.notes_for(newsroom.editor, thread.slug)) == everything
    assert numbers(notes.notes_for(newsroom.admin, thread.id)) == everything
    assert numbers(notes.notes_for(newsroom.writer, thread)) == everything
    assert numbers(notes.notes_for(newsroom.writer2, thread)) == [(2, "budi")]  # his note keeps its number
    assert notes.notes_for(newsroom.editor, thread)[0].name == "Eko Prasetyo"


def test_the_rule_uses_the_role_as_it_is_now(newsroom, thread):
    stale_editor = newsroom.editor
    set_role(newsroom.admin, "eko", "writer")
    assert numbers(notes.notes_for(stale_editor, thread)) == [(1, "eko")]


def test_numbers_follow_the_order_written_even_when_the_clock_went_back(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Panen Sayur di Kebun Lapas"))
    clock.freeze(T0)
    notes.add_note(newsroom.editor, article.id, "Pertama.")
    clock.freeze(T0 - timedelta(hours=1))  # the server's clock was set back
    notes.add_note(newsroom.editor, article.id, "Kedua.")
    assert [n.text for n in notes.list_notes(article.id)] == ["Pertama.", "Kedua."]
    assert [(n.number, n.text) for n in notes.notes_for(newsroom.writer, article)] == [(1, "Pertama."),
                                                                                       (2, "Kedua.")]


def test_the_article_s_writer_resolves_the_note_that_sent_the_draft_back(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Rapat Koordinasi Keamanan"))
    transitions.submit(newsroom.writer, article.id)
    transitions.request_changes(newsroom.editor, article.id, "Tambahkan jadwal jaga.")
    notes.add_note(newsroom.writer, article.id, "Jadwal sudah saya tambahkan.")
    done = notes.resolve_number(newsroom.writer, article.slug, 1)
    assert (done.number, done.resolved, done.resolved_by) == (1, True, "wati")
    again = notes.resolve_number(newsroom.writer, article.slug, 1, resolved=False)
    assert (again.resolved, again.resolved_by, again.resolved_at) == (False, None, None)
    assert [e.action for e in AuditEvent.select().where(AuditEvent.action.startswith("note."))
            .order_by(AuditEvent.id)] == ["note.add", "note.add", "note.resolve", "note.reopen"]


def test_resolving_by_row_id_lets_the_article_s_writer_in_too(newsroom, thread):
    editor_note = Note.select().where(Note.login == "eko").get()
    assert notes.resolve_note(newsroom.writer, editor_note.id).resolved_by == "wati"


def test_nobody_else_resolves_or_even_finds_a_note_they_may_not_read(newsroom, thread):
    with pytest.raises(NotFound, match="has no note 1"):
        notes.resolve_number(newsroom.writer2, thread.id, 1)  # the editor's note: not budi's to read
    with pytest.raises(PermissionDenied):
        notes.resolve_note(newsroom.writer2, Note.select().where(Note.login == "eko").get().id)
    assert notes.resolve_number(newsroom.writer2, thread.id, 2).resolved  # his own note
    other = create_article(newsroom.writer2, ArticleDraft(title="Donor Darah di Aula Lapas"))
    notes.add_note(newsroom.editor, other.id, "Berapa kantong terkumpul?")
    with pytest.raises(NotFound):
        notes.resolve_number(newsroom.writer, other.id, 1)


@pytest.mark.parametrize("number", [0, 4, -1, 2**40])
def test_a_number_the_article_does_not_have_is_not_found(newsroom, thread, number):
    with pytest.raises(NotFound):
        notes.resolve_number(newsroom.editor, thread.id, number)


def test_resolving_a_resolved_note_again_changes_nothing(newsroom, thread):
    notes.resolve_number(newsroom.editor, thread.id, 1)
    before = AuditEvent.select().count()
    assert notes.resolve_number(newsroom.editor, thread.id, 1).resolved
    assert AuditEvent.select().count() == before


def test_the_counts_are_of_what_the_reader_may_read(newsroom, thread):
    notes.resolve_number(newsroom.editor, thread.id, 3)
    assert notes.count_for(newsroom.editor, thread) == (3, 2)
    assert notes.count_for(newsroom.writer2, thread) == (1, 1)


CONTROL = st.characters(codec="utf-8", categories=["Cc"])
INDONESIAN = st.sampled_from(["Foto kegiatan perlu keterangan.", "Nama kepala Lapas: Bpk. Andi Pratama, S.H.",
                              "Cek ejaan “Watampone” – dan tanggalnya", "Sudah 👍", "\t- poin satu\n- poin dua"])


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(st.one_of(INDONESIAN, CONTROL, st.text(max_size=30)), min_size=1, max_size=6).map("".join))
def test_any_note_text_is_kept_without_control_characters_or_refused(newsroom, text):
    """What a person can paste into a note: Indonesian text, emoji, tabs and newlines stay; ESC, BEL and the
    other control characters never reach the terminals that list it; empty or over-long text is refused."""
    article = create_article(newsroom.writer, ArticleDraft(title="Catatan Uji"))
    expected = "".join(ch for ch in text if ch in "\n\t" or not _is_control(ch)).strip()
    try:
        notes.add_note(newsroom.editor, article.id, text)
    except ValidationError:
        assert not expected or len(expected) > notes.MAX_NOTE
        return
    [found] = notes.notes_for(newsroom.writer, article)
    assert found.text == expected
    assert not any(_is_control(ch) and ch not in "\n\t" for ch in found.text)


def _is_control(ch: str) -> bool:
    import unicodedata

    return unicodedata.category(ch) == "Cc"


def test_a_long_note_keeps_every_character_up_to_the_limit(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Catatan Panjang"))
    text = ("Penyuluhan hukum bagi warga binaan. " * 300)[: notes.MAX_NOTE].strip()
    notes.add_note(newsroom.editor, article.id, text)
    assert notes.notes_for(newsroom.writer, article)[0].text == text
    with pytest.raises(ValidationError, match="at most 10000"):
        notes.add_note(newsroom.editor, article.id, "x" * (notes.MAX_NOTE + 1))


def test_the_note_that_sends_a_draft_back_loses_the_space_a_control_character_left(newsroom):
    article = transitions.submit(newsroom.writer, create_article(newsroom.writer, ArticleDraft(
        title="Lomba Voli Antarblok")).id)
    transitions.request_changes(newsroom.editor, article.id, "\x1b Tambahkan skor akhir\x07")
    assert [n.text for n in notes.notes_for(newsroom.writer, article)] == ["Tambahkan skor akhir"]
