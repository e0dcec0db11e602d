"""Errors the core raises.  Each carries a translated, one-line message for a person.

:func:`describe` is the one place that decides what a person reads for an error that reached a
surface (the command line's ``handle_errors``, the terminal app's notification).
"""

from __future__ import annotations

from typing import Any

from beritatui.i18n import _


class BeritaError(Exception):
    """Base of every error a user may see; ``str(error)`` is the message to show."""

    exit_code = 1


class NotFound(BeritaError):
    """An article, tag, user or revision that does not exist."""


class PermissionDenied(BeritaError):
    """The acting login's role does not allow the action."""


class InvalidTransition(BeritaError):
    """The article's status does not allow the action."""


class ValidationError(BeritaError):
    """Input that breaks a rule (too long, empty, bad date, bad setting)."""


class UnknownUser(BeritaError):
    """The OS login is not an active user of this database."""


class DatabaseError(BeritaError):
    """The database cannot be opened or used (not SQLite, newer schema, read-only, locked)."""


class DatabaseBusy(DatabaseError):
    """The write lock stayed taken for longer than a write waits (``core.sqlite.WRITE_WAIT_SECONDS``)."""


class MissingDatabase(DatabaseError):
    """No database at the path given; only ``init`` and ``demo`` create one."""

    def __init__(self, message: str, path: object):
        super().__init__(message)
        self.path = path


class Conflict(BeritaError):
    """Someone saved the article after the version this change started from.

    Carries both sides so a surface can merge or show a diff; the core wrote nothing.
    """

    def __init__(self, message: str, *, base_version: int, theirs: dict[str, Any], yours: dict[str, Any]):
        super().__init__(message)
        self.base_version = base_version
        self.theirs = theirs
        self.yours = yours


def describe(exc: BaseException, spec: str = "") -> str | None:
    """The one line a person reads for ``exc``, or ``None`` when nothing foresaw it.

    The core's own errors say themselves; a file-system error is the disk being full, a path too
    long, or the system's reason with the path cut short; a database error is described for the
    database ``spec``.  ``None`` is an unexpected error (a bug): each surface says so in its own
    way (the command line points at ``--debug``).
    """
    if isinstance(exc, BeritaError):
        return str(exc)
    if isinstance(exc, OSError):
        return _os_error_line(exc)
    import peewee

    if isinstance(exc, peewee.PeeweeException):
        from beritatui.core.database import describe_db_error

        return describe_db_error(exc, spec)
    return None


def _os_error_line(exc: OSError) -> str:
    """A file-system error as one line: the disk is full, a path too long, or the system's reason, with the
    path cut short (a path of 5000 characters is not echoed back whole)."""
    import errno

    from beritatui.core.charcheck import shown  # not at the top: charcheck raises this module's errors

    path = shown(str(exc.filename), 200) if exc.filename is not None else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("The disk is full: {path}").format(path=path) if path else _("The disk is full")
    if exc.errno == errno.ENAMETOOLONG:
        return _("The path is too long ({n} characters): {path}").format(n=len(str(exc.filename or "")),
                                                                          path=path)
    reason = exc.strerror or str(exc)
    return f"{reason}: {path}" if path else reason
