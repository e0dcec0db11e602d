"""The people of a database: ``user add``, ``user list``, ``user grant``, ``user revoke``, ``user set-role``,
``user profile``, ``user deactivate``.

A person holds a role per unit (``--unit`` names a unit of ``beritatui unit list``; without it, the root
unit); the profile's byline unit (``--byline-unit``) is free text for bylines, not a desk.
"""

from __future__ import annotations

import click

from beritatui.cli.base import command_session, group, handle_errors, option
from beritatui.cli.completion import complete_logins, complete_units
from beritatui.cli.output import print_fields, print_json, print_table
from beritatui.cli.units import find_unit
from beritatui.core import unit_info, units, users
from beritatui.core.models import ROLES
from beritatui.i18n import N_, _


@group("user", help=N_("Manage the people who may use this database (admins)."))
def user_group() -> None:
    pass


def _unit_id(unit: str | None) -> int | None:
    return find_unit(unit).id if unit is not None else None


@user_group.command("add", help=N_("Let an OS login use this database, with a role in a unit."))
@click.argument("login")
@option("--name", default="", help=N_("Display name (default: from the system)."))
@option("--unit", metavar="UNIT", shell_complete=complete_units,
        help=N_("The unit the role is held in, e.g. Rutan Makassar (default: the root unit)."))
@option("--role", type=click.Choice(ROLES), default="writer", show_default=True, help=N_("writer, editor or admin."))
@option("--byline-unit", default="", metavar="TEXT",
        help=N_("The unit bylines show, free text (default: the name of --unit)."))
@handle_errors
def user_add_command(login: str, name: str, unit: str | None, role: str, byline_unit: str) -> None:
    session = command_session()
    home = find_unit(unit) if unit is not None else units.root()
    user = users.add_user(session.actor, login, display_name=name, unit=byline_unit, role=role,
                          member_of=home.id if unit is not None else None)
    click.echo(_("Added {login} ({name}) as {role} in {unit}").format(
        login=user.login, name=user.display_name, role=role, unit=home.name))


def _roles_text(roles: list[tuple[str, str]]) -> str:
    return ", ".join(f"{unit}: {role}" for unit, role in roles) or "—"


@user_group.command("list", help=N_("List the people of this database and their roles per unit."))
@option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@handle_errors
def user_list_command(as_json: bool) -> None:
    command_session()
    people = [u for u in users.list_users() if u.login != users.SYSTEM_LOGIN]
    roles = unit_info.roles_by_user()
    if as_json:
        print_json([{"login": u.login, "display_name": u.display_name, "unit": u.unit, "role": u.role,
                     "active": u.active, "roles": [{"unit": unit, "role": role} for unit, role in roles.get(u.id, [])]}
                    for u in people])
        return
    print_table([_("Login"), _("Name"), _("Byline unit"), _("Roles"), _("Active")],
                [[u.login, u.display_name, u.unit, _roles_text(roles.get(u.id, [])), _("yes") if u.active else _("no")]
                 for u in people])


@user_group.command("grant", help=N_("Give a person a role in a unit (it covers the unit's sub-units)."))
@click.argument("login", shell_complete=complete_logins)
@option("--unit", required=True, metavar="UNIT", shell_complete=complete_units, help=N_("The unit."))
@option("--role", type=click.Choice(ROLES), required=True, help=N_("writer, editor or admin."))
@handle_errors
def user_grant_command(login: str, unit: str, role: str) -> None:
    from beritatui.core import unit_admin

    session = command_session()
    where = find_unit(unit)
    unit_admin.grant(session.actor, login, where, role)
    click.echo(_("{login} is now {role} in {unit}").format(login=login, role=role, unit=where.name))


@user_group.command("revoke", help=N_("Take away the role a person holds in a unit (roles above it stay)."))
@click.argument("login", shell_complete=complete_logins)
@option("--unit", required=True, metavar="UNIT", shell_complete=complete_units, help=N_("The unit."))
@handle_errors
def user_revoke_command(login: str, unit: str) -> None:
    from beritatui.core import unit_admin

    session = command_session()
    where = find_unit(unit)
    unit_admin.revoke(session.actor, login, where)
    click.echo(_("{login} no longer holds a role in {unit}").format(login=login, unit=where.name))


@user_group.command("set-role", help=N_("Change a person's role (writer, editor or admin) in the root unit, "
                                        "or in --unit."))
@click.argument("login", shell_complete=complete_logins)
@click.argument("role", type=click.Choice(ROLES))
@option("--unit", metavar="UNIT", shell_complete=complete_units, help=N_("The unit (default: the root unit)."))
@handle_errors
def user_set_role_command(login: str, role: str, unit: str | None) -> None:
    session = command_session()
    where = find_unit(unit) if unit is not None else units.root()
    user = users.set_role(session.actor, login, role, unit=where.id)
    click.echo(_("{login} is now {role} in {unit}").format(login=user.login, role=role, unit=where.name))


@user_group.command("profile", help=N_("Show or change a person's display name and byline unit (your own; "
                                       "an admin anyone's)."))
@click.argument("login", shell_complete=complete_logins)
@option("--name", default=None, help=N_("The new display name."))
@option("--byline-unit", default=None, metavar="TEXT", help=N_("The unit bylines show, free text."))
@handle_errors
def user_profile_command(login: str, name: str | None, byline_unit: str | None) -> None:
    session = command_session()
    if name is None and byline_unit is None:
        user = users.get_user(login)
    else:
        user = users.set_profile(session.actor, login, display_name=name, unit=byline_unit)
    print_fields([(_("Login"), user.login), (_("Name"), user.display_name), (_("Byline unit"), user.unit or "—"),
                  (_("Roles"), _roles_text(unit_info.roles_by_user().get(user.id, [])))])


@user_group.command("deactivate", help=N_("Stop a login from using this database (history keeps the name)."))
@click.argument("login", shell_complete=complete_logins)
@handle_errors
def user_deactivate_command(login: str) -> None:
    session = command_session()
    user = users.deactivate(session.actor, login)
    click.echo(_("{login} can no longer use this database").format(login=user.login))


COMMANDS = (user_group,)
