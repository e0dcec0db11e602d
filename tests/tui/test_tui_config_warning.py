"""A config file with mistakes never stops the app: the defaults are used and a notification says why."""

from __future__ import annotations

import tomllib

from beritatui.core import config as configmod
from beritatui.tui.articles import ArticlesScreen

from .conftest import settle


async def test_a_broken_config_is_one_notification_and_the_defaults(newsroom, make_app, tmp_path, monkeypatch):
    path = tmp_path / "rusak.toml"
    path.write_text('theme = "nord"\nlanguage = "id\n', encoding="utf-8")
    monkeypatch.setenv("BERITATUI_CONFIG", str(path))
    app = make_app(newsroom.editor, configmod.load_config())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ArticlesScreen)
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert len(warnings) == 1 and warnings[0].startswith(f"Cannot read the config file {path}")
        assert app.theme == "textual-dark"  # the broken file's theme is not half-applied
        app.theme = "gruvbox"  # remembering a choice must not overwrite the person's broken file
        await settle(pilot)
        assert any("is broken" in n.message for n in app._notifications)
    assert path.read_text(encoding="utf-8") == 'theme = "nord"\nlanguage = "id\n'


async def test_a_good_config_gives_no_warning(newsroom, make_app, tmp_path, monkeypatch):
    path = tmp_path / "baik.toml"
    path.write_text('theme = "nord"\n', encoding="utf-8")
    monkeypatch.setenv("BERITATUI_CONFIG", str(path))
    app = make_app(newsroom.editor, configmod.load_config())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        assert not [n for n in app._notifications if n.severity == "warning"]
        app.theme = "gruvbox"
        await settle(pilot)
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"theme": "gruvbox"}
