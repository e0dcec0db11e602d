"""What goes out to the website and comes in from elsewhere: ``export``, ``import`` and ``reactions import``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from beritatui.cli.base import command, command_session, fail, group, handle_errors, option
from beritatui.cli.output import print_json, with_progress
from beritatui.i18n import N_, _, ngettext


class LateChoice(click.Choice):
    """A ``click.Choice`` whose values are a constant of a module imported only when the option is used or shown.

    Building the command line must not import modules the terminal app does not need (it starts faster).
    """

    def __init__(self, module: str, name: str) -> None:  # noqa: D107 - click.Choice's own init takes the values
        self._source = (module, name)
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        import importlib

        module, name = self._source
        return tuple(getattr(importlib.import_module(module), name))


IMPORT_STATES = LateChoice("beritatui.core.bulk", "IMPORT_STATES")


@command("export", help=N_("Write the published articles as JSON Feed files for the website: each unit's feeds "
                            "into its own export_dir (units without one are skipped)."))
@option("--unit", "unit", metavar="NAME", help=N_("Export this unit only (its articles and, unless "
                                                  "feed_includes_subunits is false, its sub-units')."))
@option("--out", "out_dir", metavar="DIR", type=click.Path(path_type=Path),
        help=N_("Directory to write (default: the unit's export_dir site setting; without --unit: the root "
                "unit's)."))
@option("--dry-run", is_flag=True, help=N_("Report what would change; write nothing."))
@option("--full", is_flag=True, help=N_("Rebuild every file instead of only what changed."))
@option("--json", "as_json", is_flag=True, help=N_("Print the report as JSON."))
@handle_errors
def export_command(unit: str | None, out_dir: Path | None, dry_run: bool, full: bool, as_json: bool) -> None:
    from beritatui.feeds.export import Outcome, export_feeds, export_units, single_unit

    session = command_session()

    def waiting() -> None:
        click.echo(_("Waiting for another export to finish…"), err=True)

    def warn(warnings: list[str]) -> None:
        for warning in warnings:
            click.echo(_("Warning: {message}").format(message=warning), err=True)

    if unit is None and out_dir is None and not single_unit():
        done = with_progress(
            lambda progress: export_units(actor=session.actor, dry_run=dry_run, full=full, progress=progress,
                                          waiting=waiting), not as_json, _("Exporting"))
        if as_json:
            print_json(done.as_dict())
        for outcome in done.outcomes:
            if outcome.report is not None:
                warn(outcome.report.warnings)
            if not as_json:
                click.echo(outcome.line(), err=bool(outcome.error))
        if not done.reports:
            fail(_("No unit has an export_dir; set one with: beritatui site set --unit NAME export_dir DIR"))
        if done.failed:
            sys.exit(1)
        return
    report = with_progress(
        lambda progress: export_feeds(out_dir, unit=unit, actor=session.actor, dry_run=dry_run, full=full,
                                      progress=progress, waiting=waiting), not as_json, _("Exporting"))
    if as_json:
        print_json(report.as_dict())
        return
    warn(report.warnings)
    click.echo(report.summary() if unit is None else Outcome(report.unit, report=report).line())


@command("import", help=N_("Import articles from Markdown (front matter), JSON Feed or plain-text files."))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@option("--dry-run", is_flag=True, help=N_("Report what would be imported; keep nothing."))
@option("--status", type=IMPORT_STATES,
        help=N_("Status for every imported article (default: draft)."))
@option("--keep-status", is_flag=True,
        help=N_("Keep the status the source gives (draft: true gives a draft, anything else is published)."))
@option("--json", "as_json", is_flag=True, help=N_("Print the report as JSON."))
@handle_errors
def import_command(paths: tuple[Path, ...], dry_run: bool, status: str | None, keep_status: bool,
                   as_json: bool) -> None:
    from beritatui.feeds.importers import import_paths

    if status is not None and keep_status:
        fail(_("Give either --status or --keep-status, not both"), 2)
    session = command_session()
    report = import_paths(session.actor, list(paths), dry_run=dry_run, status=status, keep_status=keep_status)
    if as_json:
        print_json(report.as_dict())
    else:
        for path, reason in report.problems:
            click.echo(_("Skipped {path}: {reason}").format(path=path, reason=reason), err=True)
        click.echo(report.summary())
    if report.skipped:
        sys.exit(1)


@group("reactions", help=N_("Reaction tallies from the website."))
def reactions_group() -> None:
    """Commands on reaction tallies."""


@reactions_group.command("import", help=N_("Update tallies from a JSON file mapping each slug to its counts (like, love, ...)."))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@option("--json", "as_json", is_flag=True, help=N_("Print the report as JSON."))
@handle_errors
def reactions_import_command(file: Path, as_json: bool) -> None:
    from beritatui.core.reactions import import_tallies, read_tallies_file

    data = read_tallies_file(file)
    session = command_session()
    updated, unknown = import_tallies(session.actor, data)
    if as_json:
        print_json({"updated": updated, "unknown": unknown})
        return
    click.echo(ngettext("{n} article updated", "{n} articles updated", updated).format(n=updated))
    for slug in unknown:  # repr shows a control character as an escape; a long slug is cut
        click.echo(_("No article {slug!r}; skipped").format(slug=slug[:120]), err=True)


COMMANDS = (export_command, import_command, reactions_group)
