"""Logins and roles.  Identity is the OS login; a byline is not a login.

The login is what the kernel says this process runs as: the effective user id, looked up
in the password database.  It is never read from the environment: ``LOGNAME``, ``USER``,
``LNAME`` and ``USERNAME`` are set by whoever starts the process, so a writer could claim
to be the admin with ``LOGNAME=admin beritatui publish ...`` (what ``getpass.getuser()``
allowed).  A process whose uid has no name there (a container started with ``--user
12345``, a deleted account) is refused: there is nobody to act as.
"""

from __future__ import annotations

import os
import re

from beritatui.core import audit, clock, units
from beritatui.core.charcheck import refuse_hidden, shown
from beritatui.core.database import current_database
from beritatui.core.errors import NotFound, PermissionDenied, UnknownUser, ValidationError
from beritatui.core.models import ROLES, User
from beritatui.core.vocabulary import SYSTEM_LOGIN as SYSTEM_LOGIN  # re-exported: callers read it here
from beritatui.i18n import _

_LOGIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,63}$")


def current_login() -> str:
    """The OS login of this process: its effective uid's name in the password database (never the environment)."""
    try:
        import pwd
    except ImportError:  # Windows: the account of the process token (GetUserNameW), not an environment variable
        return os.getlogin()
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        raise UnknownUser(
            _("This process runs as user id {uid}, which has no name in the password database; "
              "beritatui cannot tell who you are. Ask the server's administrator to give the account a login")
            .format(uid=uid)) from None


def os_display_name(login: str) -> str:
    """The full name from the password database, else the login."""
    try:
        import pwd

        gecos = pwd.getpwnam(login).pw_gecos.split(",", 1)[0].strip()
        return gecos or login
    except (KeyError, ImportError):
        return login


def check_login(login: str) -> str:
    login = login.strip()
    refuse_hidden(login, _("The login {login!r}").format(login=shown(login)))
    if not _LOGIN.match(login):
        raise ValidationError(_("{login!r} is not a valid login name").format(login=shown(login)))
    return login


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(_("Role must be one of: {roles}").format(roles=", ".join(ROLES)))
    return role


def get_user(login: str) -> User:
    user = User.get_or_none(User.login == login)
    if user is None:
        raise NotFound(_("No user {login!r}").format(login=login))
    return user


def has_users() -> bool:
    return User.select().where(User.login != SYSTEM_LOGIN).exists()


def make_admin(login: str, display_name: str | None = None, unit: str = "") -> User:
    """Create ``login`` as an admin of the root unit, or raise it to one (``init``, first use of a fresh database)."""
    with current_database().atomic():
        user = User.get_or_none(User.login == login)
        root = units.root()
        if user is None:
            user = User.create(login=login, display_name=display_name or os_display_name(login), unit=unit,
                               role="admin", active=True, created_at=clock.utcnow())
            units.set_membership(user, root, "admin")
            audit.record(login, "user.add", role="admin", target=login, unit=root.name)
        elif units.role_in(user, root.id) != "admin" or not user.active:
            User.update(active=True).where(User.id == user.id).execute()
            units.set_membership(user, root, "admin")
            audit.record(login, "user.set-role", role="admin", target=login, unit=root.name)
            user = User.get_by_id(user.id)
    return user


def refreshed(actor: User) -> User:
    """``actor`` as the database has them now (call inside the write transaction, before checking a rule).

    A session holds its ``User`` for as long as the app is open; re-reading it here makes a role change
    or a deactivation take effect at once, not at the person's next start.
    """
    if actor.id is None or actor.login == SYSTEM_LOGIN:
        return actor
    current = User.get_or_none(User.id == actor.id)
    if current is None or not current.active:
        raise UnknownUser(
            _("You are not an editor of this database. Ask an admin to run: beritatui user add {login}").format(
                login=actor.login
            )
        )
    return current


def require(actor: User, role: str, refusal: str, unit: int | None = None) -> User:
    """``actor`` as the database has them now (:func:`refreshed`), if they hold ``role`` ("editor" or
    "admin"; an admin is an editor too); else :class:`PermissionDenied` saying ``refusal``.

    Without ``unit``: an editor somewhere, or an admin of the root (of everything).  With ``unit``: the
    role held in that unit or a unit above it (:func:`beritatui.core.units.holds`).

    Every service that needs a role asks here, inside its write transaction and before it writes: a
    login demoted or deactivated while its app is open is refused at once, not at its next start.
    A rule that also lets an article's author in reads :func:`refreshed` and decides itself.
    """
    current = refreshed(actor)
    if unit is not None:
        held = units.holds(current, role, unit)
    else:
        held = current.is_admin if role == "admin" else current.is_editor
    if not held:
        raise PermissionDenied(refusal)
    return current


def actor_for(login: str, *, bootstrap: bool = False) -> User:
    """The active user behind ``login``.  ``bootstrap`` makes the first login of an empty database its admin."""
    user = User.get_or_none(User.login == login)
    if user is None and bootstrap and not has_users():
        return make_admin(login)
    if user is None or not user.active:
        raise UnknownUser(
            _("You are not an editor of this database. Ask an admin to run: beritatui user add {login}").format(
                login=login
            )
        )
    return user


def _require_admin(actor: User, unit_id: int | None = None) -> User:
    """``actor`` now, if an admin of ``unit_id`` (default: the root, i.e. of everything)."""
    return require(actor, "admin", _("Only an admin may manage users"), unit=unit_id)


def add_user(actor: User, login: str, *, display_name: str = "", unit: str = "", role: str = "writer",
             member_of: str | int | None = None) -> User:
    """A new person holding ``role`` in the unit ``member_of`` (default: the root unit).

    ``unit`` is the profile's free text that bylines default to; when empty and ``member_of`` is given,
    the unit's name.  An admin of ``member_of`` (or above it) may add people there.
    """
    with current_database().atomic():
        home = units.get_unit(member_of) if member_of is not None else units.root()
        actor = _require_admin(actor, home.id)
        login, role = check_login(login), check_role(role)
        name = (display_name or os_display_name(login)).strip()
        unit = (unit or (home.name if member_of is not None else "")).strip()
        if len(name) > 128 or len(unit) > 128:
            raise ValidationError(_("Name and unit are at most 128 characters"))
        existing = User.get_or_none(User.login == login)
        if existing is not None and existing.active:
            raise ValidationError(_("{login!r} is already a user").format(login=login))
        if existing is not None:
            User.update(active=True, display_name=name, unit=unit).where(User.id == existing.id).execute()
            user = User.get_by_id(existing.id)
        else:
            user = User.create(login=login, display_name=name, unit=unit, role=role, active=True,
                               created_at=clock.utcnow())
        units.set_membership(user, home, role)
        audit.record(actor.login, "user.add", target=login, role=role, unit=home.name)
    return User.get_by_id(user.id)


def list_users(include_inactive: bool = True) -> list[User]:
    query = User.select().order_by(User.login)
    if not include_inactive:
        query = query.where(User.active == True)  # noqa: E712
    return list(query)


def _last_admin_guard(user: User) -> None:
    if user.is_admin:
        units.last_root_admin_guard(user)


def set_role(actor: User, login: str, role: str, unit: int | None = None, *,
             action: str = "user.set-role") -> User:
    """``login``'s role in ``unit`` (default: the root unit), replacing the role held there.

    An admin of the unit (or above it) may; the last admin of the whole organisation keeps that role.
    """
    with current_database().atomic():
        where = unit if unit is not None else units.root_id()
        actor = _require_admin(actor, where)
        role = check_role(role)
        user = get_user(login)
        target = units.get_unit(where)
        before = units.held_role(user, target.id)
        if before == "admin" and role != "admin" and target.parent_id is None:
            units.last_root_admin_guard(user)
        units.set_membership(user, target, role)
        audit.record(actor.login, action, target=login, role=role, previous=before, unit=target.name)
    return User.get_by_id(user.id)


def revoke_in(actor: User, login: str, unit: int) -> None:
    """Take away the role ``login`` holds in the unit itself (roles above it stay)."""
    with current_database().atomic():
        actor = _require_admin(actor, unit)
        user = get_user(login)
        target = units.get_unit(unit)
        before = units.held_role(user, target.id)
        if before is None:
            raise NotFound(_("{login} holds no role in {unit}").format(login=user.login, unit=target.name))
        if before == "admin" and target.parent_id is None:
            units.last_root_admin_guard(user)
        units.set_membership(user, target, None)
        audit.record(actor.login, "user.revoke", target=login, previous=before, unit=target.name)


def set_profile(actor: User, login: str, *, display_name: str | None = None, unit: str | None = None) -> User:
    """A user changes their own name or unit; an admin anyone's."""
    with current_database().atomic():
        if actor.login != login:
            actor = require(actor, "admin", _("Only an admin may change another user's profile"))
        user = get_user(login)
        changes = {}
        if display_name is not None:
            changes["display_name"] = display_name.strip()[:128] or user.display_name
        if unit is not None:
            changes["unit"] = unit.strip()[:128]
        if changes:
            User.update(**changes).where(User.id == user.id).execute()
            audit.record(actor.login, "user.profile", target=login, **changes)
    return User.get_by_id(user.id)


def deactivate(actor: User, login: str) -> User:
    with current_database().atomic():
        actor = _require_admin(actor)
        user = get_user(login)
        _last_admin_guard(user)
        User.update(active=False).where(User.id == user.id).execute()
        audit.record(actor.login, "user.deactivate", target=login)
    return User.get_by_id(user.id)


def system_user() -> User:
    """The login that runs scheduled publishing when no person is acting (kept inactive)."""
    user = User.get_or_none(User.login == SYSTEM_LOGIN)
    if user is None:
        user = User.create(login=SYSTEM_LOGIN, display_name="beritatui", unit="", role="editor", active=False,
                           created_at=clock.utcnow())
    return user
