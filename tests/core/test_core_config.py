"""The config file: written by a TOML library that round-trips, read without ever refusing to start."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beritatui.core import config
from beritatui.core.errors import ValidationError

# A file a person wrote by hand: a comment, a quoted key, a multi-line string holding a line that looks like
# a key, and a table.  The old line-editing writer matched "theme" inside the multi-line string and never the
# quoted key, so the theme was not changed and the editor command was.
HAND_WRITTEN = '''# pengaturan Wati
"theme" = "nord"
editor = """nano
theme = "bukan-ini"
"""
database = '/srv/berita/berita.db'

[keymap]
"articles.new" = "n,f5"
'''


def _env(path: Path) -> dict[str, str]:
    return {"BERITATUI_CONFIG": str(path)}


def test_remember_edits_a_quoted_key_and_keeps_a_multi_line_string(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    config.remember("theme", "gruvbox", _env(path))
    config.remember("language", "id", _env(path))
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data == {"theme": "gruvbox", "editor": 'nano\ntheme = "bukan-ini"\n', "database": "/srv/berita/berita.db",
                    "language": "id", "keymap": {"articles.new": "n,f5"}}
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# pengaturan Wati\n") and text.index("language") < text.index("[keymap]")
    assert path.stat().st_mode & 0o777 == 0o600


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(["theme", "language", "editor", "database"]),
       value=st.text(st.characters(exclude_categories=["Cs"]), max_size=40))
def test_any_string_written_through_remember_reads_back_equal(tmp_path_factory, key, value):
    path = tmp_path_factory.mktemp("cfg") / "config.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    before = tomllib.loads(HAND_WRITTEN)
    config.remember(key, value, _env(path))
    data = tomllib.loads(path.read_text(encoding="utf-8"))  # the file stays valid TOML
    assert data[key] == value
    assert {k: v for k, v in data.items() if k != key} == {k: v for k, v in before.items() if k != key}
    loaded = config.load_config(_env(path))
    assert loaded.problems == [] and loaded.keymap == {"articles.new": "n,f5"}
    assert getattr(loaded, key) == (value or None)


def test_remember_never_overwrites_a_file_that_does_not_parse(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord\n', encoding="utf-8")
    with pytest.raises(ValidationError, match="is broken"):
        config.remember("theme", "gruvbox", _env(path))
    assert path.read_text(encoding="utf-8") == 'theme = "nord\n'


def test_remember_creates_the_folder_and_a_private_file(tmp_path):
    path = tmp_path / "baru" / "beritatui" / "config.toml"
    config.remember("language", "id", _env(path))
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"language": "id"}
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]  # no temporary file left


@pytest.mark.parametrize(("text", "expected"), [
    ('language = "id"\ntheme = 7\n', ["theme must be a text in quotes, not 7"]),
    ('databse = "/srv/x.db"\n', ["unknown key 'databse' (known: database, language, theme, editor, keymap)"]),
    ('keymap = "n"\n', ["[keymap] must be a table of binding id = keys"]),
    ('[keymap]\n"articles.new" = 5\n', ['keymap \'articles.new\' must be keys in quotes, like "ctrl+s,f2"']),
])
def test_bad_entries_are_reported_and_left_at_their_default(tmp_path, text, expected):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    loaded = config.load_config(_env(path))
    assert loaded.problems == expected and not loaded.broken
    assert loaded.theme is None and loaded.keymap == {} and loaded.database is None
    assert "\n" not in loaded.warning and "beritatui config check" in loaded.warning


def test_a_file_that_does_not_parse_is_the_defaults(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('database = "/srv/berita.db"\nlanguage = "id\n', encoding="utf-8")
    loaded = config.load_config(_env(path))
    assert loaded.broken and loaded.database is None and loaded.language is None
    assert loaded.warning.startswith(f"Cannot read the config file {path}")


def test_a_file_that_is_not_utf8_is_the_defaults(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b'theme = "\xff"\n')
    loaded = config.load_config(_env(path))
    assert loaded.broken and loaded.theme is None and loaded.warning


def test_advice_for_values_that_will_not_do_what_was_meant():
    loaded = config.parse_config('language = "fr"\neditor = "nano \\"-w"\n')
    assert config.value_advice(loaded) == [
        "language 'fr' is not one of: en, id (English is used)",
        "editor 'nano \"-w' is not a command line (check its quotes)",
    ]
    assert config.value_advice(config.parse_config('language = "id_ID.UTF-8"\neditor = "code --wait"\n')) == []


# -- the person's text editor (beritatui edit, the app's ctrl+e) ---------------------------------

@pytest.mark.parametrize(
    ("configured", "env", "expected"),
    [
        ("nano -w", {"VISUAL": "vim", "EDITOR": "ed"}, "nano -w"),
        (None, {"VISUAL": "vim", "EDITOR": "ed"}, "vim"),
        (None, {"EDITOR": "micro"}, "micro"),
        ("   ", {"VISUAL": "  ", "EDITOR": "micro"}, "micro"),  # only spaces counts as not set
        ("", {"VISUAL": "", "EDITOR": ""}, "vi"),
        (None, {}, "vi"),
    ],
)
def test_the_editor_is_the_config_then_visual_then_editor_then_vi(configured, env, expected):
    assert config.editor_command(configured, env) == expected
