"""The people of a database: ``user add``, ``user list``, ``user set-role``, ``user deactivate`` (admins)."""

from __future__ import annotations

import click

from beritatui.cli.base import command_session, group, handle_errors, option
from beritatui.cli.completion import complete_logins
from beritatui.cli.output import print_json, print_table
from beritatui.core import users
from beritatui.core.models import ROLES
from beritatui.i18n import N_, _


@group("user", help=N_("Manage the people who may use this database (admins)."))
def user_group() -> None:
    pass


@user_group.command("add", help=N_("Let an OS login use this database."))
@click.argument("login")
@option("--name", default="", help=N_("Display name (default: from the system)."))
@option("--unit", default="", help=N_("Unit, e.g. Rutan Makassar."))
@option("--role", type=click.Choice(ROLES), default="writer", show_default=True, help=N_("writer, editor or admin."))
@handle_errors
def user_add_command(login: str, name: str, unit: str, role: str) -> None:
    session = command_session()
    user = users.add_user(session.actor, login, display_name=name, unit=unit, role=role)
    click.echo(_("Added {login} ({name}) as {role}").format(login=user.login, name=user.display_name, role=user.role))


@user_group.command("list", help=N_("List the people of this database."))
@option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@handle_errors
def user_list_command(as_json: bool) -> None:
    command_session()
    people = [u for u in users.list_users() if u.login != users.SYSTEM_LOGIN]
    if as_json:
        print_json([{"login": u.login, "display_name": u.display_name, "unit": u.unit, "role": u.role,
                     "active": u.active} for u in people])
        return
    print_table([_("Login"), _("Name"), _("Unit"), _("Role"), _("Active")],
                [[u.login, u.display_name, u.unit, u.role, _("yes") if u.active else _("no")] for u in people])


@user_group.command("set-role", help=N_("Change a person's role (writer, editor or admin)."))
@click.argument("login", shell_complete=complete_logins)
@click.argument("role", type=click.Choice(ROLES))
@handle_errors
def user_set_role_command(login: str, role: str) -> None:
    session = command_session()
    user = users.set_role(session.actor, login, role)
    click.echo(_("{login} is now {role}").format(login=user.login, role=user.role))


@user_group.command("deactivate", help=N_("Stop a login from using this database (history keeps the name)."))
@click.argument("login", shell_complete=complete_logins)
@handle_errors
def user_deactivate_command(login: str) -> None:
    session = command_session()
    user = users.deactivate(session.actor, login)
    click.echo(_("{login} can no longer use this database").format(login=user.login))


COMMANDS = (user_group,)
