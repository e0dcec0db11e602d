"""Bytes onto disk in crash-safe order: the only code that writes, renames or removes in the export directory.

The order, and why (a crash at any moment leaves each file old or new, and every link resolvable):

1. The dirty marker (:meth:`Disk.mark_dirty`) before the first write: a killed run is known next time.
2. Article files and pages are staged in temporary files (article files by two writer threads or the
   worker processes, pages item by item as their items arrive), never renamed yet.
3. Everything staged is put on disk by one ``syncfs`` of its file system (:meth:`Writer.place_articles`);
   then the article files are renamed into place and ``articles/`` synced: every article file is there
   before a page that lists it.
4. The pages (:meth:`Writer.commit_pages`): tag feeds, then the main feed; within a feed the last page
   first, so ``next_url`` always resolves.
5. Stale files (:meth:`Disk.remove_stale`): pages no longer produced, then the article files of articles
   that left; then ``articles/``, ``tags/`` and the export directory are synced.
6. The manifest (:mod:`.manifest`), ``fdatasync``-ed before its rename; the marker removed; the
   directory synced.  Only then does the export report.

Everything is named inside directories opened once without following a symlink
(:mod:`beritatui.feeds.files`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from beritatui.core.fsio import target_name
from beritatui.core.sitevalue import SiteSettings
from beritatui.feeds import files, jsonfeed, workers
from beritatui.i18n import _

from . import encode
from .layout import DIRTY, FOLDERS, LOCK, article_path, feed_file
from .plan import Feed, Plan, Slot
from .report import ExportError, Tally
from .source import Row

LOCK_WAIT = 120.0  # seconds an export waits for another one writing the same directory
LOCK_POLL = 0.05
LOCK_NOTICE = 1.0  # after this long, the caller's ``waiting`` is told once
_PENDING = 64  # article files handed to the writer threads and not yet taken back


class Disk:
    """The export directory during one run: its folders, this run's temporary files, what to sync.

    ``top`` is the export directory, opened by the caller without following a symlink (None in a
    dry run of a directory that does not exist yet); ``articles/`` and ``tags/`` are opened inside
    it the same way when first needed, and every file is named inside one of the three.
    """

    def __init__(self, out: Path, top: int | None, *, dry_run: bool):
        self.out, self.dry_run = out, dry_run
        self.folders: dict[str, int | None] = {"": top}
        self.tmp_files: set[tuple[int, str]] = set()  # (folder, name) of this run's temporary files
        self.touched: set[str] = set()  # folders where something was renamed or removed (synced once)

    @property
    def top(self) -> int | None:
        return self.folders[""]

    def folder(self, key: str, *, create: bool) -> int | None:
        """The open directory ``key`` ("", "articles" or "tags"); None while it does not exist."""
        fd = self.folders.get(key)
        if fd is None and key and self.folders[""] is not None and (create or key not in self.folders):
            fd = self.folders[key] = files.open_folder(
                self.folders[""], key, create=create and not self.dry_run, shown=str(self.out / key))
        return fd

    def where(self, rel: str, *, create: bool = False) -> tuple[int | None, str]:
        """(open directory, name) of ``rel``, one of the export's own paths."""
        folder, _sep, name = rel.rpartition("/")
        return self.folder(folder, create=create), name

    def kind(self, name: str) -> int | None:
        """The file type bits of ``name`` in the export directory itself (a symlink is a symlink)."""
        return files.kind(self.folders[""], name)

    def present(self, rel: str) -> bool:
        """Whether ``rel`` is a regular file (not followed through a symlink)."""
        return files.regular_size(*self.where(rel)) is not None

    def temp(self, rel: str) -> tuple[int, str]:
        """A new, empty temporary file beside ``rel`` (same directory, so the rename is atomic)."""
        folder, name = self.where(rel, create=True)
        assert folder is not None
        fd, tmp = files.new_temp(folder, name)
        os.close(fd)
        self.tmp_files.add((folder, tmp))
        return folder, tmp

    def rename(self, folder: int, tmp: str, rel: str) -> None:
        files.replace(folder, tmp, rel.rpartition("/")[2])
        self.tmp_files.discard((folder, tmp))
        self.touched.add(rel.rpartition("/")[0])

    def drop(self, folder: int | None, tmp: str | None) -> None:
        if folder is not None and tmp is not None:
            files.discard(folder, tmp)
            self.tmp_files.discard((folder, tmp))

    def sync(self, *keys: str) -> None:
        """The renames and removals in these folders made durable, once each."""
        for key in keys:
            if key in self.touched:
                files.sync_folder(self.folders.get(key))
                self.touched.discard(key)

    def flush(self) -> None:
        """Everything written so far on disk: one flush of each file system the folders are on."""
        devices = {}
        for fd in self.folders.values():
            if fd is not None:
                devices.setdefault(os.fstat(fd).st_dev, fd)
        for fd in devices.values():  # one file system (or one for each folder on its own)
            files.flush(fd)

    def mark_dirty(self, *, work: bool, recovering: bool) -> None:
        """Before the first write (and synced when there is ``work`` to do, so it is there after a power cut
        too); when ``recovering``, also sweep the temporary files the killed run left, in the export's own
        folders only.

        A symlink or other non-file at the marker's name is replaced: this runs under the export lock, so no
        other export uses the name, and removing a link never touches what it points to.
        """
        top = self.folders[""]
        assert top is not None
        if recovering:
            for key in FOLDERS:
                files.sweep_temporary(self.folder(key, create=False))
        kind = files.kind(top, DIRTY)
        if kind == stat.S_IFDIR:
            raise files.LinkRefused(errno.EISDIR, str(self.out / DIRTY), directory=False)
        if kind is not None and kind != stat.S_IFREG:
            files.remove(top, DIRTY)
        os.close(os.open(DIRTY, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o666,
                         dir_fd=top))
        if work:
            files.sync_folder(top)

    def unmark_dirty(self) -> None:
        """The marker removed (its removal rides along with the manifest's rename, synced next)."""
        with contextlib.suppress(FileNotFoundError):  # removed by hand meanwhile: the same end
            os.unlink(DIRTY, dir_fd=self.folders[""])

    def remove_stale(self, stale: set[str], tally: Tally) -> None:
        """Files no longer part of the export go last; pages before article files: a page no longer produced
        may still list an article that left, and a run killed between the two removals must not leave that
        page pointing at a removed file.

        Every path here is one of the export's own (checked when the manifest was read, or found in its
        folders), removed inside its open folder: the name itself goes, a symlink is not followed.
        """
        for rel in sorted(stale, key=lambda rel: (rel.startswith("articles/"), rel)):
            folder, name = self.where(rel)
            kind = files.kind(folder, name)
            if kind is None:
                continue
            if kind == stat.S_IFDIR:
                tally.warn(_("Left {path} in place: it should be a file, it is a directory").format(
                    path=self.out / rel))
                continue
            tally.removed(rel)
            if not self.dry_run and folder is not None and files.remove(folder, name):
                self.touched.add(rel.rpartition("/")[0])

    def orphans(self, wanted: set[str]) -> set[str]:
        """After a killed run: feed files on disk that no manifest knows (pages and article files it wrote
        for a state that has since changed), which would otherwise stay, pointing at removed files."""
        found: set[str] = set()
        for key in FOLDERS:
            with contextlib.suppress(OSError):
                folder = self.folder(key, create=False)
                if folder is None:
                    continue
                with files.listing(folder) as entries:
                    for entry in entries:
                        rel = f"{key}/{entry.name}" if key else entry.name
                        if (feed_file(key, entry.name) and rel not in wanted
                                and not entry.is_dir(follow_symlinks=False)):
                            found.add(rel)
        return found

    def close(self) -> None:
        """This run's temporary files removed, its folders closed (not the top: the caller's)."""
        for folder, tmp in list(self.tmp_files):
            with contextlib.suppress(OSError):
                files.discard(folder, tmp)
        self.tmp_files.clear()
        for key in FOLDERS[1:]:
            fd = self.folders.pop(key, None)
            if fd is not None:
                os.close(fd)


class Writer:
    """A run's files as their items arrive: article files staged (by two writer threads while the exporter
    builds the next items: creating a file is kernel time, without the GIL), pages streamed item by item
    into their temporary files, then everything renamed in the order of the module docstring."""

    def __init__(self, disk: Disk, settings: SiteSettings, plan: Plan, tally: Tally):
        self.disk, self.settings, self.plan, self.tally = disk, settings, plan, tally
        self.threads = None if disk.dry_run else ThreadPoolExecutor(2, thread_name_prefix="export-writer")
        self.pending: deque[tuple[str, Future[str | None]]] = deque()  # results are taken in order
        self.staged_articles: list[str] = []  # temporary names in articles/ (each is "." + name + ".<hex>.tmp")
        self.sinks: dict[tuple[Feed, int], files.StreamedFile] = {}  # pages being written
        self.staged_pages: dict[Feed, list[tuple[int, str, str]]] = {}  # (number, temporary name, page)

    # -- article files ---------------------------------------------------------------------------
    def place_all(self, encoded: Iterable[encode.Encoded]) -> None:
        """Every batch as the encoder hands it over (none is held once placed: its items are big)."""
        for batch, items, built in encoded:
            self.place(batch, items, built)

    def place(self, batch: list[Slot], items: dict[int, jsonfeed.EncodedItem],
              built: dict[int, workers.Built]) -> None:
        """Article files (unless a worker wrote them) and page slots, in batch order."""
        rebuild = self.plan.rebuild
        for row, changed, slots in batch:
            if row.id in built:
                done = built[row.id]
                page = done.page
                if changed and done.written is not None:
                    self._article_done(article_path(row.slug), done.temp)
            elif row.id in items:
                page = items[row.id].page
                if changed:
                    self._article_file(row, items[row.id])
            else:
                continue
            for feed, number in slots:
                sink = self.sinks.get((feed, number))
                if sink is None:
                    sink = self.sinks[feed, number] = self._open_page(feed, number)
                sink.add(page)
                if sink.count == rebuild[feed][number][1]:
                    self._close_page(feed, number, self.sinks.pop((feed, number)))

    def _article_file(self, row: Row, item: jsonfeed.EncodedItem) -> None:
        """Staged by a writer thread (renamed into place once everything is on disk: :meth:`place_articles`)."""
        rel = article_path(row.slug)
        data = encode.article_file(self.settings, row.slug, item)
        if self.threads is None:
            same = files.same_bytes(self.disk.folder("articles", create=False), f"{row.slug}.json", data)
            self._article_done(rel, None if same else "")
            return
        folder = self.disk.folder("articles", create=True)
        self.pending.append((rel, self.threads.submit(files.stage, folder, f"{row.slug}.json", data)))
        while len(self.pending) > _PENDING:
            self._article_done(*self._next_pending())

    def _next_pending(self) -> tuple[str, str | None]:
        rel, future = self.pending.popleft()
        return rel, future.result()

    def _article_done(self, rel: str, temp: str | None) -> None:
        """An article file staged as ``temp`` ("" in a dry run), or unchanged (None)."""
        if temp is not None:
            self.tally.written(rel)
            if temp:
                self.staged_articles.append(temp)
        else:
            self.tally.unchanged()
        self.tally.tick()

    def drain(self) -> None:
        """Every article file staged (or the first error raised)."""
        while self.pending:
            self._article_done(*self._next_pending())

    def place_articles(self) -> None:
        """Everything staged (article files and pages) on disk at once, then the article files renamed into
        place, and ``articles/`` synced: every article file is there before a page that lists it."""
        if self.disk.dry_run or not (self.staged_articles or any(self.staged_pages.values())):
            return
        self.disk.flush()
        folder = self.disk.folders.get("articles")
        assert folder is not None or not self.staged_articles
        for temp in self.staged_articles:  # on a failure, stop() discards those left (the renamed are gone)
            files.replace(folder, temp, target_name(temp))
            self.disk.touched.add("articles")
        self.staged_articles.clear()
        self.disk.sync("articles")

    # -- pages -------------------------------------------------------------------------------------
    def _open_page(self, feed: Feed, number: int) -> files.StreamedFile:
        """A page is streamed into its temporary file item by item, so no page is ever held in memory."""
        rel = feed.path(number)
        head = encode.page_head(self.settings, feed, number)
        if self.disk.dry_run:
            return files.StreamedFile(head, *self.disk.where(rel), None)
        folder, tmp = self.disk.temp(rel)
        return files.StreamedFile(head, folder, rel.rpartition("/")[2], tmp)

    def _close_page(self, feed: Feed, number: int, sink: files.StreamedFile) -> None:
        """Keep the page if its bytes changed (staged for :meth:`commit_pages`), else drop the temporary file."""
        rel = feed.path(number)
        count = self.plan.rebuild[feed][number][1]
        unchanged = sink.close()
        self.tally.tick(count)
        if unchanged:
            self.tally.unchanged()
            self.disk.drop(sink.folder, sink.tmp)
            return
        self.tally.written(rel)
        if sink.tmp is not None:
            self.staged_pages.setdefault(feed, []).append((number, sink.tmp, rel))

    def close_empty_pages(self) -> None:
        """Pages that show no article (the main feed's only page, while nothing is published)."""
        for feed in self.plan.feeds:
            for number in sorted(self.plan.rebuild[feed]):
                if self.plan.rebuild[feed][number][1] == 0:
                    self._close_page(feed, number, self._open_page(feed, number))

    def commit_pages(self) -> None:
        """Tag feeds, then the main feed; within a feed the last page first, so ``next_url`` always resolves."""
        for feed in self.plan.feeds:
            for _number, tmp, rel in sorted(self.staged_pages.get(feed, ()), reverse=True):
                folder, _name = self.disk.where(rel)
                assert folder is not None
                self.disk.rename(folder, tmp, rel)

    def stop(self) -> None:
        """Threads stopped, and the article files staged but never renamed removed."""
        if self.threads is not None:
            self.threads.shutdown(wait=True, cancel_futures=True)
        articles = self.disk.folders.get("articles")
        for temp in self.staged_articles if articles is not None else ():
            with contextlib.suppress(OSError):
                files.discard(articles, temp)
        self.staged_articles.clear()


# -- the export directory ------------------------------------------------------------------------------

def refused_link(path: object, *, directory: bool = True) -> ExportError:
    """One line for a name in the export directory that is not what the export needs (a planted link?)."""
    if os.path.islink(str(path)):
        message = _("Not exporting: {path} is a symbolic link, and an export never follows one; "
                    "remove it and export again")
    elif directory:
        message = _("Not exporting: {path} is not a directory; remove it and export again")
    else:
        message = _("Not exporting: {path} is not a regular file; remove it and export again")
    return ExportError(message.format(path=path))


def open_out(out: Path, *, create: bool) -> int | None:
    """The export directory, opened without following a symlink at its own name (created when asked)."""
    if out.is_symlink():
        raise refused_link(out)
    if out.exists() and not out.is_dir():
        raise ExportError(_("{path} is not a directory").format(path=out))
    if create:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(_("Cannot create {path}: {reason}").format(path=out, reason=exc.strerror)) from exc
    try:
        return files.open_folder(None, str(out), create=False)
    except files.LinkRefused as exc:
        raise refused_link(out) from exc
    except OSError as exc:
        raise ExportError(_("Cannot open {path}: {reason}").format(path=out, reason=exc.strerror)) from exc


@contextlib.contextmanager
def export_lock(out: Path, top: int, waiting: Callable[[], None] | None) -> Iterator[None]:
    """One export per directory at a time: a second one waits for the first (up to :data:`LOCK_WAIT`
    seconds, looking every :data:`LOCK_POLL`; ``waiting`` is called once if it waits more than
    :data:`LOCK_NOTICE`), then runs; past the bound it fails with the reason.

    The lock file is opened without following a symlink: a link there is refused, never replaced,
    since two exports replacing it at once could each lock a different file.
    """
    try:
        fd = os.open(LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o666, dir_fd=top)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO):
            raise refused_link(out / LOCK, directory=False) from exc
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise refused_link(out / LOCK, directory=False)
        started = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as exc:
                waited = time.monotonic() - started
                if waited >= LOCK_WAIT:
                    raise ExportError(_("Another export is writing to {path}; try again when it ends").format(
                        path=out)) from exc
                if waiting is not None and not told and waited >= LOCK_NOTICE:
                    told = True
                    waiting()
                time.sleep(LOCK_POLL)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
