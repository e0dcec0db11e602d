"""Site settings: one set per database, validated on the way in."""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from beritatui.core import audit, urls
from beritatui.core.database import current_database
from beritatui.core.errors import ValidationError
from beritatui.core.models import Setting, User
from beritatui.core.sitevalue import SiteSettings as SiteSettings  # re-exported: callers import it from here
from beritatui.core.textfile import brief
from beritatui.core.users import require
from beritatui.i18n import N_, SUPPORTED, _


@lru_cache(maxsize=1)
def system_timezone() -> str:
    """The machine's IANA zone name (``/etc/timezone`` or the ``/etc/localtime`` link), else UTC."""
    import os

    if os.environ.get("TZ") and _valid_zone(os.environ["TZ"].lstrip(":")):
        return os.environ["TZ"].lstrip(":")
    try:
        name = Path("/etc/timezone").read_text(encoding="utf-8").strip()
        if _valid_zone(name):
            return name
    except OSError:
        pass
    try:
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target:
            name = target.split("zoneinfo/", 1)[1]
            if _valid_zone(name):
                return name
    except OSError:
        pass
    return "UTC"


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _check_url(value: str) -> str:
    """An absolute http(s) address with a host, as a feed may carry it (see core/urls.py)."""
    if value == "":
        return value
    problem = urls.http_url_problem(value)
    if problem is not None:
        raise ValidationError(_("{value} is not an http(s) URL: {reason}").format(
            value=brief(repr(value), 120), reason=problem))
    return value.rstrip("/")


def _check_timezone(value: str) -> str:
    if not _valid_zone(value):
        raise ValidationError(_("{value!r} is not an IANA time zone (for example Asia/Makassar)").format(value=value))
    return value


def _check_language(value: str) -> str:
    code = value.strip()
    if not code or len(code) > 16 or not code.replace("-", "").replace("_", "").isalnum():
        raise ValidationError(_("{value!r} is not a language code (for example id or en)").format(value=value))
    return code


def _check_page_size(value: str) -> str:
    try:
        size = int(value)
    except ValueError:
        size = 0
    if not 1 <= size <= 1000:
        raise ValidationError(_("feed_page_size must be a whole number from 1 to 1000"))
    return str(size)


def _check_template(value: str) -> str:
    """Only plain ``{base_url}``, ``{slug}`` and ``{uuid}``: ``{slug.x}`` or ``{0}`` would fail at export time."""
    if "{slug}" not in value:
        raise ValidationError(_("article_url_template must contain {slug}"))
    try:
        fields = list(string.Formatter().parse(value))
    except ValueError as exc:
        fields, reason = [], str(exc)
    else:
        bad = [f for _text, f, spec, conv in fields
               if f is not None and (f not in ("base_url", "slug", "uuid") or spec or conv)]
        reason = "{" + bad[0] + "}" if bad else ""
    if reason:
        raise ValidationError(
            _("article_url_template may use only {{base_url}}, {{slug}} and {{uuid}}: {reason}").format(reason=reason)
        )
    problem = urls.template_problem(value)
    if problem is not None:
        raise ValidationError(_("article_url_template must give an http(s) address for every article: {reason}").format(
            reason=problem))
    return value


def _plain(limit: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        if len(value) > limit:
            raise ValidationError(_("At most {n} characters").format(n=limit))
        return value

    return check


@dataclass(frozen=True)
class SettingSpec:
    default: str
    check: Callable[[str], str]
    help: str


SETTINGS: dict[str, SettingSpec] = {
    "title": SettingSpec("Berita", _plain(200), N_("Site title shown in feeds")),
    "description": SettingSpec("", _plain(1000), N_("Site description shown in feeds")),
    "base_url": SettingSpec("", _check_url, N_("The website's address, e.g. https://example.go.id")),
    "home_page_url": SettingSpec("", _check_url, N_("The site's home page (defaults to base_url)")),
    "language": SettingSpec("id", _check_language, N_("Language of the site's articles")),
    "timezone": SettingSpec("", _check_timezone, N_("IANA time zone used to show and read times")),
    "article_url_template": SettingSpec(
        "{base_url}/berita/{slug}", _check_template, N_("Address of an article on the website")
    ),
    "feed_page_size": SettingSpec("50", _check_page_size, N_("Items in one feed page")),
    "icon": SettingSpec("", _check_url, N_("Feed icon URL (512x512)")),
    "favicon": SettingSpec("", _check_url, N_("Feed favicon URL (64x64)")),
    "export_dir": SettingSpec("", _plain(4096), N_("Directory that beritatui export writes to")),
}


def raw_settings() -> dict[str, str]:
    stored = {row.key: row.value for row in Setting.select()}
    values = {key: stored.get(key, spec.default) for key, spec in SETTINGS.items()}
    if not values["timezone"]:
        values["timezone"] = system_timezone()
    if not values["home_page_url"]:
        values["home_page_url"] = values["base_url"]
    return values


def get_settings() -> SiteSettings:
    values = raw_settings()
    return SiteSettings(**{**values, "feed_page_size": int(values["feed_page_size"])})


URL_SETTINGS = ("base_url", "home_page_url", "icon", "favicon")


def check_exportable(settings: SiteSettings) -> None:
    """Refuse, naming the setting, a stored address the feeds may not carry (one stored before the rule,
    or written into the database by hand): every exported item and page would carry it."""
    for key in URL_SETTINGS:
        value = getattr(settings, key)
        problem = urls.http_url_problem(value) if value else None
        if problem is not None:
            break
    else:
        key, value = "article_url_template", settings.article_url_template
        problem = urls.template_problem(value, settings.base_url)
    if problem is not None:
        raise ValidationError(_("Not exporting: the site setting {key} ({value}) is not a safe http(s) address: "
                                "{reason}; set it again with: beritatui site set {key} …").format(
            key=key, value=brief(repr(value), 120), reason=problem))


def set_setting(actor: User, key: str, value: str) -> str:
    """Validate and store one setting (admin only); returns the stored value."""
    with current_database().atomic():
        actor = require(actor, "admin", _("Only an admin may change site settings"))
        spec = SETTINGS.get(key)
        if spec is None:
            raise ValidationError(
                _("Unknown setting {key!r}; known: {known}").format(key=key, known=", ".join(SETTINGS))
            )
        clean = spec.check(value.strip())
        Setting.insert(key=key, value=clean).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: clean}
        ).execute()
        audit.record(actor.login, "settings.set", key=key, value=clean)
    return clean


def language_choices() -> tuple[str, ...]:
    return SUPPORTED
