"""Text typed outside the database: ``beritatui edit``'s scratch files and the rescue files.

Both live in the person's user data directory (``~/.local/share/beritatui`` on
Linux), in folders only they may enter (0700), as files only they may read
(0600), written with ``fsync`` of the file and of its folder (``core.fsio``):

* ``editing/`` holds the file ``$EDITOR`` is editing while ``beritatui edit``
  runs.  Its name says which article (uuid) and which version the text started
  from; a ``.lock`` file beside it is ``flock``-ed by the running ``edit``, so a
  scratch file whose lock is free was left by an ``edit`` that died (``kill -9``,
  a crash, a power cut) and is offered back by the next ``beritatui edit`` of
  that article.
* ``unsaved/`` holds rescue files: text that could not be saved (a conflict, a
  refusal, a failing editor), kept until the person deletes it.

:func:`edit_payload` is the autosave slot's payload for such text (a
:class:`~beritatui.core.content.Content` payload, as the TUI editor writes), so the app offers it back as well.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from beritatui.core import clock, fsio
from beritatui.core.content import Content
from beritatui.core.models import Article

EDITING = "editing"
UNSAVED = "unsaved"


def data_dir() -> Path:
    from beritatui.core.config import APP_NAME

    return platformdirs.user_data_path(APP_NAME)


def private_dir(name: str) -> Path:
    """``data_dir()/name``, created private (0700) and durable if it is missing."""
    return fsio.ensure_dir(data_dir() / name, 0o700)


# -- rescue files ----------------------------------------------------------------------------------

def rescue(text: str, slug: str) -> Path:
    """Keep ``text`` in a new file of ``unsaved/`` (``SLUG-YYYYmmdd-HHMMSS.md``), synced, and return its path."""
    folder = private_dir(UNSAVED)
    stamp = clock.utcnow().strftime("%Y%m%d-%H%M%S")
    stem = _safe_stem(slug)
    n = 1
    while True:
        name = f"{stem}-{stamp}.md" if n == 1 else f"{stem}-{stamp}-{n}.md"
        try:
            return fsio.write_new(folder, name, text)
        except FileExistsError:
            n += 1


def _safe_stem(slug: str) -> str:
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in slug)[:60].strip("-")
    return stem or "artikel"


# -- scratch files of `beritatui edit` --------------------------------------------------------------

@dataclass
class Scratch:
    """The file one running ``beritatui edit`` gives to ``$EDITOR`` (and holds the lock of)."""

    path: Path
    article_uuid: str
    base_version: int
    started: str  # the text it was given
    lock_fd: int | None = None

    @property
    def lock_path(self) -> Path:
        return _lock_path(self.path)

    def read(self) -> str:
        """What the editor has written so far (invalid UTF-8 replaced, never refused)."""
        return self.path.read_text(encoding="utf-8", errors="replace")

    def changed(self) -> bool:
        try:
            return not _same_text(self.read(), self.started)
        except OSError:
            return False

    def remove(self) -> None:
        """The text is saved, kept elsewhere, or was never changed: the scratch file and its lock go."""
        for path in (self.path, self.lock_path):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        fsio.fsync_dir(self.path.parent)
        self.release()

    def release(self) -> None:
        """Let go of the lock (this process is done with the file; it stays for the next ``edit``)."""
        if self.lock_fd is not None:
            os.close(self.lock_fd)
            self.lock_fd = None


@dataclass
class Leftover:
    """A scratch file an ``edit`` left behind (it died): the text and what it started from."""

    path: Path
    base_version: int
    saved_at: datetime
    text: str

    def remove(self) -> None:
        for path in (self.path, _lock_path(self.path)):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        fsio.fsync_dir(self.path.parent)


def _lock_path(path: Path) -> Path:
    return path.with_name("." + path.name + ".lock")


def _same_text(a: str, b: str) -> bool:
    """Editors add or drop the final newline; that alone is no change."""
    return a.rstrip("\n") == b.rstrip("\n")


def start_scratch(article: Article, text: str, base_version: int) -> Scratch:
    """A new private scratch file holding ``text`` for editing ``article`` from ``base_version``, locked."""
    folder = private_dir(EDITING)
    name = f"{_safe_stem(article.slug)[:40]}--{article.uuid}--v{base_version}--{secrets.token_hex(4)}.md"
    lock_fd = fsio.create_exclusive(folder, "." + name + ".lock")
    try:
        fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        body = text if text.endswith("\n") or not text else text + "\n"
        path = fsio.write_new(folder, name, body)
    except BaseException:
        os.close(lock_fd)
        with contextlib.suppress(OSError):
            os.unlink(folder / ("." + name + ".lock"))
        raise
    return Scratch(path=path, article_uuid=article.uuid, base_version=base_version, started=body,
                   lock_fd=lock_fd)


def leftovers(article_uuid: str) -> list[Leftover]:
    """Scratch files of ``article_uuid`` whose ``edit`` is gone (their lock is free), newest first."""
    folder = data_dir() / EDITING
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"*--{article_uuid}--v*--*.md"):
        if not path.is_file() or path.is_symlink() or _in_use(path):
            continue
        try:
            base = int(path.name.rsplit("--", 2)[-2][1:])
            info = path.stat()
            text = path.read_text(encoding="utf-8", errors="replace")
        except (ValueError, OSError):
            continue
        found.append(Leftover(path=path, base_version=base, text=text,
                              saved_at=datetime.fromtimestamp(info.st_mtime, UTC).replace(tzinfo=None)))
    return sorted(found, key=lambda leftover: leftover.saved_at, reverse=True)


def _in_use(path: Path) -> bool:
    """Whether a running ``edit`` holds this scratch file's lock."""
    try:
        fd = os.open(_lock_path(path), os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return False
    except OSError:
        return True  # cannot tell: leave it alone
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


# -- the autosave slot ------------------------------------------------------------------------------

def edit_payload(base: Content, body: str, slug_edited: bool) -> dict[str, Any]:
    """A FULL autosave payload: ``base``'s content with ``body``, marked as coming from ``edit``."""
    return {**base.replace(body=body.rstrip("\n")).as_payload(), "slug_edited": bool(slug_edited),
            "source": "edit"}


def keep_in_autosave(article: Article, login: str, base: Content, body: str, base_version: int) -> None:
    """Store text typed in ``$EDITOR`` in the article's autosave slot (``beritatui edit`` and the app offer it)."""
    from beritatui.core import autosave

    autosave.store(autosave.slot_for(article.uuid), login, edit_payload(base, body, article.slug_locked),
                   article_id=article.id, base_version=base_version)
