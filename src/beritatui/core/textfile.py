"""A file a person names (an import, a tallies file) read as UTF-8 text, refusing what cannot be one.

Too large is refused before anything is read, so a wrong path to a disk image costs nothing;
a NUL byte near the start means a binary file; anything else must decode as UTF-8 (a BOM is
dropped).  Each refusal carries a translated, one-line reason for the caller to put in context.
"""

from __future__ import annotations

from pathlib import Path

from beritatui.i18n import _


class UnreadableText(Exception):
    """Why a file is not usable text; ``os_error`` tells a failed read from a refused content."""

    def __init__(self, reason: str, *, os_error: bool = False):
        super().__init__(reason)
        self.reason, self.os_error = reason, os_error


def read_text_file(path: Path, max_bytes: int) -> str:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UnreadableText(_("too large ({size} bytes; at most {max})").format(size=size, max=max_bytes))
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableText(str(exc.strerror or exc), os_error=True) from exc
    if b"\x00" in data[:8192]:
        raise UnreadableText(_("a binary file, not text"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableText(_("not UTF-8 text (bad byte at offset {offset})").format(offset=exc.start)) from exc
