"""The editorial rules: which action moves an article from which status, and who may take it.

Pure functions over an actor and an article; the services call :func:`check`
before writing, and the surfaces call :func:`allowed` to hide what a login
may not do.  This table is the one place these rules live.
"""

from __future__ import annotations

from dataclasses import dataclass

from beritatui.core.errors import InvalidTransition, PermissionDenied
from beritatui.core.models import Article, User
from beritatui.i18n import N_, _

EDITOR = "editor"
AUTHOR_OR_EDITOR = "author-or-editor"
OWN_DRAFT_OR_EDITOR = "own-draft-or-editor"
SYSTEM = "system"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str | None  # None: back to the status before trash
    who: str
    label: str


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("submit", ("draft",), "review", AUTHOR_OR_EDITOR, N_("Submit for review")),
        Transition("request-changes", ("review",), "draft", EDITOR, N_("Request changes")),
        Transition("publish", ("review",), "published", EDITOR, N_("Publish")),
        Transition("schedule", ("draft", "review"), "scheduled", EDITOR, N_("Schedule")),
        Transition("unschedule", ("scheduled",), "draft", EDITOR, N_("Unschedule")),
        Transition("publish-due", ("scheduled",), "published", SYSTEM, N_("Publish when due")),
        Transition("unpublish", ("published",), "archived", EDITOR, N_("Unpublish (archive)")),
        # At its expiry (``expires_at``) an article comes off the site as an unpublished one does; a scheduled
        # one whose expiry came before publish-due ran never goes out.
        Transition("expire", ("scheduled", "published"), "archived", SYSTEM, N_("Take off the site at its expiry")),
        Transition("reopen", ("archived",), "draft", EDITOR, N_("Reopen as draft")),
        Transition("trash", ("draft", "review", "scheduled", "published", "archived"), "trash",
                   OWN_DRAFT_OR_EDITOR, N_("Move to trash")),
        Transition("restore", ("trash",), None, OWN_DRAFT_OR_EDITOR, N_("Restore from trash")),
    )
}

STATUS_LABELS = {
    "draft": N_("draft"),
    "review": N_("in review"),
    "scheduled": N_("scheduled"),
    "published": N_("published"),
    "archived": N_("archived"),
    "trash": N_("trash"),
}


def status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))


def is_editor_of(actor: User, article: Article) -> bool:
    """An editor (or admin) of the article's unit or of a unit above it (core.units)."""
    from beritatui.core.units import holds

    return holds(actor, "editor", article.unit_id)


def is_author(actor: User, article: Article) -> bool:
    return article.created_by_id == actor.id


def _own_draft(actor: User, article: Article) -> bool:
    before = article.previous_status if article.status == "trash" else article.status
    return is_author(actor, article) and before == "draft"


def permission_problem(actor: User, action: str, article: Article) -> str | None:
    """Why ``actor`` may not take ``action`` on ``article`` (role only), or ``None``."""
    who = TRANSITIONS[action].who
    if is_editor_of(actor, article):
        return None
    if who == AUTHOR_OR_EDITOR and is_author(actor, article):
        return None
    if who == OWN_DRAFT_OR_EDITOR and _own_draft(actor, article):
        return None
    if who == AUTHOR_OR_EDITOR:
        return _("Only the author or an editor may submit this article")
    if who == OWN_DRAFT_OR_EDITOR:
        return _("A writer may only do this with their own drafts; ask an editor")
    return _("Only an editor may do this ({action})").format(action=_(TRANSITIONS[action].label))


def status_problem(action: str, article: Article) -> str | None:
    """Why the article's status does not allow ``action``, or ``None``."""
    transition = TRANSITIONS[action]
    if article.status in transition.sources:
        return None
    allowed = ", ".join(status_label(s) for s in transition.sources)
    return _("Cannot {action} an article that is {status} (only when {allowed})").format(
        action=_(transition.label).lower(), status=status_label(article.status), allowed=allowed
    )


def check(actor: User, action: str, article: Article) -> str:
    """Raise unless ``actor`` may take ``action`` now; returns the target status."""
    problem = status_problem(action, article)
    if problem:
        raise InvalidTransition(problem)
    problem = permission_problem(actor, action, article)
    if problem:
        raise PermissionDenied(problem)
    target = TRANSITIONS[action].target
    return target if target is not None else (article.previous_status or "draft")


def allowed(actor: User, action: str, article: Article) -> bool:
    """Whether a surface should offer ``action`` to ``actor`` for ``article``."""
    return status_problem(action, article) is None and permission_problem(actor, action, article) is None


# The statuses in which an article may carry an expiry time: on the site, or going there at a set time.
EXPIRY_STATUSES = ("scheduled", "published")


def expiry_problem(actor: User, article: Article) -> InvalidTransition | PermissionDenied | None:
    """Why ``actor`` may not set or clear ``article``'s expiry now, or ``None``.

    Whoever may unpublish the article may say when it comes off the site (the unpublish rule, not a
    second one); only a scheduled or published article has a time on the site to end.
    """
    if article.status not in EXPIRY_STATUSES:
        allowed = ", ".join(status_label(s) for s in EXPIRY_STATUSES)
        return InvalidTransition(_("Cannot set when an article that is {status} comes off the site "
                                   "(only when {allowed})").format(status=status_label(article.status),
                                                                   allowed=allowed))
    problem = permission_problem(actor, "unpublish", article)
    return PermissionDenied(problem) if problem else None


def may_set_expiry(actor: User, article: Article) -> bool:
    return expiry_problem(actor, article) is None


def edit_problem(actor: User, article: Article) -> str | None:
    """Why ``actor`` may not edit ``article``'s content, or ``None``."""
    if article.status == "trash":
        return _("This article is in the trash; restore it before editing")
    if is_editor_of(actor, article):
        return None
    if is_author(actor, article) and article.status == "draft":
        return None
    return _("A writer may only edit their own drafts")


def may_edit(actor: User, article: Article) -> bool:
    return edit_problem(actor, article) is None


def may_change_slug(actor: User, article: Article) -> bool:
    """After first publication only an editor may change the slug."""
    return article.published_at is None or is_editor_of(actor, article)


def may_publish(actor: User, article: Article | None = None) -> bool:
    """Whether ``actor`` may publish ``article`` (without one: publish anything at all, somewhere)."""
    return is_editor_of(actor, article) if article is not None else actor.is_editor
