"""``beritatui export``, ``beritatui import`` and ``beritatui reactions import`` from the command line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from beritatui.cli import cli as beritatui_cli
from beritatui.core import users
from beritatui.core.articles import reactions_of
from beritatui.core.models import Article


@pytest.fixture
def run(newsroom, monkeypatch, tmp_path):
    """``run("export", "--json")`` runs ``beritatui --db <db> export --json`` as ani (admin)."""
    monkeypatch.chdir(tmp_path)

    def invoke(*args, login="ani"):
        monkeypatch.setattr(users, "current_login", lambda: login)
        return CliRunner().invoke(beritatui_cli, ["--db", str(newsroom.path), *map(str, args)])

    return invoke


def test_export_reports_counts_and_json(run, desk, kit, tmp_path):
    kit.publish(desk, "Sosialisasi Layanan Pengaduan", tags=["Humas"])
    out = tmp_path / "situs"
    first = run("export", "--out", out)
    assert first.exit_code == 0, first.output
    assert "written, 0 unchanged, 0 removed" in first.output
    second = run("export", "--out", out, "--json")
    data = json.loads(second.stdout)
    assert data["written"] == 0 and data["unchanged"] > 0 and data["articles"] == 1
    dry = run("export", "--out", tmp_path / "kosong", "--dry-run")
    assert dry.exit_code == 0 and dry.output.startswith("Dry run:")
    assert not (tmp_path / "kosong").exists()


def test_export_without_base_url_fails_with_one_clear_line(run, tmp_path):
    result = run("export", "--out", tmp_path / "situs")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "Error: The site has no base_url; set it first: beritatui site set base_url https://…"]


def test_import_counts_and_exits_1_when_a_file_was_skipped(run, newsroom, tmp_path):
    folder = tmp_path / "impor"
    folder.mkdir()
    (folder / "baik.md").write_text("---\ntitle: Bakti Sosial Ramadan\ntags: [Humas]\n---\nPembagian takjil.\n",
                                    encoding="utf-8")
    good = run("import", folder, "--json")
    assert good.exit_code == 0
    assert json.loads(good.stdout)["created"] == 1
    (folder / "rusak.txt").write_bytes(b"\xff\xfe\x00\x00rusak")
    bad = run("import", folder)
    assert bad.exit_code == 1
    assert "rusak.txt" in bad.stderr and "binary" in bad.stderr
    assert "0 created, 0 updated, 1 unchanged, 1 skipped" in bad.stdout
    assert Article.select().count() == 1


def test_import_dry_run_and_status(run, tmp_path):
    path = tmp_path / "rapat.md"
    path.write_text("---\ntitle: Rapat Evaluasi Triwulan\n---\nEvaluasi capaian kinerja.\n", encoding="utf-8")
    dry = run("import", path, "--dry-run")
    assert dry.exit_code == 0 and "Dry run: 1 created" in dry.stdout
    assert Article.select().count() == 0
    done = run("import", path, "--status", "review")
    assert done.exit_code == 0
    assert Article.get().status == "review"
    assert run("import", path, login="wati").exit_code == 1


def test_reactions_import_updates_tallies(run, desk, kit, tmp_path):
    article = kit.publish(desk, "Lomba Voli Antarblok")
    path = tmp_path / "reaksi.json"
    path.write_text(json.dumps({article.slug: {"like": 12, "wow": 3}, "tidak-ada": {"like": 1}}), encoding="utf-8")
    result = run("reactions", "import", path)
    assert result.exit_code == 0, result.output
    assert "1 article updated" in result.stdout and "tidak-ada" in result.stderr
    assert reactions_of(article.id)["like"] == 12 and reactions_of(article.id)["wow"] == 3
    path.write_text("{bukan json", encoding="utf-8")
    assert run("reactions", "import", path).exit_code == 1
