"""Checks for the per-unit settings that are not about the website's addresses: the feed's reach, the review
rules, the corrections rule, and the one-directory-per-unit rule of ``export_dir``.

:mod:`beritatui.core.site` registers each check with its key; the services that follow a rule (the
approval chain, corrections) only read the stored value with ``unit_settings.value`` — it was checked
here on the way in, so they trust its spelling.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from beritatui.core.errors import ValidationError
from beritatui.core.models import Setting, UnitSetting
from beritatui.i18n import _

REVIEW_STEPS = ("unit", "parent", "root")  # who approves a step: an editor of the article's unit, its parent, the root
MAX_REVIEW_STEPS = 5


def choice(key: str, allowed: tuple[str, ...]) -> Callable[[str], str]:
    """One of ``allowed`` (any case, stored in lower case)."""

    def check(value: str) -> str:
        word = value.strip().lower()
        if word not in allowed:
            raise ValidationError(_("{key} must be one of: {allowed}").format(key=key, allowed=", ".join(allowed)))
        return word

    return check


def check_review_steps(value: str) -> str:
    """A comma-separated list of ``unit``, ``parent`` and ``root``, 1 to 5 items, in the order they approve."""
    steps = [part.strip().lower() for part in value.split(",")]
    if not 1 <= len(steps) <= MAX_REVIEW_STEPS or any(step not in REVIEW_STEPS for step in steps):
        raise ValidationError(_("review_steps must be 1 to {n} of {allowed}, separated by commas "
                                "(for example unit,parent)").format(n=MAX_REVIEW_STEPS,
                                                                    allowed=", ".join(REVIEW_STEPS)))
    return ",".join(steps)


# --- one export_dir per unit ------------------------------------------------------------------------

def export_dirs() -> dict[int | None, str]:
    """Every unit's own export_dir by unit id (the root's, from the ``setting`` table, under ``None``)."""
    found: dict[int | None, str] = {}
    root = Setting.get_or_none(Setting.key == "export_dir")
    if root is not None and root.value:
        found[None] = root.value
    for row in UnitSetting.select().where((UnitSetting.key == "export_dir") & (UnitSetting.value != "")):
        found[row.unit_id] = row.value
    return found


def _where(path: str) -> Path:
    """``path`` as the directory it names (``~`` expanded, relative to here, links followed where they exist)."""
    try:
        return Path(path).expanduser().resolve(strict=False)
    except (OSError, RuntimeError):  # a link loop: compare it as written
        return Path(path).expanduser().absolute()


def overlaps(first: str, second: str) -> bool:
    """Whether two directories are one, or one lies inside the other."""
    a, b = _where(first), _where(second)
    return a == b or a.is_relative_to(b) or b.is_relative_to(a)


def export_dir_owner(path: str, unit_id: int, root_id: int) -> int | None:
    """The unit (other than ``unit_id``) whose export_dir equals, holds or lies inside ``path``; None: free."""
    for owner, theirs in export_dirs().items():
        owner_id = root_id if owner is None else owner
        if owner_id != unit_id and overlaps(path, theirs):
            return owner_id
    return None
