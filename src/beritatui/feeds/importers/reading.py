"""A file's text, read safely and bounded, and the sources in it, by its format.

The suffix decides the format, else the first characters (front matter, JSON); each format has its own
reader (:mod:`.markdown`, :mod:`.feed`, :mod:`.plaintext`).
"""

from __future__ import annotations

from pathlib import Path

from beritatui.core.textfile import UnreadableText, read_text_file
from beritatui.i18n import _

from .feed import read_feed
from .markdown import read_markdown
from .plaintext import read_plain_text
from .source import ImportProblem, Source

MAX_FILE_BYTES = 16 * 1024 * 1024
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown")
TEXT_SUFFIXES = (".txt",)
FEED_SUFFIXES = (".json",)


def read_text(path: Path, dir_fd: int | None = None) -> str:
    """The file as text, refusing a symlink, a non-regular file, and what is too large, binary or not UTF-8.

    With ``dir_fd``, ``path``'s last part is opened inside that directory (the walk's descriptor).
    """
    try:
        return read_text_file(path.name if dir_fd is not None else path, MAX_FILE_BYTES, dir_fd=dir_fd)
    except UnreadableText as exc:
        if exc.os_error:
            raise ImportProblem(_("cannot read: {reason}").format(reason=exc.reason)) from exc
        raise ImportProblem(exc.reason) from exc


def _kind(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in FEED_SUFFIXES:
        return "feed"
    if suffix in TEXT_SUFFIXES:
        return "text"
    stripped = text.lstrip()
    if stripped.startswith("---"):
        return "markdown"
    if stripped.startswith("{"):
        return "feed"
    return "text"


def read_sources(path: Path, dir_fd: int | None = None) -> list[Source | ImportProblem]:
    """The articles in one file; a broken item of a feed comes back as an :class:`ImportProblem`."""
    text = read_text(path, dir_fd)
    kind = _kind(path, text)
    if kind == "markdown":
        return [read_markdown(path, text)]
    if kind == "feed":
        return read_feed(path, text)
    return [read_plain_text(path, text)]


SUFFIXES = MARKDOWN_SUFFIXES + FEED_SUFFIXES + TEXT_SUFFIXES
