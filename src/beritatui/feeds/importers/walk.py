"""The files an import reads: those named, and those under the folders named, never through a symbolic link.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from beritatui.i18n import _

from .reading import SUFFIXES

MAX_DEPTH = 32  # folders inside a folder being imported
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


@dataclass(frozen=True)
class Found:
    """A file to read: its path as shown, and the open directory it is read from (None: a path named directly)."""

    path: Path
    dir_fd: int | None = None


def walk(paths: list[Path]) -> Iterator[Found | tuple[Path, str]]:
    """Files named directly, and the Markdown/JSON/text files under directories, or (path, why it is skipped).

    In path order (sorted, hidden files and folders skipped), lazily: each file must be read before
    the walk goes on, while its directory is still open.  A directory is opened with ``O_NOFOLLOW``
    and listed through its descriptor, so nothing found in it is reached through a symbolic link,
    even one swapped in during the walk; links that would have been read are reported.
    """
    for path in paths:
        named = Path(os.fspath(path).rstrip("/") or os.fspath(path))  # a trailing slash would follow a link
        try:
            info = os.stat(named, follow_symlinks=False)
        except OSError as exc:
            yield named, _("cannot read: {reason}").format(reason=exc.strerror)
            continue
        if stat.S_ISLNK(info.st_mode):
            yield named, _("a symbolic link (not followed): name the file or folder it points to")
        elif stat.S_ISDIR(info.st_mode):
            try:
                fd = os.open(named, _FOLDER)
            except OSError as exc:
                yield named, _("cannot read: {reason}").format(reason=exc.strerror)
                continue
            try:
                yield from _walk_folder(named, fd, 1)
            finally:
                os.close(fd)
        else:
            yield Found(named)  # a FIFO or device is refused when opened: one line, at once


# Files an export writes beside its feeds that hold no article (feeds/export/audit_head.py): a folder that
# was an export imports without a problem line for them.
NOT_ARTICLES = frozenset({"audit-head.json"})


def _walk_folder(folder: Path, fd: int, depth: int) -> Iterator[Found | tuple[Path, str]]:
    with os.scandir(fd) as listing:
        entries = sorted(((entry.name, entry) for entry in listing
                          if not entry.name.startswith(".") and entry.name not in NOT_ARTICLES),
                         key=lambda pair: pair[0])
    for name, entry in entries:
        child = folder / name
        wanted = os.path.splitext(name)[1].lower() in SUFFIXES
        try:
            if entry.is_symlink():
                if wanted or entry.is_dir():  # is_dir follows the link, only to tell what it is
                    yield child, _("a symbolic link (not followed)")
            elif entry.is_dir(follow_symlinks=False):
                if depth >= MAX_DEPTH:
                    yield child, _("folders nested more than {n} deep are not read").format(n=MAX_DEPTH)
                    continue
                try:
                    inner = os.open(name, _FOLDER, dir_fd=fd)
                except OSError as exc:
                    reason = (_("a symbolic link (not followed)") if exc.errno in (errno.ELOOP, errno.ENOTDIR)
                              else _("cannot read: {reason}").format(reason=exc.strerror))
                    yield child, reason
                    continue
                try:
                    yield from _walk_folder(child, inner, depth + 1)
                finally:
                    os.close(inner)
            elif wanted:
                if entry.is_file(follow_symlinks=False):
                    yield Found(child, fd)
                else:
                    yield child, _("not a regular file (a device, a FIFO, a socket or a directory)")
        except OSError as exc:
            yield child, _("cannot read: {reason}").format(reason=exc.strerror)
