"""Articles from the command line: init, identity, new, list, show, tag, note, history, diff, revert."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from beritatui.core import articles, clock, listing, site
from beritatui.core.database import open_database
from beritatui.core.errors import UnknownUser
from beritatui.core.models import Article, Note, Revision, User


def test_init_makes_the_invoking_login_admin(bare_cli, db_path):
    result = bare_cli.ok("init", "--name", "Sri Mulyani", "--unit", "Kanwil Sulawesi Selatan", login="sri")
    assert "sri is its admin" in result.stdout
    open_database(str(db_path), create=False)
    sri = User.get(User.login == "sri")
    assert (sri.role, sri.display_name, sri.unit) == ("admin", "Sri Mulyani", "Kanwil Sulawesi Selatan")


def test_init_refuses_a_database_that_has_users(cli):
    result = cli.refused("init", login="tono")
    assert "already has users" in result.stderr
    assert not User.select().where(User.login == "tono").exists()


def test_unknown_login_gets_the_core_message(cli):
    result = cli.refused("list", login="siapa")
    assert result.stderr.strip() == (
        "Error: You are not an editor of this database. Ask an admin to run: beritatui user add siapa")


def test_debug_shows_the_real_exception(cli):
    result = cli("--debug", "list", login="siapa", db=True)
    assert isinstance(result.exception, UnknownUser)


def test_a_broken_config_file_is_one_warning_line_and_the_defaults(cli, tmp_path, monkeypatch):
    broken = tmp_path / "rusak.toml"
    broken.write_text("database = [", encoding="utf-8")
    monkeypatch.setenv("BERITATUI_CONFIG", str(broken))
    result = cli.ok("list")
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Warning: Cannot read the config file")
    assert "beritatui config check" in result.stderr and "No articles match." in result.stdout


def test_new_with_every_option_prints_json(cli, tmp_path):
    body = tmp_path / "isi.md"
    body.write_text("Paragraf pembuka tentang kegiatan.\n\n- butir satu\n- butir dua\n", encoding="utf-8")
    result = cli.ok("new", "--title", "Rutan Makassar Gelar Donor Darah", "--summary", "Petugas ikut mendonorkan darah.",
                    "--tag", "Kesehatan, Humas", "--tag", "Pelayanan Publik", "--byline", "Eko Prasetyo (Rutan Makassar)",
                    "--byline", "Sinta Dewi", "--body-file", body, "--slug", "donor darah 2026", "--json", login="eko")
    data = json.loads(result.stdout)
    assert data["slug"] == "donor-darah-2026"
    assert data["tags"] == ["Kesehatan", "Humas", "Pelayanan Publik"]
    assert data["bylines"] == [["Eko Prasetyo", "Rutan Makassar"], ["Sinta Dewi", ""]]
    assert data["status"] == "draft" and data["created_by"] == "eko"
    assert "- butir satu" in data["body"]


def test_new_reads_the_body_from_stdin(cli):
    cli.ok("new", "--title", "Kabar dari Bapas Bone", input="Isi berita dari pipa.\n")
    assert Article.get(Article.slug == "kabar-dari-bapas-bone").body.strip() == "Isi berita dari pipa."


def test_new_refusals(cli, tmp_path):
    assert cli("new").exit_code == 2
    cli.refused("new", "--title", "x" * 300)
    missing = cli.refused("new", "--title", "Judul", "--body-file", tmp_path / "tidak-ada.md")
    assert "Cannot read" in missing.stderr
    assert Article.select().count() == 0


def test_a_body_file_is_never_read_through_a_symlink(cli, tmp_path):
    """As every file a person names: a colleague's planted link may point at a file only this login may read."""
    private = tmp_path / "catatan-pribadi.md"
    private.write_text("Nomor rekening dan kata sandi pribadi.", encoding="utf-8")
    link = tmp_path / "isi-berita.md"
    link.symlink_to(private)
    result = cli.refused("new", "--title", "Penyuluhan Hukum bagi Warga Binaan", "--body-file", link)
    assert "Cannot read" in result.stderr and "symbolic link" in result.stderr
    assert Article.select().count() == 0
    body = tmp_path / "berita.md"
    body.write_text("Penyuluhan diikuti empat puluh warga binaan.", encoding="utf-8")
    cli.ok("new", "--title", "Penyuluhan Hukum bagi Warga Binaan", "--body-file", body)
    assert Article.get().body == "Penyuluhan diikuti empat puluh warga binaan."


def _three_articles(cli):
    cli.ok("new", "--title", "Senam Sehat di Lapas Watampone", "--tag", "Kesehatan",
           "--byline", "Wati Handayani (Lapas Watampone)", input="Senam pagi diikuti seluruh warga binaan.",
           login="wati")
    cli.ok("new", "--title", "Bapas Bone Kunjungi Klien", "--tag", "Pembinaan", "--byline", "Budi Santoso (Bapas Bone)",
           input="Pembimbing kemasyarakatan mengunjungi rumah klien.", login="budi")
    cli.ok("new", "--title", "Layanan Pengaduan Rutan Makassar", "--tag", "Pelayanan Publik",
           input="Kotak pengaduan dipasang di ruang tunggu.", login="eko")


def test_list_table_and_filters(cli):
    _three_articles(cli)
    table = cli.ok("list").stdout
    assert "Senam Sehat" in table and "Bapas Bone Kunjungi" in table and "3 articles" in table
    assert "Bapas Bone Kunjungi" not in cli.ok("list", "--tag", "Kesehatan").stdout
    assert "Senam Sehat" in cli.ok("list", "--byline-unit", "Watampone").stdout
    assert "Bapas Bone Kunjungi" not in cli.ok("list", "--byline-unit", "Watampone").stdout
    assert "Senam Sehat" not in cli.ok("list", "--author", "Budi").stdout
    assert "Layanan Pengaduan" in cli.ok("list", "--search", "pengaduan").stdout
    assert cli.ok("list", "--status", "published").stdout.strip() == "No articles match."
    assert cli("list", "--status", "gone").exit_code == 2
    assert "No tag" in cli.refused("list", "--tag", "Tidak Ada").stderr


def test_list_json_follows_the_cursor_up_to_limit(cli, monkeypatch):
    _three_articles(cli)
    cli.ok("new", "--title", "Artikel Keempat", input="")
    monkeypatch.setattr(listing, "MAX_PAGE", 1)
    rows = json.loads(cli.ok("list", "--json", "--limit", "3", "--sort", "title").stdout)
    assert [r["title"] for r in rows] == ["Artikel Keempat", "Bapas Bone Kunjungi Klien",
                                         "Layanan Pengaduan Rutan Makassar"]
    assert "(more: raise --limit)" in cli.ok("list", "--limit", "2").stdout
    everything = json.loads(cli.ok("list", "--json", "--limit", "50").stdout)
    assert len(everything) == 4 and all(r["status"] == "draft" for r in everything)


def test_show_prints_everything_in_site_time(cli, newsroom, wati_draft):
    site.set_setting(newsroom.admin, "timezone", "Asia/Makassar")
    Article.update(created_at=datetime(2026, 3, 1, 1, 30, tzinfo=UTC)).where(Article.id == wati_draft.id).execute()
    cli.ok("note", wati_draft.slug, "Tolong cek nama instruktur.", login="eko")
    text = cli.ok("show", wati_draft.slug).stdout
    assert "Pelatihan Menjahit" in text and "Pembinaan, Humas" in text
    assert "Wati Handayani (Lapas Watampone)" in text
    assert "2026-03-01 09:30 (wati)" in text
    assert "1 (1 open)" in text and "Asia/Makassar" in text
    data = json.loads(cli.ok("show", str(wati_draft.id), "--json").stdout)
    assert data["created_at"] == "2026-03-01T09:30:00+08:00"
    assert data["notes"] == 1 and data["reactions"]["like"] == 0
    assert data["tags"] == ["Pembinaan", "Humas"]
    assert "No article" in cli.refused("show", "tidak-ada").stderr


def test_tag_adds_and_removes(cli, wati_draft):
    result = cli.ok("tag", wati_draft.slug, "--add", "Inovasi", "--remove", "humas", login="wati")
    assert "Pembinaan, Inovasi" in result.stdout
    assert "has no tag" in cli.refused("tag", wati_draft.slug, "--remove", "Kesehatan", login="wati").stderr
    assert cli("tag", wati_draft.slug).exit_code == 2
    version = Article.get_by_id(wati_draft.id).version
    cli.refused("tag", wati_draft.slug, "--add", "Lain", login="budi")
    assert Article.get_by_id(wati_draft.id).version == version


def test_note_adds_and_refuses_empty(cli, wati_draft):
    cli.ok("note", wati_draft.slug, "Foto kegiatan menyusul.", login="budi")
    assert Note.get(Note.article == wati_draft.id).login == "budi"
    cli.refused("note", wati_draft.slug, "   ")
    assert Note.select().count() == 1


def test_history_diff_and_revert(cli, wati_draft):
    cli.ok("tag", wati_draft.slug, "--add", "Inovasi", login="wati")
    history = cli.ok("history", wati_draft.slug).stdout
    assert "wati" in history and "save" in history
    data = json.loads(cli.ok("history", wati_draft.slug, "--json").stdout)
    assert [r["number"] for r in data] == [2, 1]
    diff = cli.ok("diff", wati_draft.slug, "1", "2").stdout
    assert "-Tags: Pembinaan, Humas" in diff and "+Tags: Pembinaan, Humas, Inovasi" in diff
    assert "\x1b[" not in diff  # no colour codes when not a terminal
    assert "No differences." in cli.ok("diff", wati_draft.slug, "2").stdout
    assert "no revision 9" in cli.refused("diff", wati_draft.slug, "9").stderr
    assert cli("diff", wati_draft.slug, "0").exit_code == 2
    cli.ok("revert", wati_draft.slug, "--to", "1", login="wati")
    article = Article.get_by_id(wati_draft.id)
    assert article.version == 3
    assert Revision.select().where(Revision.article == article.id).count() == 3
    assert "Inovasi" not in cli.ok("show", wati_draft.slug).stdout.split("Tags:")[1].splitlines()[0]


def test_history_labels_every_reason_as_the_app_does(cli, newsroom, wati_draft):
    """A conflict settled for theirs, a merge and a recovered text read as words, not as stored keys."""
    draft = articles.ArticleDraft(title=wati_draft.title, body="Pelatihan berlangsung selama dua minggu.")
    theirs = articles.ArticleDraft(title=wati_draft.title, body=wati_draft.body)
    article = articles.keep_theirs(newsroom.writer, wati_draft.id, wati_draft.version, draft, theirs)
    for reason in ("merge", "autosave-recovered"):
        article = articles.save_article(newsroom.writer, article.id, article.version, articles.ArticleDraft(
            title=article.title, body=f"{article.body}\n\nCatatan {reason}."), reason=reason)
    header, *rows = cli.ok("history", wati_draft.slug).stdout.splitlines()
    start, end = header.index("Reason"), header.index("Title")
    assert [row[start:end].strip() for row in rows] == [
        "recovered text", "merge", "conflict: theirs", "conflict: yours", "save"]


def test_diff_is_coloured_on_a_terminal(cli, wati_draft):
    from beritatui.cli import cli as beritatui_cli

    cli.ok("tag", wati_draft.slug, "--add", "Inovasi", login="wati")
    result = cli.runner.invoke(beritatui_cli, ["--db", str(cli.db), "diff", wati_draft.slug, "1"], color=True)
    assert "\x1b[32m+Tags: Pembinaan, Humas, Inovasi" in result.stdout
    assert "\x1b[31m-Tags: Pembinaan, Humas" in result.stdout


def test_times_are_read_and_shown_in_site_time(cli, newsroom, wati_draft):
    site.set_setting(newsroom.admin, "timezone", "Asia/Jayapura")
    clock.freeze(datetime(2026, 11, 1, tzinfo=UTC))
    cli.ok("submit", wati_draft.slug, login="wati")
    result = cli.ok("publish", wati_draft.slug, "--at", "2026-12-01 09:00", login="eko")
    assert "2026-12-01 09:00 (Asia/Jayapura)" in result.stdout
    assert Article.get_by_id(wati_draft.id).scheduled_at == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
