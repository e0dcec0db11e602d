"""The one translation function and the locale-aware formatting every surface uses.

Messages are written in English in the source and looked up in Babel-compiled
catalogs shipped in ``locales/``.  The language is chosen once per process by
:func:`set_language` (the CLI and the TUI call it with the resolved choice), and
may be changed later (the TUI's "switch language" command).

Babel is imported where it is used, not here: nearly every module imports this
one, and most commands never format a date nor load a catalog (English needs
none), so ``beritatui`` starts without paying for Babel up front.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from gettext import NullTranslations
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "beritatui"
SUPPORTED = ("en", "id")

_state: dict[str, object] = {"lang": "en", "translations": NullTranslations()}


def language_from_env(env: dict[str, str] | None = None) -> str:
    """The default language: Indonesian when ``LANG`` is ``id_*``, English otherwise."""
    env = os.environ if env is None else env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return normalize_language(value)
    return "en"


def resolve_language(cli: str | None = None, config: str | None = None, env: dict[str, str] | None = None) -> str:
    """``--lang`` > ``BERITATUI_LANG`` > config > ``LANG``; unknown values fall back to English."""
    env = os.environ if env is None else env
    for candidate in (cli, env.get("BERITATUI_LANG"), config):
        if candidate:
            return normalize_language(candidate)
    return language_from_env(env)


def normalize_language(value: str) -> str:
    """Map ``id_ID.UTF-8``, ``ID``, ``in`` or ``en_GB`` to a supported code."""
    code = value.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    if code in ("in", "ind"):
        code = "id"
    return code if code in SUPPORTED else "en"


def set_language(lang: str) -> str:
    """Switch the process to ``lang`` (normalized) and return the code used."""
    lang = normalize_language(lang)
    if lang == "en":
        translations: NullTranslations = NullTranslations()
    else:
        from babel.support import Translations

        translations = Translations.load(str(LOCALES_DIR), [lang], DOMAIN)
    _state["lang"] = lang
    _state["translations"] = translations
    return lang


def current_language() -> str:
    return str(_state["lang"])


def current_locale() -> Locale:
    from babel import Locale

    return Locale.parse(current_language())


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _state["translations"].gettext(message)  # type: ignore[union-attr]


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message that depends on a count."""
    return _state["translations"].ngettext(singular, plural, n)  # type: ignore[union-attr]


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now (translate at display time)."""
    return message


def format_datetime(moment: datetime, tz: str | None = None, fmt: str = "medium") -> str:
    """A UTC moment shown in the site time zone, in the current locale."""
    from zoneinfo import ZoneInfo

    from babel.dates import format_datetime as _babel_format_datetime

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    zone = ZoneInfo(tz) if tz else UTC
    return _babel_format_datetime(moment.astimezone(zone), format=fmt, tzinfo=zone, locale=current_locale())


def format_relative(moment: datetime, now: datetime | None = None, fmt: str = "long") -> str:
    """"3 minutes ago" / "3 menit yang lalu" for a UTC moment (``fmt="short"``: "3 min. ago", for narrow columns)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    delta: timedelta = moment - now
    if abs(delta.total_seconds()) < 45:
        return _("just now")
    from babel.dates import format_timedelta

    return format_timedelta(delta, add_direction=True, format=fmt, locale=current_locale(), threshold=1.0)
