"""Site settings per unit, validated on the way in: a unit's value holds for it and the units below it
that set none (see core.unit_settings); the root's are the database's ``setting`` table.

``export_dir`` is never inherited: a unit without its own writes no feeds (two units must never write
one directory, so no two units' export_dirs may overlap either).
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from beritatui.core import audit, site_checks, unit_settings, units, urls
from beritatui.core.database import current_database
from beritatui.core.errors import ValidationError
from beritatui.core.models import Unit, User
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


def _check_days(value: str) -> str:
    try:
        days = int(value)
    except ValueError:
        days = -1
    if not 0 <= days <= 3650:
        raise ValidationError(_("tombstone_days must be a whole number from 0 to 3650"))
    return str(days)


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
    "tombstone_days": SettingSpec("30", _check_days, N_(
        "Days feed.json lists an article that left the site, and its file says it was withdrawn (0: none)")),
    "icon": SettingSpec("", _check_url, N_("Feed icon URL (512x512)")),
    "favicon": SettingSpec("", _check_url, N_("Feed favicon URL (64x64)")),
    "export_dir": SettingSpec("", _plain(4096), N_(
        "Directory that beritatui export writes this unit's feeds to (never inherited: one per unit)")),
    "feed_includes_subunits": SettingSpec("true", site_checks.choice("feed_includes_subunits", ("true", "false")), N_(
        "Whether the unit's feeds also hold its sub-units' articles (true or false)")),
    "review_steps": SettingSpec("unit", site_checks.check_review_steps, N_(
        "Who approves, in order: unit, parent, root, separated by commas (e.g. unit,parent)")),
    "self_approval": SettingSpec("off", site_checks.choice("self_approval", ("on", "off")), N_(
        "Whether an author may approve or publish their own article (on or off)")),
    "corrections": SettingSpec("review", site_checks.choice("corrections", ("review", "direct")), N_(
        "Whether an edit to a published article waits for review or goes live at once (review or direct)")),
}
SITE_KEYS = tuple(f.name for f in fields(SiteSettings))  # what feeds and times are built from
NOT_INHERITED = frozenset({"export_dir"})  # two units must never write one directory


# --- reading: what holds for a unit, and where it comes from --------------------------------------------

@dataclass(frozen=True)
class Shown:
    """One setting as it holds for a unit: its value, and whether the unit set it (``own``), took it from
    a unit above (``inherited``, from ``unit``), or has no value set anywhere (``default``, or ``none``
    for an export_dir the unit does not set)."""

    key: str
    value: str
    source: str
    unit: str = ""  # the name of the unit the value comes from (own or inherited)


def _unit(unit: str | int | Unit | None) -> Unit:
    return units.root() if unit is None else units.get_unit(unit)


def _depth(path: list[int], unit_id: int) -> int:
    return path.index(unit_id) if unit_id in path else -1


def resolve(unit: str | int | Unit | None = None) -> dict[str, Shown]:
    """Every setting that holds for the unit (default: the root), with where it comes from."""
    target = _unit(unit)
    path = target.path_ids
    found = unit_settings.effective(target.id)
    names = units.names()
    shown: dict[str, Shown] = {}
    for key, spec in SETTINGS.items():
        hit = found.get(key)
        if key in NOT_INHERITED and hit is not None and hit.unit_id != target.id:
            hit = None
        if hit is None:
            shown[key] = Shown(key, spec.default, "none" if key in NOT_INHERITED else "default")
        else:
            source = "own" if hit.unit_id == target.id else "inherited"
            shown[key] = Shown(key, hit.value, source, names.get(hit.unit_id, ""))
    if not shown["timezone"].value:
        shown["timezone"] = Shown("timezone", system_timezone(), "default")
    home, base = found.get("home_page_url"), found.get("base_url")
    # The home page defaults to base_url, also when a unit sets its own base_url below the unit whose
    # home page it would otherwise inherit (a unit's feeds must not point home to its parent's site).
    if not shown["home_page_url"].value or (
            home is not None and base is not None and _depth(path, base.unit_id) > _depth(path, home.unit_id)):
        shown["home_page_url"] = replace(shown["base_url"], key="home_page_url")
    return shown


def raw_settings(unit: str | int | Unit | None = None) -> dict[str, str]:
    """Every setting's value for the unit (default: the root), as text."""
    return {key: item.value for key, item in resolve(unit).items()}


def get_settings(unit: str | int | Unit | None = None) -> SiteSettings:
    """The site settings that shape the unit's feeds and times (default: the root's)."""
    values = raw_settings(unit)
    numbers = ("feed_page_size", "tombstone_days")
    return SiteSettings(**{key: values[key] for key in SITE_KEYS if key not in numbers},
                        **{key: int(values[key]) for key in numbers})


def includes_subunits(unit: str | int | Unit | None = None) -> bool:
    """Whether the unit's feeds hold its sub-units' articles too."""
    return raw_settings(unit)["feed_includes_subunits"] == "true"


URL_SETTINGS = ("base_url", "home_page_url", "icon", "favicon")


def check_exportable(settings: SiteSettings, unit_flag: str = "") -> None:
    """Refuse, naming the setting, a stored address the feeds may not carry (one stored before the rule,
    or written into the database by hand): every exported item and page would carry it.

    ``unit_flag`` (``--unit NAME ``) goes into the command the message names.
    """
    for key in URL_SETTINGS:
        value = getattr(settings, key)
        problem = urls.http_url_problem(value) if value else None
        if problem is not None:
            break
    else:
        key, value = "article_url_template", settings.article_url_template
        problem = urls.template_problem(value, settings.base_url)
    if problem is None:
        return
    shown = brief(repr(value), 120)
    if unit_flag:
        raise ValidationError(_("Not exporting: the site setting {key} ({value}) is not a safe http(s) address: "
                                "{reason}; set it again with: beritatui site set {unit}{key} …").format(
            key=key, value=shown, reason=problem, unit=unit_flag))
    raise ValidationError(_("Not exporting: the site setting {key} ({value}) is not a safe http(s) address: "
                            "{reason}; set it again with: beritatui site set {key} …").format(
        key=key, value=shown, reason=problem))


# --- writing: an admin of the unit ----------------------------------------------------------------------

def _spec(key: str) -> SettingSpec:
    spec = SETTINGS.get(key)
    if spec is None:
        raise ValidationError(
            _("Unknown setting {key!r}; known: {known}").format(key=key, known=", ".join(SETTINGS))
        )
    return spec


def _admin_of(actor: User, target: Unit) -> User:
    """``actor`` as the database has them now, if an admin of the unit (a unit's admin, or one above it)."""
    refusal = (_("Only an admin may change site settings") if target.parent_id is None
               else _("Only an admin of {unit} may change its site settings").format(unit=target.name))
    return require(actor, "admin", refusal, unit=target.id)


def _check_export_dir(target: Unit, value: str) -> None:
    """Refuse an export_dir that is, holds or lies inside another unit's: one directory, one feed set."""
    owner = site_checks.export_dir_owner(value, target.id, units.root_id())
    if owner is not None:
        other = units.get_unit(owner)
        raise ValidationError(_("{path} is or overlaps the export_dir of {unit}; every unit needs a directory "
                                "of its own").format(path=value, unit=other.name))


def _previous(target: Unit, key: str) -> dict[str, str]:
    """The unit's own value before a change, for the audit's before/after (none when unset)."""
    before = unit_settings.own(target.id).get(key)
    return {"previous": before} if before is not None else {}


def _audit(actor: User, action: str, target: Unit, **details: str) -> None:
    if target.parent_id is not None:
        details["unit"] = target.name
    audit.record(actor.login, action, **details)


def set_setting(actor: User, key: str, value: str, unit: str | int | Unit | None = None) -> str:
    """Validate and store one setting of the unit (default: the root) for an admin of it; returns the value.

    Below the root an empty value unsets the key, so the unit inherits it again (``""`` is returned).
    """
    with current_database().atomic():
        target = _unit(unit)
        actor = _admin_of(actor, target)
        spec = _spec(key)
        value = value.strip()
        if target.parent_id is not None and value == "":
            before = _previous(target, key)
            unit_settings.store(target.id, key, None)
            _audit(actor, "settings.unset", target, key=key, **before)
            return ""
        clean = spec.check(value)
        if key == "export_dir" and clean:
            _check_export_dir(target, clean)
        before = _previous(target, key)
        unit_settings.store(target.id, key, clean)
        _audit(actor, "settings.set", target, key=key, value=clean, **before)
    return clean


def unset_setting(actor: User, key: str, unit: str | int | Unit | None = None) -> None:
    """Remove the unit's own value, so it inherits again (the root: back to the default)."""
    with current_database().atomic():
        target = _unit(unit)
        actor = _admin_of(actor, target)
        _spec(key)
        before = _previous(target, key)
        unit_settings.store(target.id, key, None)
        _audit(actor, "settings.unset", target, key=key, **before)


def language_choices() -> tuple[str, ...]:
    return SUPPORTED
