"""``audit``: read the audit trail, newest first, filtered, in the site's time zone (core.audit_query).

A group, so that subcommands about the trail (``audit verify``) sit beside it; ``audit`` alone lists.
"""

from __future__ import annotations

import click

from beritatui.cli.audit_verify import verify_command
from beritatui.cli.base import command_session, group, handle_errors, option
from beritatui.cli.completion import complete_slugs
from beritatui.cli.output import fit, paged, print_json, site_iso, site_time, site_zone, table_lines
from beritatui.i18n import N_, _

LIMIT = click.IntRange(min=1, max=1000)
EVENT_ID = click.IntRange(min=1, max=2**62)


@group("audit", invoke_without_command=True,
       help=N_("List the audit trail, newest first: who did what, when. Admins read every event, editors the "
               "events of their units' articles, writers those of their own articles."))
@option("--article", "article", metavar="SLUG", shell_complete=complete_slugs,
        help=N_("Only this article's events (slug or id)."))
@option("--user", "user", metavar="LOGIN", help=N_("Only what this login did."))
@option("--unit", "unit", metavar="NAME", help=N_("Only events of articles in this unit or a unit below it."))
@option("--action", "action", metavar="A",
        help=N_("Only this action (e.g. article.publish, or publish), or every action under a prefix (article.)."))
@option("--since", "since", metavar="T", help=N_("From this time on (site time, e.g. 2026-12-01 09:00)."))
@option("--until", "until", metavar="T", help=N_("Up to this time (site time)."))
@option("--limit", "limit", type=LIMIT, default=100, show_default=True, metavar="N",
        help=N_("How many events to show."))
@option("--before", "before", type=EVENT_ID, metavar="ID",
        help=N_("Only events older than this event id (the next page; the list says which id to give)."))
@option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
@handle_errors
def audit_group(ctx: click.Context, article: str | None, user: str | None, unit: str | None, action: str | None,
                since: str | None, until: str | None, limit: int, before: int | None, as_json: bool) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from beritatui.core import audit_query

    session = command_session()
    filters = audit_query.resolve(article=article, user=user, unit=unit, action=action, since=since, until=until,
                                  timezone=site_zone())
    found = audit_query.page(session.actor, filters, before=before, limit=limit)
    if as_json:
        print_json([audit_query.as_dict(row, site_iso) for row in found.rows])
    elif not found.rows:
        click.echo(_("No audit events match."))
    else:
        paged(table_lines(
            [_("When"), _("Who"), _("Action"), _("Article"), _("What")],
            [[site_time(r.at, "yyyy-MM-dd HH:mm:ss"), r.login, r.action, fit(r.slug, 30) if r.slug else "—",
              _details_part(r.what)]
             for r in found.rows],
            stretch=4))
    if found.next_before is not None:
        click.echo(_("Older events: run it again with --before {id}").format(id=found.next_before), err=True)


def _details_part(what: str) -> str:
    """The table has an action column: its "what" column shows the details after the label."""
    return what.split(": ", 1)[1] if ": " in what else "—"


@audit_group.command("show", help=N_("Show one audit event with all its details."))
@click.argument("event_id", metavar="ID", type=EVENT_ID)
@option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@handle_errors
def audit_show_command(event_id: int, as_json: bool) -> None:
    from beritatui.core import audit_query

    session = command_session()
    row = audit_query.get_event(session.actor, event_id)
    if as_json:
        print_json(audit_query.as_dict(row, site_iso))
        return
    from beritatui.cli.output import field_lines

    pairs = [(_("Event"), str(row.id)), (_("When"), site_time(row.at, "yyyy-MM-dd HH:mm:ss")),
             (_("Who"), row.login), (_("Action"), f"{row.action} ({audit_query.action_label(row.action)})"),
             (_("Article"), f"{row.title} ({row.slug})" if row.slug else "—")]
    pairs += [(str(key), audit_query.detail_text(value)) for key, value in row.details.items()]
    paged(field_lines(pairs))


audit_group.add_command(verify_command)

COMMANDS = (audit_group,)
