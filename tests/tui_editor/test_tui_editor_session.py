"""The edit session's state and decisions (tui.session), tested without Pilot or a screen."""

from __future__ import annotations

from beritatui.core import autosave
from beritatui.core.articles import ArticleDraft, create_article, get_article, save_article
from beritatui.core.content import Content
from beritatui.tui.session import EditSession


def _article(newsroom):
    return create_article(newsroom.writer, ArticleDraft(
        title="Penyuluhan Hukum bagi Warga Binaan", summary="Materi hak dan kewajiban.",
        body="Pembuka.\n\nIsi materi.\n\nPenutup.\n", tags=["Humas"]))


def _opened(newsroom, article) -> tuple[EditSession, object]:
    editing = EditSession(article.id)
    loaded = editing.read(newsroom.writer, language="id")
    editing.took(loaded)
    editing.loaded = True
    return editing, loaded


def test_a_new_draft_starts_with_the_actor_s_byline_and_the_site_language(newsroom):
    editing = EditSession()
    loaded = editing.read(newsroom.writer, language="id")
    assert loaded.article is None and loaded.slot == editing.slot and editing.slot.startswith("new:")
    assert loaded.content == Content(bylines=(("Wati Handayani", "Lapas Watampone"),), language="id")
    editing.took(loaded)
    assert not editing.dirty(loaded.content.replace(title="Judul"))  # nothing counts before the fields are filled
    editing.loaded = True
    assert editing.dirty(loaded.content.replace(title="Judul")) and not editing.dirty(loaded.content)
    assert editing.needs_save(loaded.content)  # a new draft is saved even unchanged


def test_an_opened_article_is_the_base_and_saving_it_unchanged_writes_nothing(newsroom):
    article = _article(newsroom)
    editing, loaded = _opened(newsroom, article)
    assert editing.base == Content.of_article(article) and editing.base_version == 1
    assert editing.slot == article.uuid and editing.writable and not editing.slug_edited
    assert not editing.needs_save(editing.base)
    assert editing.needs_save(editing.base, reason="merge") and editing.needs_save(editing.base.replace(body="x"))
    draft = editing.draft(editing.base.replace(slug="slug-sendiri"))
    assert draft.slug is None and draft.tags == ["Humas"]  # a slug nobody typed is not sent


def test_a_save_makes_the_saved_content_the_base(newsroom):
    article = _article(newsroom)
    editing, _loaded = _opened(newsroom, article)
    editing.reason = "autosave-recovered"
    editing.begin_save()
    saved = save_article(newsroom.writer, article.id, 1, editing.draft(editing.base.replace(body="Baru.")))
    editing.saved(saved, Content.of_article(saved))
    assert (editing.saving, editing.reason, editing.base_version, editing.base.body) == (False, None, 2, "Baru.")
    assert editing.saved_anything


def test_an_autosave_gathered_before_a_save_or_a_newer_autosave_never_writes():
    editing = EditSession()
    first = editing.next_autosave()
    second = editing.next_autosave()
    assert editing.autosave_current(*second)
    editing.autosave_written = second[1]
    assert not editing.autosave_current(*first)  # an older payload after a newer one
    third = editing.next_autosave()
    editing.begin_save()
    assert not editing.autosave_current(*third)  # gathered before the save started
    fourth = editing.next_autosave()
    editing.settle_slot()  # the slot is kept or cleared for good
    assert not editing.autosave_current(*fourth)


def test_the_slug_follows_the_title_until_one_is_typed():
    editing = EditSession()
    editing.loaded = True
    assert editing.follows_title()
    assert editing.take_auto_slug("", "penyuluhan-hukum") and editing.auto_slug == "penyuluhan-hukum"
    editing.slug_typed("penyuluhan-hukum")  # the change event of the slug put in for the title
    assert not editing.slug_edited
    assert not editing.take_auto_slug("penyuluhan-hukum-x", "penyuluhan-hukum-baru")  # typed before it arrived
    assert editing.slug_edited and not editing.follows_title()


def test_waiting_text_is_offered_over_the_article_and_its_base_is_the_version_it_started_from(newsroom):
    article = _article(newsroom)
    autosave.store(article.uuid, "wati", {"body": "Pembuka.\n\nIsi materi yang diubah.\n\nPenutup.\n",
                                          "slug": "slug-yang-tidak-diketik", "slug_edited": False},
                   article_id=article.id, base_version=1)
    save_article(newsroom.editor, article.id, 1, ArticleDraft(summary="Ringkasan dari Eko."))
    editing, loaded = _opened(newsroom, article)
    assert loaded.recovered is not None and loaded.recovered_base_version == 1
    assert loaded.recovered_base == Content.of_article(article)  # revision 1: what the text was started from
    recovery = editing.recovery(loaded)
    assert recovery.content.body.startswith("Pembuka.\n\nIsi materi yang diubah.")
    assert recovery.content.summary == "Ringkasan dari Eko."  # the slot lacks it: the article's, never blank
    assert recovery.content.slug == get_article(article.id).slug and not recovery.slug_edited
    editing.recovered(recovery)
    assert (editing.reason, editing.base_version, editing.base) == ("autosave-recovered", 1, loaded.recovered_base)


def test_a_slot_that_matches_the_article_is_cleared_on_open(newsroom):
    article = _article(newsroom)
    autosave.store(article.uuid, "wati", Content.of_article(article).as_payload(), article_id=article.id,
                   base_version=1)
    _editing, loaded = _opened(newsroom, article)
    assert loaded.recovered is None and autosave.load(article.uuid, "wati") is None


def test_a_conflict_merges_against_the_base_and_take_theirs_sends_both_texts(newsroom):
    article = _article(newsroom)
    editing, _loaded = _opened(newsroom, article)
    mine = editing.base.replace(body=editing.base.body.replace("Pembuka.", "Pembuka yang baru."))
    theirs = editing.base.replace(slug="penyuluhan-hukum-2", body=editing.base.body.replace("Penutup.", "Akhir."))
    result = editing.merge(mine, theirs)
    assert result.clean and result.content.slug == "penyuluhan-hukum-2"  # nobody typed ours: theirs stands
    assert result.content.body == "Pembuka yang baru.\n\nIsi materi.\n\nAkhir.\n"
    editing.rebase(theirs, 2)
    editing.merged(result, theirs)
    assert (editing.base, editing.base_version, editing.slug_edited) == (theirs, 2, False)
    yours, back = editing.drafts_for_theirs(mine, theirs)
    assert (yours.slug, back.slug, yours.body, back.body) == (None, None, mine.body, theirs.body)
