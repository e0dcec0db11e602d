"""What an export tells its caller: the report it returns (or the error it raises), kept by one :class:`Tally`.

Every count, every path listed as written or removed, every warning and every progress tick of a
run goes through the run's one Tally, so what the report says and what the progress bar showed
come from the same place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from beritatui.core.errors import BeritaError
from beritatui.core.textfile import brief
from beritatui.i18n import _, ngettext

if TYPE_CHECKING:
    from .plan import Plan
    from .source import Published

Progress = Callable[[int, int], None]
_WARNINGS = 100
_PATHS = 1000  # paths listed as written or removed (the counts go on)
_TICK = 200  # progress is reported every this many steps (and at the end)


class ExportError(BeritaError):
    """The export could not finish; files already in place are each complete (old or new)."""


@dataclass
class ExportReport:
    out_dir: str
    articles: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    dry_run: bool = False
    changed_paths: list[str] = field(default_factory=list)
    removed_paths: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # at most _WARNINGS; ``warned`` counts them all
    warned: int = 0
    unit: str = ""  # the unit whose feed set this is

    def warn(self, message: str) -> None:
        self.warned += 1
        if len(self.warnings) < _WARNINGS:
            self.warnings.append(brief(message))

    def as_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "out_dir": self.out_dir, "articles": self.articles, "written": self.written,
                "unchanged": self.unchanged, "removed": self.removed, "dry_run": self.dry_run,
                "warnings": list(self.warnings)}

    def summary(self) -> str:
        text = _("{written} written, {unchanged} unchanged, {removed} removed").format(
            written=self.written, unchanged=self.unchanged, removed=self.removed)
        if self.warned:
            text = _("{summary}; {warnings}").format(summary=text, warnings=ngettext(
                "{n} warning", "{n} warnings", self.warned).format(n=self.warned))
        return _("Dry run: {summary}").format(summary=text) if self.dry_run else text


class Tally:
    """One run's counts, path lists, warnings and progress.

    Progress counts steps: each article and each page slot once when it is built or found
    unchanged, and each article file once (``total`` is set when the published rows are known).
    """

    def __init__(self, out_dir: str, *, dry_run: bool, progress: Progress | None, unit: str = ""):
        self.report = ExportReport(out_dir=out_dir, dry_run=dry_run, unit=unit)
        self.progress = progress
        self.done = 0
        self.total = 0

    def start(self, found: Published) -> None:
        """The published rows are known: how many steps the run takes, and why some were left out."""
        for warning in found.unsafe:
            self.warn(warning)
        self.total = 2 * len(found.rows) + sum(len(rows) for _id, _name, _slug, rows in found.tags)

    def kept(self, plan: Plan) -> None:
        """The pages kept as they are (their key is the manifest's): counted as unchanged, their rows done."""
        for _rel, rows in plan.kept():
            self.report.unchanged += 1
            self.tick(rows)

    def skipped(self, plan: Plan) -> None:
        """Before the first item: the published articles, and those left as they are without a visit."""
        self.report.articles = len(plan.rows)
        if not plan.walk:
            self.report.unchanged += plan.unchanged_articles
            self.tick(plan.unchanged_articles)

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None and (self.done % _TICK == 0 or self.done >= self.total):
            self.progress(min(self.done, self.total), self.total)

    def written(self, rel: str) -> None:
        self.report.written += 1
        if len(self.report.changed_paths) < _PATHS:
            self.report.changed_paths.append(rel)

    def unchanged(self, n: int = 1) -> None:
        self.report.unchanged += n

    def removed(self, rel: str) -> None:
        self.report.removed += 1
        if len(self.report.removed_paths) < _PATHS:
            self.report.removed_paths.append(rel)

    def warn(self, message: str) -> None:
        self.report.warn(message)

    def mark(self) -> tuple[int, int]:
        """Where the warnings are now, for :meth:`take_back`."""
        return len(self.report.warnings), self.report.warned

    def take_back(self, mark: tuple[int, int]) -> None:
        """Forget the warnings given since ``mark`` (what they were about turned out not to be read at all)."""
        del self.report.warnings[mark[0]:]
        self.report.warned = mark[1]

    def finish(self) -> ExportReport:
        if self.progress is not None:
            self.progress(self.total, self.total)
        return self.report
