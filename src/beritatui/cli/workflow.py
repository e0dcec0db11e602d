"""The workflow: ``submit``, ``request-changes``, ``approve`` (a step of the approval chain), ``review`` (what
awaits my step), ``publish`` (or schedule, with or without an expiry),
``expire``, ``unschedule``, ``unpublish``, ``reopen``, ``trash``, ``restore`` and cron's ``publish-due``.

Each command applies the action of the same name from :data:`beritatui.core.transitions.ACTIONS`; the
rules (who may, from which status) are the core's.
"""

from __future__ import annotations

import sys

import click

from beritatui.cli.base import command, command_session, fail, handle_errors, open_database_only, option
from beritatui.cli.completion import complete_slugs
from beritatui.cli.output import fit, print_json, print_table, site_iso, site_time, site_zone
from beritatui.core import transitions, workflow
from beritatui.i18n import N_, _


def _workflow_command(name: str, help_text: str, done: str) -> click.Command:
    """A command that moves one article through the workflow (action ``name``) and says where it is now."""

    @command(name, help=help_text)
    @click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
    @handle_errors
    def move(ref: str) -> None:
        session = command_session()
        article = transitions.ACTIONS[name](session.actor, ref)
        click.echo(_(done).format(title=article.title, status=workflow.status_label(article.status)))

    return move


_MOVES = (
    _workflow_command("submit", N_("Submit a draft for review."), N_("Submitted for review: {title}")),
    _workflow_command("unschedule", N_("Take a scheduled article back to draft."),
                      N_("Unscheduled, now {status}: {title}")),
    _workflow_command("unpublish", N_("Take a published article off the site (it is archived)."),
                      N_("Unpublished, now {status}: {title}")),
    _workflow_command("reopen", N_("Reopen an archived article as a draft."), N_("Reopened, now {status}: {title}")),
    _workflow_command("trash", N_("Move an article to the trash (it can be restored)."),
                      N_("Moved to the trash: {title}")),
    _workflow_command("restore", N_("Restore an article from the trash to the status it had."),
                      N_("Restored, now {status}: {title}")),
)


@command("request-changes", help=N_("Send an article in review back to its writer with a note."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@option("--note", required=True, help=N_("What should change (required)."))
@handle_errors
def request_changes_command(ref: str, note: str) -> None:
    session = command_session()
    article = transitions.ACTIONS["request-changes"](session.actor, ref, note)
    click.echo(_("Sent back to draft with your note: {title}").format(title=article.title))


@command("approve", help=N_("Approve the step of an article's approval chain that awaits you (the last step is "
                            "`publish`)."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@option("--note", help=N_("A word for the next approver (kept with the approval)."))
@handle_errors
def approve_command(ref: str, note: str | None) -> None:
    from beritatui.core import review_steps

    session = command_session()
    chain = review_steps.approve(session.actor, ref, note)
    click.echo(_("Approved; {awaits}").format(awaits=review_steps.awaits_line(chain)))


def _queue_data(item, unit_names: dict[int, str]) -> dict:  # noqa: ANN001 - a core.review_queue.QueueItem
    row, chain = item.row, item.chain
    return {"id": row.id, "slug": row.slug, "title": row.title, "byline": row.byline,
            "unit": unit_names.get(chain.unit_id, ""), "sent_at": site_iso(row.updated_at), "round": chain.round,
            "step": {"number": chain.position, "of": chain.total, "name": chain.current,
                     "last": chain.at_last},
            "done": [{"step": d.step, "name": d.name, "login": d.login, "at": site_iso(d.at), "note": d.note,
                      "self_approved": d.self_approved} for d in chain.done]}


@command("review", help=N_("List the articles in review whose current step awaits you, oldest first, with the "
                           "steps already approved and by whom."))
@option("--json", "as_json", is_flag=True, help=N_("Print JSON (stable; see docs/cli.md)."))
@handle_errors
def review_command(as_json: bool) -> None:
    from beritatui.core import units
    from beritatui.core.review_queue import queue_for

    session = command_session()
    items = queue_for(session.actor)
    if as_json:
        names = units.names()
        print_json({"login": session.actor.login, "timezone": site_zone(),
                    "articles": [_queue_data(item, names) for item in items]})
        return
    if not items:
        click.echo(_("Nothing awaits your review."))
        return
    rows = []
    for item in items:
        done = "; ".join(_("{line} {when}").format(line=line, when=site_time(d.at, "MM-dd HH:mm"))
                         for line, d in zip(item.chain.done_lines(), item.chain.done, strict=True))
        rows.append([item.row.slug, fit(item.row.title, 40), item.chain.label(), done or "—"])
    print_table([_("slug"), _("title"), _("your step"), _("done")], rows, stretch=1)


@command("publish", help=N_("Publish an article in review now, or schedule it with --at; --until takes it off the "
                            "site again at that time."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@option("--at", "at", metavar="TIME", help=N_("Publish at this time instead (site time, e.g. \"2026-12-01 09:00\")."))
@option("--until", "until", metavar="TIME",
        help=N_("Take it off the site (archive it) at this time (site time, after --at)."))
@option("--correction", "correction", metavar="NOTE",
        help=N_("Publish the pending correction of a published article, with this public note saying what was "
                "corrected (readers see it in the feed)."))
@handle_errors
def publish_command(ref: str, at: str | None, until: str | None, correction: str | None) -> None:
    session = command_session()
    if _publish_correction(session.actor, ref, correction, at, until):
        return
    from beritatui.core import timeparse

    end = timeparse.parse_time(until, site_zone()) if until is not None else None
    if at is None:
        article = transitions.ACTIONS["publish"](session.actor, ref, until=end)
        click.echo(_("Published: {title}").format(title=article.title))
    else:
        moment = timeparse.parse_time(at, site_zone())
        article = transitions.ACTIONS["schedule"](session.actor, ref, moment, until=end)
        click.echo(_("Scheduled for {when} ({zone}): {title}").format(
            when=site_time(article.scheduled_at), zone=site_zone(), title=article.title))
    if article.expires_at is not None:
        click.echo(_("Comes off the site at {when} ({zone})").format(when=site_time(article.expires_at),
                                                                     zone=site_zone()))


def _publish_correction(actor: object, ref: str, note: str | None, at: str | None, until: str | None) -> bool:
    """``publish --correction``, or ``publish`` of an article with a correction pending: the core's
    :func:`~beritatui.core.correction_review.publish_correction` (which asks for the note); whether it ran."""
    from beritatui.core import correction_review, corrections
    from beritatui.core.articles import get_article

    if note is None and corrections.pending_for(get_article(ref)) is None:
        return False
    if note is None:
        fail(_("A correction is pending for {ref}: publish it with --correction \"what was corrected\" "
               "(readers see that note)").format(ref=ref))
    if at is not None or until is not None:
        fail(_("A correction is published now: --at and --until do not go with --correction"), 2)
    article = correction_review.publish_correction(actor, ref, note)
    click.echo(_("Correction published: {title} (version {version})").format(title=article.title,
                                                                            version=article.version))
    return True


@command("expire", help=N_("Say when a scheduled or published article comes off the site (it is archived then), "
                           "or that it stays."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@option("--at", "at", metavar="TIME", help=N_("Take it off the site at this time (site time, e.g. "
                                              "\"2026-12-31 17:00\")."))
@option("--never", is_flag=True, help=N_("No expiry: it stays on the site until someone unpublishes it."))
@handle_errors
def expire_command(ref: str, at: str | None, never: bool) -> None:
    if (at is None) == (not never):
        fail(_("Give either --at TIME or --never"), 2)
    session = command_session()
    from beritatui.core import timeparse

    until = timeparse.parse_time(at, site_zone()) if at is not None else None
    article = transitions.set_expiry(session.actor, ref, until)
    if article.expires_at is None:
        click.echo(_("No expiry, it stays on the site: {title}").format(title=article.title))
    else:
        click.echo(_("Comes off the site at {when} ({zone}): {title}").format(
            when=site_time(article.expires_at), zone=site_zone(), title=article.title))


@command("publish-due", help=N_("Publish every scheduled article whose time has come, and take off the site every "
                                "article whose expiry has come (run it from cron)."))
@handle_errors
def publish_due_command() -> None:
    open_database_only()
    due = transitions.run_due()
    for article in due.published:
        click.echo(_("Published: {slug} ({title})").format(slug=article.slug, title=article.title))
    for article in due.expired:
        click.echo(_("Expired, taken off the site: {slug} ({title})").format(slug=article.slug, title=article.title))
    if not due.published and not due.expired and sys.stdout.isatty():
        click.echo(_("Nothing is due."))


COMMANDS = (*_MOVES, request_changes_command, approve_command, review_command, publish_command, expire_command, publish_due_command)
