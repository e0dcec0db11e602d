"""The organisation's units: ``unit add``, ``unit list``, ``unit show``, ``unit rename``, ``unit move``.

Who may change the tree is :mod:`beritatui.core.unit_admin`'s rule (an admin of the unit concerned);
anyone who may use the database may read it.  :func:`find_unit` is how every command that takes a unit
(``user add --unit``, ``new --unit``, ``list --unit``) finds it, so an unknown name reads the same line.
"""

from __future__ import annotations

from typing import Any

import click

from beritatui.cli.base import command_session, group, handle_errors, option
from beritatui.cli.completion import complete_units
from beritatui.cli.output import print_fields, print_json, print_table
from beritatui.core import unit_info, units, workflow
from beritatui.core.errors import NotFound
from beritatui.core.models import STATUSES, Unit
from beritatui.i18n import N_, _


def find_unit(name: str) -> Unit:
    """The unit a person named (its name in any case, its slug or its id), else one line saying how to add it."""
    try:
        return units.get_unit(name)
    except NotFound:
        raise NotFound(_("No unit {name!r}; add it with `beritatui unit add` (`beritatui unit list` shows the "
                         "units)").format(name=name)) from None


@group("unit", help=N_("The organisation's units (desks): a tree of region, office and unit."))
def unit_group() -> None:
    pass


@unit_group.command("add", help=N_("Add a unit (under --parent; default: the root unit). Admins of the parent."))
@click.argument("name")
@option("--parent", metavar="UNIT", shell_complete=complete_units, help=N_("The unit it belongs under."))
@handle_errors
def unit_add_command(name: str, parent: str | None) -> None:
    from beritatui.core import unit_admin

    session = command_session()
    above = find_unit(parent) if parent is not None else None
    unit = unit_admin.add_unit(session.actor, name, above)
    click.echo(_("Added unit {name} ({slug}) under {parent}").format(
        name=unit.name, slug=unit.slug, parent=units.get_unit(unit.parent_id).name))


def summary_data(summary: unit_info.UnitSummary) -> dict[str, Any]:
    return {"id": summary.id, "name": summary.name, "slug": summary.slug, "parent": summary.parent,
            "path": summary.path, "depth": summary.depth, "people": summary.people, "articles": summary.articles}


@unit_group.command("list", help=N_("The units as a tree, with how many people and articles each has."))
@option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@handle_errors
def unit_list_command(as_json: bool) -> None:
    command_session()
    found = unit_info.summaries()
    if as_json:
        print_json([summary_data(s) for s in found])
        return
    for line in tree_lines(found):
        click.echo(line)


def tree_lines(found: list[unit_info.UnitSummary]) -> list[str]:
    """The units as a table whose first column is indented two spaces per level (a table would squeeze them)."""
    headers = [_("Unit"), _("Slug"), _("People"), _("Articles")]
    rows = [["  " * s.depth + s.name, s.slug, str(s.people), str(s.articles)] for s in found]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    return ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(cells)).rstrip() for cells in [headers, *rows]]


@unit_group.command("show", help=N_("One unit: its place in the tree, sub-units, people and their roles, "
                                    "articles per status."))
@click.argument("name", shell_complete=complete_units)
@option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@handle_errors
def unit_show_command(name: str, as_json: bool) -> None:
    command_session()
    found = unit_info.detail(find_unit(name))
    if as_json:
        print_json({**summary_data(found.summary), "ancestors": found.ancestors, "sub_units": found.sub_units,
                    "members": [{"login": login, "name": person, "role": role}
                                for login, person, role in found.members],
                    "by_status": found.by_status, "articles_with_sub_units": found.subtree_articles})
        return
    s = found.summary
    counts = ", ".join(f"{workflow.status_label(status)} {found.by_status[status]}" for status in STATUSES)
    print_fields([
        (_("Unit"), s.name),
        (_("Slug"), s.slug),
        (_("Parent"), s.parent or "—"),
        (_("Path"), " › ".join([*found.ancestors, s.name])),
        (_("Sub-units"), ", ".join(found.sub_units) or "—"),
        (_("Articles"), counts),
        (_("With sub-units"), str(found.subtree_articles)),
    ])
    click.echo("")
    if not found.members:
        click.echo(_("Nobody holds a role in {unit} itself.").format(unit=s.name))
        return
    print_table([_("Login"), _("Name"), _("Role")], [list(member) for member in found.members])


@unit_group.command("rename", help=N_("Give a unit a new name (and slug); its articles and people stay."))
@click.argument("name", shell_complete=complete_units)
@click.argument("new_name")
@handle_errors
def unit_rename_command(name: str, new_name: str) -> None:
    from beritatui.core import unit_admin

    session = command_session()
    before = find_unit(name)
    unit = unit_admin.rename_unit(session.actor, before, new_name)
    click.echo(_("Renamed {old} to {new} ({slug})").format(old=before.name, new=unit.name, slug=unit.slug))


@unit_group.command("move", help=N_("Put a unit, with its sub-units, under another parent."))
@click.argument("name", shell_complete=complete_units)
@option("--parent", required=True, metavar="UNIT", shell_complete=complete_units, help=N_("The new parent."))
@handle_errors
def unit_move_command(name: str, parent: str) -> None:
    from beritatui.core import unit_admin

    session = command_session()
    unit = unit_admin.move_unit(session.actor, find_unit(name), find_unit(parent))
    click.echo(_("Moved {unit} under {parent}").format(unit=unit.name, parent=units.get_unit(unit.parent_id).name))


COMMANDS = (unit_group,)
