"""The site settings: ``site show`` and ``site set`` (admins)."""

from __future__ import annotations

import click

from beritatui.cli.base import command_session, group, handle_errors, option
from beritatui.cli.completion import complete_settings
from beritatui.cli.output import print_json, print_table
from beritatui.core import site
from beritatui.i18n import N_, _


@group("site", help=N_("Show or change the site settings (title, address, time zone, feeds)."))
def site_group() -> None:
    pass


@site_group.command("show", help=N_("Show every site setting."))
@option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@handle_errors
def site_show_command(as_json: bool) -> None:
    command_session()
    values = site.raw_settings()
    if as_json:
        print_json(values)
        return
    print_table([_("Setting"), _("Value"), _("Meaning")],
                [[key, values[key], _(spec.help)] for key, spec in site.SETTINGS.items()], stretch=1)


@site_group.command("set", help=N_("Change one site setting (admins)."))
@click.argument("key", shell_complete=complete_settings)
@click.argument("value")
@handle_errors
def site_set_command(key: str, value: str) -> None:
    session = command_session()
    stored = site.set_setting(session.actor, key, value)
    click.echo(f"{key} = {stored}")


COMMANDS = (site_group,)
