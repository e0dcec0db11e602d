"""The site settings: ``site show``, ``site set`` and ``site unset`` (admins of the unit), per unit."""

from __future__ import annotations

import click

from beritatui.cli.base import command_session, group, handle_errors, option
from beritatui.cli.completion import complete_settings
from beritatui.cli.output import print_json, print_table
from beritatui.core import site
from beritatui.i18n import N_, _

UNIT_HELP = N_("The unit whose settings these are (default: the root unit, the whole organisation).")


@group("site", help=N_("Show or change the site settings (title, address, time zone, feeds), per unit."))
def site_group() -> None:
    pass


def _origin(item: site.Shown) -> str:
    """Where a value comes from, as ``site show --unit`` says it."""
    if item.source == "own":
        return _("own")
    if item.source == "inherited":
        return _("inherited from {unit}").format(unit=item.unit)
    if item.source == "none":
        return _("none (never inherited)")
    return _("default")


@site_group.command("show", help=N_("Show every site setting; with --unit, also whether each is the unit's own or "
                                    "inherited, and from which unit."))
@option("--unit", "unit", metavar="NAME", help=UNIT_HELP)
@option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@handle_errors
def site_show_command(unit: str | None, as_json: bool) -> None:
    command_session()
    if unit is None:
        values = site.raw_settings()
        if as_json:
            print_json(values)
            return
        print_table([_("Setting"), _("Value"), _("Meaning")],
                    [[key, values[key], _(spec.help)] for key, spec in site.SETTINGS.items()], stretch=1)
        return
    shown = site.resolve(unit)
    if as_json:
        print_json({key: {"value": item.value, "source": item.source, "from": item.unit or None}
                    for key, item in shown.items()})
        return
    print_table([_("Setting"), _("Value"), _("From"), _("Meaning")],
                [[key, item.value, _origin(item), _(site.SETTINGS[key].help)] for key, item in shown.items()],
                stretch=3)


@site_group.command("set", help=N_("Change one site setting (admins of the unit); below the root an empty VALUE "
                                   "makes the unit inherit it again."))
@option("--unit", "unit", metavar="NAME", help=UNIT_HELP)
@click.argument("key", shell_complete=complete_settings)
@click.argument("value")
@handle_errors
def site_set_command(unit: str | None, key: str, value: str) -> None:
    session = command_session()
    stored = site.set_setting(session.actor, key, value, unit)
    if unit is not None and value.strip() == "" and site.resolve(unit)[key].source != "own":
        click.echo(_unset_line(unit, key))
        return
    click.echo(f"{key} = {stored}")


def _unset_line(unit: str | None, key: str) -> str:
    item = site.resolve(unit)[key]
    if item.source == "inherited":
        return _("{key}: inherited again ({value} from {unit})").format(key=key, value=item.value, unit=item.unit)
    return _("{key}: back to the default").format(key=key)


@site_group.command("unset", help=N_("Remove a unit's own value of a setting, so it inherits it again (the root: "
                                     "back to the default)."))
@option("--unit", "unit", metavar="NAME", help=UNIT_HELP)
@click.argument("key", shell_complete=complete_settings)
@handle_errors
def site_unset_command(unit: str | None, key: str) -> None:
    session = command_session()
    site.unset_setting(session.actor, key, unit)
    click.echo(_unset_line(unit, key))


COMMANDS = (site_group,)
