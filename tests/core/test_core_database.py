"""The database file: pragmas, mode, refusing files that are not ours, schema versions, audit, health, backups."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

import peewee
import pytest

from beritatui.core import maintenance, migrations, transitions, users
from beritatui.core.articles import ArticleDraft, article_tags, create_article, get_article
from beritatui.core.database import close_database, current_database, open_database
from beritatui.core.errors import DatabaseError, ValidationError
from beritatui.core.models import Article, AuditEvent, Byline, Revision, SchemaVersion, User

FIXTURE = Path(__file__).parent.parent / "fixtures" / "schema-v1.db"


def pragma(name: str):
    return current_database().execute_sql(f"PRAGMA {name}").fetchone()[0]


def test_sqlite_pragmas(newsroom):
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") >= 5000
    assert pragma("synchronous") == 1


def test_new_database_file_is_group_writable(db_path):
    old = os.umask(0o022)
    try:
        open_database(str(db_path))
    finally:
        os.umask(old)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o660


def test_create_false_refuses_a_missing_file(db_path):
    with pytest.raises(DatabaseError, match="beritatui init"):
        open_database(str(db_path), create=False)
    assert not db_path.exists()


@pytest.mark.parametrize(("content", "message"), [
    (b"Berita hari ini: panen kangkung.\n" * 20, "not an SQLite file"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not an SQLite file"),
])
def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(db_path, content, message):
    db_path.write_bytes(content)
    with pytest.raises(DatabaseError, match=message):
        open_database(str(db_path))
    assert db_path.read_bytes() == content


def test_a_truncated_database_is_refused_and_left_alone(newsroom, tmp_path):
    create_article(newsroom.writer, ArticleDraft(title="Panen Kangkung", body="Isi " * 2000))
    close_database()
    whole = tmp_path / "whole.db"
    maintenance_copy = sqlite3.connect(newsroom.path)
    maintenance_copy.execute(f"VACUUM INTO '{whole}'")
    maintenance_copy.close()
    data = whole.read_bytes()
    for size in (100, 4096, len(data) // 2):
        cut = tmp_path / f"cut-{size}.db"
        cut.write_bytes(data[:size])
        with pytest.raises(DatabaseError, match="damaged or not a beritatui database"):
            open_database(str(cut))
        close_database()
        assert cut.read_bytes() == data[:size]


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(DatabaseError, match="is a directory"):
        open_database(str(tmp_path))


def test_another_programs_sqlite_file_is_refused_and_left_alone(tmp_path):
    """Regression: opening it used to switch it to WAL before noticing it was not ours."""
    foreign = tmp_path / "inventaris.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE barang (nama TEXT)")
    con.execute("INSERT INTO barang VALUES ('meja')")
    con.commit()
    con.close()
    before = foreign.read_bytes()
    with pytest.raises(DatabaseError, match="not made by beritatui"):
        open_database(str(foreign))
    close_database()
    assert foreign.read_bytes() == before
    assert not Path(str(foreign) + "-wal").exists()


def test_a_newer_schema_is_refused_and_left_alone(newsroom):
    SchemaVersion.create(version=migrations.CURRENT_VERSION + 1, applied_at=newsroom.admin.created_at)
    close_database()
    con = sqlite3.connect(newsroom.path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = newsroom.path.read_bytes()
    with pytest.raises(DatabaseError, match="Upgrade beritatui"):
        open_database(str(newsroom.path))
    close_database()
    assert newsroom.path.read_bytes() == before


def test_a_fresh_database_is_stamped_with_the_current_version(newsroom):
    assert migrations.schema_version(current_database()) == migrations.CURRENT_VERSION


def test_schema_v1_fixture_opens_with_its_data(tmp_path):
    copy = tmp_path / "lama.db"
    shutil.copyfile(FIXTURE, copy)
    open_database(str(copy))
    assert migrations.schema_version(current_database()) == migrations.CURRENT_VERSION
    assert maintenance.check() == []
    assert [(u.login, u.role) for u in User.select().order_by(User.login)] == [
        ("ani", "admin"), ("eko", "editor"), ("wati", "writer")]
    panen = get_article("panen-kangkung-di-kebun-lapas")
    assert (panen.status, panen.version, panen.uuid) == ("published", 4, "6f1d0a52-0c7e-4b8e-9f43-0a1b2c3d4e01")
    assert panen.body == "Panen pekan ini mencapai dua puluh lima ikat."
    assert panen.published_at is not None and panen.published_at.tzinfo is not None
    assert [t.name for t in article_tags(panen.id)] == ["Kemandirian", "#perlu-foto"]
    assert [r.reason for r in Revision.select().where(Revision.article == panen.id).order_by(Revision.number)] \
        == ["save", "save", "submit", "publish"]
    rapat = get_article("rapat-koordinasi-keamanan")
    assert [(b.name, b.unit) for b in Byline.select().where(Byline.article == rapat.id).order_by(Byline.position)] \
        == [("Eko Prasetyo", "Rutan Makassar"), ("Tim Humas", "")]
    from beritatui.core.listing import ArticleQuery, list_articles

    assert [r.slug for r in list_articles(ArticleQuery(text="kangkung")).rows] == [panen.slug]


def test_audit_events_cannot_be_changed_or_removed(newsroom):
    assert AuditEvent.select().count() > 0
    with pytest.raises(peewee.IntegrityError, match="cannot be changed"):
        AuditEvent.update(login="hacker").execute()
    with pytest.raises(peewee.IntegrityError, match="cannot be removed"):
        AuditEvent.delete().execute()
    assert not AuditEvent.select().where(AuditEvent.login == "hacker").exists()


def actions() -> list[tuple[str, str]]:
    return [(e.login, e.action) for e in AuditEvent.select().order_by(AuditEvent.id)]


def test_user_changes_are_audited(newsroom):
    start = AuditEvent.select().count()
    users.set_role(newsroom.admin, "budi", "editor")
    users.set_profile(newsroom.writer, "wati", unit="Lapas Bone")
    users.deactivate(newsroom.admin, "budi")
    assert actions()[start:] == [("ani", "user.set-role"), ("wati", "user.profile"), ("ani", "user.deactivate")]
    assert ("ani", "user.add") in actions()


def test_article_changes_and_transitions_are_audited(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Panen"))
    transitions.submit(newsroom.writer, article.id)
    transitions.request_changes(newsroom.editor, article.id, "Tambah foto.")
    transitions.trash(newsroom.writer, article.id)
    transitions.restore(newsroom.writer, article.id)
    trail = [(e.login, e.action) for e in AuditEvent.select().where(AuditEvent.article == article.id)
             .order_by(AuditEvent.id)]
    assert trail == [("wati", "article.create"), ("wati", "article.submit"), ("eko", "note.add"),
                     ("eko", "article.request-changes"), ("wati", "article.trash"), ("wati", "article.restore")]


def test_a_refused_transition_leaves_no_audit_event(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Panen"))
    before = AuditEvent.select().count()
    with pytest.raises(Exception):  # noqa: B017 - any refusal must leave the trail as it was
        transitions.publish(newsroom.writer, article.id)
    assert AuditEvent.select().count() == before


def test_check_passes_on_a_healthy_database(newsroom):
    create_article(newsroom.writer, ArticleDraft(title="Panen", body="Kangkung dan bayam."))
    assert maintenance.check() == []


def test_check_reports_a_missing_search_row(newsroom):
    article = create_article(newsroom.writer, ArticleDraft(title="Panen", body="Kangkung dan bayam."))
    current_database().execute_sql("DELETE FROM article_fts WHERE rowid = ?", (article.id,))
    assert maintenance.check() == ["1 articles are missing from the search index"]


def test_check_reports_a_search_row_without_article(newsroom):
    current_database().execute_sql("INSERT INTO article_fts(rowid, title) VALUES (999, 'yatim')")
    assert maintenance.check() == ["1 search index rows have no article"]


def test_backup_opens_and_passes_check(newsroom, tmp_path):
    create_article(newsroom.writer, ArticleDraft(title="Panen", body="Kangkung dan bayam."))
    (tmp_path / "cadangan").mkdir()
    dest = maintenance.backup(newsroom.admin, tmp_path / "cadangan")
    assert dest.parent == tmp_path / "cadangan" and dest.suffix == ".db"
    target = tmp_path / "cadangan.db"
    assert maintenance.backup(newsroom.admin, target) == target
    close_database()
    open_database(str(target))
    assert maintenance.check() == []
    assert Article.get().title == "Panen"


def test_restore_refuses_to_replace_without_force(newsroom, tmp_path):
    backup = maintenance.backup(newsroom.admin, tmp_path / "cadangan.db")
    create_article(newsroom.writer, ArticleDraft(title="Sesudah cadangan"))
    close_database()
    with pytest.raises(ValidationError, match="--force"):
        maintenance.restore(backup, str(newsroom.path), login="ani")
    open_database(str(newsroom.path))
    assert Article.select().count() == 1
    close_database()
    maintenance.restore(backup, str(newsroom.path), login="ani", force=True)
    open_database(str(newsroom.path))
    assert Article.select().count() == 0
    assert stat.S_IMODE(newsroom.path.stat().st_mode) == 0o660


def test_restore_refuses_a_file_that_is_not_a_backup(newsroom, tmp_path):
    junk = tmp_path / "bukan.db"
    junk.write_text("bukan basis data")
    close_database()
    with pytest.raises(DatabaseError):
        maintenance.restore(junk, str(tmp_path / "baru.db"), login="ani")
    assert not (tmp_path / "baru.db").exists()
