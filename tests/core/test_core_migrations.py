"""Schema version 5 on a database from an older release: revisions record the language and the image."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from beritatui.core import migrations, revisions, unit_settings, units
from beritatui.core.articles import get_article
from beritatui.core.database import close_database, current_database, open_database
from beritatui.core.models import Revision, User

FIXTURE = Path(__file__).parent.parent / "fixtures" / "schema-v1.db"
PANEN = "panen-kangkung-di-kebun-lapas"
FOTO = "https://humas.lapas-watampone.example.id/foto/panen-kangkung.jpg"


def columns(table: str) -> list[tuple]:
    """(name, type, not null, default) of each column, in order."""
    return [tuple(row[1:5]) for row in current_database().execute_sql(f"PRAGMA table_info({table})").fetchall()]


@pytest.fixture
def old_database(tmp_path) -> Path:
    """A copy of the schema-1 newsroom whose published article has an image, and a kept text as its newest
    revision (as a refused save leaves it), before any migration."""
    copy = tmp_path / "lama.db"
    shutil.copyfile(FIXTURE, copy)
    con = sqlite3.connect(copy)
    with con:
        con.execute("UPDATE article SET image_url = ?, image_alt = 'Ikat kangkung di kebun', language = 'id' "
                    "WHERE slug = ?", (FOTO, PANEN))
        con.execute("INSERT INTO revision (article_id, number, article_version, title, slug, summary, body, tags, "
                    "bylines, login, created_at, reason) SELECT article_id, 5, article_version, title, slug, "
                    "summary, 'Teks yang tersimpan saja.', tags, bylines, 'wati', created_at, 'kept' FROM revision "
                    "WHERE number = 4 AND article_id = (SELECT id FROM article WHERE slug = ?)", (PANEN,))
    con.close()
    return copy


def test_an_upgraded_database_has_the_revision_columns_of_a_new_one(newsroom, old_database):
    fresh = columns("revision")
    assert [c[0] for c in fresh][-3:] == ["language", "image_url", "image_alt"]
    close_database()
    open_database(str(old_database))
    assert migrations.schema_version(current_database()) == migrations.CURRENT_VERSION >= 5
    assert columns("revision") == fresh


def test_the_newest_revision_gets_the_article_s_image_and_older_ones_say_not_recorded(old_database):
    open_database(str(old_database))
    panen = get_article(PANEN)
    found = {r.number: (r.reason, r.language, r.image_url, r.image_alt)
             for r in Revision.select().where(Revision.article == panen.id)}
    assert found == {1: ("save", None, None, None), 2: ("save", None, None, None), 3: ("submit", None, None, None),
                     4: ("publish", "id", FOTO, "Ikat kangkung di kebun"), 5: ("kept", None, None, None)}
    rapat = get_article("rapat-koordinasi-keamanan")
    [only] = Revision.select().where(Revision.article == rapat.id)
    assert (only.language, only.image_url, only.image_alt) == ("id", "", "")


def test_an_old_revision_shows_and_restores_only_what_it_recorded(old_database):
    open_database(str(old_database))
    with current_database().atomic():  # edits of a published article go live (no pending correction)
        unit_settings.store(units.root_id(), "corrections", "direct")
    panen = get_article(PANEN)
    old, newest = revisions.get_revision(panen.id, 1), revisions.get_revision(panen.id, 4)
    assert "Image:" not in revisions.as_text(old) and "Language:" not in revisions.as_text(old)
    assert f"Image: {FOTO}" in revisions.as_text(newest).splitlines()
    assert revisions.diff(panen.id, 4) == []  # the newest revision matches the article, image and all
    restored = revisions.restore_revision(User.get(User.login == "eko"), panen.id, 1)
    assert restored.body == "Panen pekan ini mencapai **dua puluh** ikat."
    assert (restored.image_url, restored.image_alt, restored.language) == (FOTO, "Ikat kangkung di kebun", "id")
    restored_revision = revisions.get_revision(panen.id, 6)
    assert (restored_revision.reason, restored_revision.image_url) == ("restore", FOTO)


def test_an_upgraded_database_gets_the_inbox_table_of_a_new_one(newsroom, old_database):
    """Schema version 7: when each login last looked at its inbox; nobody has looked after the upgrade."""
    from beritatui.core.inbox import inbox

    fresh = columns("inbox_seen")
    close_database()
    open_database(str(old_database))
    assert columns("inbox_seen") == fresh
    assert current_database().execute_sql("SELECT COUNT(*) FROM inbox_seen").fetchone() == (0,)
    wati = User.get(User.login == "wati")
    assert inbox(wati).since is None
    assert inbox(wati).since is not None


@pytest.fixture
def schema5_database(tmp_path) -> Path:
    """The schema-1 newsroom brought to version 5 by the migrations that release ran (no expiry column yet),
    with one of its articles in each public status."""
    from peewee import SqliteDatabase

    copy = tmp_path / "versi5.db"
    shutil.copyfile(FIXTURE, copy)
    db = SqliteDatabase(str(copy))
    for version, step in migrations.MIGRATIONS:
        if version <= 5:
            with db.atomic():
                step(db)
                db.execute_sql("INSERT INTO schema_version (version, applied_at) VALUES (?, '2026-11-20 00:00:00')",
                               (version,))
    db.execute_sql("UPDATE article SET status = 'scheduled', scheduled_at = '2030-01-01 01:00:00' "
                   "WHERE slug = 'rapat-koordinasi-keamanan'")
    db.close()
    return copy


def test_a_schema_5_database_keeps_every_article_with_no_expiry(newsroom, schema5_database):
    from beritatui.core import transitions
    from beritatui.core.models import Article

    fresh = columns("article")
    assert "expires_at" in [column[0] for column in fresh]
    fresh_indexes = {row[1] for row in current_database().execute_sql("PRAGMA index_list(article)")}
    close_database()
    con = sqlite3.connect(schema5_database)
    before = con.execute("SELECT id, uuid, slug, status, version, title, body, published_at, scheduled_at "
                         "FROM article ORDER BY id").fetchall()
    assert "expires_at" not in {row[1] for row in con.execute("PRAGMA table_info(article)")}
    con.close()
    open_database(str(schema5_database))
    assert migrations.schema_version(current_database()) == migrations.CURRENT_VERSION >= 6
    assert columns("article") == fresh
    assert {row[1] for row in current_database().execute_sql("PRAGMA index_list(article)")} == fresh_indexes
    after = [(a.id, a.uuid, a.slug, a.status, a.version, a.title, a.body) for a in Article.select().order_by(Article.id)]
    assert after == [row[:7] for row in before] and len(after) >= 2
    assert {a.expires_at for a in Article.select()} == {None}
    statuses = {a.slug: a.status for a in Article.select()}
    transitions.run_due()  # nothing has an expiry: nothing comes off the site
    assert {a.slug: a.status for a in Article.select()} == statuses


def test_a_schema_7_database_becomes_one_root_unit_holding_everything(tmp_path, newsroom):
    """Version 8: every article lands in one root unit, every person keeps their role there; nothing lost."""
    from peewee import SqliteDatabase

    from beritatui.core import units
    from beritatui.core.models import Article, Membership, Unit, User

    fresh = columns("article")
    close_database()
    copy = tmp_path / "versi7.db"
    shutil.copyfile(FIXTURE, copy)
    db = SqliteDatabase(str(copy))
    for version, step in migrations.MIGRATIONS:
        if version <= 7:
            with db.atomic():
                step(db)
                db.execute_sql("INSERT INTO schema_version (version, applied_at) VALUES (?, '2026-11-30 00:00:00')",
                               (version,))
    db.close()
    con = sqlite3.connect(copy)
    before_articles = con.execute("SELECT id, slug, status, version, body FROM article ORDER BY id").fetchall()
    before_roles = dict(con.execute("SELECT login, role FROM user").fetchall())
    con.close()
    open_database(str(copy))
    assert migrations.schema_version(current_database()) == migrations.CURRENT_VERSION >= 8
    assert columns("article") == fresh
    (root,) = list(Unit.select())
    assert root.parent_id is None and root.path == f"/{root.id}/" and units.root().id == root.id
    after = [(a.id, a.slug, a.status, a.version, a.body) for a in Article.select().order_by(Article.id)]
    assert after == before_articles and len(after) >= 2
    assert {a.unit_id for a in Article.select()} == {root.id}
    roles = {m.user.login: m.role for m in Membership.select().join(User) if m.unit_id == root.id}
    assert roles == before_roles and "admin" in roles.values()
    admin = User.get(User.login == next(login for login, role in roles.items() if role == "admin"))
    assert admin.is_admin and units.role_in(admin, root.id) == "admin"


def test_a_schema_8_database_gets_the_correction_table_of_a_new_one_and_loses_nothing(tmp_path, newsroom):
    """Version 10: corrections wait in a table of their own; an upgraded database has none pending, and a
    save of a published article then waits in it as in a new database."""
    from peewee import SqliteDatabase

    from beritatui.core import corrections
    from beritatui.core.articles import ArticleDraft, save_article
    from beritatui.core.models import Article, database_proxy

    fresh = columns("correction")
    close_database()
    copy = tmp_path / "versi8.db"
    shutil.copyfile(FIXTURE, copy)
    db = SqliteDatabase(str(copy))
    database_proxy.initialize(db)  # version 8 writes its root unit through the models
    for version, step in migrations.MIGRATIONS:
        if version <= 8:
            with db.atomic():
                step(db)
                db.execute_sql("INSERT INTO schema_version (version, applied_at) VALUES (?, '2026-12-01 00:00:00')",
                               (version,))
    db.close()
    con = sqlite3.connect(copy)
    assert "correction" not in {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    before = con.execute("SELECT id, slug, status, version, title, body, modified_at FROM article ORDER BY id").fetchall()
    con.close()
    open_database(str(copy))
    assert migrations.schema_version(current_database()) == migrations.CURRENT_VERSION >= 10
    assert columns("correction") == fresh
    after = [(a.id, a.slug, a.status, a.version, a.title, a.body, a.modified_at.strftime("%Y-%m-%d %H:%M:%S"))
                        for a in Article.select().order_by(Article.id)]
    assert [row[:6] for row in after] == [row[:6] for row in before] and len(after) >= 2
    published = Article.get(Article.status == "published")
    assert corrections.pending_for(published) is None
    saved = save_article(User.get(User.login == "eko"), published.id, published.version, ArticleDraft(body="Ralat."))
    assert saved.body == published.body and corrections.pending_for(saved).body == "Ralat."


def test_a_schema_8_database_gets_the_approval_chain_and_keeps_every_article(tmp_path, newsroom):
    """Version 9: the ``approval`` table and each article's review round; an article in review stays there,
    at the first step of its chain, and nothing is lost."""
    from peewee import SqliteDatabase

    from beritatui.core import review_steps
    from beritatui.core.models import MODELS, Approval, Article

    fresh_article, fresh_approval = columns("article"), columns("approval")
    fresh_indexes = {row[1] for row in current_database().execute_sql("PRAGMA index_list(article)")}
    close_database()
    copy = tmp_path / "versi8.db"
    shutil.copyfile(FIXTURE, copy)
    db = SqliteDatabase(str(copy))
    for version, step in migrations.MIGRATIONS:
        if version <= 8:
            with db.atomic(), db.bind_ctx(MODELS):  # version 8 writes the root unit through the models
                step(db)
                db.execute_sql("INSERT INTO schema_version (version, applied_at) VALUES (?, '2026-12-01 00:00:00')",
                               (version,))
    db.execute_sql("UPDATE article SET status = 'review' WHERE slug = 'rapat-koordinasi-keamanan'")
    db.close()
    con = sqlite3.connect(copy)
    before = con.execute("SELECT id, slug, status, version, body, unit_id FROM article ORDER BY id").fetchall()
    assert "approval" not in {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
    con.close()
    open_database(str(copy))
    assert migrations.schema_version(current_database()) == migrations.CURRENT_VERSION >= 9
    assert columns("article") == fresh_article and columns("approval") == fresh_approval
    assert {row[1] for row in current_database().execute_sql("PRAGMA index_list(article)")} == fresh_indexes
    after = [(a.id, a.slug, a.status, a.version, a.body, a.unit_id) for a in Article.select().order_by(Article.id)]
    assert after == before and len(after) >= 2
    assert Approval.select().count() == 0 and {a.review_round for a in Article.select()} == {None}
    chain = review_steps.chain_of(get_article("rapat-koordinasi-keamanan"))
    assert (chain.round, chain.position, chain.steps, chain.done) == (0, 1, ("unit",), ())


def test_a_schema_11_database_gets_the_audit_indexes_and_keeps_every_event(newsroom):
    """Schema version 12: the audit viewer's indexes on login and action; no event is lost or changed."""
    db = current_database()
    indexes = {row[1] for row in db.execute_sql("PRAGMA index_list(audit_event)").fetchall()}
    assert {"audit_event_login", "audit_event_action"} <= indexes
    db.execute_sql("DROP INDEX audit_event_login")
    db.execute_sql("DROP INDEX audit_event_action")
    db.execute_sql("DELETE FROM schema_version")
    db.execute_sql("INSERT INTO schema_version (version, applied_at) VALUES (11, '2026-12-01 00:00:00')")
    before = db.execute_sql("SELECT id, at, login, action, article, details FROM audit_event ORDER BY id").fetchall()
    assert before
    close_database()
    open_database(str(newsroom.path))
    db = current_database()
    assert migrations.schema_version(db) == migrations.CURRENT_VERSION >= 12
    assert {"audit_event_login", "audit_event_action"} <= {
        row[1] for row in db.execute_sql("PRAGMA index_list(audit_event)").fetchall()}
    after = db.execute_sql("SELECT id, at, login, action, article, details FROM audit_event ORDER BY id").fetchall()
    assert after == before
    plan = " ".join(str(r) for r in db.execute_sql(
        "EXPLAIN QUERY PLAN SELECT id FROM audit_event WHERE login = 'ani' ORDER BY id DESC LIMIT 50").fetchall())
    assert "audit_event_login" in plan and "TEMP B-TREE" not in plan


def test_a_schema_10_database_gets_the_audit_chain_and_loses_no_event(tmp_path, newsroom):
    """Version 11: every existing event is hashed into the chain in id order, as it is; the guard that refuses
    changes is back exactly as before; the chain verifies and new events continue it."""
    from peewee import SqliteDatabase

    from beritatui.core import audit, audit_chain, maintenance
    from beritatui.core.models import MODELS

    fresh = columns("audit_event")
    assert fresh[-1][0] == "hash"
    close_database()
    copy = tmp_path / "versi10.db"
    shutil.copyfile(FIXTURE, copy)
    db = SqliteDatabase(str(copy))
    for version, step in migrations.MIGRATIONS:
        if version <= 10:
            with db.atomic(), db.bind_ctx(MODELS):  # version 8 writes the root unit through the models
                step(db)
                db.execute_sql("INSERT INTO schema_version (version, applied_at) VALUES (?, '2026-12-02 00:00:00')",
                               (version,))
    db.execute_sql("INSERT INTO audit_event (at, login, action, article, details) VALUES "
                   "('2026-12-02 08:00:00.250000', 'eko', 'site.set', NULL, '{\"value\":\"Kanwil ü\",\"key\":\"title\"}')")
    db.close()
    con = sqlite3.connect(copy)
    before = con.execute("SELECT id, at, login, action, article, details FROM audit_event ORDER BY id").fetchall()
    guards = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall()
    assert "hash" not in {row[1] for row in con.execute("PRAGMA table_info(audit_event)")} and len(before) >= 3
    con.close()
    open_database(str(copy))
    assert migrations.schema_version(current_database()) == migrations.CURRENT_VERSION >= 11
    assert columns("audit_event") == fresh
    con = sqlite3.connect(copy)
    after = con.execute("SELECT id, at, login, action, article, details FROM audit_event ORDER BY id").fetchall()
    assert after == before
    assert con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall() == guards
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("UPDATE audit_event SET hash = 'x' WHERE id = 1")
    con.close()
    result = audit_chain.verify(current_database())
    assert result.ok and result.events == len(before)
    with current_database().atomic():
        audit.record("ani", "backup", None, path="/tmp/x.db")
    assert audit_chain.verify(current_database()).events == len(before) + 1
    assert not [p for p in maintenance.check() if "hash" in p or "chain" in p or "moved" in p]
