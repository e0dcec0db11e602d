"""Files that hold someone's words or the site's state: written whole or not at all, and durable.

Every such file is written the same way: a temporary file created exclusively
(``O_CREAT | O_EXCL | O_NOFOLLOW``, a random name, in the target's own directory,
so a planted file or symlink is never opened and the rename is atomic), the
bytes written and ``fsync``-ed, the temporary file renamed over the target, and
the directory ``fsync``-ed so that the rename itself survives a power cut.
Only then is the file called safe.

The mode is set explicitly with ``fchmod``, so the person's umask never decides
whether colleagues in the newsroom's group can use a file meant for them (the
database, backups, export files), nor makes a private file (a rescue file, the
config) readable by others.

A name read from a file or typed by a person is joined to a directory only
through :func:`child_path`, which refuses anything that would leave it.

A file that must not replace one already there (a backup) is put in place with
:func:`rename_new` instead of a plain rename; a file that another program opens
again by its name (SQLite writing a backup into the temporary file) is checked with
:func:`same_file` before it is trusted.

Where others may change the directory itself (the export directory is group-writable), the
directory is opened once and files are created inside its descriptor (``directory`` given as an
``int``), so swapping a folder for a symlink meanwhile cannot send a write elsewhere.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path

PRIVATE = 0o600  # a person's own files: config, rescue files
SHARED = 0o660  # the newsroom's group: the database, its backups
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)


class UnsafePath(ValueError):
    """A name that would leave its directory (absolute, ``..``, a separator, NUL)."""


def create_exclusive(directory: str | os.PathLike[str] | int, name: str, mode: int | None = PRIVATE) -> int:
    """A descriptor for a new file ``directory/name`` that did not exist (a symlink there is refused too).

    ``directory`` may be an open directory's descriptor.  ``mode`` None leaves the bits to the umask
    (``0o666`` as it allows): for files meant for whoever the person's umask admits, like the export's.
    """
    if isinstance(directory, int):
        fd = os.open(name, _FLAGS, 0o666 if mode is None else mode, dir_fd=directory)
    else:
        fd = os.open(os.path.join(directory, name), _FLAGS, 0o666 if mode is None else mode)
    if mode is not None:
        try:
            os.fchmod(fd, mode)
        except BaseException:
            os.close(fd)
            raise
    return fd


def temp_name(target_name: str) -> str:
    """A hidden, unpredictable temporary name beside ``target_name``."""
    return f".{target_name}.{secrets.token_hex(8)}.tmp"


def target_name(temp: str) -> str:
    """The name a :func:`temp_name` stands in for (a caller may keep only the temporary name)."""
    return temp[1:-len(".0123456789abcdef.tmp")]


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def fsync_dir(directory: str | os.PathLike[str] | int) -> None:
    """Make the renames and removals in ``directory`` (a path or an open descriptor) durable.

    A no-op where directories cannot be opened or synced.
    """
    if isinstance(directory, int):
        with contextlib.suppress(OSError):
            os.fsync(directory)
        return
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except (OSError, AttributeError):
        return
    try:
        with contextlib.suppress(OSError):  # some file systems refuse fsync on a directory; nothing more to do
            os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: str | os.PathLike[str], data: bytes | str, *, mode: int = PRIVATE,
                 durable: bool = True) -> None:
    """Replace ``path`` with ``data``: a reader sees the old file or the new one, never a part.

    ``durable`` (the default) fsyncs the file before the rename and the directory after it.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    target = os.fspath(path)
    directory, name = os.path.split(target)
    directory = directory or "."
    tmp_name = temp_name(name)
    tmp = os.path.join(directory, tmp_name)
    fd = create_exclusive(directory, tmp_name, mode)
    try:
        try:
            write_all(fd, data)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        fsync_dir(directory)


def same_file(fd: int, path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` (not following a symlink) still names the file open as ``fd``.

    For a file another program (SQLite) opens again by its name after we created it: a
    temporary name that was swapped for another file or a symlink in between is caught.
    """
    try:
        mine, named = os.fstat(fd), os.lstat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (named.st_dev, named.st_ino)


def rename_new(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Rename ``source`` to ``target`` only if no file (nor symlink) is named ``target``; else FileExistsError.

    A hard link refuses an existing name atomically, then the temporary name goes; on a file
    system without hard links the check and the rename are two steps.  Both names must be in
    the same directory (or at least on the same file system).  The caller fsyncs the directory.
    """
    try:
        os.link(source, target, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS):
            raise
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), os.fspath(target)) from exc
        os.rename(source, target)
        return
    os.unlink(source)


def ensure_dir(path: str | os.PathLike[str], mode: int = 0o700) -> Path:
    """``path`` as a directory, creating it and any missing parents with ``mode``, durably.

    Each directory created is ``fsync``-ed into its parent, so a file written inside it and
    synced does not vanish with its folder after a power cut.  An existing directory is left
    as it is (its mode included).
    """
    target = Path(path)
    missing: list[Path] = []
    probe = target
    while not probe.is_dir():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, mode)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue
        os.chmod(folder, mode)  # the umask never widens nor narrows what was asked for
        fsync_dir(folder.parent)
    return target


def write_new(directory: str | os.PathLike[str], name: str, data: bytes | str, *, mode: int = PRIVATE) -> Path:
    """Write ``data`` to a NEW file ``directory/name`` (never replacing one), synced with its directory.

    :class:`FileExistsError` when the name is taken (the caller picks another).
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd = create_exclusive(directory, name, mode)
    path = os.path.join(directory, name)
    try:
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    fsync_dir(directory)
    return Path(path)


def child_path(directory: str | os.PathLike[str], relative: str) -> Path:
    """``directory/relative`` when it stays inside ``directory``; :class:`UnsafePath` otherwise.

    ``relative`` may hold ``/`` between plain names (``articles/x.json``); an absolute path, an empty,
    ``.`` or ``..`` part, a backslash or a NUL is refused before anything touches the disk.
    """
    if not relative or "\x00" in relative or "\\" in relative or relative.startswith("/"):
        raise UnsafePath(relative)
    parts = relative.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise UnsafePath(relative)
    return Path(directory).joinpath(*parts)
