"""What an import did: counts, the articles it touched, and every file or item it skipped and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from beritatui.core.bulk import IMPORT_STATES
from beritatui.core.textfile import brief
from beritatui.i18n import _, ngettext


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    dry_run: bool = False
    problems: list[tuple[str, str]] = field(default_factory=list)
    articles: list[tuple[str, str, str]] = field(default_factory=list)  # (action, slug, status now)

    def skip(self, path: str | Path, reason: object) -> None:
        """One file or item left out: its path and why, each made one short line (never the input itself)."""
        self.skipped += 1
        self.problems.append((brief(str(path), 500), brief(str(reason))))

    def statuses(self) -> dict[str, int]:
        """How many of the articles created or updated are now in each status."""
        counts: dict[str, int] = {}
        for action, _slug, status in self.articles:
            if action != "unchanged":
                counts[status] = counts.get(status, 0) + 1
        return counts

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "skipped": self.skipped, "dry_run": self.dry_run, "statuses": self.statuses(),
                "problems": [{"path": path, "reason": reason} for path, reason in self.problems],
                "articles": [{"action": action, "slug": slug, "status": status}
                             for action, slug, status in self.articles]}

    def summary(self) -> str:
        """``3 created, 1 updated, 0 unchanged, 0 skipped; 3 as drafts, 1 published``."""
        text = _("{created} created, {updated} updated, {unchanged} unchanged, {skipped} skipped").format(
            created=self.created, updated=self.updated, unchanged=self.unchanged, skipped=self.skipped)
        counts = self.statuses()
        if counts:
            where = ", ".join(_status_count(status, counts[status]) for status in IMPORT_STATES if status in counts)
            text = _("{counts}; {statuses}").format(counts=text, statuses=where)
        return _("Dry run: {summary}").format(summary=text) if self.dry_run else text


def _status_count(status: str, n: int) -> str:
    if status == "draft":
        return ngettext("{n} as a draft", "{n} as drafts", n).format(n=n)
    if status == "review":
        return ngettext("{n} in review", "{n} in review", n).format(n=n)
    if status == "published":
        return ngettext("{n} published", "{n} published", n).format(n=n)
    return ngettext("{n} archived", "{n} archived", n).format(n=n)
