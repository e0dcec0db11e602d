"""Reading the audit trail: who may read which events, the filters people give, and one page at a time.

Events are read newest first and paged by id (keyset: "the events before id N"), never by OFFSET, so
page 500 costs what page 1 does.  Every filter is chosen so a page is read from an index:

- by article: ``audit_event(article)``; by login and by action: ``audit_event(login)``/``(action)``
  (schema 12).  An index on one column carries the row id, so each is walked newest first.
- since/until: events are added in time order, so each time bound becomes an id bound (one seek of
  ``audit_event(at)``) and the page is still read by id.
- an action prefix (``article.``) is turned into the actions that exist under it (one index seek
  each) and read as ``action IN (...)``.
- by unit (the unit and every unit below it, :func:`core.units.subtree_ids`): the events of the
  articles in those units *now*.  Events without an article (people, settings, tags, backups,
  exports) never match a unit filter: the unit they name in their details is a name as it was then.

Who may read what (:func:`scope_of`) is decided here once, for the CLI and the TUI alike:

- an admin of the whole organisation (the root unit) reads every event;
- an editor (or the admin of a unit below the root) reads the events of the articles of the units
  they edit, and none without an article (those concern people and settings of the whole site);
- a writer reads the events of the articles they created.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from peewee import fn

from beritatui.core import units
from beritatui.core.errors import ValidationError
from beritatui.core.models import Article, AuditEvent, User
from beritatui.i18n import N_, _

PAGE = 50
MAX_PAGE = 1000
_PREFIX_LIMIT = 200  # more distinct actions than this under one prefix: read by range instead

LABELS = {
    "article.create": N_("created"), "article.save": N_("saved"), "article.submit": N_("submitted"),
    "article.approve": N_("approved"), "article.request-changes": N_("changes requested"),
    "article.publish": N_("published"), "article.schedule": N_("scheduled"),
    "article.unschedule": N_("unscheduled"), "article.publish-due": N_("published when due"),
    "article.unpublish": N_("unpublished"), "article.expire": N_("expired"), "article.reopen": N_("reopened"),
    "article.trash": N_("trashed"), "article.restore": N_("restored"), "article.revert": N_("reverted"),
    "article.kept": N_("text kept, not saved"), "article.set-expiry": N_("expiry set"),
    "article.merge": N_("merged"), "article.conflict-yours": N_("conflict: yours"),
    "article.conflict-theirs": N_("conflict: theirs"), "article.conflict-mine": N_("conflict: mine"),
    "article.autosave-recovered": N_("recovered text saved"), "article.import": N_("imported"), "article.bulk-insert": N_("bulk insert"),
    "article.correction": N_("corrected"), "article.correction-pending": N_("correction saved"),
    "article.correction-published": N_("correction published"),
    "article.correction-dropped": N_("correction dropped"),
    "note.add": N_("note added"), "note.resolve": N_("note resolved"), "note.reopen": N_("note reopened"),
    "tag.create": N_("tag created"), "tag.rename": N_("tag renamed"), "tag.merge": N_("tags merged"),
    "tag.delete": N_("tag deleted"),
    "user.add": N_("user added"), "user.set-role": N_("role set"), "user.grant": N_("role granted"),
    "user.revoke": N_("role revoked"), "user.profile": N_("profile changed"),
    "user.deactivate": N_("user deactivated"),
    "unit.add": N_("unit added"), "unit.rename": N_("unit renamed"), "unit.move": N_("unit moved"),
    "settings.set": N_("setting changed"), "settings.unset": N_("setting unset"),
    "reactions.import": N_("reactions imported"), "import": N_("import"), "export": N_("export"),
    "backup": N_("backup"), "restore-backup": N_("restored from backup"),
}

# Details shown as "before → after" (the first key is the before).
_PAIRS = (("previous", "role"), ("previous", "value"), ("old", "new"), ("source", "target"), ("before", "after"))
_HIDDEN = {"version", "first_id", "chain"}
_SHORT = 40
_WHAT = 160


@dataclass(frozen=True)
class Filters:
    """What a person asked for, already resolved: ids, logins, UTC times."""

    article: int | None = None
    login: str | None = None
    unit_ids: tuple[int, ...] | None = None
    actions: tuple[str, ...] | None = None  # exact names (a prefix is expanded by :func:`resolve`)
    prefix: str | None = None  # kept to read by range when a prefix has very many actions
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class Scope:
    """Which events a reader may see: everything, or the events of these articles' units / this author."""

    everything: bool = False
    unit_ids: tuple[int, ...] = ()
    author_id: int | None = None


@dataclass
class EventRow:
    id: int
    at: datetime
    login: str
    action: str
    article_id: int | None
    slug: str
    title: str
    details: dict[str, Any]
    what: str


@dataclass
class AuditPage:
    rows: list[EventRow] = field(default_factory=list)
    next_before: int | None = None  # pass as ``before`` for the next page; None: this was the last


# --- who may read ------------------------------------------------------------------------------

def scope_of(reader: User) -> Scope:
    """The one rule of who reads which events (module docstring)."""
    if units.holds(reader, "admin", units.root_id()):
        return Scope(everything=True)
    edited = units.units_where(reader, "editor")
    if edited:
        return Scope(unit_ids=tuple(sorted(edited)))
    return Scope(author_id=reader.id)


def may_read(reader: User, event: AuditEvent) -> bool:
    """Whether ``reader`` may read this one event (what the list shows them, one at a time)."""
    scope = scope_of(reader)
    if scope.everything:
        return True
    if event.article is None:
        return False
    article = Article.get_or_none(Article.id == event.article)
    if article is None:
        return False
    if scope.author_id is not None:
        return article.created_by_id == scope.author_id
    return units.unit_of(article) in scope.unit_ids


# --- filters -----------------------------------------------------------------------------------

def resolve(*, article: str | None = None, user: str | None = None, unit: str | None = None,
            action: str | None = None, since: str | None = None, until: str | None = None,
            timezone: str = "UTC") -> Filters:
    """What people type (a slug, a login, a unit's name, ``article.`` or ``article.*``, site times) → Filters."""
    from beritatui.core.lookup import get_article
    from beritatui.core.timeparse import parse_time

    article_id = get_article(article.strip()).id if article and article.strip() else None
    login = user.strip() if user and user.strip() else None
    unit_ids = tuple(units.subtree_ids(unit)) if unit and unit.strip() else None
    actions, prefix = _actions(action)
    start = parse_time(since, timezone) if since and since.strip() else None
    end = parse_time(until, timezone) if until and until.strip() else None
    if start is not None and end is not None and start > end:
        raise ValidationError(_("--since is after --until; nothing can match"))
    return Filters(article=article_id, login=login, unit_ids=unit_ids, actions=actions, prefix=prefix,
                   since=start, until=end)


def _actions(action: str | None) -> tuple[tuple[str, ...] | None, str | None]:
    """``publish`` or ``article.publish`` exactly; ``article.`` / ``article*`` every action under it."""
    text = (action or "").strip()
    if not text:
        return None, None
    if text.endswith("*") or text.endswith("."):
        prefix = text.rstrip("*")
        if not prefix:
            return None, None
        found = _actions_under(prefix)
        return (tuple(found), None) if len(found) < _PREFIX_LIMIT else (None, prefix)
    if "." not in text and f"article.{text}" in LABELS:  # "publish" is read as the article action
        return (f"article.{text}",), None
    return (text,), None


def _actions_under(prefix: str) -> list[str]:
    """The distinct actions starting with ``prefix``: one seek of the action index each."""
    found: list[str] = []
    low = prefix
    while len(found) < _PREFIX_LIMIT:
        query = AuditEvent.select(fn.MIN(AuditEvent.action)).where(
            (AuditEvent.action >= low) & (AuditEvent.action < prefix + "\U0010ffff"))
        if found:
            query = query.where(AuditEvent.action > low)
        nxt = query.scalar()
        if nxt is None or not nxt.startswith(prefix):
            break
        found.append(nxt)
        low = nxt
    return found or [prefix + "\x00"]  # none yet: an action no event has, so nothing matches


# --- reading -----------------------------------------------------------------------------------

def _articles_in(unit_ids: tuple[int, ...]) -> Any:
    condition = Article.unit.in_(list(unit_ids))
    if units.root_id() in unit_ids:
        condition |= Article.unit.is_null()  # rows written around the core are in the root
    return Article.select(Article.id).where(condition)


def _first_id_at_or_after(moment: datetime) -> int:
    """Events are added in time order (each takes its time inside the write transaction that numbers it),
    so a time bound is an id bound, found with one seek of the ``at`` index; the page is then still read
    newest first by id, instead of sorting every event of a long period."""
    found = AuditEvent.select(AuditEvent.id).where(AuditEvent.at >= moment).order_by(
        AuditEvent.at, AuditEvent.id).limit(1).scalar()
    return found if found is not None else 2**62


def _last_id_at_or_before(moment: datetime) -> int:
    found = AuditEvent.select(AuditEvent.id).where(AuditEvent.at <= moment).order_by(
        AuditEvent.at.desc(), AuditEvent.id.desc()).limit(1).scalar()
    return found if found is not None else 0


def _where(query: Any, filters: Filters, scope: Scope) -> Any:
    e = AuditEvent
    if filters.article is not None:
        query = query.where(e.article == filters.article)
    if filters.login is not None:
        query = query.where(e.login == filters.login)
    if filters.actions is not None:
        query = query.where(e.action == filters.actions[0] if len(filters.actions) == 1
                            else e.action.in_(list(filters.actions)))
    elif filters.prefix is not None:
        query = query.where(e.action.startswith(filters.prefix))
    if filters.since is not None:
        query = query.where(e.id >= _first_id_at_or_after(filters.since))
    if filters.until is not None:
        query = query.where(e.id <= _last_id_at_or_before(filters.until))
    if filters.unit_ids is not None:
        query = query.where(e.article.in_(_articles_in(filters.unit_ids)))
    if not scope.everything:
        if scope.author_id is not None:
            own = Article.select(Article.id).where(Article.created_by == scope.author_id)
            query = query.where(e.article.in_(own))
        else:
            query = query.where(e.article.in_(_articles_in(scope.unit_ids)))
    return query


def page(reader: User, filters: Filters | None = None, *, before: int | None = None,
         limit: int = PAGE) -> AuditPage:
    """One page of the events ``reader`` may read that match ``filters``, newest first, before id ``before``."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError(_("--limit must be between 1 and {most}").format(most=MAX_PAGE))
    filters = filters or Filters()
    query = AuditEvent.select().order_by(AuditEvent.id.desc()).limit(limit + 1)
    if before is not None:
        query = query.where(AuditEvent.id < before)
    events = list(_where(query, filters, scope_of(reader)))
    more = len(events) > limit
    events = events[:limit]
    rows = _rows(events)
    return AuditPage(rows=rows, next_before=rows[-1].id if more and rows else None)


def get_event(reader: User, event_id: int) -> EventRow:
    """One event, if ``reader`` may read it (else the same "no such event" as a missing one)."""
    from beritatui.core.errors import NotFound

    event = AuditEvent.get_or_none(AuditEvent.id == event_id)
    if event is None or not may_read(reader, event):
        raise NotFound(_("No audit event {id}").format(id=event_id))
    return _rows([event])[0]


def _rows(events: list[AuditEvent]) -> list[EventRow]:
    ids = {e.article for e in events if e.article is not None}
    known = {a.id: a for a in Article.select(Article.id, Article.slug, Article.title).where(Article.id.in_(ids))} \
        if ids else {}
    rows = []
    for e in events:
        article = known.get(e.article)
        details = e.details if isinstance(e.details, dict) else {"value": e.details}
        rows.append(EventRow(id=e.id, at=e.at, login=e.login, action=e.action, article_id=e.article,
                             slug=article.slug if article else "", title=article.title if article else "",
                             details=details, what=what(e.action, details)))
    return rows


# --- showing -----------------------------------------------------------------------------------

def action_label(action: str) -> str:
    label = LABELS.get(action)
    return _(label) if label else action


def _short(value: Any) -> str | None:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return None
    text = " ".join(str(value).split())
    if len(text) > _SHORT:
        text = text[: _SHORT - 1] + "…"
    return text


def what(action: str, details: dict[str, Any]) -> str:
    """One readable line: the action's label, the before → after pairs, then the other short details."""
    parts: list[str] = []
    used: set[str] = set()
    for before, after in _PAIRS:
        if before in details and after in details:
            parts.append(f"{_short(details[before]) or '—'} → {_short(details[after]) or '—'}")
            used |= {before, after}
    for key, value in details.items():
        if key in used or key in _HIDDEN or value in (None, "", []):
            continue
        shown = _short(value)
        if shown is not None:
            parts.append(f"{_short(key)}={shown}")
    text = action_label(action) + (": " + "; ".join(parts) if parts else "")
    return text if len(text) <= _WHAT else text[: _WHAT - 1] + "…"


def detail_text(value: Any) -> str:
    """One detail in full, as ``audit show`` and the TUI's event view print it (lists and objects as JSON)."""
    import json

    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "—" if value is None else str(value)


def as_dict(row: EventRow, iso: Any) -> dict[str, Any]:
    """An event as JSON shows it (``iso`` turns a UTC time into the site's RFC 3339)."""
    return {"id": row.id, "at": iso(row.at), "login": row.login, "action": row.action,
            "article": row.article_id, "slug": row.slug or None, "details": row.details, "what": row.what}
