"""Setting up and looking after a database: ``init``, ``demo``, ``config``, ``backup``, ``restore-backup``
and ``check``."""

from __future__ import annotations

from pathlib import Path

import click
import platformdirs

from beritatui.cli.base import (
    command,
    command_session,
    current_state,
    fail,
    group,
    handle_errors,
    open_database_only,
    option,
)
from beritatui.cli.output import has_terminal, print_fields
from beritatui.core import config as configmod
from beritatui.core import users
from beritatui.core.database import close_database, open_database, sqlite_path
from beritatui.core.errors import ValidationError
from beritatui.i18n import N_, _, ngettext


@command("init", help=N_("Create the database and make you (the OS login) its admin."))
@option("--name", help=N_("Your name as shown to colleagues (default: from the system)."))
@option("--unit", default="", help=N_("Your unit, e.g. Lapas Watampone."))
@handle_errors
def init_command(name: str | None, unit: str) -> None:
    spec = current_state().spec
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


@command("demo", help=N_("Open a sample newsroom (articles in every status) to try beritatui safely."))
@option("--db", "demo_db", metavar="PATH", help=N_("Where the demo database lives (default: demo.db in the user data dir)."))
@option("--no-open", is_flag=True, help=N_("Only create the demo database; do not open the terminal app."))
@option("--reset", is_flag=True, help=N_("Throw away the demo database and build it again."))
@handle_errors
def demo_command(demo_db: str | None, no_open: bool, reset: bool) -> None:
    import shlex

    from beritatui.core import demo

    state = current_state()
    if not no_open and not has_terminal():
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


@group("config", help=N_("Show which config file is used, or check it for mistakes."))
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
    print_fields([
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


@command("backup", help=N_("Copy the database safely while others work (SQLite online backup)."))
@click.argument("dest", type=click.Path(path_type=Path))
@option("--force", is_flag=True, help=N_("Replace DEST if it exists (never the database itself)."))
@handle_errors
def backup_command(dest: Path, force: bool) -> None:
    from beritatui.core import maintenance

    session = command_session()
    click.echo(str(maintenance.backup(session.actor, dest.expanduser(), force=force)))


@command("restore-backup", help=N_("Put a backup in place of the database (admins; stop every editor first)."))
@click.argument("source", type=click.Path(path_type=Path))
@option("--force", is_flag=True, help=N_("Replace the existing database."))
@handle_errors
def restore_backup_command(source: Path, force: bool) -> None:
    from beritatui.core import maintenance

    target = maintenance.restore(source.expanduser(), current_state().spec, login=users.current_login(), force=force)
    click.echo(_("Restored {source} to {target}").format(source=source, target=target))


@command("check", help=N_("Check the database: integrity, search index, audit trail, users and schema version."))
@handle_errors
def check_command() -> None:
    from beritatui.core import maintenance, migrations
    from beritatui.core.database import is_sqlite

    open_database_only()
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


COMMANDS = (init_command, demo_command, config_group, backup_command, restore_backup_command, check_command)
