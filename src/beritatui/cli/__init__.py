"""The ``beritatui`` command line: parse, call the core, print.  No rules live here.

This module is the root group (``cli``) and the console script (:func:`main`); every command lives
in the module of its domain and is added here:

- :mod:`~beritatui.cli.articles` ``new``, ``list``, ``show``; :mod:`~beritatui.cli.edit` ``edit``
- :mod:`~beritatui.cli.workflow` ``submit``, ``publish``, ``unschedule``, ``unpublish``, ``reopen``, ``trash``,
  ``restore``, ``request-changes``, ``approve``, ``review``, ``expire``, ``publish-due``
- :mod:`~beritatui.cli.tags` ``tag``, ``tags``; :mod:`~beritatui.cli.notes` ``notes``, ``note``, ``inbox``;
  :mod:`~beritatui.cli.history` ``history``, ``diff``, ``revert``; :mod:`~beritatui.cli.audit` ``audit``
- :mod:`~beritatui.cli.people` ``user``; :mod:`~beritatui.cli.units` ``unit``; :mod:`~beritatui.cli.site` ``site``
- :mod:`~beritatui.cli.maintenance` ``init``, ``demo``, ``config``, ``backup``, ``restore-backup``, ``check``
- :mod:`~beritatui.cli.feeds` ``export``, ``import``, ``reactions``; :mod:`~beritatui.cli.reports` ``report``

What they share: :mod:`~beritatui.cli.base` (translated click classes, :class:`State`, :func:`handle_errors`:
errors from the core print one line to stderr and exit 1; usage errors exit 2; ``--debug`` shows the
traceback instead), :mod:`~beritatui.cli.output` (tables, JSON, site times, colour, pager) and
:mod:`~beritatui.cli.completion` (shell completion).

Only what opening the terminal app needs anyway is imported when the command line is built; commands
import the rest (demo, bulk, maintenance, revisions, timeparse, ...) when they run, so ``beritatui``
starts as fast as it can (``tests/cli/test_cli_lazy_imports.py``).
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from beritatui import __version__
from beritatui.cli import (
    articles,
    audit,
    corrections,
    edit,
    feeds,
    history,
    maintenance,
    notes,
    people,
    reports,
    site,
    tags,
    units,
    workflow,
)
from beritatui.cli.base import State, TCommand, TGroup, TOption, fail, handle_errors, option
from beritatui.cli.completion import complete_files
from beritatui.cli.output import has_terminal
from beritatui.core import config as configmod
from beritatui.i18n import N_, _, resolve_language, set_language

__all__ = ["EXIT_PIPE", "OutputClosed", "State", "TCommand", "TGroup", "TOption", "cli", "fail", "handle_errors",
           "main", "option"]


class OutputClosed(Exception):
    """Standard output was a pipe whose reader left (``beritatui list | head -1``).

    Raised instead of the ``BrokenPipeError`` so that it passes click's own handling (which prints
    nothing but exits 1) and reaches :func:`main`, which ends quietly with :data:`EXIT_PIPE`.
    """


# What a tool that writes to a closed pipe ends with: 128 + SIGPIPE, as the shell reports ``yes | head -1``.
EXIT_PIPE = 141


class RootGroup(TGroup):
    """The ``beritatui`` group itself: a closed output pipe in any command becomes :class:`OutputClosed`."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            raise OutputClosed from exc


def _early_language(argv: list[str]) -> None:
    """Pick the language before click builds help text, from ``--lang`` if given."""
    lang = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    set_language(resolve_language(lang, configmod.load_config().language))


@click.group(
    cls=RootGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_("beritatui: write, tag, review and publish articles; export JSON Feeds.\n\n"
            "Without a command, opens the editor's terminal on the configured database."),
)
@option("--db", "db", metavar="PATH|URL", help=N_("Database file or URL (default: BERITATUI_DB, config, user data dir)."),
        shell_complete=complete_files)
@option("--lang", "lang", metavar="LANG", help=N_("Language: en or id."))
@option("--debug", is_flag=True, help=N_("Show tracebacks."))
@click.version_option(__version__, prog_name="beritatui")
@click.pass_context
def cli(ctx: click.Context, db: str | None, lang: str | None, debug: bool) -> None:
    state = State(db, lang, debug)
    ctx.obj = state
    state.config = configmod.load_config()  # never refuses: a broken file is the defaults and one warning
    set_language(resolve_language(lang, state.config.language))
    if state.config.warning and ctx.invoked_subcommand not in (None, "config"):
        click.echo(_("Warning: {message}").format(message=state.config.warning), err=True)  # the TUI notifies
    if ctx.invoked_subcommand is None:
        if not has_terminal():  # a cron line or script that forgot its command: never a screen nobody sees
            fail(_("beritatui needs a terminal to open the editor's app; give a command (see beritatui --help)"), 2)
        from beritatui.tui.launch import run_tui

        handle_errors(run_tui)(state)


for _domain in (articles, edit, workflow, corrections, tags, notes, history, audit, people, units, site,
                maintenance, feeds, reports):
    for _command in _domain.COMMANDS:
        cli.add_command(_command)


def _stdout_to_devnull() -> None:
    """Point the closed stdout at /dev/null, so the flush at exit has somewhere to go (Python's advice for
    SIGPIPE: https://docs.python.org/3/library/signal.html#note-on-sigpipe)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # no real stdout (already gone or replaced)
        pass
    finally:
        os.close(devnull)


def main() -> None:
    """The ``beritatui`` console script.  Output cut short by its reader (``| head``) ends quietly, exit 141."""
    _early_language(sys.argv[1:])
    try:
        try:
            cli(prog_name="beritatui")
        finally:
            if sys.stdout is not None:
                sys.stdout.flush()  # here, where a closed pipe can be caught, not at interpreter exit
    except (BrokenPipeError, OutputClosed):
        _stdout_to_devnull()
        sys.exit(EXIT_PIPE)
