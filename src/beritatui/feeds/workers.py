"""A big export's items, encoded (and their article files written) by worker processes.

Why: encoding about 12 kB of JSON per article is Python work that holds the GIL, so one
process uses one core however many there are.  When an export has many items to build, two
worker processes (``python -m beritatui.feeds.workers``, started first so that their
imports overlap the exporter's planning) each take every other batch of articles: they
read them on their own read-only connection, write the article files, and send back the
page form of each item, which the exporter streams into its pages in order.  Fresh
processes rather than forks: a fork would inherit the exporter's SQLite state and any lock
another thread (the terminal app's) held at that moment.

A worker reads in its own transaction, which may see a save made after the exporter's
snapshot.  It recomputes each article's fingerprint from what it read and compares it with
the one the exporter planned with; an article that moved on in between is handed back
untouched and the exporter encodes it from its own snapshot, so every file matches the
manifest.

The protocol is pickles with a length prefix: the exporter writes the worker's whole job
(settings, the number of the ``articles/`` descriptor, its batches) and closes the pipe, so
neither side can wait on the other; the worker then answers batch by batch, and a full pipe
holds it back until the exporter has used the previous answers.

The worker writes into the ``articles/`` directory the exporter opened (the descriptor is
inherited), never into a path it opens again: a colleague swapping the folder for a symlink
meanwhile cannot redirect it.  Files are staged as the exporter's own threads stage them
(:mod:`beritatui.feeds.files`): each in a new temporary file with an unpredictable name, whose
name goes back with the answer; the exporter puts every staged file on disk at once and renames.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import sqlite3
import struct
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from beritatui.core.sitevalue import SiteSettings
from beritatui.feeds import files, jsonfeed

# Fewer items than this: starting workers costs more than they save.
PARALLEL_MIN = 1500
WORKERS = 2
_PIPE_SIZE = 1 << 20
_HEAP_ROOM = 16 << 20  # bytes kept at the top of a worker's heap (about three batches' worth)

@dataclass(frozen=True)
class Built:
    """One item a worker built: its page form, and whether its article file was rewritten (None: not asked),
    then in which temporary file of ``articles/`` it waits to be renamed into place."""

    title: str
    url: str
    page: bytes
    written: bool | None
    temp: str | None = None


@dataclass(frozen=True)
class Batch:
    """What a worker needs for a batch: public tag names, planned fingerprints, article files to write."""

    ids: list[int]
    tags: Mapping[int, list[str]]
    fingerprints: Mapping[int, str]
    files: Mapping[int, str]  # article id -> its file's path under the export directory


Answer = tuple[dict[int, Built], list[int]]


class WorkerFailed(OSError):
    """A worker stopped or reported an error; the message says which."""


def usable(items: int) -> bool:
    """Workers pay off for big exports on a machine with a second core."""
    return items >= PARALLEL_MIN and (os.cpu_count() or 1) > 1


class Team:
    """The running workers: batches go to them in turn and answers are taken back in the same order.

    A thread per worker writes its batches, so the exporter never waits on a full pipe while
    the worker waits for its answers to be read.
    """

    def __init__(self, database_file: str, settings: SiteSettings, articles: int):
        import subprocess  # here: a worker itself never starts one

        self.procs: list[subprocess.Popen[bytes]] = []
        self.queues: list[queue.SimpleQueue[Any]] = []
        try:
            for _ in range(WORKERS):
                self.procs.append(subprocess.Popen([sys.executable, "-m", "beritatui.feeds.workers"],
                                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                   stderr=subprocess.DEVNULL, env=_worker_environment(),
                                                   pass_fds=(articles,)))
        except OSError:
            self.stop()  # the ones already started; the caller exports in one process instead
            raise
        for proc in self.procs:
            _widen(proc.stdout)
            outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
            outbox.put({"database": database_file, "settings": settings, "articles": articles})
            threading.Thread(target=_send_all, args=(proc.stdin, outbox), daemon=True).start()
            self.queues.append(outbox)
        self.sent = 0
        self.taken = 0

    def add(self, batch: Batch) -> None:
        self.queues[self.sent % len(self.procs)].put(batch)
        self.sent += 1

    def next_answer(self) -> Answer:
        """The answer to the oldest batch not yet taken."""
        proc = self.procs[self.taken % len(self.procs)]
        self.taken += 1
        kind, value = _read(proc.stdout)
        if kind == "error":
            errno, strerror, filename = value
            if errno is None and not strerror:
                from beritatui.i18n import _  # here: the workers themselves never show a message

                strerror = _("an export worker stopped")
            raise WorkerFailed(errno, strerror, filename)
        return value

    def finish(self) -> None:
        """No more batches: each worker ends once it has answered what it has."""
        for outbox in self.queues:
            outbox.put(None)

    def stop(self) -> None:
        self.finish()
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()


def _worker_environment() -> dict[str, str]:
    """The exporter's environment, with glibc's allocator told to keep some room at the top of the heap.

    A worker allocates and frees a few megabytes for every batch (the rows read, the items, the
    answer); by default glibc hands that memory back each time and the next batch faults it in again,
    page by page: a third of the workers' time went to the kernel.  Other C libraries ignore the
    setting, and one set by the admin wins.
    """
    environment = dict(os.environ)
    environment.setdefault("MALLOC_TOP_PAD_", str(_HEAP_ROOM))
    return environment


def _send_all(pipe: IO[bytes] | None, outbox: queue.SimpleQueue[Any]) -> None:
    """In a thread: the job's head, then each batch as it is planned; the pipe closes after the last."""
    try:
        while (message := outbox.get()) is not None:
            _write(pipe, message)  # type: ignore[arg-type]
            pipe.flush()  # type: ignore[union-attr]
    except (BrokenPipeError, OSError, ValueError):
        pass  # the worker died; taking its answer reports it
    finally:
        with contextlib.suppress(OSError):
            pipe.close()  # type: ignore[union-attr]


def _widen(pipe: IO[bytes] | None) -> None:
    """Room for about one batch's answer in the pipe, so a worker can finish the next batch meanwhile."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_SIZE)  # type: ignore[union-attr]
    except (ImportError, AttributeError, OSError):
        pass


def _read(pipe: IO[bytes] | None) -> Any:
    """One message; a worker that stopped (or a job cut short) reads as an error answer."""
    stopped = ("error", (None, "", None))
    head = pipe.read(8)  # type: ignore[union-attr]
    if len(head) < 8:
        return stopped
    (size,) = struct.unpack("<Q", head)
    data = pipe.read(size)  # type: ignore[union-attr]
    return pickle.loads(data) if len(data) == size else stopped


def _write(pipe: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(struct.pack("<Q", len(data)) + data)


# -- inside a worker -------------------------------------------------------------------------------

def work(source: IO[bytes], sink: IO[bytes]) -> None:
    """Answer each batch in turn until the exporter closes the pipe.

    A failure is answered, not raised: the worker's error output is not shown (in the terminal
    app it would draw over the screen), so the exporter reports the reason.
    """
    _die_with_parent()
    job = _read(source)
    if not isinstance(job, dict):
        return
    try:
        settings, folder = job["settings"], job["articles"]
        # By a URI that Path.as_uri() escapes (a name holding '#' or '?' is a file name, not URI syntax);
        # core.sqlite.connect_read_only does the same, but a worker never imports the database layer.
        uri = Path(job["database"]).resolve().as_uri() + "?mode=ro"
        connection = sqlite3.connect(uri, uri=True, timeout=10, isolation_level=None)
        present = files.names_in(folder)
        while isinstance(batch := _read(source), Batch):
            _write(sink, ("ok", build(connection, settings, folder, batch, present)))
            sink.flush()
    except OSError as exc:
        _write(sink, ("error", (exc.errno, exc.strerror or str(exc), exc.filename)))
    except Exception as exc:  # noqa: BLE001 - whatever it is, the exporter must be told why
        _write(sink, ("error", (None, f"{type(exc).__name__}: {exc}"[:300], None)))


def _die_with_parent() -> None:
    """On Linux, be killed with the exporter: a worker left running could rename an article file written
    from an old read after the next export wrote a newer one."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the exporter was already gone before the call
            os._exit(1)
    except (OSError, AttributeError):
        pass


def build(connection: sqlite3.Connection, settings: SiteSettings, folder: int, batch: Batch,
          present: set[str]) -> Answer:
    """The batch's items that still match the plan (their article files staged in the open directory
    ``folder``, ``articles/``), and the ids that moved on.

    ``present`` holds the names in ``articles/`` when the worker started: any other file is new,
    so there is nothing on disk to compare its bytes with.
    """
    execute = connection.execute
    execute("BEGIN")
    try:
        items = jsonfeed.encode_items(settings, batch.ids, batch.tags, execute, batch.fingerprints)
    finally:
        execute("COMMIT")
    built = {}
    for article_id, item in items.items():
        rel = batch.files.get(article_id)
        written, temp = None, None
        if rel is not None:
            data = jsonfeed.article_feed_bytes(settings, rel, item)
            name = rel.rpartition("/")[2]
            temp = files.stage(folder, name, data, name in present)
            written = temp is not None
        built[article_id] = Built(item.title, item.url, item.page, written, temp)
    return built, [article_id for article_id in batch.ids if article_id not in items]


if __name__ == "__main__":
    # Run as the package's module, not as ``__main__``: the batches arrive pickled as its classes.
    from beritatui.feeds import workers as _module

    _module.work(sys.stdin.buffer, sys.stdout.buffer)
