"""The export's files: written, compared and removed inside open directories, never through a symlink.

The export directory is shared by the newsroom's group, so any colleague may replace a name in
it at any moment (by a symlink to someone's private file, a FIFO, a directory).  Everything the
export does there therefore goes through these few functions, shared by the exporter's writer
threads and its worker processes:

* A directory (the export directory, ``articles/``, ``tags/``) is opened once, refusing a symlink
  (:class:`LinkRefused`), and every name is then taken inside that descriptor (``openat``,
  ``renameat``, ``unlinkat``): swapping the folder for a symlink during the run changes nothing.
* A file is written to a new temporary file with an unpredictable name, created with
  ``O_CREAT | O_EXCL | O_NOFOLLOW`` (:func:`beritatui.core.fsio.create_exclusive`), and later
  renamed over its target: a rename replaces a symlink, it never writes through one.  Its mode is
  what the person's umask leaves of ``0o666``, as before.
* Durable before renamed: the many files of an export are staged first (:func:`stage`), then put
  on disk together by one :func:`flush` of their file system, then renamed.  One flush costs about
  what one ``fsync`` does; an ``fdatasync`` per file made a full export on disk five times slower.
* A file in place is read only when it is a regular file, opened with ``O_NOFOLLOW | O_NONBLOCK``
  and checked with ``fstat`` on that descriptor: a symlink is never read and a FIFO never blocks.
  Anything else simply "differs", so it is replaced.
* Leftover temporary files are removed only when they are regular files of the directory itself.
* A directory is listed through a description of its own (:func:`listing`): the worker processes
  inherit the exporter's descriptors, and listings sharing one see only part of the names.
* A big file (a feed page, the manifest) is streamed into its temporary file block by block
  (:class:`StreamedFile`), each block compared with the same stretch of the file in place, so
  whether its bytes changed is known at the end without holding or hashing it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator

from beritatui.core.fsio import create_exclusive, temp_name, write_all

_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class LinkRefused(OSError):
    """A directory or file the export must use is a symbolic link, or not a directory (``directory``)
    or not a regular file; ``filename`` says which."""

    def __init__(self, code: int, path: str, *, directory: bool):
        super().__init__(code, os.strerror(code), path)
        self.directory = directory


def open_folder(parent: int | None, name: str, *, create: bool, shown: str = "") -> int | None:
    """A descriptor of the directory ``name`` (inside ``parent``, or a path when None), never through a symlink.

    Missing: created when ``create`` (with the umask's mode, as ``mkdir`` does), else None.
    A symlink or another kind of file there raises :class:`LinkRefused` naming ``shown``.
    """
    shown = shown or name
    for _attempt in range(2):
        try:
            return os.open(name, _FOLDER, dir_fd=parent)
        except FileNotFoundError:
            if not create:
                return None
            with contextlib.suppress(FileExistsError):  # another run made it meanwhile: open that one
                os.mkdir(name, 0o777, dir_fd=parent)
        except OSError as exc:
            if exc.errno not in (errno.ENOTDIR, errno.ELOOP):
                raise
            raise LinkRefused(exc.errno, shown, directory=True) from exc
    return os.open(name, _FOLDER, dir_fd=parent)


def is_link(parent: int | None, name: str) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode)
    except OSError:
        return False


def open_regular(folder: int, name: str) -> int | None:
    """A descriptor for reading the regular file ``name``; None when it is missing, a symlink, a FIFO, …"""
    try:
        fd = os.open(name, _READ, dir_fd=folder)
    except OSError:
        return None
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def kind(folder: int | None, name: str) -> int | None:
    """The file type bits of ``name`` itself (a symlink is a symlink); None when there is nothing."""
    if folder is None:
        return None
    try:
        return stat.S_IFMT(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return None


def regular_size(folder: int | None, name: str) -> int | None:
    """The size of the regular file ``name`` (not followed through a symlink); None otherwise."""
    if folder is None:
        return None
    try:
        info = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def same_stretch(folder: int | None, name: str, offset: int, block: bytes, size: int) -> bool:
    """Whether the regular file ``name`` (``size`` bytes) holds ``block`` at ``offset``."""
    if folder is None or offset + len(block) > size:
        return False
    fd = open_regular(folder, name)
    if fd is None:
        return False
    try:
        return os.pread(fd, len(block), offset) == block
    finally:
        os.close(fd)


def same_bytes(folder: int | None, name: str, data: bytes) -> bool:
    """Whether the regular file ``name`` holds exactly ``data`` (a size check first spares most reads)."""
    if regular_size(folder, name) != len(data):
        return False
    return same_stretch(folder, name, 0, data, len(data)) if data else True


def new_temp(folder: int, target: str) -> tuple[int, str]:
    """A new temporary file beside ``target``: (descriptor open for writing, its name)."""
    name = temp_name(target)
    return create_exclusive(folder, name, None), name


def append(folder: int, temp: str, data: bytes, *, sync: bool = False) -> None:
    """More bytes at the end of this run's temporary file (reopened: it may not be a symlink now either)."""
    fd = os.open(temp, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=folder)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise LinkRefused(errno.EINVAL, temp, directory=False)
        write_all(fd, data)
        if sync:
            os.fdatasync(fd)
    finally:
        os.close(fd)


def write_new(folder: int, target: str, data: bytes, *, sync: bool) -> str:
    """``data`` in a new temporary file beside ``target`` (``fdatasync``-ed when ``sync``); its name."""
    fd, temp = new_temp(folder, target)
    try:
        try:
            write_all(fd, data)
            if sync:
                os.fdatasync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp, dir_fd=folder)
        raise
    return temp


def replace(folder: int, temp: str, target: str) -> None:
    """Rename this run's temporary file over ``target`` (a symlink there is replaced, never followed)."""
    os.replace(temp, target, src_dir_fd=folder, dst_dir_fd=folder)


def discard(folder: int, temp: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp, dir_fd=folder)


def stage(folder: int, name: str, data: bytes, maybe_there: bool = True) -> str | None:
    """``data`` in a new temporary file beside ``name``, unless the file in place holds exactly it.

    Returns the temporary file's name (None: unchanged, nothing written).  Not synced: the caller
    :func:`flush`-es once for all it staged, then :func:`replace`-s each.
    """
    if maybe_there and same_bytes(folder, name, data):
        return None
    return write_new(folder, name, data, sync=False)


def flush(folder: int) -> None:
    """Everything written so far on the file system that holds ``folder``, on disk (``syncfs``).

    Linux's ``syncfs(2)``; elsewhere ``sync()``, which flushes every file system.  Called before
    renaming staged files into place, so no renamed file can turn out empty after a power cut.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.syncfs(folder) == 0:
            return
    except (OSError, AttributeError):
        pass
    os.sync()


def remove(folder: int, name: str) -> bool:
    """Remove ``name`` itself (a symlink is removed, not what it points to); False when it was not there."""
    try:
        os.unlink(name, dir_fd=folder)
    except FileNotFoundError:
        return False
    return True


@contextlib.contextmanager
def listing(folder: int) -> Iterator[Iterator[os.DirEntry[str]]]:
    """``os.scandir`` of the open directory ``folder``, through a description of its own.

    A descriptor inherited by another process (the export's workers get ``articles/``'s) or
    duplicated shares its directory offset: while one listing of it is under way, another sees
    only the names the first has not read yet, often none.  ``.`` opened inside ``folder`` is the
    same directory with an offset of its own.
    """
    fd = os.open(".", _FOLDER, dir_fd=folder)
    try:
        with os.scandir(fd) as entries:
            yield entries
    finally:
        os.close(fd)


def sweep_temporary(folder: int | None) -> int:
    """Remove the temporary files a killed run left in ``folder`` (regular files named ``.….tmp`` only)."""
    if folder is None:
        return 0
    removed = 0
    with listing(folder) as entries:
        names = [entry.name for entry in entries if entry.name.startswith(".") and entry.name.endswith(".tmp")
                 and entry.is_file(follow_symlinks=False)]
    for name in names:
        with contextlib.suppress(FileNotFoundError, IsADirectoryError):
            os.unlink(name, dir_fd=folder)
            removed += 1
    return removed


def names_in(folder: int | None) -> set[str]:
    """The names in ``folder`` (one listing instead of a stat per file)."""
    if folder is None:
        return set()
    with listing(folder) as entries:
        return {entry.name for entry in entries}


def sync_folder(folder: int | None) -> None:
    """Make the renames and removals in ``folder`` durable (some file systems refuse: nothing more to do)."""
    if folder is not None:
        with contextlib.suppress(OSError):
            os.fsync(folder)


class StreamedFile:
    """One file being written in blocks of about 256 KiB: items are gathered, joined by commas, then
    appended to the temporary file ``tmp`` (in the directory ``folder``; None: only compared, a dry run).

    Each block is also compared with the same stretch of the file ``name`` in place, so the caller
    learns at the end whether the file's bytes changed, without hashing them (hashing every page cost
    a full export more than writing it) and without holding the file in memory.

    No file stays open between blocks: a full export has a page open in every tag's feed at once,
    and a newsroom with a thousand tags would pass the usual limit of 1024 open files.  With
    ``sync`` (the manifest) the last block is ``fdatasync``-ed; pages are put on disk all at once
    (:func:`flush`) before they are renamed.
    """

    FLUSH = 1 << 18

    def __init__(self, head: bytes, folder: int | None, name: str, tmp: str | None, *, sync: bool = False):
        self.folder, self.name, self.tmp, self.count, self.sync = folder, name, tmp, 0, sync
        self.old_size = regular_size(folder, name)  # None once it differs (or when there is none)
        self.offset = 0  # bytes flushed so far
        self.pending = head  # what comes before the items gathered (the head, then a comma)
        self.items: list[bytes] = []
        self.buffered = 0

    def _flush(self, end: bytes = b"", *, last: bool = False) -> None:
        block = b"".join((self.pending, b",".join(self.items), end))
        self.pending, self.items, self.buffered = b",", [], 0
        if self.old_size is not None and not same_stretch(self.folder, self.name, self.offset, block,
                                                          self.old_size):
            self.old_size = None  # differs: no need to read the rest
        self.offset += len(block)
        if self.tmp is not None:
            assert self.folder is not None
            append(self.folder, self.tmp, block, sync=self.sync and last and self.old_size != self.offset)

    def add(self, item: bytes) -> None:
        self.items.append(item)
        self.count += 1
        self.buffered += len(item)
        if self.buffered >= self.FLUSH:
            self._flush()

    def close(self, end: bytes = b"]}\n") -> bool:
        """Finish the file; whether the file in place already holds exactly these bytes."""
        if not self.items:  # nothing since the last block: no comma is owed
            self.pending = b"" if self.count else self.pending
        self._flush(end, last=True)
        return self.old_size == self.offset
