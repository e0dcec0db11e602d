"""The app around the screens: help, keymap from the config, theme and language remembered,
the command palette's commands, the export key."""

from __future__ import annotations

import tomllib
from datetime import timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import DataTable

from beritatui import i18n
from beritatui.core import clock
from beritatui.core import config as configmod
from beritatui.core.articles import ArticleDraft, create_article
from beritatui.core.config import Config
from beritatui.core.site import set_setting
from beritatui.tui.articles import ArticlesScreen
from beritatui.tui.bindings import check_keymap
from beritatui.tui.help import HelpScreen
from beritatui.tui.palette import app_commands
from beritatui.tui.tags import TagsScreen

from .conftest import settle, wait_for


def _config_file() -> Path:
    return configmod.writable_config_path()


def _help_ids(screen: HelpScreen) -> set[str]:
    return {line.binding_id for line in screen.keys}


async def test_help_lists_the_screen_keys_for_this_login(newsroom, make_app):
    create_article(newsroom.writer, ArticleDraft(title="Apel Pagi", tags=["Upacara"]))
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        ids = _help_ids(app.screen)
        assert {"articles.new", "articles.open", "articles.review", "articles.search", "articles.view3",
                "app.help"} <= ids
        table = app.screen.query_one(DataTable)
        assert table.row_count == len(app.screen.keys)
        await pilot.press("escape")
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert {"tags.new", "tags.rename", "tags.merge", "tags.delete"} <= _help_ids(app.screen)
        assert "articles.new" not in _help_ids(app.screen)


async def test_help_leaves_out_what_a_writer_may_not_do(newsroom, make_app):
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        ids = _help_ids(app.screen)
        assert "articles.new" in ids
        assert "articles.review" not in ids and "articles.publish" not in ids


async def test_keymap_from_config_rebinds_and_help_shows_it(newsroom, make_app):
    app = make_app(newsroom.editor, Config(keymap={"articles.tags": "f7", "articles.new": "alt+n"}))
    assert app.refused_keys == ["articles.new"]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, ArticlesScreen)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, TagsScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        tags_line = next(line for line in app.screen.keys if line.binding_id == "articles.tags")
        assert tags_line.keys == "f7"


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=20), st.text(max_size=30), max_size=6))
def test_check_keymap_never_lets_unsafe_keys_through(keymap):
    usable, refused = check_keymap(keymap)
    assert set(usable) | set(refused) == set(keymap)
    for keys in usable.values():
        for key in keys.split(","):
            assert key and not key.lower().startswith(("alt+", "meta+")) and "ctrl+shift+" not in key.lower()


async def test_theme_is_remembered_in_the_config(newsroom, make_app):
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.theme = "textual-light"
        await settle(pilot)
    data = tomllib.loads(_config_file().read_text(encoding="utf-8"))
    assert data["theme"] == "textual-light"
    again = make_app(newsroom.editor, configmod.load_config())
    assert again.theme == "textual-light"


async def test_switching_language_rebuilds_screens_and_is_remembered(newsroom, make_app, frozen_clock):
    clock.freeze(frozen_clock - timedelta(hours=3))
    create_article(newsroom.writer, ArticleDraft(title="Pemeriksaan Kesehatan Rutin"))
    clock.freeze(frozen_clock)
    app = make_app(newsroom.editor)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            before = app.screen
            await pilot.press("g")
            await settle(pilot)
            app.switch_language("id")
            await settle(pilot)
            assert isinstance(app.screen, ArticlesScreen) and app.screen is not before
            assert i18n.current_language() == "id"
            cells = app.screen.query_one(DataTable).get_row_at(0)
            assert str(cells[app.screen.table.get_column_index("updated")]) == "3 jam lalu"
    finally:
        i18n.set_language("en")
    data = tomllib.loads(_config_file().read_text(encoding="utf-8"))
    assert data["language"] == "id"


async def test_palette_offers_screen_actions_language_and_theme(newsroom, make_app):
    app = make_app(newsroom.writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app_commands(app, app.screen)]
        assert "New" in titles and "Search" in titles and "Show drafts" in titles
        assert "Review queue" not in titles and "Publish" not in titles
        assert "Language: Bahasa Indonesia" in titles and "Change theme" in titles
        tags = next(c for c in app_commands(app, app.screen) if c.title == "Tags")
        await tags.callback()
        await settle(pilot)
        assert isinstance(app.screen, TagsScreen)


async def test_export_key_writes_feeds_or_says_why_not(newsroom, make_app, tmp_path):
    article = create_article(newsroom.writer, ArticleDraft(title="Gelar Karya Warga Binaan", body="Pameran."))
    from beritatui.core import transitions

    transitions.submit(newsroom.writer, article.id)
    transitions.publish(newsroom.editor, article.id)
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("base_url" in m or "not available" in m for m in messages)
        set_setting(newsroom.admin, "base_url", "https://sulsel.contoh.go.id")
        set_setting(newsroom.admin, "export_dir", str(tmp_path / "feeds"))
        app.refresh_settings()
        await pilot.press("x")
        await settle(pilot)
        if app.export_available:
            assert (tmp_path / "feeds").is_dir() and any((tmp_path / "feeds").rglob("*.json"))
            assert any("Feeds exported" in n.message for n in app._notifications)


async def test_export_key_exports_every_unit_into_its_own_directory(newsroom, make_app, tmp_path):
    from beritatui.core import transitions, unit_admin

    lapas = unit_admin.add_unit(newsroom.admin, "Lapas Watampone")
    unit_admin.add_unit(newsroom.admin, "Rutan Makassar")
    article = create_article(newsroom.admin, ArticleDraft(title="Gelar Karya Warga Binaan", body="Pameran."),
                             unit=lapas.id)
    transitions.submit(newsroom.admin, article.id)
    transitions.publish(newsroom.editor, article.id)  # four eyes: not its writer
    set_setting(newsroom.admin, "base_url", "https://sulsel.contoh.go.id")
    set_setting(newsroom.admin, "export_dir", str(tmp_path / "kanwil"))
    set_setting(newsroom.admin, "export_dir", str(tmp_path / "lapas"), unit=lapas)
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        if not app.export_available:
            return
        await pilot.press("x")
        await wait_for(pilot, lambda: any("Skipped Rutan Makassar" in n.message for n in app._notifications))
    message = next(n.message for n in app._notifications if "Skipped Rutan Makassar" in n.message)
    assert f"Lapas Watampone → {tmp_path / 'lapas'}" in message
    for folder in ("kanwil", "lapas"):
        assert (tmp_path / folder / "articles" / f"{article.slug}.json").exists()


async def test_palette_opens_an_article_by_title(newsroom, make_app):
    from beritatui.tui.editor import EditorScreen

    from .conftest import type_text

    barista = create_article(newsroom.writer, ArticleDraft(title="Pelatihan Barista Lapas", body="Kopi lokal."))
    create_article(newsroom.writer, ArticleDraft(title="Lomba Voli", body="Antarblok."))
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "barista")
        await pilot.pause(0.5)
        await settle(pilot)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        assert app.screen.article_id == barista.id


async def test_export_key_with_worker_processes_from_the_app_thread(newsroom, make_app, tmp_path, monkeypatch):
    """The x key runs the export in a thread of the app; its worker processes start from there and end with it."""
    from beritatui.core import transitions
    from beritatui.feeds import workers

    monkeypatch.setattr(workers, "PARALLEL_MIN", 1)
    teams: list[workers.Team] = []
    real = workers.Team
    monkeypatch.setattr(workers, "Team", lambda *args: teams.append(real(*args)) or teams[-1])
    for n in range(3):
        article = create_article(newsroom.writer, ArticleDraft(title=f"Bakti Sosial Hari Bhakti ke-{n}", body="Isi."))
        transitions.submit(newsroom.writer, article.id)
        transitions.publish(newsroom.editor, article.id)
    set_setting(newsroom.admin, "base_url", "https://sulsel.contoh.go.id")
    set_setting(newsroom.admin, "export_dir", str(tmp_path / "feeds"))
    app = make_app(newsroom.editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.export_available
        await pilot.press("x")
        await wait_for(pilot, lambda: any("Feeds exported" in n.message for n in app._notifications))
    assert len(teams) == 1 and all(proc.returncode is not None for proc in teams[0].procs)
    assert len(list((tmp_path / "feeds" / "articles").glob("*.json"))) == 3


async def test_export_key_says_it_waits_while_a_colleagues_export_holds_the_folder(newsroom, make_app, tmp_path):
    import fcntl

    from beritatui.core import transitions
    from beritatui.feeds.export import LOCK

    article = create_article(newsroom.writer, ArticleDraft(title="Bakti Sosial Hari Bhakti", body="Donor darah."))
    transitions.submit(newsroom.writer, article.id)
    transitions.publish(newsroom.editor, article.id)
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    set_setting(newsroom.admin, "base_url", "https://sulsel.contoh.go.id")
    set_setting(newsroom.admin, "export_dir", str(feeds))
    app = make_app(newsroom.editor)
    with open(feeds / LOCK, "a+b") as held:  # a colleague's export, in the middle of its run
        fcntl.flock(held, fcntl.LOCK_EX)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("x")

            async def told(text: str) -> bool:  # not settle(): it waits for workers, and this one waits for the lock
                for _ in range(300):
                    if any(text in n.message for n in app._notifications):
                        return True
                    await pilot.pause(0.05)
                return False

            assert await told("Waiting for another export")
            assert not any("Feeds exported" in n.message for n in app._notifications)
            fcntl.flock(held, fcntl.LOCK_UN)
            assert await told("Feeds exported")
    assert (feeds / "feed.json").is_file()
