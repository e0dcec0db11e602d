"""Schema versions and the ordered migrations between them.

A fresh database gets the current schema and is stamped with the newest version.
An existing one runs, in order, every migration above its recorded version, each
in its own transaction.  A database from a newer release is refused, not touched.
"""

from __future__ import annotations

from collections.abc import Callable

from peewee import Database, SqliteDatabase

from beritatui.core import clock, sqlite
from beritatui.core.errors import DatabaseError
from beritatui.core.models import MODELS, SchemaVersion
from beritatui.i18n import _

Migration = Callable[[Database], None]


def _feed_export_index(db: Database) -> None:
    """Version 2: a covering index for the feed export's pass over published articles."""
    db.execute_sql(
        "CREATE INDEX IF NOT EXISTS article_status_published_at_id_uuid_slug_version_modified_at "
        "ON article (status, published_at, id, uuid, slug, version, modified_at)")


def _all_view_index(db: Database) -> None:
    """Version 3: the "all" view (every status but trash, newest first) read from its index alone.

    With (updated_at, id) only, each row's status sat behind its body's overflow pages; the new index
    starts with the same columns, so it also replaces the old one.
    """
    db.execute_sql("CREATE INDEX IF NOT EXISTS article_updated_at_id_status ON article (updated_at, id, status)")
    db.execute_sql("DROP INDEX IF EXISTS article_updated_at_id")


def _tag_order_index(db: Database) -> None:
    """Version 4: an article's tags in their order from one index, without sorting them for every article.

    The export reads every published article's tag list in order; sorting each list in a temporary
    b-tree was a quarter of that pass.
    """
    db.execute_sql("CREATE INDEX IF NOT EXISTS article_tag_article_id_position_tag_id "
                   "ON article_tag (article_id, position, tag_id)")


def _versioned_image_and_language(db: Database) -> None:
    """Version 5: revisions record the language, the image and its description too.

    Older revisions keep NULL there (not recorded: a restore leaves those fields as the article has
    them).  The newest revision of each article that is not a kept text gets the article's own values:
    only a save changes them, and every save writes a revision, so that revision had them.
    """
    from peewee import CharField, TextField
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as run

    migrator = SchemaMigrator.from_database(db)
    run(migrator.add_column("revision", "language", CharField(max_length=16, null=True)),
        migrator.add_column("revision", "image_url", TextField(null=True)),
        migrator.add_column("revision", "image_alt", TextField(null=True)))
    db.execute_sql(
        "UPDATE revision SET "
        "language = (SELECT a.language FROM article a WHERE a.id = revision.article_id), "
        "image_url = (SELECT a.image_url FROM article a WHERE a.id = revision.article_id), "
        "image_alt = (SELECT a.image_alt FROM article a WHERE a.id = revision.article_id) "
        "WHERE reason <> 'kept' AND number = (SELECT MAX(r.number) FROM revision r "
        "WHERE r.article_id = revision.article_id AND r.reason <> 'kept')")


def _article_expiry(db: Database) -> None:
    """Version 6: an article may carry an expiry time (``expires_at``), when publish-due takes it off the site.

    Every article of an older database gets NULL there: it has no expiry and stays as it is.  The index
    serves publish-due's look for published articles whose expiry has come.
    """
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as run

    from beritatui.core.models import UTCDateTimeField

    migrator = SchemaMigrator.from_database(db)
    run(migrator.add_column("article", "expires_at", UTCDateTimeField(null=True)))
    db.execute_sql("CREATE INDEX IF NOT EXISTS article_status_expires_at ON article (status, expires_at)")


def _inbox_seen(db: Database) -> None:
    """Version 7: when each login last looked at its inbox (``beritatui inbox``), one row per login.

    Nobody has looked yet after the upgrade: each person's first inbox shows the last week's news.
    """
    from beritatui.core.models import InboxSeen

    db.create_tables([InboxSeen], safe=True)


def _units(db: Database) -> None:
    """Version 8: the organisation as a tree of units, roles per unit, every article in a unit.

    The database becomes one root unit holding everything: it is named after the site's title (else
    "Organisation"), every article moves into it, and every person keeps their role there, so nobody
    gains or loses a right and nothing is lost.  Units under it are added by an admin afterwards.  The
    site's settings stay in ``setting``: they are the root unit's (core.unit_settings).
    """
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as run

    from beritatui.core.models import Membership, Unit, UnitSetting

    db.create_tables([Unit, Membership, UnitSetting], safe=True)
    root = create_root_unit(db)
    db.execute_sql("INSERT INTO membership (user_id, unit_id, role) SELECT id, ?, role FROM \"user\"", (root.id,))
    migrator = SchemaMigrator.from_database(db)
    from peewee import IntegerField

    run(migrator.add_column("article", "unit_id", IntegerField(null=True)))
    db.execute_sql("UPDATE article SET unit_id = ?", (root.id,))
    db.execute_sql("CREATE INDEX IF NOT EXISTS article_unit_id ON article (unit_id)")
    # The list indexes carry the unit too, so a unit's or a subtree's list is read in order from an index
    # alone: without it, each row's unit_id (the record's last column) sits behind its body's overflow pages.
    for old, columns in (("article_status_updated_at_id", "status, updated_at, id"),
                         ("article_status_published_at_id", "status, published_at, id"),
                         ("article_updated_at_id_status", "updated_at, id, status")):
        db.execute_sql(f"CREATE INDEX IF NOT EXISTS {old}_unit_id ON article ({columns}, unit_id)")
        db.execute_sql(f"DROP INDEX IF EXISTS {old}")
    db.execute_sql("CREATE INDEX IF NOT EXISTS article_unit_id_status_updated_at_id "
                   "ON article (unit_id, status, updated_at, id)")


def _approval_chains(db: Database) -> None:
    """Version 9: approval chains (core.review_steps): the ``approval`` table and each article's review round.

    Nothing was approved step by step before: the table starts empty, and every article's round is NULL
    (round 0), so an article already in review is at the first step of its chain, as it was.  The index
    lets the review queue walk articles in review without reading their bodies.
    """
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as run

    from beritatui.core.models import Approval

    db.create_tables([Approval], safe=True)
    migrator = SchemaMigrator.from_database(db)
    from peewee import IntegerField

    run(migrator.add_column("article", "review_round", IntegerField(null=True)))
    db.execute_sql("CREATE INDEX IF NOT EXISTS article_status_updated_at_id_unit_id_created_by_id_review_round "
                   "ON article (status, updated_at, id, unit_id, created_by_id, review_round)")


def _corrections(db: Database) -> None:
    """Version 10: corrections of published articles wait in their own table until an editor publishes them.

    An older database has none: every edit it holds went live as it was saved, and nothing changes.
    """
    from beritatui.core.models import Correction

    db.create_tables([Correction], safe=True)


def _audit_chain(db: Database) -> None:
    """Version 11: every audit event carries a hash chaining it to the one before (core.audit_hash).

    The existing events are chained in id order as they are, in batches (constant memory).  The trigger
    that refuses changes to the trail is dropped for that and made again, with the same text, in this
    migration's transaction: no other writer ever sees the trail unguarded.  The chain proves the history
    from here on as it stood at the upgrade; what was changed before, it cannot tell (docs/security.md).
    """
    from peewee import CharField
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as run

    from beritatui.core.audit_hash import GENESIS, event_hash, link
    from beritatui.core.sqlite_integrity import AUDIT_GUARDS

    migrator = SchemaMigrator.from_database(db)
    run(migrator.add_column("audit_event", "hash", CharField(max_length=64, null=True)))
    guarded = isinstance(db, SqliteDatabase)
    if guarded:
        db.execute_sql("DROP TRIGGER IF EXISTS audit_event_no_update")
    previous, after = GENESIS, 0
    while True:
        rows = db.execute_sql("SELECT id, at, login, action, article, details FROM audit_event WHERE id > ? "
                              "ORDER BY id LIMIT 5000", (after,)).fetchall()
        if not rows:
            break
        hashes = []
        for event_id, at, login, action, article, details in rows:
            try:
                previous = event_hash(previous, event_id, at, login, action, article, details)
            except (ValueError, TypeError):  # a row written by hand that no event could be: hashed as it is
                previous = link(previous, f"[{event_id},{at!r},{login!r},{action!r},{article!r},{details}]".encode())
            hashes.append((previous, event_id))
        db.cursor().executemany("UPDATE audit_event SET hash = ? WHERE id = ?", hashes)
        after = rows[-1][0]
    if guarded:
        db.execute_sql(next(statement for statement in AUDIT_GUARDS if "audit_event_no_update" in statement))


def _audit_indexes(db: Database) -> None:
    """Version 12: the audit viewer's filters by login and by action read newest first from an index.

    An index on one column carries the row id, so "this login's events, newest first" walks it
    backwards and stops after a page (core.audit_query); events are only ever added, nothing is changed.
    """
    db.execute_sql("CREATE INDEX IF NOT EXISTS audit_event_login ON audit_event (login)")
    db.execute_sql("CREATE INDEX IF NOT EXISTS audit_event_action ON audit_event (action)")


def create_root_unit(db: Database):  # noqa: ANN201 - a Unit
    """The root of the organisation's tree, named after the site's title when there is one."""
    from slugify import slugify

    from beritatui.core.models import Unit

    title = ""
    if "setting" in db.get_tables():
        row = db.execute_sql("SELECT value FROM setting WHERE key = 'title'").fetchone()
        title = (row[0] if row else "").strip()[:128]
    name = title or "Organisation"
    root = Unit.create(name=name, slug=(slugify(name) or "organisation")[:80], parent=None, path="/",
                       created_at=clock.utcnow())
    Unit.update(path=f"/{root.id}/").where(Unit.id == root.id).execute()
    return Unit.get_by_id(root.id)


# (version, migration).  Version 1 is the first released schema: it is created
# directly from the models.  Append new migrations; never edit a released one.
MIGRATIONS: list[tuple[int, Migration]] = [
    (2, _feed_export_index), (3, _all_view_index), (4, _tag_order_index), (5, _versioned_image_and_language),
    (6, _article_expiry), (7, _inbox_seen), (8, _units), (9, _approval_chains), (10, _corrections),
    (11, _audit_chain), (12, _audit_indexes)]

CURRENT_VERSION = max([1, *(version for version, _m in MIGRATIONS)])


def schema_version(db: Database) -> int | None:
    """The recorded version, or ``None`` for a database without our tables."""
    if "schema_version" not in db.get_tables():
        return None
    row = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
    return row.version if row else None


def create_schema(db: Database) -> None:
    with db.atomic():
        db.create_tables(MODELS)
        if isinstance(db, SqliteDatabase):
            sqlite.create_extras(db)
        create_root_unit(db)
        SchemaVersion.create(version=CURRENT_VERSION, applied_at=clock.utcnow())


def migrate(db: Database) -> int:
    """Bring ``db`` to :data:`CURRENT_VERSION`; returns the version it ends at."""
    found = schema_version(db)
    if found is None:
        if set(db.get_tables()) - {"sqlite_sequence"}:
            raise DatabaseError(_("This database was not made by beritatui (unknown tables, no schema version)"))
        create_schema(db)
        return CURRENT_VERSION
    if found > CURRENT_VERSION:
        raise DatabaseError(
            _("This database has schema version {found}; this beritatui knows up to {known}. "
              "Upgrade beritatui to open it.").format(found=found, known=CURRENT_VERSION)
        )
    for version, step in MIGRATIONS:
        if version > found:
            with db.atomic():
                step(db)
                SchemaVersion.create(version=version, applied_at=clock.utcnow())
    return CURRENT_VERSION
