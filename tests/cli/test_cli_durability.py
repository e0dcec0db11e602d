"""Files that hold someone's words, and the config file, are fsync-ed with their folder (core.fsio)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from beritatui.core import config, unsaved
from beritatui.core.articles import ArticleDraft, create_article


@pytest.fixture
def synced(monkeypatch) -> list[tuple[str, bool]]:
    """Every ``os.fsync`` of this test: (the path the descriptor was open on, whether it is a folder)."""
    seen: list[tuple[str, bool]] = []
    real = os.fsync

    def recording(fd: int) -> None:
        seen.append((os.readlink(f"/proc/self/fd/{fd}"), stat.S_ISDIR(os.fstat(fd).st_mode)))
        real(fd)

    monkeypatch.setattr(os, "fsync", recording)
    return seen


def _file_then_folder(seen: list[tuple[str, bool]], target: Path) -> bool:
    """Some fsync of a file that ended up as ``target`` (its temporary name or itself), then of its folder."""
    folder = str(target.parent)
    files = [i for i, (path, is_dir) in enumerate(seen) if not is_dir and Path(path).parent == target.parent
             and (Path(path).name == target.name or target.name in Path(path).name)]
    folders = [i for i, (path, is_dir) in enumerate(seen) if is_dir and path == folder]
    return bool(files) and bool(folders) and max(folders) > min(files)


def test_the_config_file_is_synced_with_its_folder(tmp_path, synced):
    path = tmp_path / "config.toml"
    config.remember("theme", "nord", {"BERITATUI_CONFIG": str(path)})
    assert _file_then_folder(synced, path), synced


def test_a_rescue_file_is_synced_with_its_folder(newsroom, synced):
    kept = unsaved.rescue("Teks yang tidak boleh hilang.", "penyuluhan-hukum")
    assert kept.parent == unsaved.data_dir() / "unsaved"
    assert kept.read_text(encoding="utf-8") == "Teks yang tidak boleh hilang."
    assert _file_then_folder(synced, kept), synced
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    # the new folder itself was synced into its parent, so it survives with the file
    assert (str(kept.parent.parent), True) in synced


def test_the_edit_scratch_file_is_private_and_synced(newsroom, synced):
    article = create_article(newsroom.writer, ArticleDraft(title="Panen Sayur di Kebun Lapas", body="Kangkung."))
    scratch = unsaved.start_scratch(article, "Kangkung.", 1)
    try:
        assert scratch.path.parent == unsaved.data_dir() / "editing"
        assert _file_then_folder(synced, scratch.path), synced
        assert stat.S_IMODE(scratch.path.stat().st_mode) == 0o600
        assert stat.S_IMODE(scratch.path.parent.stat().st_mode) == 0o700
    finally:
        scratch.remove()
    assert not scratch.path.exists() and not scratch.lock_path.exists()


def test_the_cli_conflict_rescue_goes_through_the_durable_writer(cli, newsroom, tmp_path, synced, monkeypatch):
    """The rescue file of a conflicting ``edit`` (the words that could not be saved) is synced too."""
    import shlex
    import sys

    from beritatui.cli import edit as climod
    from beritatui.core import articles

    draft = create_article(newsroom.writer, ArticleDraft(title="Razia Kamar Hunian", body="Awal."))
    script = tmp_path / "editor.py"
    script.write_text("import sys\nopen(sys.argv[-1], 'a').write('Kalimat penting.')\n", encoding="utf-8")
    real = climod._EditorRun.run

    def while_someone_saves(run, command, path):
        code = real(run, command, path)
        articles.save_article(newsroom.editor, draft.id, 1, articles.ArticleDraft(body="Awal, diubah."))  # overlaps
        return code

    monkeypatch.setattr(climod._EditorRun, "run", while_someone_saves)
    result = cli("edit", draft.slug, login="wati", env={"VISUAL": f"{shlex.quote(sys.executable)} {script}"})
    assert result.exit_code == 1 and "Conflict, not saved" in result.stderr
    [kept] = sorted((unsaved.data_dir() / "unsaved").glob("*.md"))
    assert _file_then_folder(synced, kept), synced
