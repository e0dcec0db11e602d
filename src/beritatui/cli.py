"""The ``beritatui`` command line: parse, call the core, print.  No rules live here.

Errors from the core print one line to stderr and exit 1; usage errors exit 2;
``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from beritatui import __version__
from beritatui.core import config as configmod
from beritatui.core.errors import BeritaError
from beritatui.core.session import Session, open_session
from beritatui.i18n import N_, _, resolve_language, set_language

F = TypeVar("F", bound=Callable[..., Any])


class _Translated:
    """Help texts are written in English and translated when shown (the language is chosen at run time)."""

    def _swap(self, names: tuple[str, ...], call: Callable[[], Any]) -> Any:
        originals = {name: getattr(self, name) for name in names}
        for name, value in originals.items():
            if isinstance(value, str) and value:
                setattr(self, name, _(value))
        try:
            return call()
        finally:
            for name, value in originals.items():
                setattr(self, name, value)


class TOption(_Translated, click.Option):
    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        return self._swap(("help",), lambda: click.Option.get_help_record(self, ctx))


class TCommand(_Translated, click.Command):
    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._swap(("help",), lambda: click.Command.format_help_text(self, ctx, formatter))

    def get_short_help_str(self, limit: int = 45) -> str:
        return self._swap(("help", "short_help"), lambda: click.Command.get_short_help_str(self, limit))


class TGroup(_Translated, click.Group):
    command_class = TCommand

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._swap(("help",), lambda: click.Group.format_help_text(self, ctx, formatter))

    def get_short_help_str(self, limit: int = 45) -> str:
        return self._swap(("help", "short_help"), lambda: click.Group.get_short_help_str(self, limit))


TGroup.group_class = TGroup
option = functools.partial(click.option, cls=TOption)


class State:
    """What the top-level options decided, shared by every command."""

    def __init__(self, db: str | None, lang: str | None, debug: bool):
        self.db_option = db
        self.lang_option = lang
        self.debug = debug
        self.config = configmod.Config()
        self._session: Session | None = None

    @property
    def spec(self) -> str:
        return configmod.resolve_database(self.db_option, self.config)

    def session(self, *, create: bool = True) -> Session:
        """Open the database as the OS login (once per command)."""
        if self._session is None:
            self._session = open_session(self.spec, self.config, create=create)
        return self._session


def fail(message: str, code: int = 1) -> None:
    click.echo(message, err=True)
    sys.exit(code)


def handle_errors(func: F) -> F:
    """Turn core errors into one line on stderr (exit 1); ``--debug`` re-raises."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        state = click.get_current_context().find_object(State)
        try:
            return func(*args, **kwargs)
        except BeritaError as exc:
            if state and state.debug:
                raise
            fail(_("Error: {message}").format(message=exc), exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - last resort: never a traceback for a user
            if state and state.debug:
                raise
            import peewee

            from beritatui.core.database import describe_db_error

            if isinstance(exc, peewee.PeeweeException):
                fail(_("Error: {message}").format(message=describe_db_error(exc, state.spec if state else "")))
            fail(_("Unexpected error: {message} (run with --debug for details)").format(message=exc))

    return wrapper  # type: ignore[return-value]


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str))


def _early_language(argv: list[str]) -> None:
    """Pick the language before click builds help text, from ``--lang`` if given."""
    lang = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    try:
        config_language = configmod.load_config().language
    except BeritaError:
        config_language = None
    set_language(resolve_language(lang, config_language))


@click.group(cls=TGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@option("--db", "db", metavar="PATH|URL", help=N_("Database file or URL (default: BERITATUI_DB, config, user data dir)."))
@option("--lang", "lang", metavar="LANG", help=N_("Language: en or id."))
@option("--debug", is_flag=True, help=N_("Show tracebacks."))
@click.version_option(__version__, prog_name="beritatui")
@click.pass_context
def cli(ctx: click.Context, db: str | None, lang: str | None, debug: bool) -> None:
    """beritatui: write, tag, review and publish articles; export JSON Feeds.

    Without a command, opens the editor's terminal on the configured database.
    """
    state = State(db, lang, debug)
    ctx.obj = state
    try:
        state.config = configmod.load_config()
    except BeritaError as exc:
        fail(_("Error: {message}").format(message=exc))
    set_language(resolve_language(lang, state.config.language))
    if ctx.invoked_subcommand is None:
        from beritatui.tui.launch import run_tui

        handle_errors(run_tui)(state)


# ---------------------------------------------------------------------------
# Commands are added below (articles, workflow, tags, users, site, maintenance).
# ---------------------------------------------------------------------------


def main() -> None:
    _early_language(sys.argv[1:])
    cli(prog_name="beritatui")
