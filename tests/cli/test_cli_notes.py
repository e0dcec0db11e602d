"""``notes``, ``note add|resolve|reopen`` (``note SLUG TEXT`` still adds), ``show``'s notes and ``inbox``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from beritatui.core import clock, notes, site, transitions
from beritatui.core.models import Note


@pytest.fixture
def sent_back(cli, newsroom, wati_draft):
    """wati's draft, sent back by eko with a note, in the Makassar site's time."""
    site.set_setting(newsroom.admin, "timezone", "Asia/Makassar")
    clock.freeze(datetime(2026, 11, 29, 2, 42, tzinfo=UTC))
    transitions.submit(newsroom.writer, wati_draft.id)
    transitions.request_changes(newsroom.editor, wati_draft.id, "Nama instruktur belum ada.\nTambahkan juga foto.")
    yield wati_draft
    clock.freeze(None)


def test_notes_lists_number_who_when_text_and_state(cli, sent_back):
    cli.ok("note", sent_back.slug, "Sudah saya tambahkan.", login="wati")  # the old way to add still works
    text = cli.ok("notes", sent_back.slug, login="wati").stdout
    assert text.splitlines() == [
        "#1  Eko Prasetyo (eko) · 2026-11-29 10:42 · open",
        "    Nama instruktur belum ada.",
        "    Tambahkan juga foto.",
        "#2  Wati Handayani (wati) · 2026-11-29 10:42 · open",
        "    Sudah saya tambahkan.",
    ]


def test_notes_json_is_the_notes_with_site_times(cli, sent_back):
    cli.ok("note", "resolve", sent_back.slug, "1", login="wati")
    data = json.loads(cli.ok("notes", sent_back.slug, "--json", login="eko").stdout)
    assert data["article"] == {"id": sent_back.id, "slug": sent_back.slug, "title": sent_back.title}
    assert data["timezone"] == "Asia/Makassar"
    assert data["notes"] == [{
        "number": 1, "login": "eko", "name": "Eko Prasetyo", "created_at": "2026-11-29T10:42:00+08:00",
        "text": "Nama instruktur belum ada.\nTambahkan juga foto.", "resolved": True, "resolved_by": "wati",
        "resolved_at": "2026-11-29T10:42:00+08:00"}]


def test_a_writer_reads_only_the_notes_on_her_articles_and_her_own(cli, sent_back):
    cli.ok("note", "add", sent_back.slug, "Saya punya foto lain.", login="budi")
    assert [n["number"] for n in json.loads(cli.ok("notes", sent_back.slug, "--json", login="budi").stdout)
            ["notes"]] == [2]
    assert [n["number"] for n in json.loads(cli.ok("notes", sent_back.slug, "--json", login="wati").stdout)
            ["notes"]] == [1, 2]
    assert cli.ok("notes", sent_back.slug, login="budi").stdout.startswith("#2  Budi Santoso (budi)")
    data = json.loads(cli.ok("show", sent_back.slug, "--json", login="budi").stdout)
    assert (data["notes"], data["open_notes"], [n["number"] for n in data["note_list"]]) == (1, 1, [2])


def test_an_article_without_notes_says_so(cli, wati_draft):
    assert cli.ok("notes", wati_draft.slug, login="wati").stdout == f"No notes on {wati_draft.title}.\n"
    assert json.loads(cli.ok("notes", wati_draft.slug, "--json").stdout)["notes"] == []
    assert "No article" in cli.refused("notes", "tidak-ada").stderr


def test_the_writer_replies_and_resolves_then_reopens(cli, sent_back):
    assert "Note 2 added" in cli.ok("note", "add", sent_back.slug, "Nama dan foto sudah ada.", login="wati").stdout
    assert "Note 1 on" in cli.ok("note", "resolve", sent_back.slug, "1", login="wati").stdout
    assert [(n.resolved, n.resolved_by) for n in notes.list_notes(sent_back.id)] == [(True, "wati"), (False, None)]
    assert "open again" in cli.ok("note", "reopen", sent_back.slug, "1", login="eko").stdout
    assert not Note.get_by_id(notes.list_notes(sent_back.id)[0].id).resolved


def test_resolve_is_refused_to_who_may_not_and_for_numbers_that_are_not_there(cli, sent_back):
    assert "has no note 1" in cli.refused("note", "resolve", sent_back.slug, "1", login="budi").stderr
    assert "has no note 9" in cli.refused("note", "resolve", sent_back.slug, "9", login="eko").stderr
    assert cli("note", "resolve", sent_back.slug, "0", login="eko").exit_code == 2
    assert cli("note", "resolve", sent_back.slug, "satu", login="eko").exit_code == 2
    assert not notes.list_notes(sent_back.id)[0].resolved


def test_the_help_says_what_n_is(cli):
    text = " ".join(cli.ok("note", "resolve", "--help").stdout.split())
    assert "as `beritatui notes SLUG` prints it" in text and "not a row id" in text
    assert "note SLUG TEXT" in " ".join(cli.ok("note", "--help").stdout.split())


def test_show_lists_the_notes_it_counts(cli, sent_back):
    text = cli.ok("show", sent_back.slug, login="wati").stdout
    assert "1 (1 open)" in text
    assert "#1  Eko Prasetyo (eko) · 2026-11-29 10:42 · open\n    Nama instruktur belum ada." in text
    data = json.loads(cli.ok("show", sent_back.slug, "--json", login="wati").stdout)
    assert data["note_list"][0]["text"] == "Nama instruktur belum ada.\nTambahkan juga foto."


# -- inbox ---------------------------------------------------------------------------------------


def test_an_empty_inbox_says_so(cli, newsroom):
    result = cli.ok("inbox", login="budi")
    assert result.stdout == "Nothing awaits you.\n"
    data = json.loads(cli.ok("inbox", "--json", login="budi").stdout)
    assert (data["review"], data["notes"], data["news"]) == ([], [], [])


def test_the_writer_s_inbox_has_her_sent_back_draft_and_the_editor_s_is_empty_again(cli, sent_back):
    text = cli.ok("inbox", login="wati").stdout
    assert text.splitlines() == [
        "Your drafts with open notes (1):",
        f"  {sent_back.slug}  {sent_back.title} · 1 open note, last #1 eko: Nama instruktur belum ada.",
    ]
    assert cli.ok("inbox", login="eko").stdout == "Nothing awaits you.\n"


def test_the_editor_s_inbox_has_what_waits_for_review(cli, newsroom, wati_draft):
    site.set_setting(newsroom.admin, "timezone", "Asia/Makassar")
    clock.freeze(datetime(2026, 11, 29, 2, 42, tzinfo=UTC))
    try:
        transitions.submit(newsroom.writer, wati_draft.id)
        text = cli.ok("inbox", login="eko").stdout
    finally:
        clock.freeze(None)
    assert text.splitlines() == [
        "To review (1):",
        f"  {wati_draft.slug}  {wati_draft.title} · Wati Handayani (Lapas Watampone) · sent 2026-11-29 10:42 · step 1/1 (unit)",
    ]
    (item,) = json.loads(cli.ok("inbox", "--json", "--peek", login="eko").stdout)["review"]
    assert item["step"] == "step 1/1 (unit)"
    assert cli.ok("inbox", login="wati").stdout == "Nothing awaits you.\n"


def test_news_are_marked_seen_unless_peek(cli, newsroom, wati_draft):
    site.set_setting(newsroom.admin, "timezone", "Asia/Makassar")
    clock.freeze(datetime(2026, 11, 29, 2, 42, tzinfo=UTC))
    try:
        cli.ok("inbox", login="wati")  # she looks at 10:42
        transitions.submit(newsroom.writer, wati_draft.id)
        clock.freeze(datetime(2026, 11, 29, 3, 0, tzinfo=UTC))
        transitions.publish(newsroom.editor, wati_draft.id)
        clock.freeze(clock.utcnow() + timedelta(minutes=5))
        mailed = json.loads(cli.ok("inbox", "--json", "--peek", login="wati").stdout)
        again = cli.ok("inbox", login="wati").stdout
        after = cli.ok("inbox", login="wati").stdout
    finally:
        clock.freeze(None)
    assert mailed["marked_seen"] is False and mailed["since"] == "2026-11-29T10:42:00+08:00"
    assert mailed["news"] == [{"id": wati_draft.id, "slug": wati_draft.slug, "title": wati_draft.title,
                               "what": "published", "at": "2026-11-29T11:00:00+08:00", "by": "eko"}]
    assert again.splitlines() == [
        "News since 2026-11-29 10:42 (1):",
        f"  {wati_draft.slug}  {wati_draft.title} · published 2026-11-29 11:00 by eko",
    ]
    assert after == "Nothing awaits you.\n"


def test_inbox_json_has_every_list_and_its_keys(cli, sent_back):
    data = json.loads(cli.ok("inbox", "--json", login="wati").stdout)
    assert set(data) == {"login", "timezone", "since", "looked_at", "marked_seen", "review", "notes", "news",
                         "corrections"}
    assert (data["login"], data["since"], data["marked_seen"]) == ("wati", None, True)
    [item] = data["notes"]
    assert (item["slug"], [n["number"] for n in item["open_notes"]]) == (sent_back.slug, [1])
