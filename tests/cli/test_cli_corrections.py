"""Corrections from the command line: edit a published article, see it pending, publish it with a note, drop it."""

from __future__ import annotations

import json
import shlex
import sys

import pytest

from beritatui.core import corrections, transitions, unit_settings, units
from beritatui.core.database import current_database
from beritatui.core.models import Article, Correction, User


@pytest.fixture
def live(newsroom, wati_draft) -> Article:
    transitions.submit(newsroom.writer, wati_draft.id)
    return transitions.publish(newsroom.editor, wati_draft.id)


def _editor(tmp_path, text: str) -> str:
    script = tmp_path / "append.py"
    script.write_text(f"import sys\nopen(sys.argv[-1], 'a', encoding='utf-8').write({text!r})\n", encoding="utf-8")
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


def test_edit_of_a_published_article_waits_then_another_editor_publishes_it(cli, live, tmp_path):
    editor = _editor(tmp_path, "\nRalat: sebelas hari.\n")
    cli.ok("edit", live.slug, login="eko", env={"EDITOR": editor, "VISUAL": ""})
    assert "Ralat" not in Article.get_by_id(live.id).body
    shown = cli.ok("show", live.slug, login="eko").stdout
    assert "correction pending" in shown
    assert json.loads(cli.ok("show", live.slug, "--json").stdout)["correction_pending"] is True
    listed = {row["slug"]: row for row in json.loads(cli.ok("list", "--json").stdout)}
    assert listed[live.slug]["correction_pending"] is True
    assert "Ralat: sebelas hari." in cli.ok("correction", "show", live.slug).stdout
    diff = cli.ok("correction", "diff", live.slug).stdout.splitlines()
    assert diff[0].startswith("--- live") and "+Ralat: sebelas hari." in diff
    # a second edit continues the pending text, not the live one
    result = cli.ok("edit", live.slug, login="eko", env={"EDITOR": _editor(tmp_path, "Tambahan.\n"), "VISUAL": ""})
    assert "A correction is pending" in result.stderr
    pending = corrections.pending_for(Article.get_by_id(live.id))
    assert pending.body.endswith("Ralat: sebelas hari.\nTambahan.")

    refused = cli("publish", live.slug, login="ani")
    assert refused.exit_code == 1 and "--correction" in refused.stderr and len(refused.stderr.splitlines()) == 1
    cli.refused("publish", live.slug, "--correction", "Salah hitung", login="eko")  # he wrote it
    out = cli.ok("publish", live.slug, "--correction", "Lama pelatihan diperbaiki", login="ani").stdout
    assert "Correction published" in out
    article = Article.get_by_id(live.id)
    assert article.body.endswith("Tambahan.") and corrections.pending_for(article) is None
    assert Correction.get().note == "Lama pelatihan diperbaiki"
    assert json.loads(cli.ok("show", live.slug, "--json").stdout)["correction_pending"] is False


def test_drop_by_its_writer_and_refusals_are_one_line(cli, live, tmp_path, newsroom):
    cli.refused("correction", "drop", live.slug, login="eko")  # nothing pending
    cli.refused("correction", "diff", live.slug)
    cli.ok("edit", live.slug, login="wati", env={"EDITOR": _editor(tmp_path, "\nUsul ralat.\n"), "VISUAL": ""})
    cli.refused("correction", "drop", live.slug, login="budi")
    assert "dropped" in cli.ok("correction", "drop", live.slug, login="wati").stdout
    assert Correction.get().status == "dropped" and "Usul ralat." in Correction.get().body
    assert "Usul ralat" not in Article.get_by_id(live.id).body


def test_publish_correction_without_a_pending_one_in_direct_mode_records_the_note(cli, live, newsroom):
    cli.refused("publish", live.slug, "--correction", "Tidak ada apa-apa")  # review mode: nothing pending
    with current_database().atomic():
        unit_settings.store(units.root_id(), "corrections", "direct")
    editor = User.get(User.login == "eko")
    from beritatui.core.articles import ArticleDraft, save_article

    saved = save_article(editor, live.id, live.version, ArticleDraft(title="Judul Diralat"))
    assert saved.title == "Judul Diralat"
    cli.ok("publish", live.slug, "--correction", "Judul diperbaiki", login="eko")
    assert Correction.get().note == "Judul diperbaiki" and Correction.get().status == "applied"
    result = cli("publish", live.slug, "--correction", "x", "--at", "2030-01-01 09:00", login="eko")
    assert result.exit_code == 2


def test_the_inbox_of_an_editor_lists_the_correction_to_publish(cli, live, tmp_path):
    cli.ok("edit", live.slug, login="wati", env={"EDITOR": _editor(tmp_path, "\nUsul ralat.\n"), "VISUAL": ""})
    out = cli.ok("inbox", "--peek", login="eko").stdout
    assert "Corrections to publish (1):" in out and live.slug in out and "by wati" in out
    data = json.loads(cli.ok("inbox", "--json", "--peek", login="eko").stdout)
    assert [(c["slug"], c["writers"]) for c in data["corrections"]] == [(live.slug, "wati")]
