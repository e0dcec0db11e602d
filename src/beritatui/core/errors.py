"""Errors the core raises.  Each carries a translated, one-line message for a person.

What a person reads for an error that reached a surface (the command line's ``handle_errors``, the
terminal app's notification) is decided in one place, :func:`beritatui.core.errorlines.describe`.
"""

from __future__ import annotations

from typing import Any


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
