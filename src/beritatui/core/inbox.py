"""What awaits a login now (``beritatui inbox``): three short lists, read in one pass.

- **To review**: the articles at this login's review step (:func:`beritatui.core.review_queue.queue_for`,
  what ``beritatui review`` and the terminal app's review screen show): their current step of the
  approval chain awaits this login (core.review_steps).
- **Notes to answer**: this login's drafts that carry open notes written by someone else, a draft sent back
  with ``request-changes`` among them.  An article leaves this list when its writer (or the note's author,
  or an editor) resolves those notes, or when it is submitted again.
- **Corrections to publish**: published articles whose pending correction (:mod:`beritatui.core.corrections`)
  this login may publish now (:func:`beritatui.core.correction_review.may_publish`: an editor of the unit who
  did not write it, unless the unit allows self-approval).
- **News**: this login's articles that went live (published by a person or when due) or were corrected by
  someone else since the login last looked.  "Last looked" is one row per login (table ``inbox_seen``,
  schema version 7): the newest audit event id when they last read their inbox without ``peek``.  A login
  that never looked sees the last :data:`FIRST_LOOK_DAYS` days.

Reading the inbox with ``mark_seen=True`` (the default) moves "last looked" to now in the same
transaction, so nothing that happens meanwhile is skipped; ``mark_seen=False`` (``--peek``, for a cron
mail) writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from peewee import fn

from beritatui.core import clock
from beritatui.core.database import current_database
from beritatui.core.models import Article, AuditEvent, InboxSeen, Note, User
from beritatui.core.notes import NumberedNote, notes_for
from beritatui.core.review_queue import queue_for
from beritatui.core.users import refreshed

FIRST_LOOK_DAYS = 7
# Audit actions that are news to an article's writer, and what each one is called in the inbox.
NEWS_ACTIONS = {"article.publish": "published", "article.publish-due": "published",
                "article.correction": "corrected"}
MAX_ITEMS = 200  # per list: an inbox is read by a person (or mailed), not a report


@dataclass(frozen=True)
class ReviewItem:
    article_id: int
    slug: str
    title: str
    byline: str
    sent_at: datetime  # when it last changed (the queue's order)
    step: str = ""  # the step that awaits this login, "step 2/2 (parent)"


@dataclass(frozen=True)
class NotesItem:
    article_id: int
    slug: str
    title: str
    open_notes: list[NumberedNote]


@dataclass(frozen=True)
class NewsItem:
    article_id: int
    slug: str
    title: str
    what: str  # "published" or "corrected"
    at: datetime
    by: str  # the login that did it


@dataclass
class Inbox:
    login: str
    since: datetime | None  # when the login last looked (None: never; the news then cover FIRST_LOOK_DAYS)
    looked_at: datetime
    review: list[ReviewItem] = field(default_factory=list)
    notes: list[NotesItem] = field(default_factory=list)
    news: list[NewsItem] = field(default_factory=list)
    corrections: list[ReviewItem] = field(default_factory=list)  # byline: who wrote the correction

    @property
    def empty(self) -> bool:
        return not (self.review or self.notes or self.news or self.corrections)


def _review(actor: User) -> list[ReviewItem]:
    return [ReviewItem(item.row.id, item.row.slug, item.row.title, item.row.byline, item.row.updated_at,
                       item.chain.label()) for item in queue_for(actor, limit=MAX_ITEMS)]


def _corrections(actor: User) -> list[ReviewItem]:
    from beritatui.core.correction_review import may_publish
    from beritatui.core.models import Correction

    waiting = (Correction.select(Correction, Article).join(Article, on=(Correction.article == Article.id))
               .where((Correction.status == "pending") & (Article.status == "published")
                      & (Correction.version == Article.version))
               .order_by(Correction.updated_at.desc()).limit(MAX_ITEMS))
    return [ReviewItem(c.article.id, c.article.slug, c.article.title, ", ".join(c.writers or [c.login]),
                       c.updated_at) for c in waiting if may_publish(actor, c.article)]


def _notes(actor: User) -> list[NotesItem]:
    waiting = (Article.select().join(Note, on=(Note.article == Article.id))
               .where((Article.created_by == actor.id) & (Article.status == "draft")
                      & (Note.resolved == False) & (Note.login != actor.login))  # noqa: E712
               .group_by(Article.id).order_by(fn.MAX(Note.id).desc()).limit(MAX_ITEMS))
    found = []
    for article in waiting:
        open_notes = [note for note in notes_for(actor, article) if not note.resolved and note.login != actor.login]
        if open_notes:
            found.append(NotesItem(article.id, article.slug, article.title, open_notes))
    return found


def _news(actor: User, seen: InboxSeen | None, now: datetime) -> list[NewsItem]:
    query = (AuditEvent.select(AuditEvent, Article.slug, Article.title)
             .join(Article, on=(AuditEvent.article == Article.id))
             .where((Article.created_by == actor.id) & AuditEvent.action.in_(list(NEWS_ACTIONS))
                    & (AuditEvent.login != actor.login)))
    if seen is not None:
        query = query.where(AuditEvent.id > seen.seen_event)
    else:
        query = query.where(AuditEvent.at > now - timedelta(days=FIRST_LOOK_DAYS))
    latest: dict[int, NewsItem] = {}  # one line per article: its newest news
    for event in query.order_by(AuditEvent.id.desc()).limit(MAX_ITEMS * 5).objects():
        if event.article not in latest:
            latest[event.article] = NewsItem(event.article, event.slug, event.title, NEWS_ACTIONS[event.action],
                                             event.at, event.login)
    return list(latest.values())[:MAX_ITEMS]


def _read(actor: User, mark_seen: bool) -> Inbox:
    actor = refreshed(actor)
    now = clock.utcnow()
    seen = InboxSeen.get_or_none(InboxSeen.login == actor.login)
    newest = AuditEvent.select(fn.MAX(AuditEvent.id)).scalar() or 0
    found = Inbox(login=actor.login, since=seen.seen_at if seen else None, looked_at=now,
                  review=_review(actor), notes=_notes(actor), news=_news(actor, seen, now),
                  corrections=_corrections(actor))
    if mark_seen:
        (InboxSeen.insert(login=actor.login, seen_at=now, seen_event=newest)
         .on_conflict(conflict_target=[InboxSeen.login],
                      update={InboxSeen.seen_at: now, InboxSeen.seen_event: newest}).execute())
    return found


def inbox(actor: User, *, mark_seen: bool = True) -> Inbox:
    """What awaits ``actor`` now; ``mark_seen`` records that they looked (the news start again from here).

    Marking reads and writes in one write transaction (nothing slips between the read and the mark); a
    peek takes no write lock at all.
    """
    if not mark_seen:
        return _read(actor, False)
    with current_database().atomic():
        return _read(actor, True)
