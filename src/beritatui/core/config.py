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


@dataclass
class Config:
    """The person's settings, as read from the config file (all optional)."""

    path: Path | None = None
    database: str | None = None
    language: str | None = None
    theme: str | None = None
    editor: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


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


def writable_config_path(env: dict[str, str] | None = None) -> Path:
    """Where a remembered choice (theme, language) is written: never the system file."""
    env = os.environ if env is None else env
    if env.get("BERITATUI_CONFIG"):
        return Path(env["BERITATUI_CONFIG"]).expanduser()
    return user_config_path()


def load_config(env: dict[str, str] | None = None) -> Config:
    """Read the config file; a missing file is an empty config, a broken one a clear error."""
    path = config_path(env)
    if path is None or not path.exists():
        return Config(path=path)
    import tomllib  # only when there is a file to read: most launches have none

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError(_("Cannot read the config file {path}: {reason}").format(path=path, reason=exc)) from exc
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict):
        raise ValidationError(_("[keymap] in {path} must be a table of binding id = keys").format(path=path))
    return Config(
        path=path,
        database=_str_or_none(data.get("database")),
        language=_str_or_none(data.get("language")),
        theme=_str_or_none(data.get("theme")),
        editor=_str_or_none(data.get("editor")),
        keymap={str(k): str(v) for k, v in keymap.items()},
        raw=data,
    )


def _str_or_none(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


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
    """Write ``key = value`` at top level of the user's config file, keeping every other line."""
    path = writable_config_path(env)
    path.parent.mkdir(parents=True, exist_ok=True)
    # split on "\n" only: splitlines() also breaks inside strings holding U+0085 or U+2028
    lines = path.read_text(encoding="utf-8").split("\n") if path.exists() else []
    if lines and lines[-1] == "":
        lines.pop()
    entry = f"{key} = {_toml_string(value)}"
    first_table = next((i for i, line in enumerate(lines) if line.lstrip().startswith("[")), len(lines))
    for i, line in enumerate(lines[:first_table]):
        if line.split("=", 1)[0].strip() == key:
            lines[i] = entry
            break
    else:
        lines.insert(first_table, entry)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def _toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped (a raw newline breaks the file)."""
    escaped = "".join(
        "\\" + ch if ch in '"\\' else f"\\u{ord(ch):04X}" if ord(ch) < 0x20 or ord(ch) == 0x7F else ch
        for ch in value
    )
    return f'"{escaped}"'
