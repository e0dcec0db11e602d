"""The ``beritatui`` command line: parse, call the core, print.  No rules live here.

Errors from the core print one line to stderr and exit 1; usage errors exit 2;
``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import click
import platformdirs

# Only what opening the terminal app needs anyway is imported here; commands import the rest (demo, bulk,
# maintenance, revisions, timeparse, ...) when they run, so ``beritatui`` starts as fast as it can.
from beritatui import __version__
from beritatui.core import articles, listing, notes, site, tags, transitions, users, workflow
from beritatui.core import config as configmod
from beritatui.core.charcheck import shown
from beritatui.core.database import close_database, open_database, sqlite_path
from beritatui.core.errors import BeritaError, Conflict, PermissionDenied, ValidationError
from beritatui.core.models import ROLES, STATUSES, Article
from beritatui.core.session import Session, open_session
from beritatui.core.site import get_settings
from beritatui.core.tags import split_tags
from beritatui.i18n import N_, _, format_datetime, ngettext, resolve_language, set_language

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
        except BeritaError as exc:
            if state and state.debug:
                raise
            fail(_("Error: {message}").format(message=exc), exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit, KeyboardInterrupt,
                BrokenPipeError):  # the reader of stdout left (``| head``): main() ends quietly
            raise
        except OSError as exc:
            if state and state.debug:
                raise
            fail(_("Error: {message}").format(message=_os_error_line(exc)))
        except Exception as exc:  # noqa: BLE001 - last resort: never a traceback for a user
            if state and state.debug:
                raise
            import peewee

            from beritatui.core.database import describe_db_error

            if isinstance(exc, peewee.PeeweeException):
                fail(_("Error: {message}").format(message=describe_db_error(exc, state.spec if state else "")))
            fail(_("Unexpected error: {message} (run with --debug for details)").format(message=shown(str(exc), 200)))

    return wrapper  # type: ignore[return-value]


def _os_error_line(exc: OSError) -> str:
    """A file-system error as one line: the disk is full, a path too long, or the system's reason, with the
    path cut short (a path of 5000 characters is not echoed back whole)."""
    import errno

    path = shown(str(exc.filename), 200) if exc.filename is not None else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("The disk is full: {path}").format(path=path) if path else _("The disk is full")
    if exc.errno == errno.ENAMETOOLONG:
        return _("The path is too long ({n} characters): {path}").format(n=len(str(exc.filename or "")),
                                                                          path=path)
    reason = exc.strerror or str(exc)
    return f"{reason}: {path}" if path else reason


def print_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str))


def _early_language(argv: list[str]) -> None:
    """Pick the language before click builds help text, from ``--lang`` if given."""
    lang = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    set_language(resolve_language(lang, configmod.load_config().language))


# --- shell completion (click's own: _BERITATUI_COMPLETE=bash_source beritatui) ---------------


def _completion_database(ctx: click.Context) -> str:
    """The database a completion reads: ``--db`` as typed so far on the line, else as every command finds it."""
    return configmod.resolve_database(ctx.find_root().params.get("db"), configmod.load_config())


def _completer(kind: str) -> Callable[[click.Context, click.Parameter, str], list[Any]]:
    """A ``shell_complete`` callback answering from ``core.completion`` (read-only; nothing on any problem)."""

    def complete(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        from beritatui.core import completion

        try:
            if kind == "setting":
                values = completion.setting_keys(incomplete)
            else:
                ask = {"slug": completion.article_slugs, "tag": completion.tag_names, "login": completion.logins}
                values = ask[kind](_completion_database(ctx), incomplete)
        except Exception:  # noqa: BLE001 - a broken config file, anything: a completion answers nothing
            return []
        return [CompletionItem(value) for value in values]

    return complete


def _complete_files(_ctx: click.Context, _param: click.Parameter, _incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem

    return [CompletionItem("", type="file")]  # the shell completes file names itself


complete_slugs = _completer("slug")
complete_tags = _completer("tag")
complete_logins = _completer("login")
complete_settings = _completer("setting")


@click.group(
    cls=RootGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_("beritatui: write, tag, review and publish articles; export JSON Feeds.\n\n"
            "Without a command, opens the editor's terminal on the configured database."),
)
@option("--db", "db", metavar="PATH|URL", help=N_("Database file or URL (default: BERITATUI_DB, config, user data dir)."),
        shell_complete=_complete_files)
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
        if not _has_terminal():  # a cron line or script that forgot its command: never a screen nobody sees
            fail(_("beritatui needs a terminal to open the editor's app; give a command (see beritatui --help)"), 2)
        from beritatui.tui.launch import run_tui

        handle_errors(run_tui)(state)


# ---------------------------------------------------------------------------
# Commands are added below (articles, workflow, tags, users, site, maintenance).
# ---------------------------------------------------------------------------


def _state() -> State:
    return click.get_current_context().find_object(State)


def _open(*, create: bool = False) -> Session:
    """The session of this command, closed again when the command ends (a missing database is refused)."""
    session = _state().session(create=create)
    click.get_current_context().call_on_close(close_database)
    return session


def _open_database_only() -> None:
    """For jobs that act for nobody in particular (cron's publish-due, check): no login needed."""
    open_database(_state().spec, create=False, init_hint=_state().init_hint)
    click.get_current_context().call_on_close(close_database)


def _zone() -> str:
    return get_settings().timezone


def _when(moment: datetime | None, fmt: str = "yyyy-MM-dd HH:mm") -> str:
    """A stored UTC time as the site's clock shows it."""
    return format_datetime(moment, _zone(), fmt) if moment else "—"


def _iso(moment: datetime | None) -> str | None:
    from beritatui.core.timeparse import rfc3339

    return rfc3339(moment, _zone()) if moment else None


def _times_as_site_iso(data: dict[str, Any]) -> dict[str, Any]:
    return {key: _iso(value) if isinstance(value, datetime) else value for key, value in data.items()}


def _fit(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def _table_lines(headers: list[str], rows: list[list[str]], *, stretch: int | None = None) -> list[str]:
    """Columns padded to their widest cell; column ``stretch`` is cut to fit the terminal."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    if stretch is not None:
        room = shutil.get_terminal_size((100, 24)).columns - sum(w + 2 for i, w in enumerate(widths) if i != stretch)
        widths[stretch] = max(len(headers[stretch]), min(widths[stretch], max(20, room)))
    return ["  ".join(_fit(cell, widths[i]).ljust(widths[i]) for i, cell in enumerate(cells)).rstrip()
            for cells in [headers, *rows]]


def _table(headers: list[str], rows: list[list[str]], *, stretch: int | None = None) -> None:
    for line in _table_lines(headers, rows, stretch=stretch):
        click.echo(line)


def _field_lines(pairs: list[tuple[str, str]]) -> list[str]:
    """``Label:  value`` lines with the values aligned (labels are translated first)."""
    width = max(len(label) for label, _value in pairs) + 1
    return [f"{(label + ':').ljust(width)}  {value}" for label, value in pairs]


def _fields(pairs: list[tuple[str, str]]) -> None:
    for line in _field_lines(pairs):
        click.echo(line)


# --- output: colour, pager, terminal -------------------------------------------


def _is_terminal(stream: Any) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # a closed stream
        return False


def _has_terminal() -> bool:
    """A person at a terminal: keys come in on stdin and the screen goes out on stdout."""
    return _is_terminal(sys.stdin) and _is_terminal(sys.stdout)


def _colour_wanted() -> bool:
    """Colour unless ``NO_COLOR`` is set to anything but the empty string (https://no-color.org)."""
    return not os.environ.get("NO_COLOR")


def _styled(text: str, **style: Any) -> str:
    """``click.style`` unless ``NO_COLOR`` asks for none (click removes styles itself when not on a terminal)."""
    return click.style(text, **style) if style and _colour_wanted() else text


# A pager that is no pager: print straight to the terminal (git reads an empty PAGER the same way).
_NO_PAGER = {"", "cat"}


def _paged(lines: list[str]) -> None:
    """Long output (``show``, ``diff``, ``history``) through ``$PAGER`` on a terminal, as git does.

    Only when stdout (and stdin, which the pager reads keys from) is a terminal: piped or
    redirected output is printed as it is and no pager ever starts.  ``PAGER=cat`` or an empty
    ``PAGER`` prints straight away; without ``PAGER``, ``less`` (else ``more``, else nothing).
    ``LESS`` defaults to ``-FRX`` as in git: a text that fits on the screen is printed and ``less``
    quits by itself, colours pass, and the screen is not cleared afterwards.
    """
    pager = os.environ.get("PAGER")
    if not _has_terminal() or (pager is not None and pager.strip() in _NO_PAGER):
        for line in lines:
            click.echo(line)
        return
    os.environ.setdefault("LESS", "-FRX")
    os.environ.setdefault("LV", "-c")
    click.echo_via_pager(line + "\n" for line in lines)


def _read_text_file(path: str) -> str:
    """A UTF-8 file, or stdin for ``-``; a clear error otherwise."""
    try:
        if path == "-":
            return _stdin_text()
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ValidationError(_("Cannot read {path}: {reason}").format(path=shown(path, 200), reason=reason)) \
            from exc


def _stdin_text() -> str:
    """Standard input as UTF-8, whatever the locale says."""
    if sys.stdin is None:
        return ""
    raw = getattr(sys.stdin, "buffer", None)
    return raw.read().decode("utf-8") if raw is not None else sys.stdin.read()


def _split_all(values: tuple[str, ...]) -> list[str]:
    """``--tag "Humas, Inovasi" --tag Kesehatan`` -> three tags (a tag name cannot hold a comma)."""
    return [name for value in values for name in split_tags(value)]


def _article_data(article: Article) -> dict[str, Any]:
    """Everything ``show --json`` prints: the snapshot plus reactions, notes and the public address."""
    data = _times_as_site_iso(articles.snapshot(article))
    article_notes = notes.list_notes(article.id)
    data.update(
        byline=", ".join(articles.format_byline(n, u) for n, u in articles.article_bylines(article.id)),
        reactions=articles.reactions_of(article.id),
        notes=len(article_notes),
        open_notes=sum(1 for note in article_notes if not note.resolved),
        url=get_settings().article_url(article.slug, article.uuid),
        timezone=_zone(),
    )
    return data


# --- setting up --------------------------------------------------------------


@cli.command("init", help=N_("Create the database and make you (the OS login) its admin."))
@option("--name", help=N_("Your name as shown to colleagues (default: from the system)."))
@option("--unit", default="", help=N_("Your unit, e.g. Lapas Watampone."))
@handle_errors
def init_command(name: str | None, unit: str) -> None:
    spec = _state().spec
    open_database(spec, create=True)
    click.get_current_context().call_on_close(close_database)
    if users.has_users():
        raise ValidationError(
            _("{spec} already has users; nothing was changed. An admin adds people with: beritatui user add LOGIN")
            .format(spec=spec))
    admin = users.make_admin(users.current_login(), name, unit)
    click.echo(_("Created {spec}; {login} is its admin.").format(spec=spec, login=admin.login))
    from beritatui.core.database import is_sqlite

    if is_sqlite():
        from beritatui.core.maintenance import trust_model

        click.echo(trust_model())


def demo_path() -> Path:
    """The demo newsroom lives apart from the real database."""
    return platformdirs.user_data_path(configmod.APP_NAME) / "demo.db"


def _remove_database_files(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if candidate.exists():
            candidate.unlink()


@cli.command("demo", help=N_("Open a sample newsroom (articles in every status) to try beritatui safely."))
@option("--db", "demo_db", metavar="PATH", help=N_("Where the demo database lives (default: demo.db in the user data dir)."))
@option("--no-open", is_flag=True, help=N_("Only create the demo database; do not open the terminal app."))
@option("--reset", is_flag=True, help=N_("Throw away the demo database and build it again."))
@handle_errors
def demo_command(demo_db: str | None, no_open: bool, reset: bool) -> None:
    import shlex

    from beritatui.core import demo

    state = _state()
    if not no_open and not _has_terminal():
        fail(_("beritatui needs a terminal to open the demo in the editor's app; give --no-open to only build it"), 2)
    path = Path(demo_db or state.db_option or demo_path()).expanduser()
    main_db = sqlite_path(configmod.resolve_database(None, state.config))
    if reset and main_db is not None and path.resolve() == main_db.resolve():
        raise ValidationError(_("{path} is your main database; --reset only works on a demo database").format(
            path=path))
    if reset and path.exists() and not demo.is_demo_file(path):
        raise ValidationError(_("{path} is not a demo database; --reset only works on a demo database").format(
            path=path))
    if reset:
        _remove_database_files(path)
    fresh = not path.exists()
    open_database(str(path), create=True)
    try:
        login = users.current_login()
        if fresh:
            built = demo.build_demo(users.make_admin(login))
            click.echo(_("Built the demo newsroom in {path}: {n} articles, {people} colleagues.").format(
                path=path, n=len(built.articles), people=len(built.people) - 1))
        elif login not in {u.login for u in users.list_users(include_inactive=False)}:
            demo.join_demo(login)
    finally:
        close_database()
    state.db_option = str(path)
    if no_open:
        click.echo(_("Open it with: beritatui --db {path}").format(path=shlex.quote(str(path))))
        return
    try:
        from beritatui.tui.launch import run_tui

        run_tui(state)
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("beritatui.tui"):
            raise
        click.echo(_("The terminal app is not available in this installation. Use the demo from the command line, "
                     "for example: beritatui --db {path} list").format(path=shlex.quote(str(path))))


@cli.group("config", help=N_("Show which config file is used, or check it for mistakes."))
def config_group() -> None:
    """Commands on the person's config file."""


_CONFIG_SOURCES = {"BERITATUI_CONFIG": N_("named by BERITATUI_CONFIG"), "user": N_("your own config file"),
                   "system": N_("the system-wide config file")}


@config_group.command("path", help=N_("Show the config file that is read, and the one the app writes to."))
def config_path_command() -> None:
    read = configmod.config_path()
    written = configmod.writable_config_path()
    if read is None:
        shown = _("none: the defaults are used (looked for {user} and {system})").format(
            user=configmod.user_config_path(), system=configmod.SYSTEM_CONFIG)
    else:
        shown = f"{read} ({_(_CONFIG_SOURCES[configmod.config_source()])})"
        if not read.exists():
            shown += " — " + _("it does not exist yet: the defaults are used")
    _fields([
        (_("Read"), shown),
        (_("Written"), f"{written} ({_('the theme and language chosen in the app are remembered here')})"),
    ])


@config_group.command("check", help=N_("Check the config file (or FILE): TOML, known keys, values, keymap. "
                                       "Exit 1 on problems."))
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
def config_check_command(file: Path | None) -> None:
    path = file.expanduser() if file is not None else configmod.config_path()
    if path is None or (file is None and not path.exists()):
        click.echo(_("No config file; the defaults are used."))
        return
    if not path.exists():
        fail(_("Error: No file {path}").format(path=path))
    config = configmod.load_config({"BERITATUI_CONFIG": str(path)})
    problems = list(config.problems)
    if not config.broken:
        problems += configmod.value_advice(config) + _keymap_problems(config.keymap)
        themes = _known_themes()
        if config.theme and themes is not None and config.theme not in themes:
            problems.append(_("theme {theme!r} is not one of: {known}").format(
                theme=config.theme, known=", ".join(sorted(themes))))
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        fail(ngettext("{n} problem in {path}", "{n} problems in {path}", len(problems)).format(
            n=len(problems), path=path))
    click.echo(_("OK: {path}").format(path=path))


def _keymap_problems(keymap: dict[str, str]) -> list[str]:
    """Entries the app would refuse (alt, meta, ctrl+shift) or could not apply (no such binding id)."""
    _usable, refused = configmod.check_keymap(keymap)
    problems = [_("keymap {binding!r} = {keys!r} is refused: alt, meta and ctrl+shift keys do not survive SSH")
                .format(binding=binding_id, keys=keymap[binding_id]) for binding_id in refused]
    known = _known_binding_ids()
    if known is not None:
        problems += [_("keymap {binding!r}: no such binding id (press ? in the app to see them)").format(
            binding=binding_id) for binding_id in keymap if binding_id not in known and binding_id not in refused]
    return problems


def _known_binding_ids() -> set[str] | None:
    """Every binding id of the terminal app (``None`` when it is not installed)."""
    import importlib
    import inspect
    import pkgutil

    try:
        from textual.binding import Binding

        import beritatui.tui as tui
    except ImportError:
        return None
    ids: set[str] = set()
    for info in pkgutil.walk_packages(tui.__path__, "beritatui.tui."):
        try:
            module = importlib.import_module(info.name)
        except Exception:  # noqa: BLE001, S112 - a module that cannot load offers no bindings
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            ids.update(b.id for b in getattr(cls, "BINDINGS", None) or [] if isinstance(b, Binding) and b.id)
    return ids


def _known_themes() -> set[str] | None:
    try:
        from textual.theme import BUILTIN_THEMES
    except ImportError:
        return None
    return set(BUILTIN_THEMES)


# --- articles ----------------------------------------------------------------


@cli.command("new", help=N_("Create a draft. The Markdown body comes from --body-file or from stdin."))
@option("--title", required=True, help=N_("The headline."))
@option("--summary", help=N_("A sentence or two shown in lists and feeds."))
@option("--tag", "tag_names", multiple=True, metavar="TAG", shell_complete=complete_tags,
        help=N_("A tag (repeat, or separate with commas; the first is the primary tag)."))
@option("--byline", "bylines", multiple=True, metavar='"NAME (UNIT)"',
        help=N_("A byline (repeatable; default: your name and unit)."))
@option("--body-file", metavar="PATH", help=N_("Read the body from this UTF-8 file ('-' for stdin)."))
@option("--slug", help=N_("The web address part (default: made from the title)."))
@option("--json", "as_json", is_flag=True, help=N_("Print the new article as JSON."))
@handle_errors
def new_command(title: str, summary: str | None, tag_names: tuple[str, ...], bylines: tuple[str, ...],
                body_file: str | None, slug: str | None, as_json: bool) -> None:
    session = _open()
    if body_file is not None:
        body = _read_text_file(body_file)
    else:
        body = "" if sys.stdin is None or sys.stdin.isatty() else _read_text_file("-")
    draft = articles.ArticleDraft(title=title, summary=summary, body=body, tags=_split_all(tag_names),
                                  bylines=[articles.parse_byline(b) for b in bylines] or None, slug=slug)
    article = articles.create_article(session.actor, draft)
    if as_json:
        print_json(_article_data(article))
    else:
        click.echo(_("Created draft {slug}: {title}").format(slug=article.slug, title=article.title))


def _editor_command(config: configmod.Config) -> str:
    """config ``editor`` > $VISUAL > $EDITOR > vi, as ``git commit`` does."""
    return config.editor or os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"


class _Stopped(Exception):
    """This ``beritatui edit`` got a hang-up or a termination while ``$EDITOR`` ran."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


EDITOR_GRACE_SECONDS = 3.0  # after a hang-up, how long the editor may take to write its last words and exit


class _EditorRun:
    """``$EDITOR`` on the scratch file, with the signals a dropped SSH connection brings.

    While the editor runs, SIGHUP and SIGTERM end the wait (:class:`_Stopped`; the
    text is then kept, see :func:`_keep_after_stop`), and Ctrl-C and Ctrl-\\ belong
    to the editor, as with ``git commit`` (beritatui would otherwise end the editor
    and its unsaved buffer with it).  The handlers are Python's, so the editor
    itself starts with the default ones.
    """

    SIGNALS = ("SIGHUP", "SIGTERM")

    def __init__(self) -> None:
        self.proc: Any = None
        self.pending: int | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _EditorRun:
        import signal

        for name in self.SIGNALS:
            self._previous[getattr(signal, name)] = signal.signal(getattr(signal, name), self._stop)
        for name in ("SIGINT", "SIGQUIT"):
            self._previous[getattr(signal, name)] = signal.signal(getattr(signal, name), _ignore_signal)
        return self

    def __exit__(self, *exc: object) -> None:
        import signal

        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _stop(self, signum: int, _frame: object) -> None:
        import signal

        for name in self.SIGNALS:  # one is enough: the rest of a hang-up must not interrupt keeping the text
            signal.signal(getattr(signal, name), signal.SIG_IGN)
        if self.proc is None:
            self.pending = signum
            return
        raise _Stopped(signum)

    def run(self, command: str, path: Path) -> int:
        """The editor's exit status (negative: the signal that ended it)."""
        import shlex
        import subprocess

        try:
            argv = [*shlex.split(command), str(path)]
            self.proc = subprocess.Popen(argv)
        except (OSError, ValueError) as exc:
            raise ValidationError(_("Cannot run the editor {editor!r}: {reason}").format(
                editor=command, reason=exc)) from exc
        if self.pending is not None:
            raise _Stopped(self.pending)
        return self.proc.wait()

    def stop_editor(self, signum: int) -> bool:
        """Pass the signal on and give the editor a moment to save and exit; whether it has exited."""
        import subprocess

        if self.proc is None:
            return True
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signum)
                self.proc.wait(timeout=EDITOR_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                return False
            except OSError:
                pass
        return True


def _ignore_signal(_signum: int, _frame: object) -> None:
    """Ctrl-C while the editor runs is the editor's (a Python handler: the editor starts with the default)."""


def _say(message: str) -> None:
    """A line on stderr that may find no terminal any more (after a hang-up): never an error of its own."""
    try:
        click.echo(message, err=True)
    except (OSError, ValueError):
        pass


@dataclass
class _Waiting:
    """Unsaved text of this article and login, found when ``edit`` starts."""

    content: dict[str, Any]
    base_version: int
    saved_at: datetime
    slug_edited: bool
    slot: bool = False
    leftover: Any = None  # a core.unsaved.Leftover


def _waiting_texts(article: Article, login: str, current: dict[str, Any]) -> list[_Waiting]:
    """The autosave slot and the scratch files left by a killed ``edit``, newest first (duplicates once)."""
    from beritatui.core import autosave, unsaved

    found: list[_Waiting] = []
    slot = autosave.load(autosave.slot_for(article.uuid), login)
    if slot is not None:
        content = unsaved.content_fields(slot.payload)
        if content != current:
            found.append(_Waiting(content, slot.base_version or article.version, slot.saved_at,
                                  bool(slot.payload.get("slug_edited", article.slug_locked)), slot=True))
    for leftover in unsaved.leftovers(article.uuid):
        body = leftover.text.rstrip("\n")
        if body == current["body"] or any(w.content["body"] == body for w in found):
            leftover.remove()  # nothing in it that is not kept elsewhere already
            continue
        found.append(_Waiting({**current, "body": body}, leftover.base_version, leftover.saved_at,
                              article.slug_locked, leftover=leftover))
    return sorted(found, key=lambda waiting: waiting.saved_at, reverse=True)


def _let_go(waiting: _Waiting, article: Article, login: str, current: dict[str, Any]) -> None:
    """Unsaved text the person did not take: kept in a rescue file, then its slot or scratch file goes."""
    from beritatui.core import autosave, unsaved

    if waiting.slot:
        from beritatui.core.revisions import as_text

        only_body = all(waiting.content[k] == current[k] for k in current if k != "body")
        kept = unsaved.rescue(waiting.content["body"] if only_body else as_text(waiting.content), article.slug)
        autosave.discard(autosave.slot_for(article.uuid), login)
    else:
        kept = unsaved.rescue(waiting.leftover.text, article.slug)
        waiting.leftover.remove()
    click.echo(_("That text is kept in {path}").format(path=kept), err=True)


def _choose_start(article: Article, login: str, current: dict[str, Any]) -> _Waiting | None:
    """Offer each waiting text, newest first; the one taken (or ``None``), the others kept in rescue files."""
    chosen: _Waiting | None = None
    for candidate in _waiting_texts(article, login, current):
        if chosen is None:
            question = _("Unsaved text from {time} is waiting: use it?").format(time=_when(candidate.saved_at))
            try:
                take = click.confirm(question, default=True)
            except click.exceptions.Abort:
                fail(_("Nothing was changed; the unsaved text is still waiting."))
            if take:
                chosen = candidate
                continue
        _let_go(candidate, article, login, current)
    if chosen is not None and chosen.base_version != article.version:
        click.echo(_("That text was started from version {base}; the article is now at version {now}, so saving it "
                     "will be refused as a conflict and your text kept in a file.").format(
                         base=chosen.base_version, now=article.version), err=True)
    return chosen


def _keep_after_stop(run: _EditorRun, stopped: _Stopped, scratch: Any, article: Article, login: str,
                     base: dict[str, Any]) -> None:
    """A hang-up or termination while the editor ran: the text goes to the autosave slot, then exit 128+N."""
    from beritatui.core import unsaved

    editor_gone = run.stop_editor(stopped.signum)
    if not scratch.changed():
        if editor_gone:
            scratch.remove()
        sys.exit(128 + stopped.signum)
    try:
        unsaved.keep_in_autosave(article, login, base, scratch.read(), scratch.base_version)
    except Exception:  # noqa: BLE001 - the scratch file stays, durable, and the next edit offers it
        scratch.release()
        _say(_("Stopped; your text is kept in {path}, and beritatui edit {slug} offers it back.").format(
            path=scratch.path, slug=article.slug))
    else:
        if editor_gone:
            scratch.remove()
        else:
            scratch.release()  # the editor may still write: its file stays for the next edit too
        _say(_("Stopped; your text is kept, and beritatui edit {slug} offers it back.").format(slug=article.slug))
    finally:
        close_database()
    sys.exit(128 + stopped.signum)


@cli.command("edit", help=N_("Edit an article's body in your text editor, then save it as a new version."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@handle_errors
def edit_command(ref: str) -> None:
    from beritatui.core import autosave, unsaved

    session = _open()
    login = session.actor.login
    article = articles.get_article(ref)
    problem = workflow.edit_problem(session.actor, article)
    if problem:
        raise PermissionDenied(problem)
    current = unsaved.content_fields(articles.snapshot(article))
    chosen = _choose_start(article, login, current)
    base = chosen.content if chosen is not None else current
    base_version = chosen.base_version if chosen is not None else article.version
    slug_edited = chosen.slug_edited if chosen is not None else article.slug_locked
    scratch = unsaved.start_scratch(article, base["body"], base_version)
    if chosen is not None and chosen.leftover is not None:
        chosen.leftover.remove()  # its text is in the new scratch file now
    close_database()
    command = _editor_command(session.config)
    rescued = keep_scratch = False
    try:
        with _EditorRun() as run:
            try:
                code = run.run(command, scratch.path)
            except _Stopped as stopped:
                _keep_after_stop(run, stopped, scratch, article, login, base)
        if code < 0 and scratch.changed():  # the editor was killed (a hang-up of its own): keep, offer back
            unsaved.keep_in_autosave(article, login, base, scratch.read(), base_version)
            fail(_("The editor {editor!r} was stopped by a signal; your text is kept, and beritatui edit {slug} "
                   "offers it back.").format(editor=command, slug=article.slug))
        if code != 0:
            raise ValidationError(_("The editor {editor!r} exited with status {code}; nothing was saved").format(
                editor=command, code=code))
        text = scratch.read()
        content = {**base, "body": text.rstrip("\n")}
        if content == current:
            click.echo(_("No changes; nothing was saved."))
            if chosen is not None and chosen.slot:
                autosave.discard(autosave.slot_for(article.uuid), login)
            return
        try:
            saved = articles.save_article(session.actor, article.id, base_version,
                                          unsaved.draft_from(content, current, slug_edited))
        except Conflict as exc:
            rescued = True
            kept, keep_scratch = _rescue(text, article.slug, scratch)
            fail(_("Conflict, not saved: {message}.").format(message=exc) + "\n"
                 + _("Your text is kept in {path}; compare it with: beritatui show {slug}").format(
                     path=kept, slug=article.slug))
        if chosen is not None and chosen.slot:
            autosave.discard(autosave.slot_for(article.uuid), login)
        click.echo(_("Saved {title} (version {version}).").format(title=saved.title, version=saved.version))
    except (BeritaError, OSError, UnicodeDecodeError, KeyboardInterrupt) as exc:
        if not rescued and scratch.changed():
            kept, keep_scratch = _rescue(scratch.read(), article.slug, scratch)
            click.echo(_("Your text is kept in {path}").format(path=kept), err=True)
        if isinstance(exc, (BeritaError, KeyboardInterrupt)):
            raise
        raise ValidationError(str(exc)) from exc
    finally:
        if keep_scratch:
            scratch.release()  # no rescue file could be written: the scratch file itself is what is kept
        else:
            scratch.remove()


def _rescue(text: str, slug: str, scratch: Any) -> tuple[Path, bool]:
    """Keep text that could not be saved in ``unsaved/``; if even that fails, the scratch file stays (``True``)."""
    from beritatui.core import unsaved

    try:
        return unsaved.rescue(text, slug), False
    except OSError:
        return scratch.path, True


def _collect_rows(query: listing.ArticleQuery, limit: int) -> tuple[list[listing.ArticleRow], bool]:
    """Follow the keyset cursor until ``limit`` rows; also say whether more exist."""
    rows: list[listing.ArticleRow] = []
    while len(rows) < limit:
        query.limit = min(limit - len(rows), listing.MAX_PAGE)
        page = listing.list_articles(query)
        rows.extend(page.rows)
        if page.next_cursor is None:
            return rows, False
        query.after = page.next_cursor
    return rows, True


def _row_data(row: listing.ArticleRow) -> dict[str, Any]:
    data = _times_as_site_iso({
        "id": row.id, "uuid": row.uuid, "title": row.title, "slug": row.slug, "status": row.status,
        "version": row.version, "updated_at": row.updated_at, "published_at": row.published_at,
        "scheduled_at": row.scheduled_at, "created_at": row.created_at,
    })
    data.update(tags=row.tags, bylines=[list(b) for b in row.bylines], byline=row.byline, reactions=row.reactions)
    return data


@cli.command("list", help=N_("List articles, newest first (the trash only with --status trash)."))
@option("--status", type=click.Choice(STATUSES), help=N_("Only this status (default: all but the trash)."))
@option("--tag", shell_complete=complete_tags, help=N_("Only articles with this tag."))
@option("--author", help=N_("Only articles whose byline name contains this."))
@option("--unit", help=N_("Only articles whose byline unit contains this."))
@option("--search", "text", metavar="WORDS", help=N_("Full-text search: words, \"a phrase\", -excluded."))
@option("--sort", type=click.Choice(listing.SORTS), default="updated", show_default=True,
        help=N_("Order of the list."))
@option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help=N_("At most this many."))
@option("--json", "as_json", is_flag=True, help=N_("Print JSON instead of a table."))
@handle_errors
def list_command(status: str | None, tag: str | None, author: str | None, unit: str | None, text: str | None,
                 sort: str, limit: int, as_json: bool) -> None:
    _open()
    query = listing.ArticleQuery(status=status, tag=tag, author=author, unit=unit, text=text, sort=sort)
    rows, more = _collect_rows(query, limit)
    if as_json:
        print_json([_row_data(row) for row in rows])
        return
    if not rows:
        click.echo(_("No articles match."))
        return
    when = "published_at" if sort == "published" else "created_at" if sort == "created" else "updated_at"
    headers = [_("ID"), _("Status"), _("Published") if sort == "published" else _("Updated"), _("Tag"), _("Title")]
    if sort == "created":
        headers[2] = _("Created")
    table = [[str(r.id), workflow.status_label(r.status), _when(getattr(r, when)), r.primary_tag, r.title]
             for r in rows]
    _table(headers, table, stretch=4)
    count = ngettext("{n} article", "{n} articles", len(rows)).format(n=len(rows))
    click.echo(count + (" " + _("(more: raise --limit)") if more else ""))


@cli.command("show", help=N_("Show one article: content, status, tags, byline, reactions, notes and times."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@handle_errors
def show_command(ref: str, as_json: bool) -> None:
    _open()
    article = articles.get_article(ref)
    data = _article_data(article)
    if as_json:
        print_json(data)
        return
    tallies = " · ".join(f"{name} {count}" for name, count in data["reactions"].items() if count) or "—"
    lines = _field_lines([
        (_("Title"), article.title),
        (_("Slug"), article.slug),
        (_("Status"), workflow.status_label(article.status)),
        (_("Byline"), data["byline"] or "—"),
        (_("Tags"), ", ".join(data["tags"]) or "—"),
        (_("Summary"), article.summary or "—"),
        (_("Created"), f"{_when(article.created_at)} ({article.created_by.login})"),
        (_("Updated"), f"{_when(article.updated_at)} ({article.updated_by.login})"),
        (_("Published"), _when(article.published_at)),
        (_("Scheduled"), _when(article.scheduled_at)),
        (_("Version"), str(article.version)),
        (_("Reactions"), tallies),
        (_("Notes"), _("{n} ({open} open)").format(n=data["notes"], open=data["open_notes"])),
        (_("Address"), data["url"]),
        (_("Length"), articles.describe_reading(article.body_text)),
        (_("Time zone"), data["timezone"]),
    ])
    if article.body:
        lines += ["", article.body]
    _paged(lines)


# --- workflow ----------------------------------------------------------------


def _workflow_command(name: str, help_text: str, done: str, action: Callable[..., Article]) -> click.Command:
    """A command that moves one article through the workflow and says where it is now."""

    @cli.command(name, help=help_text)
    @click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
    @handle_errors
    def command(ref: str) -> None:
        session = _open()
        article = action(session.actor, ref)
        click.echo(_(done).format(title=article.title, status=workflow.status_label(article.status)))

    return command


_workflow_command("submit", N_("Submit a draft for review."), N_("Submitted for review: {title}"),
                  transitions.submit)
_workflow_command("unschedule", N_("Take a scheduled article back to draft."), N_("Unscheduled, now {status}: {title}"),
                  transitions.unschedule)
_workflow_command("unpublish", N_("Take a published article off the site (it is archived)."),
                  N_("Unpublished, now {status}: {title}"), transitions.unpublish)
_workflow_command("reopen", N_("Reopen an archived article as a draft."), N_("Reopened, now {status}: {title}"),
                  transitions.reopen)
_workflow_command("trash", N_("Move an article to the trash (it can be restored)."),
                  N_("Moved to the trash: {title}"), transitions.trash)
_workflow_command("restore", N_("Restore an article from the trash to the status it had."),
                  N_("Restored, now {status}: {title}"), transitions.restore)


@cli.command("request-changes", help=N_("Send an article in review back to its writer with a note."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@option("--note", required=True, help=N_("What should change (required)."))
@handle_errors
def request_changes_command(ref: str, note: str) -> None:
    session = _open()
    article = transitions.request_changes(session.actor, ref, note)
    click.echo(_("Sent back to draft with your note: {title}").format(title=article.title))


@cli.command("publish", help=N_("Publish an article in review now, or schedule it with --at."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@option("--at", "at", metavar="TIME", help=N_("Publish at this time instead (site time, e.g. \"2026-12-01 09:00\")."))
@handle_errors
def publish_command(ref: str, at: str | None) -> None:
    session = _open()
    if at is None:
        article = transitions.publish(session.actor, ref)
        click.echo(_("Published: {title}").format(title=article.title))
        return
    from beritatui.core import timeparse

    moment = timeparse.parse_time(at, _zone())
    article = transitions.schedule(session.actor, ref, moment)
    click.echo(_("Scheduled for {when} ({zone}): {title}").format(
        when=_when(article.scheduled_at), zone=_zone(), title=article.title))


@cli.command("publish-due", help=N_("Publish every scheduled article whose time has come (run it from cron)."))
@handle_errors
def publish_due_command() -> None:
    _open_database_only()
    published = transitions.publish_due()
    for article in published:
        click.echo(_("Published: {slug} ({title})").format(slug=article.slug, title=article.title))
    if not published and sys.stdout.isatty():
        click.echo(_("Nothing is due."))


# --- tags and notes ----------------------------------------------------------


@cli.command("tag", help=N_("Add or remove tags on one article."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@option("--add", "add", multiple=True, metavar="TAG", shell_complete=complete_tags, help=N_("A tag to add (repeatable)."))
@option("--remove", "remove", multiple=True, metavar="TAG", shell_complete=complete_tags, help=N_("A tag to remove (repeatable)."))
@handle_errors
def tag_command(ref: str, add: tuple[str, ...], remove: tuple[str, ...]) -> None:
    if not add and not remove:
        raise click.UsageError(_("Give --add TAG or --remove TAG"))
    session = _open()
    article = tags.tag_article(session.actor, ref, _split_all(add), _split_all(remove))
    names = [t.name for t in articles.article_tags(article.id)]
    click.echo(_("Tags of {title}: {tags}").format(title=article.title, tags=", ".join(names) or "—"))


@cli.group("tags", invoke_without_command=True, help=N_("List tags with their article counts; rename, merge or delete."))
@option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
@handle_errors
def tags_group(ctx: click.Context, as_json: bool) -> None:
    if ctx.invoked_subcommand is not None:
        return
    _open()
    found = tags.list_tags()
    if as_json:
        print_json([{"id": t.id, "name": t.name, "slug": t.slug, "count": t.count, "internal": t.internal}
                    for t in found])
        return
    if not found:
        click.echo(_("No tags yet."))
        return
    _table([_("Tag"), _("Slug"), _("Articles")], [[t.name, t.slug, str(t.count)] for t in found], stretch=0)


@tags_group.command("rename", help=N_("Rename a tag everywhere it is used."))
@click.argument("old", shell_complete=complete_tags)
@click.argument("new")
@handle_errors
def tags_rename_command(old: str, new: str) -> None:
    session = _open()
    tag = tags.rename_tag(session.actor, old, new)
    click.echo(_("Renamed {old} to {new}").format(old=old, new=tag.name))


@tags_group.command("merge", help=N_("Move every article from SOURCE to TARGET, then remove SOURCE."))
@click.argument("source", shell_complete=complete_tags)
@click.argument("target", shell_complete=complete_tags)
@handle_errors
def tags_merge_command(source: str, target: str) -> None:
    session = _open()
    tag = tags.merge_tags(session.actor, source, target)
    click.echo(_("Merged {source} into {target}").format(source=source, target=tag.name))


@tags_group.command("delete", help=N_("Delete a tag; its articles keep their other tags."))
@click.argument("name", shell_complete=complete_tags)
@option("--yes", "-y", is_flag=True, help=N_("Do not ask for confirmation."))
@handle_errors
def tags_delete_command(name: str, yes: bool) -> None:
    session = _open()
    tag = tags.find_tag(name)
    count = next((t.count for t in tags.list_tags(include_trash=True) if t.id == tag.id), 0)
    if not yes:
        question = ngettext("Delete the tag {name} from {n} article?", "Delete the tag {name} from {n} articles?",
                            count).format(name=tag.name, n=count)
        try:
            confirmed = click.confirm(question, default=False)
        except click.exceptions.Abort:
            confirmed = False
        if not confirmed:
            fail(_("Nothing was deleted."))
    tags.delete_tag(session.actor, tag.name)
    click.echo(_("Deleted the tag {name}").format(name=tag.name))


@cli.command("note", help=N_("Add an editorial note to an article (never published)."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@click.argument("text")
@handle_errors
def note_command(ref: str, text: str) -> None:
    session = _open()
    article = articles.get_article(ref)
    notes.add_note(session.actor, article.id, text)
    click.echo(_("Note added to {title}").format(title=article.title))


# --- history -----------------------------------------------------------------

REVISION_NUMBER = click.IntRange(min=1, max=2**31 - 1)
REVISION_REASONS = {"save": N_("save"), "submit": N_("submit"), "publish": N_("publish"),
                    "correction": N_("correction"), "restore": N_("restore")}


@cli.command("history", help=N_("List an article's revisions: number, when, who and why."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@handle_errors
def history_command(ref: str, as_json: bool) -> None:
    from beritatui.core import revisions

    _open()
    found = revisions.list_revisions(ref)
    if as_json:
        print_json([{"number": r.number, "created_at": _iso(r.created_at), "login": r.login, "reason": r.reason,
                     "version": r.article_version, "title": r.title} for r in found])
        return
    _paged(_table_lines(
        [_("No."), _("When"), _("Who"), _("Reason"), _("Title")],
        [[str(r.number), _when(r.created_at), r.login, _(REVISION_REASONS.get(r.reason, r.reason)), r.title]
         for r in found], stretch=4))


DIFF_STYLES = {"header": {"bold": True}, "hunk": {"fg": "cyan"}, "added": {"fg": "green"},
               "removed": {"fg": "red"}, "context": {}}


def _diff_style(line: str) -> str:
    from beritatui.core import revisions

    return _styled(line, **DIFF_STYLES[revisions.diff_line_kind(line)])


@cli.command("diff", help=N_("Show what changed from revision A to revision B (default: to the current text)."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@click.argument("a", type=REVISION_NUMBER)
@click.argument("b", type=REVISION_NUMBER, required=False)
@handle_errors
def diff_command(ref: str, a: int, b: int | None) -> None:
    from beritatui.core import revisions

    _open()
    lines = revisions.diff(ref, a, b)
    if not lines:
        click.echo(_("No differences."))
        return
    _paged([_diff_style(line) for line in lines])


@cli.command("revert", help=N_("Bring back an earlier revision as a new one (nothing is deleted)."))
@click.argument("ref", metavar="SLUG", shell_complete=complete_slugs)
@option("--to", "number", type=REVISION_NUMBER, required=True, metavar="N", help=N_("The revision number to bring back."))
@handle_errors
def revert_command(ref: str, number: int) -> None:
    from beritatui.core import revisions

    session = _open()
    article = revisions.restore_revision(session.actor, ref, number)
    click.echo(_("Brought back revision {n}: {title} is now version {version}").format(
        n=number, title=article.title, version=article.version))


# --- people and site ---------------------------------------------------------


@cli.group("user", help=N_("Manage the people who may use this database (admins)."))
def user_group() -> None:
    pass


@user_group.command("add", help=N_("Let an OS login use this database."))
@click.argument("login")
@option("--name", default="", help=N_("Display name (default: from the system)."))
@option("--unit", default="", help=N_("Unit, e.g. Rutan Makassar."))
@option("--role", type=click.Choice(ROLES), default="writer", show_default=True, help=N_("writer, editor or admin."))
@handle_errors
def user_add_command(login: str, name: str, unit: str, role: str) -> None:
    session = _open()
    user = users.add_user(session.actor, login, display_name=name, unit=unit, role=role)
    click.echo(_("Added {login} ({name}) as {role}").format(login=user.login, name=user.display_name, role=user.role))


@user_group.command("list", help=N_("List the people of this database."))
@option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@handle_errors
def user_list_command(as_json: bool) -> None:
    _open()
    people = [u for u in users.list_users() if u.login != users.SYSTEM_LOGIN]
    if as_json:
        print_json([{"login": u.login, "display_name": u.display_name, "unit": u.unit, "role": u.role,
                     "active": u.active} for u in people])
        return
    _table([_("Login"), _("Name"), _("Unit"), _("Role"), _("Active")],
           [[u.login, u.display_name, u.unit, u.role, _("yes") if u.active else _("no")] for u in people])


@user_group.command("set-role", help=N_("Change a person's role (writer, editor or admin)."))
@click.argument("login", shell_complete=complete_logins)
@click.argument("role", type=click.Choice(ROLES))
@handle_errors
def user_set_role_command(login: str, role: str) -> None:
    session = _open()
    user = users.set_role(session.actor, login, role)
    click.echo(_("{login} is now {role}").format(login=user.login, role=user.role))


@user_group.command("deactivate", help=N_("Stop a login from using this database (history keeps the name)."))
@click.argument("login", shell_complete=complete_logins)
@handle_errors
def user_deactivate_command(login: str) -> None:
    session = _open()
    user = users.deactivate(session.actor, login)
    click.echo(_("{login} can no longer use this database").format(login=user.login))


@cli.group("site", help=N_("Show or change the site settings (title, address, time zone, feeds)."))
def site_group() -> None:
    pass


@site_group.command("show", help=N_("Show every site setting."))
@option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@handle_errors
def site_show_command(as_json: bool) -> None:
    _open()
    values = site.raw_settings()
    if as_json:
        print_json(values)
        return
    _table([_("Setting"), _("Value"), _("Meaning")],
           [[key, values[key], _(spec.help)] for key, spec in site.SETTINGS.items()], stretch=1)


@site_group.command("set", help=N_("Change one site setting (admins)."))
@click.argument("key", shell_complete=complete_settings)
@click.argument("value")
@handle_errors
def site_set_command(key: str, value: str) -> None:
    session = _open()
    stored = site.set_setting(session.actor, key, value)
    click.echo(f"{key} = {stored}")


# --- maintenance -------------------------------------------------------------


@cli.command("backup", help=N_("Copy the database safely while others work (SQLite online backup)."))
@click.argument("dest", type=click.Path(path_type=Path))
@option("--force", is_flag=True, help=N_("Replace DEST if it exists (never the database itself)."))
@handle_errors
def backup_command(dest: Path, force: bool) -> None:
    from beritatui.core import maintenance

    session = _open()
    click.echo(str(maintenance.backup(session.actor, dest.expanduser(), force=force)))


@cli.command("restore-backup", help=N_("Put a backup in place of the database (admins; stop every editor first)."))
@click.argument("source", type=click.Path(path_type=Path))
@option("--force", is_flag=True, help=N_("Replace the existing database."))
@handle_errors
def restore_backup_command(source: Path, force: bool) -> None:
    from beritatui.core import maintenance

    target = maintenance.restore(source.expanduser(), _state().spec, login=users.current_login(), force=force)
    click.echo(_("Restored {source} to {target}").format(source=source, target=target))


@cli.command("check", help=N_("Check the database: integrity, search index, audit trail, users and schema version."))
@handle_errors
def check_command() -> None:
    from beritatui.core import maintenance, migrations
    from beritatui.core.database import is_sqlite

    _open_database_only()
    problems = maintenance.check()
    if not problems:
        click.echo(_("OK: integrity, search index, audit trail, users and schema version {version}").format(
            version=migrations.CURRENT_VERSION))
    if is_sqlite():  # on stdout: a cron job that keeps only stderr mails the problems, not this
        click.echo(maintenance.trust_model())
        click.echo(maintenance.check_limits())
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        fail(ngettext("{n} problem found", "{n} problems found", len(problems)).format(n=len(problems)))


# --- feeds commands ----------------------------------------------------------


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


def _feeds_session() -> Session:
    """The command's session (as the OS login), closed when the command ends."""
    session = click.get_current_context().find_object(State).session()
    click.get_current_context().call_on_close(close_database)
    return session


def _with_progress(run: Callable[[Callable[[int, int], None] | None], Any], show: bool, label: str) -> Any:
    """Run ``run(progress)`` with a rich progress bar on a terminal, plainly otherwise."""
    if not show or not sys.stderr.isatty():
        return run(None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)
        return run(lambda done, total: bar.update(task, completed=done, total=total))


@cli.command("export", help=N_("Write the published articles as JSON Feed files for the website."))
@option("--out", "out_dir", metavar="DIR", type=click.Path(path_type=Path),
        help=N_("Directory to write (default: the export_dir site setting)."))
@option("--dry-run", is_flag=True, help=N_("Report what would change; write nothing."))
@option("--full", is_flag=True, help=N_("Rebuild every file instead of only what changed."))
@option("--json", "as_json", is_flag=True, help=N_("Print the report as JSON."))
@handle_errors
def export_command(out_dir: Path | None, dry_run: bool, full: bool, as_json: bool) -> None:
    from beritatui.feeds.export import export_feeds

    session = _feeds_session()

    def waiting() -> None:
        click.echo(_("Waiting for another export to finish…"), err=True)

    report = _with_progress(
        lambda progress: export_feeds(out_dir, actor=session.actor, dry_run=dry_run, full=full, progress=progress,
                                      waiting=waiting),
        not as_json, _("Exporting"))
    if as_json:
        print_json(report.as_dict())
    else:
        for warning in report.warnings:
            click.echo(_("Warning: {message}").format(message=warning), err=True)
        click.echo(report.summary())


@cli.command("import", help=N_("Import articles from Markdown (front matter), JSON Feed or plain-text files."))
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
    session = _feeds_session()
    report = import_paths(session.actor, list(paths), dry_run=dry_run, status=status, keep_status=keep_status)
    if as_json:
        print_json(report.as_dict())
    else:
        for path, reason in report.problems:
            click.echo(_("Skipped {path}: {reason}").format(path=path, reason=reason), err=True)
        click.echo(report.summary())
    if report.skipped:
        sys.exit(1)


@cli.group("reactions", help=N_("Reaction tallies from the website."))
def reactions_group() -> None:
    """Commands on reaction tallies."""


@reactions_group.command("import", help=N_("Update tallies from a JSON file mapping each slug to its counts (like, love, ...)."))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@option("--json", "as_json", is_flag=True, help=N_("Print the report as JSON."))
@handle_errors
def reactions_import_command(file: Path, as_json: bool) -> None:
    from beritatui.core.reactions import import_tallies, read_tallies_file

    data = read_tallies_file(file)
    session = _feeds_session()
    updated, unknown = import_tallies(session.actor, data)
    if as_json:
        print_json({"updated": updated, "unknown": unknown})
        return
    click.echo(ngettext("{n} article updated", "{n} articles updated", updated).format(n=updated))
    for slug in unknown:  # repr shows a control character as an escape; a long slug is cut
        click.echo(_("No article {slug!r}; skipped").format(slug=slug[:120]), err=True)


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
