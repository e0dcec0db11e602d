"""The order of an export, on one screen (:func:`run`), and :func:`export_feeds`, which runs it."""

from __future__ import annotations

import contextlib
import functools
import os
import stat
from collections.abc import Callable
from pathlib import Path

from beritatui.core import audit_chain, clock, transitions
from beritatui.core.database import current_database, is_sqlite
from beritatui.core.errors import ValidationError
from beritatui.core.models import Unit, User
from beritatui.core.site import SiteSettings, check_exportable
from beritatui.feeds import files
from beritatui.i18n import _

from . import audit_head, extras, history, manifest, plan, scopes, source, write
from .encode import Encoder
from .layout import DIRTY, MANIFEST
from .report import ExportError, ExportReport, Progress, Tally


def run(disk: write.Disk, settings: SiteSettings, tally: Tally, *, full: bool,
        units: source.Units = source.EVERY_UNIT) -> ExportReport:
    """One export of ``units``' articles, inside the caller's lock and read transaction (the caller closes
    ``disk``)."""
    encoder = Encoder(settings, dry_run=disk.dry_run)
    articles = functools.partial(disk.folder, "articles", create=True)  # where the workers write
    try:
        since = manifest.read(disk, settings, tally, full=full)
        recovering = not disk.dry_run and disk.kind(DIRTY) is not None  # the last run was killed
        if since.full or recovering:  # started first, so the workers' imports overlap the planning
            encoder.start_team(source.count_published(units), articles)
        found = source.published(units)
        tally.start(found)
        manifest.compare(disk, since, found.rows, tally)
        public = history.read(units, now=clock.utcnow(), tombstone_days=settings.tombstone_days)
        # In this run's read transaction (the feeds' snapshot); exports' own events stay out of it (core.audit_chain).
        head = audit_chain.head(current_database(), skip_exports=True)
        members = [m for m in (extras.removed_members(settings, public), audit_head.extension(head)) if m]
        todo = plan.make(found, settings, since, recovering=recovering, present=disk.present,
                         extension=",".join(members))
        tally.kept(todo)
        more = extras.make(settings, public, todo, since, recovering=recovering, present=disk.present)
        encoder.start_team(todo.items, articles)
        if not disk.dry_run:
            disk.mark_dirty(work=todo.moves_anything, recovering=recovering)
        writer = write.Writer(disk, settings, todo, tally)
        try:
            tally.skipped(todo)
            writer.place_all(encoder.items(todo.batches(), found))
            writer.close_empty_pages()
            writer.drain()
            writer.place_articles()  # every article file on disk and in place before a page links to it
            writer.commit_pages()
            extras.write(disk, more, tally, withdrawn=False)  # changes.json and its pages, redirects.json
            audit_head.place(disk, audit_head.file_bytes(head, settings, tally.report.unit), tally)
            disk.remove_stale(todo.stale() | (disk.orphans(todo.wanted()) if recovering else set()), tally)
            extras.write(disk, more, tally, withdrawn=True)  # once no page lists the article that left
            disk.sync("articles", "tags", "")  # the pages' renames (and the removals) before the manifest's
            if not disk.dry_run:
                if todo.manifest_moved or disk.kind(MANIFEST) != stat.S_IFREG:
                    manifest.write(disk, settings, todo.keys, found.rows)
                disk.unmark_dirty()
                # The manifest's rename (the marker's removal rides along; were it lost in a power cut, the
                # next export would only rebuild everything): after this, the export is done.
                disk.sync("")
            return tally.finish()
        finally:
            encoder.stop()
            writer.stop()
    finally:
        encoder.stop()  # when it failed before the writer began


def resolve_out_dir(out_dir: str | os.PathLike[str] | None, settings: SiteSettings, unit_flag: str = "") -> Path:
    """``--out`` > the unit's own ``export_dir`` setting; a clear error naming the command that sets it."""
    chosen = str(out_dir) if out_dir else settings.export_dir
    if not chosen:
        if unit_flag:
            raise ValidationError(_("No export directory: pass --out DIR or run: beritatui site set {unit}export_dir "
                                    "DIR").format(unit=unit_flag))
        raise ValidationError(_("No export directory: pass --out DIR or run: beritatui site set export_dir DIR"))
    return Path(chosen).expanduser()


def check_ready(settings: SiteSettings, unit_flag: str = "") -> None:
    """A base URL, and only addresses a feed may carry in every URL setting (one line naming the setting)."""
    if not settings.base_url:
        if unit_flag:
            raise ValidationError(_("The site has no base_url; set it first: beritatui site set {unit}base_url "
                                    "https://…").format(unit=unit_flag))
        raise ValidationError(
            _("The site has no base_url; set it first: beritatui site set base_url https://…"))
    check_exportable(settings, unit_flag)


def export_feeds(out_dir: str | os.PathLike[str] | None, *, unit: str | int | Unit | None = None,
                 actor: User | None = None, dry_run: bool = False, full: bool = False,
                 progress: Progress | None = None, waiting: Callable[[], None] | None = None,
                 due: bool = True) -> ExportReport:
    """Write the JSON Feed files of one unit (default: the root) into ``out_dir`` (default: its export_dir).

    The unit's feeds hold its published articles and, unless its ``feed_includes_subunits`` is false,
    those of its sub-units; its own settings shape them.  Safe in a worker thread (it uses that thread's
    own database connection; the caller may release it afterwards).  Exports are read-only apart from
    publishing what is due (``due``: do that first) and, after a run that was not a dry run, one ``export``
    audit event by ``actor`` with its counts (none without an actor).
    ``waiting`` is called once when another export holds the directory for more than a second.
    """
    scope = scopes.scope_of(unit)
    settings = scope.settings
    check_ready(settings, scope.flag)
    out = resolve_out_dir(out_dir, settings, scope.flag)
    scopes.check_own_directory(scope, out)
    if not is_sqlite():
        raise ExportError(_("Export needs an SQLite database"))
    if due and not dry_run:
        transitions.publish_due()
    top = write.open_out(out, create=not dry_run)
    try:
        lock = write.export_lock(out, top, waiting) if top is not None and not dry_run else contextlib.nullcontext()
        with lock, source.small_page_cache(), current_database().atomic(lock_type="DEFERRED"):
            disk = write.Disk(out, top, dry_run=dry_run)
            try:
                tally = Tally(str(out), dry_run=dry_run, progress=progress, unit=scope.name)
                report = run(disk, settings, tally, full=full, units=scope.units)
            except files.LinkRefused as exc:
                raise write.refused_link(exc.filename, directory=exc.directory) from exc
            except OSError as exc:
                raise ExportError(
                    _("Export stopped at {path}: {reason}. Files already in place are complete; run it again.").format(
                        path=exc.filename or out, reason=exc.strerror or exc)) from exc
            finally:
                disk.close()
    finally:
        if top is not None:
            os.close(top)
    if actor is not None and not dry_run and (report.written or report.removed or full):
        _record_export(actor, report, full=full)  # a run that changed nothing (cron, every few minutes) is no event
    return report


def _record_export(actor: User, report: ExportReport, *, full: bool) -> None:
    """The audit's ``export`` event: which feed set, where, and what the run wrote (after its files are in place)."""
    from beritatui.core import audit

    with current_database().atomic():
        audit.record(actor.login, "export", unit=report.unit, out_dir=report.out_dir, articles=report.articles,
                     written=report.written, unchanged=report.unchanged, removed=report.removed, full=full)
