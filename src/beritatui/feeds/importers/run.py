"""``import_paths``: the order of an import, from the paths named to the report.

Walk the files, read and render each before any lock is held, apply each source in its own
transaction (a dry run: all in one, rolled back), and report what was skipped and why.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from beritatui.core.articles import Rendered, prerender
from beritatui.core.bulk import IMPORT_STATES
from beritatui.core.database import current_database
from beritatui.core.errors import BeritaError, NotFound, ValidationError
from beritatui.core.models import User
from beritatui.core.textfile import brief
from beritatui.core.users import require
from beritatui.i18n import _

from .apply import apply_source
from .reading import read_sources
from .report import ImportReport
from .source import ImportProblem, Source
from .walk import Found, walk


class _DryRun(Exception):
    """Raised at the end of a dry run to roll every change back."""


def import_paths(actor: User, paths: list[str | Path], *, dry_run: bool = False,
                 status: str | None = None, keep_status: bool = False) -> ImportReport:
    """Import files and directories; bad files are reported and skipped, the rest goes in.

    Articles arrive as drafts unless ``status`` names another state or ``keep_status`` takes the
    one the source gives (see :func:`apply_source`); only an editor may import at all.
    ``dry_run`` runs the whole import inside one transaction and rolls it back,
    so the report is exact and nothing is kept.
    """
    # The role as it is now; each article's transaction asks again (set_imported_state), so a login
    # demoted in the middle of an import writes nothing more.
    actor = require(actor, "editor", _("Only an editor may import articles"))
    if status is not None and status not in IMPORT_STATES:
        raise ValidationError(_("--status must be one of: {statuses}").format(statuses=", ".join(IMPORT_STATES)))
    if status is not None and keep_status:
        raise ValidationError(_("Give either --status or --keep-status, not both"))
    for path in paths:
        if not os.path.lexists(path):
            raise NotFound(_("No file or directory {path}").format(path=brief(str(path), 500)))
    report = ImportReport(dry_run=dry_run)
    found = walk([Path(p) for p in paths])
    if not dry_run:
        _import_sources(actor, _prepared(found, report), status, keep_status, report)
        _record_import(actor, paths, report)
        return report
    # A dry run must roll everything back, so it is one transaction: every file is read and
    # rendered first, and the transaction holds the write lock only for the SQL.
    prepared = list(_prepared(found, report))
    try:
        with current_database().atomic():
            _import_sources(actor, prepared, status, keep_status, report)
            raise _DryRun
    except _DryRun:
        pass
    return report


def _record_import(actor: User, paths: list[str | Path], report: ImportReport) -> None:
    """The audit's ``import`` event: what was read and what came of it (each article has its own events too).

    None when nothing came in: a refused file leaves the database as it was.
    """
    from beritatui.core import audit

    if not (report.created or report.updated):
        return
    named = [brief(str(p), 200) for p in paths[:5]]
    with current_database().atomic():
        audit.record(actor.login, "import", paths=named, created=report.created, updated=report.updated,
                     unchanged=report.unchanged, skipped=report.skipped)


Prepared = tuple[Path, Source, Rendered | None]


def _prepared(found: Iterable[Found | tuple[Path, str]], report: ImportReport) -> Iterator[Prepared]:
    """Each file read and each body rendered (no database lock is held meanwhile); problems go in the report.

    Each file is read as soon as the walk finds it, while its directory is open.
    """
    for entry in found:
        if isinstance(entry, tuple):
            report.skip(*entry)
            continue
        path = entry.path
        try:
            sources = read_sources(path, entry.dir_fd)
        except (ImportProblem, BeritaError) as exc:
            report.skip(path, exc)
            continue
        except RecursionError:
            report.skip(path, _("cannot be read: nested too deeply"))
            continue
        except Exception as exc:  # noqa: BLE001 - a parser choking on one file must not stop the others
            report.skip(path, _("cannot be read: {reason}").format(reason=brief(f"{type(exc).__name__}: {exc}", 200)))
            continue
        for source in sources:
            if isinstance(source, ImportProblem):
                report.skip(path, source)
                continue
            try:
                rendered = prerender(source.body)
            except BeritaError as exc:
                report.skip(path, exc)
                continue
            yield path, source, rendered


def _import_sources(actor: User, prepared: Iterable[Prepared], status: str | None, keep_status: bool,
                    report: ImportReport) -> None:
    for path, source, rendered in prepared:
        try:
            action, article = apply_source(actor, source, status, rendered, keep_status=keep_status)
        except (BeritaError, ImportProblem) as exc:
            report.skip(path, exc)
            continue
        setattr(report, action, getattr(report, action) + 1)
        report.articles.append((action, article.slug, article.status))
