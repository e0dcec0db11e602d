"""A feed set per unit: whose articles a unit's feeds hold, where they go, and ``beritatui export`` for every unit.

A unit's feeds hold its own published articles and, unless its ``feed_includes_subunits`` is false, those
of its sub-units (so the regional site shows everything below it); the unit's own settings (inherited
where it sets none) shape them.  Each unit writes into its own ``export_dir``, which is never inherited:
a unit without one is skipped, with a line saying so.  Two units never write one directory (each
directory has one manifest, one lock and one feed set), so an export into a directory that is, holds or
lies inside another unit's is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from beritatui.core import site, site_checks, transitions, units
from beritatui.core.errors import BeritaError
from beritatui.core.models import Unit, User
from beritatui.core.sitevalue import SiteSettings
from beritatui.i18n import _

from .report import ExportError, ExportReport, Progress
from .source import EVERY_UNIT, Units


@dataclass(frozen=True)
class Scope:
    """One unit's feed set: its settings, whose articles it holds, and how a command names the unit."""

    unit_id: int
    name: str
    settings: SiteSettings
    units: Units
    flag: str  # "--unit SLUG " in the commands a message names; "" for the root (``site set`` sets the root's)


def scope_of(unit: str | int | Unit | None) -> Scope:
    """The feed set of ``unit`` (default: the root)."""
    target = units.root() if unit is None else units.get_unit(unit)
    values = site.raw_settings(target)
    held = units.subtree_ids(target) if values["feed_includes_subunits"] == "true" else [target.id]
    root_id = units.root_id()
    everything = set(held) == set(units.names())
    chosen = EVERY_UNIT if everything else Units(tuple(sorted(held)), unitless=root_id in held)
    flag = "" if target.id == root_id else f"--unit {target.slug} "
    return Scope(target.id, target.name, site.get_settings(target), chosen, flag)


def check_own_directory(scope: Scope, out: Path) -> None:
    """Refuse a directory that is, holds or lies inside another unit's export_dir (one line naming it)."""
    owner = site_checks.export_dir_owner(str(out), scope.unit_id, units.root_id())
    if owner is not None:
        raise ExportError(_("Not exporting {unit} into {path}: it is or overlaps the export_dir of {other}; every "
                            "unit needs a directory of its own").format(
            unit=scope.name, path=out, other=units.get_unit(owner).name))


@dataclass
class Outcome:
    """What ``beritatui export`` did for one unit: a report, a skip (no export_dir) or an error line."""

    unit: str
    report: ExportReport | None = None
    skipped: str = ""
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        if self.report is not None:
            return self.report.as_dict()
        return {"unit": self.unit, **({"skipped": self.skipped} if self.skipped else {"error": self.error})}

    def line(self) -> str:
        """One line: the unit, where its feeds went and the counts (or why it was skipped or failed)."""
        if self.report is not None:
            return _("{unit} → {path}: {summary}").format(unit=self.unit, path=self.report.out_dir,
                                                          summary=self.report.summary())
        return self.skipped or _("{unit}: {error}").format(unit=self.unit, error=self.error)


@dataclass
class UnitsExport:
    """Every unit's outcome, in tree order."""

    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(o.error for o in self.outcomes) or not any(o.report for o in self.outcomes)

    @property
    def reports(self) -> list[ExportReport]:
        return [o.report for o in self.outcomes if o.report is not None]

    def as_dict(self) -> dict[str, Any]:
        return {"units": [o.as_dict() for o in self.outcomes]}


def skipped_line(unit: Unit) -> str:
    return _("Skipped {unit}: it has no export_dir; set one with: beritatui site set --unit {slug} export_dir "
             "DIR").format(unit=unit.name, slug=unit.slug)


def export_units(*, actor: User | None = None, dry_run: bool = False, full: bool = False,
                 progress: Progress | None = None, waiting: Callable[[], None] | None = None) -> UnitsExport:
    """Each unit's feed set into its own export_dir (what is due is published once, first).

    A unit without an export_dir is skipped; one that fails (no base_url, a directory that is not one)
    is reported and the others still go out.
    """
    from .run import export_feeds

    if not dry_run:
        transitions.publish_due()
    done = UnitsExport()
    for unit in units.all_units():
        if not site.raw_settings(unit)["export_dir"]:
            done.outcomes.append(Outcome(unit.name, skipped=skipped_line(unit)))
            continue
        try:
            report = export_feeds(None, unit=unit, actor=actor, dry_run=dry_run, full=full, progress=progress,
                                  waiting=waiting, due=False)
        except BeritaError as exc:
            done.outcomes.append(Outcome(unit.name, error=str(exc)))
        else:
            done.outcomes.append(Outcome(unit.name, report=report))
    return done


def single_unit() -> bool:
    """Whether the database has one unit only (then ``beritatui export`` is what it always was)."""
    return len(units.names()) == 1
