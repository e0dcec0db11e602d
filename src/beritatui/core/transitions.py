"""Moving articles through the workflow: submit, review, schedule, publish, archive, trash, expire.

Each function checks :mod:`workflow`, writes the new status, a revision where
the reason calls for one, and an audit event, in one short transaction.

Expiry (``expires_at``): an article carries one only while it is scheduled or
published (and in the trash, so that restore brings it back).  ``publish`` and
``schedule`` set it from their ``until`` (none given: none, so a re-publication
never inherits an old one), :func:`set_expiry` changes it, every move off the
site clears it, and :func:`publish_due` archives what has reached it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from beritatui.core import audit, clock, notes, review_steps, workflow
from beritatui.core.articles import PUBLIC_STATUSES, conflict_marker_problem, write_revision
from beritatui.core.database import current_database
from beritatui.core.errors import ValidationError
from beritatui.core.lookup import article_at, get_article
from beritatui.core.models import Article, User
from beritatui.i18n import _

GOES_PUBLIC = ("submit", "publish", "schedule")  # toward the site: unresolved merge markers are refused
REVISION_REASONS = {"submit": "submit", "publish": "publish", "publish-due": "publish"}


def _apply(actor: User, ref: str | int, action: str, *, base_version: int | None = None,
           extra: dict[str, Any] | None = None, note: str | None = None) -> Article:
    from beritatui.core.users import refreshed

    with current_database().atomic():
        actor = refreshed(actor)  # the role as it is now, not as it was when the app opened
        article = article_at(ref, base_version)
        target = workflow.check(actor, action, article)
        approval = review_steps.final_step(actor, action, article)  # the chain's last step, four-eyes
        now = clock.utcnow()
        if action == "restore" and target == "scheduled" and (
                article.scheduled_at is None or article.scheduled_at <= now):
            target = "draft"  # its time passed in the trash: never publish straight out of it
        if action == "restore" and target == "published" and article.expires_at is not None and (
                article.expires_at <= now):
            target = "archived"  # its time on the site ended in the trash: it comes back off the site
        if action in GOES_PUBLIC or target in PUBLIC_STATUSES:
            markers = conflict_marker_problem(article.title, article.summary, article.body)
            if markers:
                raise ValidationError(_("Cannot {action}: {problem}").format(
                    action=_(workflow.TRANSITIONS[action].label).lower(), problem=markers))
        updates: dict[str, Any] = {"status": target, "updated_at": now, "updated_by": actor.id,
                                   "version": article.version + 1}
        updates.update(extra or {})
        updates.update(review_steps.round_updates(action, article))
        if target == "published" and article.published_at is None:
            updates.setdefault("published_at", now)
            updates["slug_locked"] = True
        if target not in ("scheduled", "trash"):
            updates["scheduled_at"] = None  # the trash keeps the time so restore can bring it back
        if action in ("publish", "schedule"):
            updates.setdefault("expires_at", None)  # only the expiry given now, never one from before
        if target not in (*workflow.EXPIRY_STATUSES, "trash"):
            updates["expires_at"] = None  # off the site: its expiry has nothing left to end
        if action == "trash":
            updates.update(previous_status=article.status, trashed_at=now)
        if action == "restore":
            updates.update(previous_status=None, trashed_at=None)
        Article.update(**updates).where(Article.id == article.id).execute()
        article = Article.get_by_id(article.id)
        if note:
            notes.add_note_in_transaction(actor, article.id, note)
        if action in REVISION_REASONS:
            write_revision(article, actor.login, REVISION_REASONS[action])
        chain = review_steps.record(approval, article, actor) if approval is not None else {}
        audit.record(actor.login, f"article.{action}", article.id, status=target, version=article.version,
                     **{k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in (extra or {}).items()},
                     **chain)
    return article


def submit(actor: User, ref: str | int, base_version: int | None = None) -> Article:
    return _apply(actor, ref, "submit", base_version=base_version)


def request_changes(actor: User, ref: str | int, note: str, base_version: int | None = None) -> Article:
    """Send back to draft; the note saying what to change is required."""
    if not note or not note.strip():
        raise ValidationError(_("Say what should change: a note is required"))
    return _apply(actor, ref, "request-changes", base_version=base_version, note=note.strip())


def check_until(until: datetime, start: datetime | None = None) -> None:
    """Refuse an expiry that is not in the future, or not after ``start`` (the publication time)."""
    if until.tzinfo is None:
        raise ValidationError(_("An expiry time needs a time zone"))
    if until <= clock.utcnow():
        raise ValidationError(_("The time it comes off the site (until) must be in the future"))
    if start is not None and until <= start:
        raise ValidationError(_("The time it comes off the site (until) must be after the time it is published"))


def _until(until: datetime | None, start: datetime | None = None) -> dict[str, Any]:
    if until is None:
        return {}
    check_until(until, start)
    return {"expires_at": until}


def publish(actor: User, ref: str | int, base_version: int | None = None, *,
            until: datetime | None = None) -> Article:
    """Publish now; ``until`` (UTC, in the future): when it comes off the site again."""
    return _apply(actor, ref, "publish", base_version=base_version, extra=_until(until))


def schedule(actor: User, ref: str | int, at: datetime, base_version: int | None = None, *,
             until: datetime | None = None) -> Article:
    """Publish at ``at`` (UTC, must be in the future); ``until`` (after ``at``): when it comes off the site."""
    if at.tzinfo is None:
        raise ValidationError(_("A schedule time needs a time zone"))
    if at <= clock.utcnow():
        raise ValidationError(_("The schedule time must be in the future"))
    return _apply(actor, ref, "schedule", base_version=base_version,
                  extra={"scheduled_at": at, **_until(until, at)})


def set_expiry(actor: User, ref: str | int, until: datetime | None) -> Article:
    """Say when a scheduled or published article comes off the site (``None``: it stays).

    Whoever may unpublish it may (:func:`workflow.expiry_problem`); the change is audited as
    ``article.set-expiry``.  The content and its version stay as they are, so nobody's open editor
    meets a conflict over it.
    """
    from beritatui.core.users import refreshed

    with current_database().atomic():
        actor = refreshed(actor)
        article = get_article(ref)
        problem = workflow.expiry_problem(actor, article)
        if problem is not None:
            raise problem
        if until is not None:
            check_until(until, article.scheduled_at if article.status == "scheduled" else None)
        if article.expires_at == until:
            return article
        Article.update(expires_at=until).where(Article.id == article.id).execute()
        audit.record(actor.login, "article.set-expiry", article.id, status=article.status,
                     expires_at=until.isoformat() if until else None,
                     previous=article.expires_at.isoformat() if article.expires_at else None)
        return Article.get_by_id(article.id)


def unschedule(actor: User, ref: str | int) -> Article:
    return _apply(actor, ref, "unschedule")


def unpublish(actor: User, ref: str | int) -> Article:
    return _apply(actor, ref, "unpublish")


def reopen(actor: User, ref: str | int) -> Article:
    return _apply(actor, ref, "reopen")


def trash(actor: User, ref: str | int) -> Article:
    return _apply(actor, ref, "trash")


def restore(actor: User, ref: str | int) -> Article:
    """Out of the trash, back to the status it had."""
    return _apply(actor, ref, "restore")


@dataclass
class Due:
    """What :func:`run_due` did: the articles it published and those it took off the site at their expiry."""

    published: list[Article] = field(default_factory=list)
    expired: list[Article] = field(default_factory=list)


def run_due(now: datetime | None = None) -> Due:
    """Publish every scheduled article whose time has come, and archive every one whose expiry has come.

    One transaction per article.  An article whose expiry has come is archived whatever its
    publication time: a scheduled one whose window passed while nothing ran never goes out.
    """
    from beritatui.core.users import system_user

    now = now or clock.utcnow()
    due = Article.select(Article.id).where(
        ((Article.status == "scheduled") & (Article.scheduled_at <= now))
        | (Article.status.in_(workflow.EXPIRY_STATUSES) & (Article.expires_at <= now))).order_by(Article.id)
    ids = [row.id for row in due]
    done = Due()
    if not ids:
        return done
    actor = system_user()
    for article_id in ids:
        with current_database().atomic():
            article = Article.get_by_id(article_id)
            if article.status in workflow.EXPIRY_STATUSES and article.expires_at is not None and (
                    article.expires_at <= now):
                done.expired.append(_expire(actor, article, now))
            elif article.status == "scheduled" and article.scheduled_at is not None and article.scheduled_at <= now:
                done.published.append(_publish_scheduled(actor, article, now))
    return done


def _publish_scheduled(actor: User, article: Article, now: datetime) -> Article:
    Article.update(
        status="published", published_at=article.published_at or article.scheduled_at,
        scheduled_at=None, updated_at=now, updated_by=actor.id, version=article.version + 1,
        slug_locked=True,
    ).where(Article.id == article.id).execute()
    article = Article.get_by_id(article.id)
    write_revision(article, actor.login, "publish")
    audit.record(actor.login, "article.publish-due", article.id, status="published", version=article.version)
    return article


def _expire(actor: User, article: Article, now: datetime) -> Article:
    """Off the site at its expiry, archived as an unpublished article is (the ``expire`` transition)."""
    target = workflow.TRANSITIONS["expire"].target
    Article.update(status=target, expires_at=None, scheduled_at=None, updated_at=now, updated_by=actor.id,
                   version=article.version + 1).where(Article.id == article.id).execute()
    audit.record(actor.login, "article.expire", article.id, status=target, version=article.version + 1,
                 was=article.status, expires_at=article.expires_at.isoformat())
    return Article.get_by_id(article.id)


def publish_due(now: datetime | None = None) -> list[Article]:
    """Publish what is due and take off the site what has expired (cron, export, and each time the database
    is used: :func:`run_due`); returns the articles it published."""
    return run_due(now).published


def available_actions(actor: User, article: Article) -> list[str]:
    """The workflow actions ``actor`` may take on ``article`` now (for menus and footers)."""
    return [name for name, transition in workflow.TRANSITIONS.items()
            if transition.who != workflow.SYSTEM and workflow.allowed(actor, name, article)]


# The function that applies each action a person takes (the keys of ``workflow.TRANSITIONS``, but for the
# system's ``publish-due`` and ``expire``, which :func:`run_due` takes).  The surfaces look an action up here instead of
# keeping maps of their own.  ``request-changes`` also takes the note, ``schedule`` the time (and, as
# ``publish`` does, an ``until``); ``submit``,
# ``request-changes``, ``publish`` and ``schedule`` take the ``base_version`` the person saw
# (:data:`TAKES_BASE_VERSION`).
ACTIONS: dict[str, Callable[..., Article]] = {
    "submit": submit,
    "request-changes": request_changes,
    "publish": publish,
    "schedule": schedule,
    "unschedule": unschedule,
    "unpublish": unpublish,
    "reopen": reopen,
    "trash": trash,
    "restore": restore,
}
# The actions that refuse (``Conflict``) when the article changed since ``base_version``, the version the
# person acted on; a surface that shows the article passes it to these.
TAKES_BASE_VERSION = frozenset({"submit", "request-changes", "publish", "schedule"})
