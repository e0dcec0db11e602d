"""The newsroom's records as peewee models, bound at run time through one proxy.

Times are stored in UTC.  Rows are never deleted for articles, revisions or
audit events: trash is a status, history only grows.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    CompositeKey,
    DatabaseProxy,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

# Re-exported: the models' callers import the word lists from here.
from beritatui.core.vocabulary import REACTIONS as REACTIONS
from beritatui.core.vocabulary import ROLES as ROLES
from beritatui.core.vocabulary import STATUSES as STATUSES
from beritatui.core.vocabulary import SYSTEM_LOGIN, is_internal_tag

database_proxy = DatabaseProxy()



class UTCDateTimeField(DateTimeField):
    """Stores naive UTC text that sorts correctly; gives back timezone-aware UTC datetimes."""

    def db_value(self, value: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return super().db_value(value)

    def python_value(self, value: Any) -> Any:
        value = super().python_value(value)
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class JSONTextField(TextField):
    """JSON kept as text (portable between SQLite and PostgreSQL)."""

    def db_value(self, value: Any) -> Any:
        return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def python_value(self, value: Any) -> Any:
        return None if value is None else json.loads(value)


class CanonicalJSONField(JSONTextField):
    """JSON kept as its canonical text (sorted keys): what the audit chain hashes is what is stored."""

    def db_value(self, value: Any) -> Any:
        return None if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False,
                                                     separators=(",", ":"))


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = IntegerField(primary_key=True)
    applied_at = UTCDateTimeField()


class Unit(BaseModel):
    """A desk of the organisation: one node of the tree organisation → region → unit (since schema 8).

    ``path`` lists the ids from the root down to this unit, each between slashes ("/1/4/9/"): a unit's
    ancestors are read from its own row, and its subtree is one prefix range on an index.
    """

    id = AutoField()
    name = CharField(max_length=128, unique=True)
    slug = CharField(max_length=80, unique=True)
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    path = CharField(max_length=1024, index=True)
    created_at = UTCDateTimeField()

    @property
    def path_ids(self) -> list[int]:
        """The ids from the root down to this unit (itself last)."""
        return [int(part) for part in self.path.strip("/").split("/") if part]


class User(BaseModel):
    id = AutoField()
    login = CharField(max_length=64, unique=True)
    display_name = CharField(max_length=128)
    unit = CharField(max_length=128, default="")
    role = CharField(max_length=16, default="writer")
    active = BooleanField(default=True)
    created_at = UTCDateTimeField()

    @property
    def is_editor(self) -> bool:
        """An editor (or admin) of some unit; what one article's unit allows is ``core.units.role_in``."""
        if self.login == SYSTEM_LOGIN:
            return True
        return self.id is not None and Membership.select().where(
            (Membership.user == self.id) & Membership.role.in_(("editor", "admin"))).exists()

    @property
    def is_admin(self) -> bool:
        """An admin of the root unit: an admin of everything (a unit's admin manages that unit only)."""
        return self.id is not None and Membership.select().join(Unit).where(
            (Membership.user == self.id) & (Membership.role == "admin") & Unit.parent.is_null()).exists()


class Membership(BaseModel):
    """A person's role in one unit (since schema 8); it covers the unit's sub-units too."""

    user = ForeignKeyField(User, backref="memberships", on_delete="CASCADE")
    unit = ForeignKeyField(Unit, backref="memberships", on_delete="CASCADE")
    role = CharField(max_length=16)

    class Meta:
        primary_key = CompositeKey("user", "unit")
        indexes = ((("unit", "role"), False),)


class Article(BaseModel):
    id = AutoField()
    uuid = CharField(max_length=36, unique=True)
    title = CharField(max_length=255)
    slug = CharField(max_length=80, unique=True)
    slug_locked = BooleanField(default=False)
    summary = TextField(default="")
    body = TextField(default="")
    body_html = TextField(default="")
    body_text = TextField(default="")
    language = CharField(max_length=16, default="id")
    image_url = TextField(default="")
    image_alt = TextField(default="")
    status = CharField(max_length=16, default="draft", index=True)
    previous_status = CharField(max_length=16, null=True)
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()
    modified_at = UTCDateTimeField()  # last change to the content (the feed's date_modified)
    published_at = UTCDateTimeField(null=True)
    scheduled_at = UTCDateTimeField(null=True)
    trashed_at = UTCDateTimeField(null=True)
    version = IntegerField(default=1)
    created_by = ForeignKeyField(User, backref="created_articles", on_delete="RESTRICT")
    updated_by = ForeignKeyField(User, backref="updated_articles", on_delete="RESTRICT")
    # When a scheduled or published article comes off the site (core.transitions.publish_due archives it);
    # NULL: it stays.  Since schema version 6 (core.migrations); last, so a new database and an upgraded
    # one have the same columns in the same order.
    expires_at = UTCDateTimeField(null=True)
    # The unit (desk) the article belongs to, since schema version 8; NULL only in rows written around the
    # core (bulk corpora): read as the root unit.
    unit = ForeignKeyField(Unit, null=True, backref="articles", on_delete="RESTRICT")
    # Which round of review the article is in: each submit starts the next one (core.review_steps), so the
    # approvals of an earlier round stay in ``approval`` and no longer count.  Since schema version 9; NULL
    # (never submitted, or written around the core) reads as round 0.
    review_round = IntegerField(null=True)

    class Meta:
        indexes = (
            # A small unit's list pages; a large scope reads the two list indexes below in order and filters
            # on their unit_id (core.listing, core.migrations version 8).
            (("unit", "status", "updated_at", "id"), False),
            (("status", "updated_at", "id", "unit"), False),
            (("status", "published_at", "id", "unit"), False),
            # Covers the feed export's one pass over published articles (see core.migrations, version 2):
            # without it, reading version/modified_at walks every body's overflow pages.
            (("status", "published_at", "id", "uuid", "slug", "version", "modified_at"), False),
            # The "all" view filters status out of this index alone (core.migrations, version 3).
            (("updated_at", "id", "status", "unit"), False),
            (("published_at", "id"), False),
            (("status", "scheduled_at"), False),
            (("status", "expires_at"), False),  # what publish-due takes off the site (core.migrations, version 6)
            # The review queue's walk (core.review_queue) from the index alone: the rows' unit, writer and
            # round sit after the body, behind its overflow pages (core.migrations, version 9).
            (("status", "updated_at", "id", "unit", "created_by", "review_round"), False),
        )


class Byline(BaseModel):
    id = AutoField()
    article = ForeignKeyField(Article, backref="bylines", on_delete="CASCADE")
    position = IntegerField()
    name = CharField(max_length=128)
    unit = CharField(max_length=128, default="")

    class Meta:
        indexes = ((("article", "position"), True), (("name",), False), (("unit",), False))


class Tag(BaseModel):
    id = AutoField()
    name = CharField(max_length=64)
    name_key = CharField(max_length=64, unique=True)
    slug = CharField(max_length=80, unique=True)
    created_at = UTCDateTimeField()

    @property
    def internal(self) -> bool:
        return is_internal_tag(self.name)


class ArticleTag(BaseModel):
    article = ForeignKeyField(Article, backref="article_tags", on_delete="CASCADE")
    tag = ForeignKeyField(Tag, backref="article_tags", on_delete="CASCADE")
    position = IntegerField()

    class Meta:
        primary_key = CompositeKey("article", "tag")
        # The second one gives an article's tags in order from the index alone (see core.migrations, version 4).
        indexes = ((("tag", "article"), False), (("article", "position", "tag"), False))


class Revision(BaseModel):
    id = AutoField()
    article = ForeignKeyField(Article, backref="revisions", on_delete="CASCADE")
    number = IntegerField()
    article_version = IntegerField()
    title = CharField(max_length=255)
    slug = CharField(max_length=80)
    summary = TextField(default="")
    body = TextField(default="")
    tags = JSONTextField(default=list)
    bylines = JSONTextField(default=list)
    login = CharField(max_length=64)
    created_at = UTCDateTimeField()
    reason = CharField(max_length=32)
    # Recorded since schema version 5 (core.migrations); NULL in a revision written before: not recorded then.
    # Last, so a new database and an upgraded one have the same columns in the same order.
    language = CharField(max_length=16, null=True)
    image_url = TextField(null=True)
    image_alt = TextField(null=True)

    class Meta:
        indexes = ((("article", "number"), True),)


class Note(BaseModel):
    id = AutoField()
    article = ForeignKeyField(Article, backref="notes", on_delete="CASCADE")
    login = CharField(max_length=64)
    created_at = UTCDateTimeField()
    text = TextField()
    resolved = BooleanField(default=False)
    resolved_by = CharField(max_length=64, null=True)
    resolved_at = UTCDateTimeField(null=True)


class Reactions(BaseModel):
    article = ForeignKeyField(Article, primary_key=True, backref="reactions", on_delete="CASCADE")
    like = IntegerField(default=0, column_name="like_count")
    dislike = IntegerField(default=0, column_name="dislike_count")
    love = IntegerField(default=0, column_name="love_count")
    funny = IntegerField(default=0, column_name="funny_count")
    angry = IntegerField(default=0, column_name="angry_count")
    sad = IntegerField(default=0, column_name="sad_count")
    wow = IntegerField(default=0, column_name="wow_count")

    def as_dict(self) -> dict[str, int]:
        return {name: int(getattr(self, name)) for name in REACTIONS}


class AuditEvent(BaseModel):
    id = AutoField()
    at = UTCDateTimeField(index=True)
    login = CharField(max_length=64, index=True)  # the indexes on login and action: schema 12 (core.audit_query)
    action = CharField(max_length=48, index=True)
    article = IntegerField(null=True, index=True)
    details = CanonicalJSONField(default=dict)
    # SHA-256 (hex) chaining this event to the one before it (core.audit_hash; schema 11).  NULL only if
    # inserted outside beritatui, which ``audit verify`` names.
    hash = CharField(max_length=64, null=True)


class Approval(BaseModel):
    """One step of an article's approval chain approved in one round of review (core.review_steps; schema 9).

    Rows are never deleted: a round that ended (sent back, or published) keeps who approved what, and the
    next submit starts a new round.  ``step`` counts from 1; ``step_name`` is the chain's word for it
    (``unit``, ``parent``, ``root``) as it was then.  The last step's row is written by ``publish`` or
    ``schedule``; ``self_approved``: the approver wrote the article or is on its byline, and the unit
    allows that (``self_approval`` on).
    """

    id = AutoField()
    article = ForeignKeyField(Article, backref="approvals", on_delete="CASCADE")
    round = IntegerField()
    step = IntegerField()
    step_name = CharField(max_length=16)
    login = CharField(max_length=64)
    at = UTCDateTimeField()
    note = TextField(default="")
    article_version = IntegerField()
    self_approved = BooleanField(default=False)

    class Meta:
        indexes = ((("article", "round", "step"), True),)


class Setting(BaseModel):
    key = CharField(max_length=64, primary_key=True)
    value = TextField()


class UnitSetting(BaseModel):
    """A setting a unit below the root sets for itself and its sub-units (core.unit_settings; schema 8).

    The root unit's own values stay in :class:`Setting`.
    """

    unit = ForeignKeyField(Unit, backref="settings", on_delete="CASCADE")
    key = CharField(max_length=64)
    value = TextField()

    class Meta:
        primary_key = CompositeKey("unit", "key")


class Autosave(BaseModel):
    """Unsaved editor text for one article (or one new draft) and one login."""

    id = AutoField()
    slot = CharField(max_length=80)
    login = CharField(max_length=64)
    article = IntegerField(null=True)
    base_version = IntegerField(null=True)
    payload = JSONTextField()
    saved_at = UTCDateTimeField()

    class Meta:
        indexes = ((("slot", "login"), True),)


class Presence(BaseModel):
    """Who has an article open; a heartbeat older than two minutes is stale."""

    article = IntegerField()
    login = CharField(max_length=64)
    display_name = CharField(max_length=128)
    heartbeat_at = UTCDateTimeField()

    class Meta:
        primary_key = CompositeKey("article", "login")


class InboxSeen(BaseModel):
    """When a login last looked at its inbox (``beritatui inbox``), since schema version 7 (core.migrations).

    ``seen_event`` is the newest audit event id then: what happened after it is new to them (an id, not a
    time, so a clock set back or two events in one second cannot hide anything).
    """

    login = CharField(max_length=64, primary_key=True)
    seen_at = UTCDateTimeField()
    seen_event = IntegerField(default=0)


class Correction(BaseModel):
    """A change to a published article waiting for review, or decided (core.corrections; schema 10).

    It holds the whole content the editor wrote (rendered, as a save renders it), not a patch: the live
    article stays as it is until an editor publishes it.  An article has at most one ``pending`` one;
    ``applied`` and ``dropped`` ones stay, text and all.  ``version`` is the article version its last save
    made: while the article still has it, the correction is the text its editors continue.
    """

    id = AutoField()
    article = ForeignKeyField(Article, backref="corrections", on_delete="CASCADE")
    status = CharField(max_length=16, default="pending")  # pending, applied, dropped
    title = CharField(max_length=255)
    slug = CharField(max_length=80)
    summary = TextField(default="")
    body = TextField(default="")
    body_html = TextField(default="")
    body_text = TextField(default="")
    tags = JSONTextField(default=list)
    bylines = JSONTextField(default=list)
    language = CharField(max_length=16, default="")
    image_url = TextField(default="")
    image_alt = TextField(default="")
    login = CharField(max_length=64)  # who started it
    writers = JSONTextField(default=list)  # every login that saved into it (the four-eyes rule reads this)
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()
    base_version = IntegerField()  # the live version it was started from
    version = IntegerField()
    note = TextField(default="")  # the public correction note (applied ones)
    decided_by = CharField(max_length=64, null=True)
    decided_at = UTCDateTimeField(null=True)

    class Meta:
        indexes = ((("article", "status"), False),)


MODELS = [
    SchemaVersion,
    Unit,
    User,
    Membership,
    Article,
    Byline,
    Tag,
    ArticleTag,
    Revision,
    Note,
    Reactions,
    AuditEvent,
    Setting,
    UnitSetting,
    Autosave,
    Presence,
    InboxSeen,
    Approval,
    Correction,
]
