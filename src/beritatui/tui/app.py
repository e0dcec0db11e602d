"""The application object: the session, site settings, theme, keymap, language, errors.

Screens hold no rules: they call core functions in thread workers and show
what comes back.  This module gives them the shared pieces: ``app.session``,
``app.settings``, :meth:`BeritaApp.show_error` and :func:`core_work`.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from beritatui.core import config as configmod
from beritatui.core.database import release_thread_connection
from beritatui.core.errors import BeritaError, describe
from beritatui.core.listing import ArticleQuery
from beritatui.core.session import Session
from beritatui.core.site import SiteSettings, get_settings
from beritatui.i18n import N_, SUPPORTED, _, current_language, set_language
from beritatui.tui.bindings import check_keymap, translate_bindings
from beritatui.tui.palette import ArticleTitles
from beritatui.tui.prefetch import FirstPage

LANGUAGE_NAMES = {"en": "English", "id": "Bahasa Indonesia"}
DEFAULT_THEME = "textual-dark"


def error_message(exc: BaseException, spec: str = "") -> str:
    """What a person reads for ``exc``: as ``core.errors.describe`` says it (the command line asks it too)."""
    message = describe(exc, spec)
    return message if message is not None else _("Unexpected error: {message}").format(message=exc)


class BeritaApp(App[None]):
    """The editor's terminal over one database, acting as one login."""

    CSS_PATH = "app.tcss"
    TITLE = "beritatui"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {ArticleTitles}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS = [
        Binding("question_mark,f1", "help", N_("Help"), id="app.help"),
        Binding("ctrl+p", "command_palette", N_("Commands"), id="app.palette", show=False, priority=True),
        Binding("ctrl+q", "quit", N_("Quit"), id="app.quit", show=False, priority=True),
    ]

    def __init__(self, session: Session, *, settings: SiteSettings | None = None,
                 first_page: FirstPage | None = None, resume_collector: bool = False) -> None:
        super().__init__()
        self.session = session
        self._settings = settings
        self._first_page = first_page
        self._resume_collector = resume_collector  # the launch paused the garbage collector (tui.collector)
        translate_bindings(self)
        self._apply_theme(session.config.theme)
        self._apply_keymap(session.config.keymap)

    # -- shared pieces ---------------------------------------------------------------------------

    @property
    def settings(self) -> SiteSettings:
        """Site settings (read once; :meth:`refresh_settings` after a change)."""
        if self._settings is None:
            self._settings = get_settings()
        return self._settings

    def take_first_page(self, query: ArticleQuery) -> FirstPage | None:
        """The launch's prefetched first page, once, if ``query`` is the one it fetched."""
        first, self._first_page = self._first_page, None
        return first if first is not None and first.query == query else None

    def refresh_settings(self) -> SiteSettings:
        self._settings = get_settings()
        return self._settings

    def show_error(self, exc: BaseException) -> None:
        """A notification with the core's reason; the app carries on."""
        self.notify(error_message(exc, self.session.spec), title=_("Error"), severity="error", timeout=8)

    @property
    def export_available(self) -> bool:
        """Whether the feeds export is installed (the ``x`` key)."""
        return importlib.util.find_spec("beritatui.feeds.export") is not None

    # -- lifecycle -------------------------------------------------------------------------------

    def on_mount(self) -> None:
        from beritatui.tui.articles import ArticlesScreen

        self.sub_title = self._who()
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._install_signals()
        self.push_screen(ArticlesScreen())

    def _who(self) -> str:
        actor = self.session.actor
        name = actor.display_name or actor.login
        return f"{name} · {actor.unit}" if actor.unit else name

    def _install_signals(self) -> None:
        try:
            from beritatui.tui.signals import install_signal_handlers
        except ImportError:
            return
        install_signal_handlers(self)

    # -- theme, keymap, language -------------------------------------------------------------------

    def _apply_theme(self, name: str | None) -> None:
        if name and name in self.available_themes:
            self.theme = name

    def _remember_theme(self, theme: Theme) -> None:
        if theme.name != self.session.config.theme:
            self.session.config.theme = theme.name
            self._remember("theme", theme.name)

    @work(thread=True, group="config")
    def _remember(self, key: str, value: str) -> None:
        """Write a choice to the person's config file (a file write: off the UI thread)."""
        try:
            configmod.remember(key, value)
        except OSError as exc:
            self.call_from_thread(self.notify, _("Could not remember {key}: {reason}").format(
                key=key, reason=exc.strerror or exc), severity="warning")
        except BeritaError as exc:  # a config file that does not parse is never overwritten
            self.call_from_thread(self.notify, str(exc), severity="warning")

    def _apply_keymap(self, keymap: dict[str, str]) -> None:
        usable, self.refused_keys = check_keymap(keymap)
        if usable:
            self.set_keymap(usable)

    def on_ready(self) -> None:
        """The first screen is painted: the collector may run again, and refused keys are reported."""
        if self._resume_collector:
            from beritatui.tui import collector

            self._resume_collector = False
            collector.resume(self)
        if self.session.config.warning:  # a broken config file: the defaults are in use, and the person is told
            self.notify(self.session.config.warning, severity="warning", timeout=10)
        if getattr(self, "refused_keys", None):
            self.notify(_("Ignored keymap entries (alt and ctrl+shift keys do not survive SSH): {ids}").format(
                ids=", ".join(self.refused_keys)), severity="warning")

    def switch_language(self, lang: str) -> None:
        """Show every screen in ``lang`` and remember it; refuses while an editor is open."""
        blocking = [s for s in self.screen_stack[1:] if not getattr(s, "REBUILDABLE", False)]
        if blocking:
            self.notify(_("Close the open editor or review first, then switch the language"), severity="warning")
            return
        set_language(lang)
        self.session.config.language = lang
        self._remember("language", lang)
        translate_bindings(self)
        self._rebuild_screens()
        self.notify(_("Language: {name}").format(name=LANGUAGE_NAMES.get(lang, lang)))

    def _rebuild_screens(self) -> None:
        from beritatui.tui.articles import ArticlesScreen

        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(ArticlesScreen())

    # -- actions ---------------------------------------------------------------------------------

    def action_help(self) -> None:
        from beritatui.tui.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))

    def action_switch_language(self, lang: str) -> None:
        self.switch_language(lang)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from beritatui.tui.palette import app_commands

        yield from app_commands(self, screen)


@contextmanager
def core_work(app: App) -> Iterator[None]:
    """Wrap the body of a thread worker: core errors become notifications, the connection is released.

    ``with core_work(self.app): ...`` inside ``@work(thread=True)``; the app never crashes on a user action.
    """
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - every failure of a user action is shown, never raised
        show = getattr(app, "show_error", None)
        if show is not None and app.is_running:
            try:
                app.call_from_thread(show, exc)
            except RuntimeError:  # the app closed meanwhile: nobody is left to tell
                pass
    finally:
        release_thread_connection()


def languages() -> list[tuple[str, str]]:
    return [(code, LANGUAGE_NAMES.get(code, code)) for code in SUPPORTED if code != current_language()]
