"""``beritatui report``: the numbers a unit reports to its region, as a table, JSON or CSV."""

from __future__ import annotations

from typing import Any

import click

from beritatui.cli.base import command, command_session, handle_errors, option
from beritatui.cli.completion import complete_units
from beritatui.cli.output import print_json, print_table, site_iso
from beritatui.i18n import N_, _


def _bounds(start: str | None, end: str | None) -> tuple[Any, Any]:
    from beritatui.core import report_periods
    from beritatui.core.site import get_settings

    zone = get_settings().zone
    return (report_periods.parse_date(start, zone) if start is not None else None,
            report_periods.parse_date(end, zone) if end is not None else None)


def _json_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "period_start": site_iso(row["period_start"]), "period_end": site_iso(row["period_end"])}


def _top_rows(report: Any) -> list[dict[str, Any]]:
    from beritatui.core.models import REACTIONS

    names = {u.id: u.name for u in report.units}
    found = []
    for unit_id, articles in report.top.items():
        for rank, item in enumerate(articles, start=1):
            found.append({"scope": "total" if unit_id is None else "unit",
                          "unit": report.unit.name if unit_id is None else names.get(unit_id, ""),
                          "unit_id": report.unit.id if unit_id is None else unit_id, "rank": rank,
                          "slug": item.slug, "title": item.title, "unit_of_article": names.get(item.unit_id, ""),
                          "published_at": site_iso(item.published_at), "reactions": item.reactions_total,
                          **{f"reactions_{name}": item.reactions[name] for name in REACTIONS}})
    return sorted(found, key=lambda r: (r["scope"] != "total", r["unit_id"], r["rank"]))


def _print_csv(rows: list[dict[str, Any]]) -> None:
    import csv
    import io

    from beritatui.core.reports import COLUMNS

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if value is None else value for key, value in _json_row(row).items()})
    click.echo(buffer.getvalue(), nl=False)


def _print_table(report: Any, rows: list[dict[str, Any]]) -> None:
    from beritatui.core.reports import wait_text

    headers = [_("Period"), _("Unit"), _("Published"), _("Median"), _("P90"), _("Corrections"), _("Unpublished"),
               _("Reactions")]
    lines = [[row["period"], (_("All: {unit}").format(unit=row["unit"]) if row["scope"] == "total"
                              else row["unit"]),
              str(row["published"]), wait_text(row["submit_to_publish_median_s"]),
              wait_text(row["submit_to_publish_p90_s"]), str(row["corrections"]), str(row["unpublished"]),
              str(row["reactions"])] for row in rows]
    print_table(headers, lines, stretch=1)
    top = report.top.get(None, [])
    if top:
        click.echo("")
        click.echo(_("Most reacted:"))
        print_table([_("Reactions"), _("Slug"), _("Title")],
                    [[str(item.reactions_total), item.slug, item.title] for item in top], stretch=2)


@command("report", help=N_("The numbers a unit reports to its region, per unit and period: articles published, "
                           "time from submit to publish (median, 90th percentile), corrections, unpublications, "
                           "reactions and the most reacted articles.  For editors and admins of the unit."))
@option("--unit", "unit", metavar="NAME", shell_complete=complete_units,
        help=N_("The unit and its sub-units (default: the unit you edit)."))
@option("--from", "start", metavar="DATE", help=N_("First day (YYYY-MM-DD or YYYY-MM, site time; default: "
                                                   "eleven periods before the current one)."))
@option("--to", "end", metavar="DATE", help=N_("Day after the last (YYYY-MM-DD or YYYY-MM, site time, not "
                                               "included; default: the end of the current period)."))
@option("--by", "by", type=click.Choice(["month", "week", "day"]), default="month", show_default=True,
        help=N_("Period: month, ISO week or day."))
@option("--subunits", is_flag=True, help=N_("Each unit's row counts its sub-units too."))
@option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@option("--csv", "as_csv", is_flag=True, help=N_("Print CSV (one row per unit and period)."))
@handle_errors
def report_command(unit: str | None, start: str | None, end: str | None, by: str, subunits: bool, as_json: bool,
                   as_csv: bool) -> None:
    from beritatui.core import reports

    if as_json and as_csv:
        raise click.UsageError(_("Choose one of --json and --csv"))
    session = command_session()
    lower, upper = _bounds(start, end)
    report = reports.build(session.actor, unit, start=lower, end=upper, by=by, subunits=subunits)
    rows = reports.rows(report)
    if as_csv:
        _print_csv(rows)
    elif as_json:
        print_json({"unit": report.unit.name, "unit_id": report.unit.id, "by": report.by,
                    "timezone": report.timezone, "from": site_iso(report.start), "to": site_iso(report.end),
                    "subunits": report.subunits, "rows": [_json_row(row) for row in rows],
                    "top": _top_rows(report)})
    else:
        _print_table(report, rows)


COMMANDS = (report_command,)
