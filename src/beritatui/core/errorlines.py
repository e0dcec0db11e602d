"""What a person reads when an error reaches a surface: one rule, asked by the command line and the app.

Apart from :mod:`beritatui.core.errors` because it looks at errors from below the core (the file
system's, the database driver's) and so imports the modules that raise the core's own errors; the error
classes themselves import nothing of the core.
"""

from __future__ import annotations

from beritatui.core.charcheck import shown
from beritatui.core.errors import BeritaError
from beritatui.i18n import _


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

    path = shown(str(exc.filename), 200) if exc.filename is not None else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("The disk is full: {path}").format(path=path) if path else _("The disk is full")
    if exc.errno == errno.ENAMETOOLONG:
        return _("The path is too long ({n} characters): {path}").format(n=len(str(exc.filename or "")),
                                                                          path=path)
    reason = exc.strerror or str(exc)
    return f"{reason}: {path}" if path else reason
