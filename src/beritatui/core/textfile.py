"""A file a person names (an import, a tallies file) read as UTF-8 text, refusing what cannot be one.

The file is opened with ``O_NOFOLLOW | O_NONBLOCK`` and checked with ``fstat`` on that very
descriptor before anything is read: a symbolic link is refused (it may point at a file only the
person importing may read, planted by a colleague), and so is anything but a regular file (a FIFO
would hang, ``/dev/zero`` would never end).  Too large is refused before reading too, so a wrong
path to a disk image costs nothing; a NUL byte near the start means a binary file; anything else
must decode as UTF-8 (a BOM is dropped).  Each refusal carries a translated, one-line reason for
the caller to put in context.

Also here, for every import: :func:`brief`, which makes any reason shown to a person one short
line (an error may quote the input, and the input may be megabytes or hold escape sequences), and
:func:`load_json`, which bounds the nesting and the number of values before ``json`` builds them.
"""

from __future__ import annotations

import errno
import itertools
import json
import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import Any

from beritatui.i18n import _

REASON_LENGTH = 300
JSON_DEPTH = 32
JSON_VALUES = 1_000_000
_READ = os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)


class UnreadableText(Exception):
    """Why a file is not usable text; ``os_error`` tells a failed read from a refused content."""

    def __init__(self, reason: str, *, os_error: bool = False):
        super().__init__(reason)
        self.reason, self.os_error = reason, os_error


class TooLarge(UnreadableText):
    """The file is larger than the caller's limit (a caller with a limit of its own may say it in its words)."""


def brief(text: str, limit: int = REASON_LENGTH) -> str:
    """``text`` as one line of at most ``limit`` characters: control characters and line breaks
    become spaces, runs of spaces one, and a long text is cut with an ellipsis."""
    head = text[:limit * 4]  # never more than this is looked at, however long the text
    if not head.isprintable():
        head = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in head)
    line = " ".join(head.split())
    return line if len(line) <= limit and len(text) <= limit * 4 else line[:limit - 1].rstrip() + "…"


def read_text_file(path: str | os.PathLike[str], max_bytes: int, *, dir_fd: int | None = None) -> str:
    """The text of the regular file ``path`` (a name inside ``dir_fd`` when given), never through a symlink."""
    try:
        fd = os.open(path, _READ, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnreadableText(_("a symbolic link (not followed): name the file it points to")) from exc
        raise UnreadableText(str(exc.strerror or exc), os_error=True) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableText(_("not a regular file (a device, a FIFO, a socket or a directory)"))
        if info.st_size > max_bytes:
            raise TooLarge(_("too large ({size} bytes; at most {max})").format(size=info.st_size, max=max_bytes))
        os.set_blocking(fd, True)
        chunks, total = [], 0
        while total <= max_bytes:  # the file may grow while it is read: never more than the limit
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise UnreadableText(str(exc.strerror or exc), os_error=True) from exc
    finally:
        os.close(fd)
    if total > max_bytes:
        raise TooLarge(_("too large (more than {max} bytes)").format(max=max_bytes))
    data = b"".join(chunks)
    if b"\x00" in data[:8192]:
        raise UnreadableText(_("a binary file, not text"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableText(_("not UTF-8 text (bad byte at offset {offset})").format(offset=exc.start)) from exc


_STRING = re.compile(r'"[^"]*"')  # once escapes are gone, a string is a quote, no quote, a quote
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class JsonTooBig(ValueError):
    """JSON nested too deeply or holding too many values (or a string never closed); the message says which."""


def load_json(text: str, *, max_depth: int = JSON_DEPTH, max_values: int = JSON_VALUES) -> Any:
    """``json.loads(text)``, refused first when it nests deeper than ``max_depth`` or holds more than
    about ``max_values`` values: the json module would recurse, or build millions of objects, first.

    Escaped backslashes and quotes are dropped, strings blanked out, then brackets and commas are
    counted: a few linear passes of C code, whatever the text holds.
    """
    plain = text.replace("\\\\", "").replace('\\"', "")
    if plain.count('"') % 2:
        raise JsonTooBig(_("a string is never closed"))
    skeleton = _STRING.sub("", plain)
    brackets = _NOT_BRACKET.sub("", skeleton)
    if len(brackets) // 2 + skeleton.count(",") + 1 > max_values:
        raise JsonTooBig(_("more than {n} values").format(n=max_values))
    if brackets and max(itertools.accumulate(map(_DEPTH_STEP.__getitem__, brackets))) > max_depth:
        raise JsonTooBig(_("nested more than {n} levels deep").format(n=max_depth))
    return json.loads(text)


def named_path(path: str | os.PathLike[str]) -> Path:
    """A path as a person typed it, without a trailing slash (which would make the kernel follow a last symlink)."""
    text = os.fspath(path)
    stripped = text.rstrip("/")
    return Path(stripped or text)
