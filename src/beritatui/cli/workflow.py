"""The workflow: ``submit``, ``request-changes``, ``publish`` (or schedule), ``unschedule``, ``unpublish``,
``reopen``, ``trash``, ``restore`` and cron's ``publish-due``.

Each command applies the action of the same name from :data:`beritatui.core.transitions.ACTIONS`; the
rules (who may, from which status) are the core's.
"""

from __future__ import annotations

import sys

import click

from beritatui.cli.base import command, command_session, handle_errors, open_database_only, option
from beritatui.cli.completion import complete_slugs
from beritatui.cli.output import site_time, site_zone
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


@command("publish", help=N_("Publish an article in review now, or schedule it with --at."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@option("--at", "at", metavar="TIME", help=N_("Publish at this time instead (site time, e.g. \"2026-12-01 09:00\")."))
@handle_errors
def publish_command(ref: str, at: str | None) -> None:
    session = command_session()
    if at is None:
        article = transitions.ACTIONS["publish"](session.actor, ref)
        click.echo(_("Published: {title}").format(title=article.title))
        return
    from beritatui.core import timeparse

    moment = timeparse.parse_time(at, site_zone())
    article = transitions.ACTIONS["schedule"](session.actor, ref, moment)
    click.echo(_("Scheduled for {when} ({zone}): {title}").format(
        when=site_time(article.scheduled_at), zone=site_zone(), title=article.title))


@command("publish-due", help=N_("Publish every scheduled article whose time has come (run it from cron)."))
@handle_errors
def publish_due_command() -> None:
    open_database_only()
    published = transitions.publish_due()
    for article in published:
        click.echo(_("Published: {slug} ({title})").format(slug=article.slug, title=article.title))
    if not published and sys.stdout.isatty():
        click.echo(_("Nothing is due."))


COMMANDS = (*_MOVES, request_changes_command, publish_command, publish_due_command)
