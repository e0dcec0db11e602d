"""``beritatui edit``: the body in $EDITOR, saved against the version read first; text is never lost."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import platformdirs

from beritatui.cli import edit as climod
from beritatui.core import articles
from beritatui.core.models import Article, Revision

APPEND = "import sys\nopen(sys.argv[-1], 'a', encoding='utf-8').write({text!r})\n"


def _editor(tmp_path: Path, text: str, name: str = "editor.py") -> str:
    """An $EDITOR that appends ``text`` to the file it is given."""
    script = tmp_path / name
    script.write_text(APPEND.format(text=text), encoding="utf-8")
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


def _unsaved_files() -> list[Path]:
    folder = platformdirs.user_data_path("beritatui") / "unsaved"
    return sorted(folder.glob("*.md")) if folder.exists() else []


def test_edit_saves_the_new_body(cli, wati_draft, tmp_path):
    editor = _editor(tmp_path, "\nDitutup dengan doa bersama.\n")
    result = cli.ok("edit", wati_draft.slug, login="wati", env={"EDITOR": editor, "VISUAL": ""})
    assert "version 2" in result.stdout
    article = Article.get_by_id(wati_draft.id)
    assert article.body.endswith("Ditutup dengan doa bersama.")
    assert article.version == 2 and article.updated_by.login == "wati"


def test_config_editor_wins_over_the_environment(cli, wati_draft, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text(f"editor = {json.dumps(_editor(tmp_path, 'Dari konfigurasi.'))}\n", encoding="utf-8")
    monkeypatch.setenv("BERITATUI_CONFIG", str(config))
    cli.ok("edit", wati_draft.slug, login="wati", env={"VISUAL": "false", "EDITOR": "false"})
    assert Article.get_by_id(wati_draft.id).body.endswith("Dari konfigurasi.")


def test_a_visual_of_only_spaces_counts_as_not_set(cli, wati_draft, tmp_path):
    editor = _editor(tmp_path, "\nKegiatan ditutup dengan pembagian sertifikat.\n")
    result = cli.ok("edit", wati_draft.slug, login="wati", env={"VISUAL": "   ", "EDITOR": editor})
    assert "version 2" in result.stdout
    assert Article.get_by_id(wati_draft.id).body.endswith("Kegiatan ditutup dengan pembagian sertifikat.")


def test_an_unchanged_body_saves_nothing(cli, wati_draft):
    result = cli.ok("edit", wati_draft.slug, login="wati", env={"VISUAL": "true"})
    assert "No changes" in result.stdout
    assert Article.get_by_id(wati_draft.id).version == 1
    assert Revision.select().where(Revision.article == wati_draft.id).count() == 1


def test_a_conflict_keeps_the_text_in_a_file(cli, newsroom, wati_draft, tmp_path, monkeypatch):
    real_editor = climod._EditorRun.run

    def editor_while_someone_saves(run, command: str, path: Path) -> int:
        code = real_editor(run, command, path)
        articles.save_article(newsroom.editor, wati_draft.id, 1, articles.ArticleDraft(  # the same last line
            body=wati_draft.body + " dan kancing baju."))
        return code

    monkeypatch.setattr(climod._EditorRun, "run", editor_while_someone_saves)
    result = cli("edit", wati_draft.slug, login="eko", env={"VISUAL": _editor(tmp_path, "Kalimat penting saya.")})
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Conflict, not saved" in result.stderr and "version 2, yours was 1" in result.stderr
    kept = _unsaved_files()
    assert len(kept) == 1 and str(kept[0]) in result.stderr
    assert kept[0].read_text(encoding="utf-8").endswith("Kalimat penting saya.")
    article = Article.get_by_id(wati_draft.id)
    assert article.version == 2 and "Kalimat penting" not in article.body


def _while_someone_saves(monkeypatch, save) -> None:
    """The fake $EDITOR writes, then a colleague saves (``save()``) before ``edit`` saves what it wrote."""
    real_editor = climod._EditorRun.run

    def editor_then_colleague(run, command: str, path: Path) -> int:
        code = real_editor(run, command, path)
        save()
        return code

    monkeypatch.setattr(climod._EditorRun, "run", editor_then_colleague)


def test_changes_that_do_not_overlap_are_merged_and_saved(cli, newsroom, wati_draft, tmp_path, monkeypatch):
    first_line = "Pelatihan berlangsung selama sepuluh hari kerja."
    _while_someone_saves(monkeypatch, lambda: articles.save_article(
        newsroom.editor, wati_draft.id, 1, articles.ArticleDraft(
            summary="Dua belas warga binaan belajar menjahit.",
            body=wati_draft.body.replace("Pelatihan berlangsung selama sepuluh hari.", first_line))))
    result = cli.ok("edit", wati_draft.slug, login="wati", env={"VISUAL": _editor(tmp_path, "Kalimat penting saya.")})
    assert "Eko Prasetyo saved this article after you opened it (version 2, yours was 1); your changes do not " \
        "overlap theirs and were merged." in result.stdout
    assert "Saved Pelatihan Menjahit bagi Warga Binaan Perempuan (version 3)." in result.stdout
    article = Article.get_by_id(wati_draft.id)
    assert article.body.startswith(first_line) and article.body.endswith("- merapikan jahitan\nKalimat penting saya.")
    assert article.summary == "Dua belas warga binaan belajar menjahit."  # theirs, kept
    assert [(r.reason, r.login) for r in Revision.select().where(Revision.article == wati_draft.id)
            .order_by(Revision.number)] == [("save", "wati"), ("save", "eko"), ("merge", "wati")]
    assert _unsaved_files() == []


def test_text_waiting_from_an_older_version_is_merged_with_what_came_since(cli, newsroom, wati_draft):
    from beritatui.core import autosave, unsaved
    from beritatui.core.content import Content

    unsaved.keep_in_autosave(wati_draft, "wati", Content.of_article(wati_draft),
                             wati_draft.body + "\n- memasang kancing", 1)  # left by an edit that was hung up
    articles.save_article(newsroom.editor, wati_draft.id, 1, articles.ArticleDraft(tags=["Pembinaan", "Kemandirian"]))
    result = cli.ok("edit", wati_draft.slug, login="wati", env={"VISUAL": "true"}, input="y\n")
    assert "merges in the changes made since" in result.stderr and "were merged" in result.stdout
    article = Article.get_by_id(wati_draft.id)
    assert article.body.endswith("- merapikan jahitan\n- memasang kancing") and article.version == 3
    assert [t.name for t in articles.article_tags(article.id)] == ["Pembinaan", "Kemandirian"]
    assert autosave.load(autosave.slot_for(article.uuid), "wati") is None


def test_a_merge_that_meets_yet_another_save_keeps_the_text(cli, newsroom, wati_draft, tmp_path, monkeypatch):
    from beritatui.core import merge

    _while_someone_saves(monkeypatch, lambda: articles.save_article(
        newsroom.editor, wati_draft.id, 1, articles.ArticleDraft(summary="Ringkasan dari Eko.")))
    real_merge = merge.merge_fields

    def merge_while_eko_saves_again(*args, **kwargs):
        result = real_merge(*args, **kwargs)
        articles.save_article(newsroom.editor, wati_draft.id, 2, articles.ArticleDraft(summary="Ringkasan lagi."))
        return result

    monkeypatch.setattr(merge, "merge_fields", merge_while_eko_saves_again)
    result = cli("edit", wati_draft.slug, login="wati", env={"VISUAL": _editor(tmp_path, "Kalimat penting saya.")})
    assert result.exit_code == 1 and "Conflict, not saved" in result.stderr
    assert "version 3, yours was 2" in result.stderr  # the newer conflict is the one reported
    [kept] = _unsaved_files()
    assert kept.read_text(encoding="utf-8").endswith("Kalimat penting saya.")
    article = Article.get_by_id(wati_draft.id)
    assert (article.version, article.summary) == (3, "Ringkasan lagi.") and "Kalimat penting" not in article.body


def test_a_failing_editor_keeps_what_was_typed(cli, wati_draft, tmp_path):
    script = tmp_path / "crash.py"
    script.write_text("import sys\nopen(sys.argv[-1], 'a').write('Setengah jalan.')\nsys.exit(3)\n", encoding="utf-8")
    result = cli("edit", wati_draft.slug, login="wati", env={"VISUAL": f"{sys.executable} {script}"})
    assert result.exit_code == 1 and "exited with status 3" in result.stderr
    kept = _unsaved_files()
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8").endswith("Setengah jalan.")
    assert Article.get_by_id(wati_draft.id).version == 1


def test_a_missing_editor_is_one_clear_line(cli, wati_draft):
    result = cli.refused("edit", wati_draft.slug, login="wati", env={"VISUAL": "editor-yang-tidak-ada"})
    assert "Cannot run the editor" in result.stderr
    assert _unsaved_files() == []


def test_edit_is_refused_before_the_editor_opens(cli, wati_draft, tmp_path):
    marker = tmp_path / "opened"
    script = tmp_path / "mark.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    result = cli.refused("edit", wati_draft.slug, login="budi", env={"VISUAL": f"{sys.executable} {script}"})
    assert "A writer may only edit their own drafts" in result.stderr
    assert not marker.exists()
    assert "No article" in cli.refused("edit", "tidak-ada", env={"VISUAL": "true"}).stderr


def test_a_slot_that_lacks_fields_never_blanks_them(cli, wati_draft):
    from beritatui.core import autosave

    autosave.store(autosave.slot_for(wati_draft.uuid), "wati", {"title": wati_draft.title,
                                                                "body": "Isi dari slot lama."},
                   article_id=wati_draft.id, base_version=1)  # a slot with only some fields (an older release)
    cli.ok("edit", wati_draft.slug, login="wati", env={"VISUAL": "true"}, input="y\n")
    article = Article.get_by_id(wati_draft.id)
    assert article.body == "Isi dari slot lama." and article.version == 2
    assert article.summary == "Dua belas warga binaan belajar menjahit seragam sekolah."
    assert [t.name for t in articles.article_tags(article.id)] == ["Pembinaan", "Humas"]
