"""The command palette (ctrl+p): every action of the current screen and of the app, plus
"open an article by its title", theme and language.

Screen actions come from the same binding chain as the footer and the help
screen, so the palette offers exactly what the keys offer, translated.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from beritatui.core.database import release_thread_connection
from beritatui.core.listing import ArticleQuery, ArticleRow, list_articles
from beritatui.core.workflow import status_label
from beritatui.i18n import SUPPORTED, _, current_language
from beritatui.tui.bindings import screen_keys

if TYPE_CHECKING:
    from textual.app import App

TITLE_HITS = 12
LANGUAGE_NAMES = {"en": "English", "id": "Bahasa Indonesia"}


def languages() -> list[tuple[str, str]]:
    """The languages the person may switch to (every one but the current), with their names."""
    return [(code, LANGUAGE_NAMES.get(code, code)) for code in SUPPORTED if code != current_language()]


def app_commands(app: App, screen: Screen) -> Iterable[SystemCommand]:
    """System commands for the palette: the screen's keys, then app-wide choices (``app`` is the BeritaApp)."""
    seen: set[str] = set()
    for line in screen_keys(screen):
        if line.action in ("command_palette", "app.command_palette") or line.description in seen:
            continue
        seen.add(line.description)
        yield SystemCommand(line.description, _("Key: {keys}").format(keys=line.keys),
                           partial(_run, app, screen, line.action))
    for code, name in languages():
        yield SystemCommand(_("Language: {name}").format(name=name), _("Show every screen in {name}").format(name=name),
                            partial(app.switch_language, code))
    yield SystemCommand(_("Change theme"), _("Pick colours (remembered in your config)"), app.action_change_theme)
    yield SystemCommand(_("Quit"), _("Leave beritatui"), app.action_quit)


async def _run(app: App, screen: Screen, action: str) -> None:
    """Run ``action`` as its key would: on the focused widget's chain of the screen it came from."""
    for node, bindings in screen._binding_chain:
        if any(binding.action == action for _key, binding in bindings):
            await app.run_action(action, node)
            return
    await app.run_action(action, screen)


def _titles(text: str) -> list[ArticleRow]:
    try:
        return list_articles(ArticleQuery(text=text, limit=TITLE_HITS)).rows if text else \
            list_articles(ArticleQuery(limit=TITLE_HITS)).rows
    finally:
        release_thread_connection()


class ArticleTitles(Provider):
    """Open an article by typing part of its title (full-text search, off the UI thread)."""

    async def discover(self) -> Hits:
        for row in await asyncio.to_thread(_titles, ""):
            yield DiscoveryHit(_("Open: {title}").format(title=row.title), partial(self._open, row.id),
                               help=status_label(row.status))

    async def search(self, query: str) -> Hits:
        query = query.strip()
        if len(query) < 2:
            return
        try:
            rows = await asyncio.to_thread(_titles, query)
        except Exception:  # noqa: BLE001 - a half-typed query must never break the palette
            return
        matcher = self.matcher(query)
        for row in rows:
            title = _("Open: {title}").format(title=row.title)
            score = matcher.match(title) or 0.5
            yield Hit(score, matcher.highlight(title), partial(self._open, row.id), help=status_label(row.status))

    def _open(self, article_id: int) -> None:
        from beritatui.tui.editor import EditorScreen

        self.app.push_screen(EditorScreen(article_id))
