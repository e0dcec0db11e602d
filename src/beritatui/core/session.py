"""Opening the newsroom for a person: database, identity, due publications.

Both the CLI and the TUI start here, so the same rules decide who is acting.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from beritatui.core import config as configmod
from beritatui.core import transitions, users
from beritatui.core.database import open_database, sqlite_path
from beritatui.core.models import User
from beritatui.core.site import SiteSettings, get_settings


@dataclass
class Session:
    spec: str
    actor: User
    config: configmod.Config

    @property
    def settings(self) -> SiteSettings:
        return get_settings()

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.spec)


def open_session(spec: str, config: configmod.Config, *, login: str | None = None, create: bool = True,
                 bootstrap: bool | None = None, init_hint: str | None = None) -> Session:
    """Open ``spec`` as ``login`` (the OS login by default) and publish what is due.

    ``create=False`` (the CLI and the TUI always pass it: only ``init`` and ``demo`` create a
    database) refuses a missing one with :class:`~beritatui.core.errors.MissingDatabase`, naming
    ``init_hint``, the command that would create it.  ``bootstrap`` (default: only for the default database path) makes the first
    login of an empty database its admin, as on a single-user laptop.
    """
    open_database(spec, create=create, init_hint=init_hint)
    login = login or users.current_login()
    if bootstrap is None:
        bootstrap = sqlite_path(spec) == configmod.default_database_path()
    actor = users.actor_for(login, bootstrap=bootstrap)
    transitions.publish_due()
    return Session(spec=spec, actor=actor, config=config)
