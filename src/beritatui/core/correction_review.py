"""Deciding a pending correction: publish it with a public note, drop it, or compare it with the live text.

Publishing (``beritatui publish SLUG --correction "note"``, the TUI's correction dialog) takes an editor of
the article's unit, and the four-eyes rule: nobody who wrote into the correction publishes it, unless the
unit's ``self_approval`` is on (the audit event then says so).  The correction's text goes live as a
revision ``correction`` (``modified_at`` now, the version moved on), and the note is kept with the date:
the feed lists every applied correction under ``_beritatui.corrections``.  The rule of when an edit
becomes a correction is :mod:`beritatui.core.corrections`.
"""

from __future__ import annotations

from dataclasses import dataclass

from beritatui.core import audit, clock, corrections, workflow
from beritatui.core.articles import apply_content, write_revision
from beritatui.core.content import Content
from beritatui.core.database import current_database
from beritatui.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from beritatui.core.lookup import article_at, get_article
from beritatui.core.models import Article, Correction, User
from beritatui.i18n import _

MAX_NOTE = 500  # a public correction note is a sentence or two


def _note(note: str | None, article: Article) -> str:
    text = " ".join((note or "").split())
    if not text:
        raise ValidationError(_("Publishing a correction of {slug} takes a public note saying what was "
                                "corrected").format(slug=article.slug))
    if len(text) > MAX_NOTE:
        raise ValidationError(_("The correction note is longer than {n} characters").format(n=MAX_NOTE))
    return text


def publish_problem(actor: User, article: Article, pending: Correction | None) -> Exception | None:
    """Why ``actor`` may not publish a correction of ``article`` now, or ``None``."""
    if article.status != "published":
        return InvalidTransition(_("Only a published article takes a correction; this one is {status}").format(
            status=workflow.status_label(article.status)))
    if not workflow.is_editor_of(actor, article):
        return PermissionDenied(_("Only an editor of the article's unit may publish a correction"))
    if pending is None and corrections.mode(article) == corrections.REVIEW:
        return NotFound(_("No correction is pending for {slug}").format(slug=article.slug))
    if pending is not None and actor.login in (pending.writers or []) and not corrections.self_approval(article):
        return PermissionDenied(_("You wrote this correction; another editor must publish it "
                                  "(the unit's self_approval is off)"))
    return None


def may_publish(actor: User, article: Article) -> bool:
    return publish_problem(actor, article, corrections.pending_for(article)) is None


def publish_correction(actor: User, ref: str | int, note: str | None, base_version: int | None = None) -> Article:
    """Take the pending correction live with its public ``note`` (required).

    With no correction pending (the unit publishes corrections directly), the note is recorded for the
    article as it stands: readers learn that and when it changed.
    """
    from beritatui.core.users import refreshed

    with current_database().atomic():
        actor = refreshed(actor)
        article = article_at(ref, base_version)
        pending = corrections.pending_for(article)
        problem = publish_problem(actor, article, pending)
        if problem is not None:
            raise problem
        text = _note(note, article)
        before = article.version
        if pending is not None:
            draft = corrections.content_of(pending).changes_from(Content.of_article(article))
            article = apply_content(actor, article, draft, "correction", (pending.body_html, pending.body_text))
        if article.version == before:  # no change of content to take live: the note alone moves it on
            now = clock.utcnow()
            Article.update(version=before + 1, modified_at=now, updated_at=now, updated_by=actor.id).where(
                Article.id == article.id).execute()
            article = Article.get_by_id(article.id)
            write_revision(article, actor.login, "correction")
            audit.record(actor.login, "article.correction", article.id, version=article.version, fields=[])
        _record(actor, article, pending, text)
    return article


def _record(actor: User, article: Article, pending: Correction | None, note: str) -> None:
    decided = {"status": corrections.APPLIED, "note": note, "decided_by": actor.login,
               "decided_at": article.modified_at, "version": article.version}
    if pending is not None:
        Correction.update(**decided).where(Correction.id == pending.id).execute()
        writers = list(pending.writers or [])
    else:
        live = Content.of_article(article)
        Correction.create(article=article.id, **live.as_payload(), body_html=article.body_html,
                          body_text=article.body_text, login=actor.login, writers=[], created_at=article.modified_at,
                          updated_at=article.modified_at, base_version=article.version, **decided)
        writers = []
    audit.record(actor.login, "article.correction-published", article.id, version=article.version, note=note,
                 writers=writers, self_approved=actor.login in writers)


def drop_correction(actor: User, ref: str | int) -> Correction:
    """Give up the pending correction (its text stays recorded); the article's editors continue the live text.

    Whoever wrote into it may, and any editor of the article's unit.
    """
    from beritatui.core.users import refreshed

    with current_database().atomic():
        actor = refreshed(actor)
        article = get_article(ref)
        pending = corrections.pending_for(article)
        if pending is None:
            raise NotFound(_("No correction is pending for {slug}").format(slug=article.slug))
        if actor.login not in (pending.writers or []) and not workflow.is_editor_of(actor, article):
            raise PermissionDenied(_("Only who wrote the correction or an editor of the unit may drop it"))
        now, version = clock.utcnow(), article.version + 1
        Correction.update(status=corrections.DROPPED, decided_by=actor.login, decided_at=now).where(
            Correction.id == pending.id).execute()
        Article.update(version=version, updated_at=now, updated_by=actor.id).where(Article.id == article.id).execute()
        corrections.record_revision(article.id, version, Content.of_article(article), actor.login,
                                    corrections.DROPPED_REASON)
        audit.record(actor.login, "article.correction-dropped", article.id, version=version,
                     writers=list(pending.writers or []))
        return Correction.get_by_id(pending.id)


@dataclass(frozen=True)
class PendingView:
    """A pending correction as ``correction show`` and the editor's banner tell it."""

    article: Article
    correction: Correction
    content: Content
    changed: list[str]


def pending_view(ref: str | int) -> PendingView:
    article = get_article(ref)
    pending = corrections.pending_for(article)
    if pending is None:
        raise NotFound(_("No correction is pending for {slug}").format(slug=article.slug))
    content = corrections.content_of(pending)
    return PendingView(article, pending, content, Content.of_article(article).differing(content))


def diff_lines(ref: str | int) -> list[str]:
    """The unified diff from the live article to its pending correction."""
    from beritatui.core.revisions import as_text, unified_diff

    view = pending_view(ref)
    return unified_diff(as_text(view.article), as_text(view.content), _("live"), _("correction"))


def applied(article_id: int) -> list[Correction]:
    """The article's published corrections, oldest first (what its feed item lists)."""
    return list(Correction.select().where((Correction.article == article_id)
                                          & (Correction.status == corrections.APPLIED) & (Correction.note != ""))
                .order_by(Correction.decided_at, Correction.id))
