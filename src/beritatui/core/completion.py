"""What the shell completes after ``beritatui``: article slugs, tag names, logins, units, site setting keys.

A completion runs each time someone presses Tab, before they have decided anything, so it
must be harmless: it opens the configured database **read-only** (SQLite's ``mode=ro`` and
``query_only``; never created, never migrated, never written), prints nothing, and on any
problem at all (no file, not a database, an older schema, a busy or unreadable file, a
PostgreSQL address) quietly answers nothing.  It answers only an active user of that
database (the OS login, as every command acts): what they could list with ``beritatui``
anyway, and nothing to someone the database does not know.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator

import peewee

from beritatui.core.models import Article, ArticleTag, Tag, Unit, User

# At most this many answers: a shell shows them all, and a newsroom may have thousands of articles.
LIMIT = 100
# How long a completion waits for a database another process is writing (a Tab press must not hang).
BUSY_TIMEOUT_MS = 500


def setting_keys(prefix: str) -> list[str]:
    """The site setting keys (``site set KEY``); they need no database."""
    from beritatui.core.site import SETTINGS

    return [key for key in SETTINGS if key.startswith(prefix)]


def article_slugs(spec: str, prefix: str) -> list[str]:
    """Slugs of every article (the trash too: ``restore`` takes them) that start with ``prefix``."""
    return _answer(spec, lambda: _slugs(prefix))


def tag_names(spec: str, prefix: str) -> list[str]:
    """Tag names starting with ``prefix`` (case and accents do not matter), most used first."""
    from beritatui.core import tags

    return _answer(spec, lambda: tags.tag_names(prefix, limit=LIMIT))


def logins(spec: str, prefix: str) -> list[str]:
    """The logins of the database's people (not the system's own) that start with ``prefix``."""
    return _answer(spec, lambda: _logins(prefix))


def unit_slugs(spec: str, prefix: str) -> list[str]:
    """The slugs of the units whose slug or name starts with ``prefix`` (any case).

    A slug, not the name: it is one word the shell inserts as it is ("lapas-watampone"), and every
    command that takes a unit takes its slug as well as its name.
    """
    return _answer(spec, lambda: _unit_slugs(prefix))


def _unit_slugs(prefix: str) -> list[str]:
    wanted = prefix.casefold()
    return sorted(unit.slug for unit in Unit.select(Unit.slug, Unit.name)
                  if unit.slug.startswith(wanted) or unit.name.casefold().startswith(wanted))


def _slugs(prefix: str) -> list[str]:
    query = Article.select(Article.slug)
    if prefix:  # a range on the unique index: no LIKE, so "_" and "%" in what was typed mean themselves
        query = query.where((Article.slug >= prefix) & (Article.slug < prefix + "\U0010ffff"))
    return [row.slug for row in query.order_by(Article.slug).limit(LIMIT)]


def _logins(prefix: str) -> list[str]:
    from beritatui.core.users import SYSTEM_LOGIN

    query = User.select(User.login).where(User.login != SYSTEM_LOGIN)
    if prefix:
        query = query.where((User.login >= prefix) & (User.login < prefix + "\U0010ffff"))
    return [row.login for row in query.order_by(User.login).limit(LIMIT)]


def _answer(spec: str, ask: Callable[[], list[str]]) -> list[str]:
    """``ask()`` on the database ``spec`` opened read-only, for an active user; ``[]`` on any problem."""
    try:
        with _read_only(spec) as db:
            if db is None or not _is_active_user():
                return []
            return ask()[:LIMIT]
    except Exception:  # noqa: BLE001 - a completion never fails, never prints: it answers nothing
        return []


def _is_active_user() -> bool:
    from beritatui.core.users import SYSTEM_LOGIN, current_login

    login = current_login()
    return login != SYSTEM_LOGIN and User.select().where((User.login == login) & User.active).exists()


@contextlib.contextmanager
def _read_only(spec: str) -> Iterator[peewee.SqliteDatabase | None]:
    """The SQLite file behind ``spec`` opened read-only with the models bound to it, else ``None``.

    A missing file stays missing (SQLite's ``mode=ro`` never creates one); a file that is not an
    SQLite database is not opened at all.  The models are bound only inside the ``with``.

    No file is left behind either.  A read-only connection to a database in WAL mode that nobody
    has open would create its ``-wal`` and ``-shm`` files and, being read-only, could not remove
    them again; so when there is no ``-wal`` (every change is in the main file) it reads the file
    as ``immutable``, which creates nothing and takes no lock.  When the ``-wal`` exists someone
    is working: ``mode=ro`` then reads through their ``-wal``/``-shm`` and creates nothing.  (Should
    the last of them close in the instant between the look and the open, SQLite makes the two files
    again; the umask is then kept from narrowing their group bits, as for every beritatui process
    in a shared folder, so no colleague finds them read-only.)
    """
    from beritatui.core import sqlite
    from beritatui.core.database import sqlite_path

    path = sqlite_path(spec)
    if path is None or not path.is_file():
        yield None
        return
    sqlite.check_file(path)
    path = path.resolve()
    wal = path.with_name(path.name + "-wal")
    options = "?mode=ro" if wal.exists() else "?mode=ro&immutable=1"
    db = peewee.SqliteDatabase(path.as_uri() + options, uri=True,
                               pragmas={"query_only": 1, "busy_timeout": BUSY_TIMEOUT_MS})
    umask = os.umask(0o022)
    os.umask(umask & ~0o070)
    try:
        db.connect()
        with db.bind_ctx([Article, ArticleTag, Tag, Unit, User], bind_refs=False, bind_backrefs=False):
            yield db
    finally:
        db.close()
        os.umask(umask)
