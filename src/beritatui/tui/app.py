"""The application object: the session, site settings, theme, keymap, language, errors.

Screens hold no rules: they call core functions in thread workers
(:func:`beritatui.tui.work.core_work`) and show what comes back.  The app gives
them the shared pieces: ``app.session``, ``app.settings`` and
:meth:`BeritaApp.show_error`.  Screens never import this module: they reach the
app as ``self.app``, and the app is the one that opens screens for each other
and carries what one screen hands to another.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable
from time import monotonic
from typing import Any

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from beritatui.core import config as configmod
from beritatui.core.errorlines import describe
from beritatui.core.errors import BeritaError
from beritatui.core.listing import ArticleQuery
from beritatui.core.session import Session
from beritatui.core.site import SiteSettings, get_settings
from beritatui.i18n import N_, _, ngettext, set_language
from beritatui.tui.bindings import check_keymap, screen_keys, translate_bindings
from beritatui.tui.palette import LANGUAGE_NAMES, ArticleTitles
from beritatui.tui.prefetch import FirstPage

DEFAULT_THEME = "textual-dark"


def error_message(exc: BaseException, spec: str = "") -> str:
    """What a person reads for ``exc``: as ``core.errorlines.describe`` says it (the command line asks it too)."""
    message = describe(exc, spec)
    return message if message is not None else _("Unexpected error: {message}").format(message=exc)


class BeritaApp(App[None]):
    """The editor's terminal over one database, acting as one login."""

    # The list's own file too: it is the first screen, and a screen that brings a stylesheet the app has not
    # read yet makes Textual parse every stylesheet again and restyle the app (about 8 ms before the first
    # paint).  ArticlesScreen still names its file; it is simply read already.
    CSS_PATH = ["app.tcss", "articles.tcss"]
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
        self._editors: list[Any] = []  # every editor screen open, whatever lies on top of it
        self._buffers_kept = False
        self.last_key_at = 0.0
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

    def take_first_page(self, query: ArticleQuery, scope: Any = None) -> FirstPage | None:
        """The launch's prefetched first page, once, if ``query`` in the units of ``scope`` (a
        :class:`~beritatui.tui.unit_scope.UnitScope`) is what it fetched."""
        first, self._first_page = self._first_page, None
        if first is None or first.query != query or first.scope != scope or first.actor is not self.session.actor:
            return None
        return first

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

    # -- keys ----------------------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Keys from the terminal: held for a screen not ready yet, else their binding resolved before the
        next key is routed (see :mod:`beritatui.tui.typeahead`)."""
        if isinstance(event, events.Key) and not event.is_forwarded and self.screen.maximized is None:
            from beritatui.tui.typeahead import TypeAhead, route_key

            self.app_focus = True
            self.last_key_at = monotonic()  # the collector's full collections wait for a pause (tui.collector)
            screen = self.screen
            if isinstance(screen, TypeAhead) and screen.holding_keys() and not self._quit_key(event):
                screen.hold_key(event)
                return
            if await route_key(self, event):
                return
        await super().on_event(event)

    def _quit_key(self, event: events.Key) -> bool:
        """ctrl+q is never held: a screen that cannot get ready must not keep anyone in the app."""
        return any(binding.action in ("quit", "app.quit") and binding.priority
                   for binding in self._bindings.key_to_bindings.get(event.key, ()))

    # -- open editors, and every way the app ends -------------------------------------------------------

    def register_editor(self, editor: Any) -> None:
        if editor not in self._editors:
            self._editors.append(editor)

    def forget_editor(self, editor: Any) -> None:
        if editor in self._editors:
            self._editors.remove(editor)

    def open_editors(self) -> list[Any]:
        """Every open editor: those registered, and any on a screen stack (under a modal, history, review…)."""
        found = list(self._editors)
        if "beritatui.tui.editor" not in sys.modules:
            return found  # no editor was ever opened (and the way out need not import one to find none)
        from beritatui.tui.editor import EditorScreen
        from beritatui.tui.signals import open_screens

        found += [s for s in open_screens(self) if isinstance(s, EditorScreen) and s not in found]
        return found

    def unsaved_editors(self) -> list[Any]:
        return [editor for editor in self.open_editors() if editor.dirty and editor.read_only_reason is None]

    def keep_open_buffers(self) -> int:
        """Write every open editor's unsaved text to its autosave slot now (the app is ending).

        Runs on the UI thread, where the buffers are: one short upsert per editor, only on the way out.
        Returns how many buffers were written.
        """
        self._buffers_kept = True
        written = 0
        for editor in self.open_editors():
            try:
                written += bool(editor.autosave_now())
            except Exception:  # noqa: BLE001 - one failing editor must not stop the others being kept
                continue
        return written

    def exit(self, result: Any = None, return_code: int = 0, message: Any = None) -> None:
        """Every end of the app comes through here (or :meth:`_handle_exception`): buffers are kept first."""
        if not self._buffers_kept:
            self.keep_open_buffers()
        super().exit(result, return_code, message)

    def _handle_exception(self, error: Exception) -> None:
        """An uncaught error ends the app: keep every open buffer before Textual shows the traceback."""
        if not self._buffers_kept:
            try:
                self.keep_open_buffers()
            except Exception:  # noqa: BLE001 - the original error is the one to report
                pass
        super()._handle_exception(error)

    async def action_quit(self) -> None:
        """ctrl+q, the palette's Quit and the list's ``q``: ask first when any editor has unsaved text."""
        unsaved = self.unsaved_editors()
        if not unsaved:
            self.exit()
            return
        from beritatui.tui.editor import LeaveModal

        if any(isinstance(screen, LeaveModal) for screen in self.screen_stack):
            return  # already asking
        titles = ", ".join(f"\u201c{editor.title_for_people()}\u201d" for editor in unsaved)
        message = ngettext("Unsaved changes in {titles}. Save before quitting?",
                           "Unsaved changes in {n} articles: {titles}. Save them before quitting?",
                           len(unsaved)).format(titles=titles, n=len(unsaved))

        def decide(choice: str | None) -> None:
            if choice == "discard":
                for editor in self.unsaved_editors():
                    editor.discard_buffer()
                self.exit()
            elif choice == "save":
                self._save_then_quit(self.unsaved_editors())

        self.push_screen(LeaveModal(message), decide)

    def _save_then_quit(self, editors: list[Any]) -> None:
        """Save each editor in turn; quit once all are saved, stay (text on screen and in its slot) if one is not."""
        if not editors:
            self.exit()
            return
        editor, rest = editors[0], editors[1:]

        def done(ok: bool) -> None:
            if ok:
                self._save_then_quit(rest)
            else:
                self.notify(_("Not quit: \u201c{title}\u201d is not saved. Its text is still open and kept in "
                              "its autosave slot.").format(title=editor.title_for_people()),
                            severity="warning", timeout=10)

        editor.start_save(then=done)

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
        if blocking or self.open_editors():  # rebuilding the screens would close an editor
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

        screen = self.screen
        if isinstance(screen, HelpScreen):
            screen.dismiss()
            return
        self.push_screen(HelpScreen(screen_keys(screen), getattr(screen, "HELP_TITLE", None)))

    def action_switch_language(self, lang: str) -> None:
        self.switch_language(lang)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from beritatui.tui.palette import app_commands

        yield from app_commands(self, screen)
