"""What every command module builds on: translated click classes, the shared :class:`State`, the error line.

Errors from the core print one line to stderr and exit 1; usage errors exit 2; ``--debug`` shows the
traceback instead.  What a person reads for an error is decided by :func:`beritatui.core.errorlines.describe`
(the terminal app asks the same function).

Kept apart from the package's ``__init__`` (the root group) so that the command modules import this
and the root imports them, with no import going round in a circle.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from beritatui.core import config as configmod
from beritatui.core.charcheck import shown
from beritatui.core.database import close_database, open_database
from beritatui.core.errorlines import describe
from beritatui.core.errors import BeritaError
from beritatui.core.session import Session, open_session
from beritatui.core.tags import split_tags
from beritatui.i18n import _

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
# A command or group of its own; the root group (``beritatui.cli``) adds each module's ``COMMANDS``.
command = functools.partial(click.command, cls=TCommand)
group = functools.partial(click.group, cls=TGroup)


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

    @property
    def init_hint(self) -> str:
        """The command that creates the database this command would use (named when it is missing)."""
        import shlex

        if self.db_option:
            return f"beritatui --db {shlex.quote(self.db_option)} init"
        if self.spec == str(configmod.default_database_path()):
            return _("beritatui init (or try a sample newsroom first: beritatui demo)")
        return "beritatui init"

    def session(self, *, create: bool = False) -> Session:
        """Open the database as the OS login (once per command); only ``init`` and ``demo`` create one."""
        if self._session is None:
            self._session = open_session(self.spec, self.config, create=create, init_hint=self.init_hint)
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
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit, KeyboardInterrupt,
                BrokenPipeError):  # the reader of stdout left (``| head``): main() ends quietly
            raise
        except Exception as exc:  # noqa: BLE001 - last resort: never a traceback for a user
            if state and state.debug:
                raise
            message = describe(exc, state.spec if state else "")
            if message is None:
                fail(_("Unexpected error: {message} (run with --debug for details)").format(
                    message=shown(str(exc), 200)))
            fail(_("Error: {message}").format(message=message), exc.exit_code if isinstance(exc, BeritaError) else 1)

    return wrapper  # type: ignore[return-value]


# --- the command's database ------------------------------------------------------


def current_state() -> State:
    return click.get_current_context().find_object(State)


def command_session(*, create: bool = False) -> Session:
    """The session of this command, as the OS login, closed again when the command ends (a missing database is
    refused)."""
    session = current_state().session(create=create)
    click.get_current_context().call_on_close(close_database)
    return session


def open_database_only() -> None:
    """For jobs that act for nobody in particular (cron's publish-due, check): no login needed."""
    open_database(current_state().spec, create=False, init_hint=current_state().init_hint)
    click.get_current_context().call_on_close(close_database)


# --- arguments several commands share --------------------------------------------


def split_tag_options(values: tuple[str, ...]) -> list[str]:
    """``--tag "Humas, Inovasi" --tag Kesehatan`` -> three tags (a tag name cannot hold a comma)."""
    return [name for value in values for name in split_tags(value)]
