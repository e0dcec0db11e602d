"""Where configuration and the database come from: one function decides each.

The config file holds per-person things (database, language, theme, editor,
keymap); site settings live in the database.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from beritatui.core.errors import ValidationError
from beritatui.i18n import _

APP_NAME = "beritatui"
SYSTEM_CONFIG = Path("/etc/beritatui/config.toml")


KNOWN_KEYS = ("database", "language", "theme", "editor", "keymap")
# Keys that do not survive SSH and tmux reliably: never offered, and refused in a keymap.
UNSAFE_MODIFIERS = ("alt+", "meta+", "super+", "hyper+")


@dataclass
class Config:
    """The person's settings, as read from the config file (all optional).

    ``problems`` lists what was wrong with the file, one line each (a file that does not parse, a
    value of the wrong kind, an unknown key); whatever was wrong is left at its default, so a typo
    in the config never stops the app.  ``broken`` means the file did not parse at all.
    """

    path: Path | None = None
    database: str | None = None
    language: str | None = None
    theme: str | None = None
    editor: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    broken: bool = False

    @property
    def warning(self) -> str | None:
        """One line for a person starting the app (stderr or a notification), or ``None``."""
        if not self.problems:
            return None
        if self.broken:
            return _("{problem}; using the defaults. See: beritatui config check").format(problem=self.problems[0])
        if len(self.problems) == 1:
            return _("Config file {path}: {problem}; ignored. See: beritatui config check").format(
                path=self.path, problem=self.problems[0])
        return _("Config file {path}: {problem} (and {n} more); ignored. See: beritatui config check").format(
            path=self.path, problem=self.problems[0], n=len(self.problems) - 1)


def user_config_path() -> Path:
    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def config_path(env: dict[str, str] | None = None) -> Path | None:
    """``BERITATUI_CONFIG`` > user config dir > ``/etc/beritatui/config.toml``; the first that exists."""
    env = os.environ if env is None else env
    if env.get("BERITATUI_CONFIG"):
        return Path(env["BERITATUI_CONFIG"]).expanduser()
    for candidate in (user_config_path(), SYSTEM_CONFIG):
        if candidate.is_file():
            return candidate
    return None


def config_source(env: dict[str, str] | None = None) -> str:
    """Why :func:`config_path` chose its file: ``BERITATUI_CONFIG``, ``user`` or ``system`` (``none``)."""
    env = os.environ if env is None else env
    if env.get("BERITATUI_CONFIG"):
        return "BERITATUI_CONFIG"
    path = config_path(env)
    return "none" if path is None else "system" if path == SYSTEM_CONFIG else "user"


def writable_config_path(env: dict[str, str] | None = None) -> Path:
    """Where a remembered choice (theme, language) is written: never the system file."""
    env = os.environ if env is None else env
    if env.get("BERITATUI_CONFIG"):
        return Path(env["BERITATUI_CONFIG"]).expanduser()
    return user_config_path()


def load_config(env: dict[str, str] | None = None) -> Config:
    """Read the config file; a missing file is an empty config, a broken one the defaults and a problem.

    Never raises: the app must start whatever the file holds (the problems say what was ignored).
    """
    path = config_path(env)
    if path is None or not path.exists():
        return Config(path=path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return Config(path=path, broken=True, problems=[
            _("Cannot read the config file {path}: {reason}").format(path=path, reason=reason)])
    return parse_config(text, path)


def parse_config(text: str, path: Path | None = None) -> Config:
    """The settings in ``text`` (TOML), each bad or unknown entry reported and left at its default."""
    import tomllib  # only when there is a file to read: most launches have none

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Config(path=path, broken=True, problems=[
            _("Cannot read the config file {path}: {reason}").format(path=path, reason=exc)])
    config = Config(path=path, raw=data)
    for key, value in data.items():
        if key not in KNOWN_KEYS:
            config.problems.append(_("unknown key {key!r} (known: {known})").format(
                key=key, known=", ".join(KNOWN_KEYS)))
            continue
        if key == "keymap":
            config.keymap = _keymap(value, config.problems)
            continue
        problem = _value_problem(key, value)
        if problem:
            config.problems.append(problem)
            continue
        setattr(config, key, value if value != "" else None)
    return config


def _value_problem(key: str, value: Any) -> str | None:
    """Why ``value`` cannot be the setting ``key`` at all (it is then ignored), or ``None``."""
    if not isinstance(value, str):
        return _("{key} must be a text in quotes, not {value!r}").format(key=key, value=value)
    return None


def value_advice(config: Config) -> list[str]:
    """Values that are read but will not do what was meant (``beritatui config check`` reports them)."""
    problems = []
    if config.language and language_code(config.language) is None:
        from beritatui.i18n import SUPPORTED

        problems.append(_("language {value!r} is not one of: {known} (English is used)").format(
            value=config.language, known=", ".join(SUPPORTED)))
    if config.editor:
        import shlex

        try:
            usable = bool(shlex.split(config.editor))
        except ValueError:
            usable = False
        if not usable:
            problems.append(_("editor {value!r} is not a command line (check its quotes)").format(value=config.editor))
    return problems


def language_code(value: str) -> str | None:
    """The supported language ``value`` names (``id_ID.UTF-8`` -> ``id``), or ``None``."""
    from beritatui.i18n import normalize_language

    code = normalize_language(value)
    if code != "en":
        return code
    raw = value.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    return "en" if raw == "en" else None


def _keymap(value: Any, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict):
        problems.append(_("[keymap] must be a table of binding id = keys"))
        return {}
    keymap: dict[str, str] = {}
    for binding_id, keys in value.items():
        if not isinstance(keys, str):
            problems.append(_("keymap {binding!r} must be keys in quotes, like \"ctrl+s,f2\"").format(
                binding=binding_id))
            continue
        keymap[str(binding_id)] = keys
    return keymap


def check_keymap(keymap: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Split a ``[keymap]`` table into usable entries and the ids refused (alt/meta do not survive SSH)."""
    usable: dict[str, str] = {}
    refused: list[str] = []
    for binding_id, keys in keymap.items():
        parts = [k.strip() for k in str(keys).split(",") if k.strip()]
        if not parts or any(p.lower().startswith(UNSAFE_MODIFIERS) or "ctrl+shift+" in p.lower() for p in parts):
            refused.append(binding_id)
            continue
        usable[binding_id] = ",".join(parts)
    return usable, refused


def editor_command(configured: str | None, env: dict[str, str] | None = None) -> str:
    """The command line of the person's text editor: the config's ``editor`` > ``$VISUAL`` > ``$EDITOR`` > ``vi``.

    As ``git commit`` chooses; a value that is empty or only spaces counts as not set.  The caller
    splits it with :func:`shlex.split` and adds the file to edit (``beritatui edit``, the app's ctrl+e).
    """
    env = os.environ if env is None else env
    for candidate in (configured, env.get("VISUAL"), env.get("EDITOR")):
        if candidate and candidate.strip():
            return candidate
    return "vi"


def default_database_path() -> Path:
    return platformdirs.user_data_path(APP_NAME) / "beritatui.db"


def resolve_database(cli: str | None, config: Config, env: dict[str, str] | None = None) -> str:
    """``--db`` > ``BERITATUI_DB`` > config ``database`` > the user data dir."""
    env = os.environ if env is None else env
    for candidate in (cli, env.get("BERITATUI_DB"), config.database):
        if candidate:
            return candidate
    return str(default_database_path())


def remember(key: str, value: str, env: dict[str, str] | None = None) -> Path:
    """Set ``key = value`` at the top level of the person's config file, keeping everything else as it was.

    The file is edited with a TOML library that round-trips (comments, quoting, multi-line strings and
    tables stay), and replaced atomically and durably (``core.fsio``), private to the person.  A file
    that does not parse is never overwritten: :class:`ValidationError` says so, the file stays.
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    from beritatui.core import fsio

    path = writable_config_path(env)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(_("Cannot read the config file {path}: {reason}").format(
            path=path, reason=exc.strerror if isinstance(exc, OSError) and exc.strerror else exc)) from exc
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ValidationError(_("The config file {path} is broken ({reason}); {key} was not remembered. "
                                "See: beritatui config check").format(path=path, reason=exc, key=key)) from exc
    document[key] = value
    fsio.ensure_dir(path.parent)
    fsio.atomic_write(path, tomlkit.dumps(document), mode=fsio.PRIVATE)
    return path
