"""An article's history: ``history``, ``diff`` and ``revert`` (bring an earlier revision back)."""

from __future__ import annotations

import click

from beritatui.cli.base import command, command_session, handle_errors, option
from beritatui.cli.completion import complete_slugs
from beritatui.cli.output import paged, print_json, site_iso, site_time, styled, table_lines
from beritatui.core.vocabulary import reason_label
from beritatui.i18n import N_, _

REVISION_NUMBER = click.IntRange(min=1, max=2**31 - 1)


@command("history", help=N_("List an article's revisions: number, when, who and why."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@handle_errors
def history_command(ref: str, as_json: bool) -> None:
    from beritatui.core import revisions

    session = command_session()
    found = revisions.list_revisions(ref, reader=session.actor)
    if as_json:
        print_json([{"number": r.number, "created_at": site_iso(r.created_at), "login": r.login, "reason": r.reason,
                     "version": r.article_version, "title": r.title} for r in found])
        return
    paged(table_lines(
        [_("No."), _("When"), _("Who"), _("Reason"), _("Title")],
        [[str(r.number), site_time(r.created_at), r.login, reason_label(r.reason), r.title] for r in found],
        stretch=4))


DIFF_STYLES = {"header": {"bold": True}, "hunk": {"fg": "cyan"}, "added": {"fg": "green"},
               "removed": {"fg": "red"}, "context": {}}


def diff_style(line: str) -> str:
    from beritatui.core import revisions

    return styled(line, **DIFF_STYLES[revisions.diff_line_kind(line)])


@command("diff", help=N_("Show what changed from revision A to revision B (default: to the current text)."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@click.argument("a", type=REVISION_NUMBER)
@click.argument("b", type=REVISION_NUMBER, required=False)
@handle_errors
def diff_command(ref: str, a: int, b: int | None) -> None:
    from beritatui.core import revisions

    session = command_session()
    lines = revisions.diff(ref, a, b, reader=session.actor)
    if not lines:
        click.echo(_("No differences."))
        return
    paged([diff_style(line) for line in lines])


@command("revert", help=N_("Bring back an earlier revision as a new one (nothing is deleted)."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@option("--to", "number", type=REVISION_NUMBER, required=True, metavar="N", help=N_("The revision number to bring back."))
@handle_errors
def revert_command(ref: str, number: int) -> None:
    from beritatui.core import revisions

    session = command_session()
    article = revisions.restore_revision(session.actor, ref, number)
    click.echo(_("Brought back revision {n}: {title} is now version {version}").format(
        n=number, title=article.title, version=article.version))


COMMANDS = (history_command, diff_command, revert_command)
