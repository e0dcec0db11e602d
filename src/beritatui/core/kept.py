"""Text that could not be saved into an article, kept in its history; the refusal that says who moved it on.

A save against a status that changed since the editor opened the article (trashed, unpublished,
published, sent back…) is refused with :class:`MovedOn`, and the refused text becomes a revision
``kept`` that leaves the article as it is: an editor's words are never lost, and never put where
the new status does not allow them.
"""

from __future__ import annotations

from typing import Any

from beritatui.core import audit, clock, workflow
from beritatui.core.content import ArticleDraft, Content
from beritatui.core.database import current_database
from beritatui.core.errors import Conflict, PermissionDenied
from beritatui.core.lookup import get_article, snapshot
from beritatui.core.models import Article, AuditEvent, Revision, User
from beritatui.core.validation import clean_draft
from beritatui.i18n import N_, _, format_datetime


class MovedOn(Conflict):
    """A save refused because the article changed status after the editor opened it (trashed, unpublished,
    published, sent back…).  The core wrote none of it into the article; the text is in revision ``kept``
    (a revision with reason ``kept`` that leaves the article as it is), unless there was nothing to keep
    or the actor may not add to this article's history.
    """

    def __init__(self, message: str, *, base_version: int, theirs: dict[str, Any], yours: dict[str, Any],
                 action: str, login: str, at: Any, kept: int | None):
        super().__init__(message, base_version=base_version, theirs=theirs, yours=yours)
        self.action = action
        self.login = login
        self.at = at
        self.kept = kept


# What a status change since the editor opened the article was, for the person whose save it refuses.
MOVES = {
    "trash": N_("{who} moved this article to the trash ({when})"),
    "restore": N_("{who} restored this article from the trash ({when})"),
    "unpublish": N_("{who} unpublished this article; it is archived, off the site ({when})"),
    "publish": N_("{who} published this article ({when})"),
    "publish-due": N_("This article was published at its scheduled time ({when})"),
    "schedule": N_("{who} scheduled this article for publication ({when})"),
    "unschedule": N_("{who} took this article off the schedule ({when})"),
    "submit": N_("{who} sent this article for review ({when})"),
    "request-changes": N_("{who} sent this article back to its writer ({when})"),
    "reopen": N_("{who} reopened this article as a draft ({when})"),
    "expire": N_("This article was taken off the site at its expiry time ({when})"),
}
KEPT = "kept"  # the revision reason of text kept from a refused save (it does not change the article)


def status_move(article: Article, base_version: int) -> AuditEvent | None:
    """The last status change of ``article`` after ``base_version`` (from the audit trail), or ``None``.

    Every transition records the version it made; a trashed article counts as moved even when its
    audit event predates that (its ``updated_by`` then says who).
    """
    actions = [f"article.{name}" for name in MOVES]
    for event in (AuditEvent.select().where((AuditEvent.article == article.id) & (AuditEvent.action.in_(actions)))
                  .order_by(AuditEvent.id.desc()).limit(50)):
        version = (event.details or {}).get("version")
        if isinstance(version, int) and version > base_version:
            return event
        if isinstance(version, int):
            break
    if article.status == "trash":
        return AuditEvent(at=article.trashed_at or article.updated_at, login=article.updated_by.login,
                          action="article.trash", article=article.id, details={})
    return None


def describe_move(event: AuditEvent) -> str:
    """One sentence: who changed the status, how, and when (in the site's time zone)."""
    from beritatui.core.site import get_settings
    from beritatui.core.users import get_user

    action = event.action.removeprefix("article.")
    try:
        who = get_user(event.login).display_name or event.login
    except Exception:  # noqa: BLE001 - a removed login still shows as itself
        who = event.login
    when = format_datetime(event.at, get_settings().timezone, "short")
    return _(MOVES.get(action, N_("{who} changed this article's status ({when})"))).format(who=who, when=when)


def _may_keep(actor: User, article: Article) -> bool:
    """Who may add their refused text to an article's history: an editor, or the article's author."""
    return workflow.is_editor_of(actor, article) or workflow.is_author(actor, article)


def _keep(actor: User, article: Article, draft: ArticleDraft) -> Revision | None:
    """Record ``draft`` over the article's content as a revision ``kept``, leaving the article as it is.

    Nothing is written when the draft changes nothing, when the same text was already kept by this
    login, or when the actor may not add to this article's history (then the caller's autosave slot
    still holds it).
    """
    if not _may_keep(actor, article):
        return None
    current = Content.of_article(article)
    mine = current.with_changes(draft).replace(slug=article.slug)  # a kept text never moves the slug
    mine = mine.replace(title=mine.title or current.title)
    if mine == current:
        return None
    last = Revision.select().where(Revision.article == article.id).order_by(Revision.number.desc()).first()
    if last is not None and last.reason == KEPT and last.login == actor.login and \
            Content.of_revision(last, base=mine).replace(slug=article.slug) == mine:
        return last
    revision = Revision.create(
        article=article.id, number=(last.number + 1) if last else 1, article_version=article.version,
        **mine.revision_fields(), login=actor.login, created_at=clock.utcnow(), reason=KEPT)
    audit.record(actor.login, "article.kept", article.id, version=article.version, revision=revision.number)
    return revision


def keep_unsaved(actor: User, ref: str | int, draft: ArticleDraft) -> Revision | None:
    """Keep text that can no longer be saved into the article (it was trashed, or is not this login's to
    edit now) as a revision ``kept`` that leaves the article as it is; ``None`` when nothing needed keeping.

    Refused (:class:`PermissionDenied`) for someone who is neither an editor nor the article's author.
    """
    if not (draft.title or "").strip():
        draft.title = None  # an empty title keeps the article's own
    draft = clean_draft(draft)
    from beritatui.core.users import refreshed

    with current_database().atomic():
        actor = refreshed(actor)
        article = get_article(ref)
        if not _may_keep(actor, article):
            raise PermissionDenied(_("Only an editor or the article's author may keep text in its history"))
        return _keep(actor, article, draft)


def refuse_moved(actor: User, article: Article, base_version: int, draft: ArticleDraft) -> MovedOn | None:
    """The refusal of a save against a status that moved on (its text kept), or ``None`` for a plain conflict."""
    move = status_move(article, base_version)
    if move is None:
        return None
    kept = _keep(actor, article, draft)
    what = describe_move(move)
    if kept is not None:
        message = _("{what}. Your changes were not saved into it; they are kept in its history as revision "
                    "{n} (kept)").format(what=what, n=kept.number)
    else:
        message = _("{what}. Your changes were not saved into it").format(what=what)
    return MovedOn(message, base_version=base_version, theirs=snapshot(article), yours=draft.as_dict(),
                   action=move.action.removeprefix("article."), login=move.login, at=move.at,
                   kept=kept.number if kept is not None else None)

