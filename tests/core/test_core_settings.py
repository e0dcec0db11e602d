"""Site settings (validated, admin only), where the database and the language come from, and typed times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beritatui import i18n
from beritatui.core import config, site, timeparse
from beritatui.core.errors import PermissionDenied, ValidationError
from beritatui.core.models import AuditEvent


def test_defaults(newsroom):
    current = site.get_settings()
    assert (current.title, current.language, current.feed_page_size) == ("Berita", "id", 50)
    assert current.article_url("panen-sayur") == "/berita/panen-sayur"


def test_only_an_admin_changes_settings(newsroom):
    for actor in (newsroom.editor, newsroom.writer):
        with pytest.raises(PermissionDenied):
            site.set_setting(actor, "title", "Humas Kanwil")
    assert site.get_settings().title == "Berita"


@pytest.mark.parametrize(("key", "value", "stored"), [
    ("timezone", "Asia/Makassar", "Asia/Makassar"),
    ("base_url", "https://kanwil.contoh.go.id/", "https://kanwil.contoh.go.id"),
    ("feed_page_size", " 25 ", "25"),
    ("article_url_template", "{base_url}/berita/{uuid}/{slug}", "{base_url}/berita/{uuid}/{slug}"),
    ("language", "en", "en"),
    ("title", "Humas Kanwil Sulsel", "Humas Kanwil Sulsel"),
])
def test_valid_settings_are_stored(newsroom, key, value, stored):
    assert site.set_setting(newsroom.admin, key, value) == stored
    assert site.raw_settings()[key] == stored


@pytest.mark.parametrize(("key", "value"), [
    ("timezone", "WITA"), ("timezone", "Asia/Kota_Fiksi"), ("timezone", "../../etc/passwd"), ("timezone", ""),
    ("base_url", "kanwil.contoh.go.id"), ("base_url", "ftp://contoh.go.id"), ("base_url", "javascript:alert(1)"),
    ("icon", "https://"), ("feed_page_size", "0"), ("feed_page_size", "1001"), ("feed_page_size", "lima"),
    ("feed_page_size", "2.5"), ("article_url_template", "{base_url}/berita"),
    ("article_url_template", "{base_url}/{slug}/{id}"), ("article_url_template", "{slug}{0}"),
    ("article_url_template", "{slug}{slug.upper}"), ("article_url_template", "{slug}{uuid!r}"),
    ("article_url_template", "{slug}{"), ("language", "bahasa indonesia"), ("title", "x" * 201),
    ("warna", "merah"),
])
def test_invalid_settings_are_refused(newsroom, key, value):
    before = site.raw_settings()
    with pytest.raises(ValidationError):
        site.set_setting(newsroom.admin, key, value)
    assert site.raw_settings() == before


def test_template_with_attribute_access_is_refused_cleanly(newsroom):
    """Regression: ``{slug.x}`` raised AttributeError and the error message itself raised KeyError."""
    with pytest.raises(ValidationError, match=r"only \{base_url\}, \{slug\} and \{uuid\}: \{slug.x\}"):
        site.set_setting(newsroom.admin, "article_url_template", "{base_url}/{slug}/{slug.x}")


def test_home_page_defaults_to_base_url_and_zone_works(newsroom):
    site.set_setting(newsroom.admin, "base_url", "https://contoh.go.id")
    site.set_setting(newsroom.admin, "timezone", "Asia/Jayapura")
    current = site.get_settings()
    assert current.home_page_url == "https://contoh.go.id"
    assert current.article_url("a", "u") == "https://contoh.go.id/berita/a"
    assert current.zone.key == "Asia/Jayapura"


def test_setting_change_is_audited(newsroom):
    site.set_setting(newsroom.admin, "title", "Humas")
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (event.login, event.action, event.details) == ("ani", "settings.set", {"key": "title", "value": "Humas"})


def test_database_precedence(tmp_path):
    env = {"BERITATUI_DB": "/srv/env.db"}
    from_config = config.Config(database="/srv/config.db")
    assert config.resolve_database("/srv/cli.db", from_config, env) == "/srv/cli.db"
    assert config.resolve_database(None, from_config, env) == "/srv/env.db"
    assert config.resolve_database(None, from_config, {}) == "/srv/config.db"
    assert config.resolve_database(None, config.Config(), {}) == str(config.default_database_path())


def test_config_file_is_read_from_beritatui_config(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('database = "/srv/berita.db"\nlanguage = "id"\n[keymap]\nsave = "ctrl+s"\n')
    loaded = config.load_config({"BERITATUI_CONFIG": str(path)})
    assert (loaded.database, loaded.language, loaded.keymap) == ("/srv/berita.db", "id", {"save": "ctrl+s"})


def test_broken_config_file_is_the_defaults_and_one_warning(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("database = \n")
    loaded = config.load_config({"BERITATUI_CONFIG": str(path)})
    assert loaded.broken and (loaded.database, loaded.language, loaded.keymap) == (None, None, {})
    assert loaded.warning.startswith("Cannot read the config file") and "\n" not in loaded.warning


def test_remember_keeps_other_lines_and_tables(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('# punya saya\ntheme = "gelap"\n[keymap]\nsave = "ctrl+s"\n')
    config.remember("theme", 'te"rang', {"BERITATUI_CONFIG": str(path)})
    config.remember("language", "id", {"BERITATUI_CONFIG": str(path)})
    loaded = config.load_config({"BERITATUI_CONFIG": str(path)})
    assert (loaded.theme, loaded.language, loaded.keymap) == ('te"rang', "id", {"save": "ctrl+s"})
    assert path.read_text().startswith("# punya saya\n")


@pytest.mark.parametrize(("cli", "env", "conf", "expected"), [
    ("id", {"BERITATUI_LANG": "en", "LANG": "en_US.UTF-8"}, "en", "id"),
    (None, {"BERITATUI_LANG": "id", "LANG": "en_US.UTF-8"}, "en", "id"),
    (None, {"LANG": "en_US.UTF-8"}, "id", "id"),
    (None, {"LANG": "id_ID.UTF-8"}, None, "id"),
    (None, {"LANG": "en_GB.UTF-8"}, None, "en"),
    (None, {"LC_ALL": "id_ID", "LANG": "en_US"}, None, "id"),
    (None, {}, None, "en"),
    ("fr", {}, None, "en"),
    ("ID", {}, None, "id"),
    ("in", {}, None, "id"),
])
def test_language_precedence(cli, env, conf, expected):
    assert i18n.resolve_language(cli, conf, env) == expected


def test_parse_time_reads_site_time():
    assert timeparse.parse_time("2026-12-01 09:00", "Asia/Makassar") == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert timeparse.parse_time("01/12/2026 09:00", "Asia/Jakarta") == datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    assert timeparse.parse_time("2026-12-01T09:00+09:00", "Asia/Makassar") == datetime(2026, 12, 1, 0, 0,
                                                                                      tzinfo=UTC)
    assert timeparse.parse_time("2026-12-01T09:00Z", "Asia/Makassar") == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_rfc3339_shows_the_site_offset():
    moment = datetime(2026, 12, 1, 1, 0, 30, 999, tzinfo=UTC)
    assert timeparse.rfc3339(moment, "Asia/Makassar") == "2026-12-01T09:00:30+08:00"


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=40))
def test_parse_time_gives_aware_utc_or_a_validation_error(text):
    try:
        moment = timeparse.parse_time(text, "Asia/Makassar")
    except ValidationError:
        return
    assert moment.utcoffset().total_seconds() == 0


@settings(max_examples=100, deadline=None)
@given(value=st.text(min_size=1, max_size=40))
def test_remember_round_trips_any_value(tmp_path_factory, value):
    """Regression: a newline in a remembered value made the config file unreadable."""
    env = {"BERITATUI_CONFIG": str(tmp_path_factory.mktemp("cfg") / "config.toml")}
    config.remember("editor", value, env)
    config.remember("theme", "gelap", env)
    loaded = config.load_config(env)
    assert (loaded.editor, loaded.theme) == (value, "gelap")
