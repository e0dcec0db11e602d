"""Who is acting: the OS login, bootstrap of an empty default database, roles and the last admin."""

from __future__ import annotations

import os
import pwd

import pytest

from beritatui.core import config, users
from beritatui.core.config import Config
from beritatui.core.database import close_database, open_database
from beritatui.core.errors import PermissionDenied, UnknownUser, ValidationError
from beritatui.core.models import User
from beritatui.core.session import open_session

REFUSAL = "You are not an editor of this database. Ask an admin to run: beritatui user add {login}"


SPOOFED = ("LOGNAME", "USER", "LNAME", "USERNAME")


def _kernel_login() -> str:
    return pwd.getpwuid(os.geteuid()).pw_name


def test_first_login_of_an_empty_default_database_becomes_admin(monkeypatch):
    for name in SPOOFED:  # the environment claims someone else: it is not asked
        monkeypatch.setenv(name, "sari")
    path = config.default_database_path()
    assert not path.exists()
    session = open_session(str(path), Config())
    assert (session.actor.login, session.actor.role) == (_kernel_login(), "admin")
    assert not User.select().where(User.login == "sari").exists()


def test_second_login_of_the_default_database_is_not_bootstrapped(monkeypatch):
    path = str(config.default_database_path())
    open_session(path, Config(), login="sari")
    close_database()
    with pytest.raises(UnknownUser) as refused:
        open_session(path, Config(), login="tono")
    assert str(refused.value) == REFUSAL.format(login="tono")


def test_a_non_default_database_does_not_bootstrap(db_path):
    with pytest.raises(UnknownUser) as refused:
        open_session(str(db_path), Config(), login="sari")
    assert str(refused.value) == REFUSAL.format(login="sari")
    assert User.select().where(User.login == "sari").count() == 0


def test_explicit_bootstrap_makes_the_first_login_admin(db_path):
    session = open_session(str(db_path), Config(), login="sari", bootstrap=True)
    assert session.actor.is_admin


@pytest.mark.parametrize("variable", SPOOFED)
def test_the_login_comes_from_the_kernel_not_the_environment(newsroom, register_os_login, monkeypatch, variable):
    """``LOGNAME=ani beritatui ...`` once acted as the admin ani: getpass.getuser() reads these variables first."""
    me = register_os_login("writer")
    close_database()
    for name in SPOOFED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, "ani")
    assert users.current_login() == _kernel_login()
    assert open_session(str(newsroom.path), Config()).actor.login == me.login


def test_a_uid_without_a_password_entry_is_refused_in_one_line(monkeypatch):
    """A container started with ``--user 54321``: nobody to act as, whatever LOGNAME says."""
    def no_entry(uid):
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    monkeypatch.setenv("LOGNAME", "ani")
    with pytest.raises(UnknownUser) as refused:
        users.current_login()
    assert f"user id {os.geteuid()}" in str(refused.value) and "password database" in str(refused.value)
    assert "\n" not in str(refused.value)


def test_unknown_login_is_refused_with_the_exact_message(newsroom):
    with pytest.raises(UnknownUser) as refused:
        users.actor_for("joko")
    assert str(refused.value) == REFUSAL.format(login="joko")


def test_inactive_login_is_refused(newsroom):
    users.deactivate(newsroom.admin, "budi")
    with pytest.raises(UnknownUser) as refused:
        users.actor_for("budi", bootstrap=True)
    assert str(refused.value) == REFUSAL.format(login="budi")


def test_bootstrap_never_applies_once_someone_exists(newsroom):
    with pytest.raises(UnknownUser):
        users.actor_for("joko", bootstrap=True)


def test_system_login_does_not_count_as_a_user(db_path):
    open_database(str(db_path))
    users.system_user()
    assert users.actor_for("sari", bootstrap=True).is_admin


def test_system_login_cannot_act(newsroom):
    users.system_user()
    with pytest.raises(UnknownUser):
        users.actor_for(users.SYSTEM_LOGIN)


def test_only_an_admin_manages_users(newsroom):
    for actor in (newsroom.editor, newsroom.writer):
        with pytest.raises(PermissionDenied):
            users.add_user(actor, "joko", display_name="Joko", role="writer")
        with pytest.raises(PermissionDenied):
            users.set_role(actor, "budi", "editor")
        with pytest.raises(PermissionDenied):
            users.deactivate(actor, "budi")
    assert users.get_user("budi").role == "writer"


def test_last_admin_cannot_be_demoted(newsroom):
    with pytest.raises(ValidationError, match="last admin"):
        users.set_role(newsroom.admin, "ani", "editor")
    assert users.get_user("ani").role == "admin"


def test_last_admin_cannot_be_deactivated(newsroom):
    with pytest.raises(ValidationError, match="last admin"):
        users.deactivate(newsroom.admin, "ani")
    assert users.get_user("ani").active


def test_an_admin_can_step_down_once_another_exists(newsroom):
    users.set_role(newsroom.admin, "eko", "admin")
    assert users.set_role(newsroom.admin, "ani", "editor").role == "editor"
    with pytest.raises(ValidationError, match="last admin"):
        users.deactivate(users.get_user("eko"), "eko")


def test_an_inactive_admin_does_not_count_as_another_admin(newsroom):
    users.set_role(newsroom.admin, "eko", "admin")
    users.deactivate(newsroom.admin, "eko")
    with pytest.raises(ValidationError, match="last admin"):
        users.set_role(newsroom.admin, "ani", "writer")


@pytest.mark.parametrize("login", ["", "ada spasi", "-opsi", "a" * 65, "../etc", "nama;rm"])
def test_invalid_logins_are_refused(newsroom, login):
    with pytest.raises(ValidationError):
        users.add_user(newsroom.admin, login, display_name="X")


def test_unknown_role_is_refused(newsroom):
    with pytest.raises(ValidationError, match="Role must be one of"):
        users.add_user(newsroom.admin, "joko", display_name="Joko", role="redaktur")


def test_adding_an_existing_active_user_is_refused(newsroom):
    with pytest.raises(ValidationError, match="already a user"):
        users.add_user(newsroom.admin, "budi", display_name="Budi")


def test_adding_a_deactivated_user_brings_them_back(newsroom):
    users.deactivate(newsroom.admin, "budi")
    back = users.add_user(newsroom.admin, "budi", display_name="Budi S.", unit="Bapas Bone", role="editor")
    assert (back.active, back.role, back.id) == (True, "editor", newsroom.writer2.id)


def test_a_user_edits_only_their_own_profile(newsroom):
    assert users.set_profile(newsroom.writer, "wati", unit="Lapas Bulukumba").unit == "Lapas Bulukumba"
    with pytest.raises(PermissionDenied):
        users.set_profile(newsroom.writer, "budi", unit="Lapas Bulukumba")
    assert users.set_profile(newsroom.admin, "budi", display_name="Budi S.").display_name == "Budi S."


def test_make_admin_raises_an_existing_user(newsroom):
    assert users.make_admin("budi").role == "admin"
