"""Moving articles through the workflow: submit, review, schedule, publish, archive, trash.

Each function checks :mod:`workflow`, writes the new status, a revision where
the reason calls for one, and an audit event, in one short transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from beritatui.core import audit, clock, notes, workflow
from beritatui.core.articles import PUBLIC_STATUSES, conflict_marker_problem, get_article, write_revision
from beritatui.core.database import current_database
from beritatui.core.errors import Conflict, ValidationError
from beritatui.core.models import Article, User
from beritatui.i18n import _

GOES_PUBLIC = ("submit", "publish", "schedule")  # toward the site: unresolved merge markers are refused
REVISION_REASONS = {"submit": "submit", "publish": "publish", "publish-due": "publish"}


def _apply(actor: User, ref: str | int, action: str, *, base_version: int | None = None,
           extra: dict[str, Any] | None = None, note: str | None = None) -> Article:
    from beritatui.core.users import refreshed

    with current_database().atomic():
        actor = refreshed(actor)  # the role as it is now, not as it was when the app opened
        article = get_article(ref)
        if base_version is not None and article.version != base_version:
            from beritatui.core.articles import snapshot

            raise Conflict(_("Someone changed this article meanwhile; reload and try again"),
                           base_version=base_version, theirs=snapshot(article), yours={})
        target = workflow.check(actor, action, article)
        now = clock.utcnow()
        if action == "restore" and target == "scheduled" and (
                article.scheduled_at is None or article.scheduled_at <= now):
            target = "draft"  # its time passed in the trash: never publish straight out of it
        if action in GOES_PUBLIC or target in PUBLIC_STATUSES:
            markers = conflict_marker_problem(article.title, article.summary, article.body)
            if markers:
                raise ValidationError(_("Cannot {action}: {problem}").format(
                    action=_(workflow.TRANSITIONS[action].label).lower(), problem=markers))
        updates: dict[str, Any] = {"status": target, "updated_at": now, "updated_by": actor.id,
                                   "version": article.version + 1}
        updates.update(extra or {})
        if target == "published" and article.published_at is None:
            updates.setdefault("published_at", now)
            updates["slug_locked"] = True
        if target not in ("scheduled", "trash"):
            updates["scheduled_at"] = None  # the trash keeps the time so restore can bring it back
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
        audit.record(actor.login, f"article.{action}", article.id, status=target, version=article.version,
                     **{k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in (extra or {}).items()})
    return article


def submit(actor: User, ref: str | int, base_version: int | None = None) -> Article:
    return _apply(actor, ref, "submit", base_version=base_version)


def request_changes(actor: User, ref: str | int, note: str, base_version: int | None = None) -> Article:
    """Send back to draft; the note saying what to change is required."""
    if not note or not note.strip():
        raise ValidationError(_("Say what should change: a note is required"))
    return _apply(actor, ref, "request-changes", base_version=base_version, note=note.strip())


def publish(actor: User, ref: str | int, base_version: int | None = None) -> Article:
    return _apply(actor, ref, "publish", base_version=base_version)


def schedule(actor: User, ref: str | int, at: datetime, base_version: int | None = None) -> Article:
    """Publish at ``at`` (UTC, must be in the future)."""
    if at.tzinfo is None:
        raise ValidationError(_("A schedule time needs a time zone"))
    if at <= clock.utcnow():
        raise ValidationError(_("The schedule time must be in the future"))
    return _apply(actor, ref, "schedule", base_version=base_version, extra={"scheduled_at": at})


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


def publish_due(now: datetime | None = None) -> list[Article]:
    """Publish every scheduled article whose time has come (cron, and each time the database is used)."""
    from beritatui.core.users import system_user

    now = now or clock.utcnow()
    due = Article.select(Article.id).where((Article.status == "scheduled") & (Article.scheduled_at <= now))
    ids = [row.id for row in due]
    if not ids:
        return []
    published = []
    actor = system_user()
    for article_id in ids:
        with current_database().atomic():
            article = Article.get_by_id(article_id)
            if article.status != "scheduled" or article.scheduled_at is None or article.scheduled_at > now:
                continue
            Article.update(
                status="published", published_at=article.published_at or article.scheduled_at,
                scheduled_at=None, updated_at=now, updated_by=actor.id, version=article.version + 1,
                slug_locked=True,
            ).where(Article.id == article_id).execute()
            article = Article.get_by_id(article_id)
            write_revision(article, actor.login, "publish")
            audit.record(actor.login, "article.publish-due", article_id, status="published", version=article.version)
        published.append(article)
    return published


def available_actions(actor: User, article: Article) -> list[str]:
    """The workflow actions ``actor`` may take on ``article`` now (for menus and footers)."""
    return [name for name in workflow.TRANSITIONS if name != "publish-due" and workflow.allowed(actor, name, article)]


# The function that applies each action a person takes (the keys of ``workflow.TRANSITIONS``, but for the
# system's ``publish-due``, which is :func:`publish_due`).  The surfaces look an action up here instead of
# keeping maps of their own.  ``request-changes`` also takes the note, ``schedule`` the time; ``submit``,
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
