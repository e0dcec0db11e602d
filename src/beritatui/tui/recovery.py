"""Offering back text that was typed but never saved (a dropped SSH connection, a closed terminal).

:class:`RecoveryModal` shows what the autosave slot holds beyond the saved article and asks;
:class:`RecoveryFlow` is the editor's side: load it into the fields, discard it, or (for an article
this login can no longer edit) keep it in the article's history.
"""

from __future__ import annotations

from datetime import datetime

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from beritatui.core.content import Content
from beritatui.core.revisions import as_text, unified_diff
from beritatui.i18n import N_, _, format_datetime
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.session import Loaded, new_slot
from beritatui.tui.slots import Waiting, keep_waiting
from beritatui.tui.typeahead import TypeAhead, press_focused_button
from beritatui.tui.widgets.diff import coloured_diff
from beritatui.tui.work import core_work


def recovery_diff(saved: Content, recovered: Content) -> list[str]:
    """What the autosave slot holds beyond the saved article, as a unified diff."""
    return unified_diff(as_text(saved), as_text(recovered), _("saved"), _("recovered"))


class RecoveryModal(TypeAhead, TranslatedBindings, ModalScreen[bool]):
    """Show the recovered text's diff; ``True`` loads it into the editor, ``False`` discards it."""

    DEFAULT_CSS = """
    RecoveryModal { align: center middle; }
    RecoveryModal > Vertical { width: 100%; max-width: 110; height: 100%; max-height: 40; border: thick $accent;
        background: $surface; padding: 0 1; }
    RecoveryModal #message { height: auto; margin-bottom: 1; }
    RecoveryModal #diff-scroll { height: 1fr; border: round $panel; }
    RecoveryModal #buttons { height: auto; align-horizontal: right; }
    RecoveryModal Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("f5", "answer(True)", N_("Recover"), id="recovery.accept"),
        Binding("f8", "answer(False)", N_("Discard"), id="recovery.discard"),
        Binding("enter", "press_focused", N_("Choose"), id="recovery.press", show=False, priority=True),
    ]

    def __init__(self, diff_lines: list[str], saved_at: datetime | None = None, timezone: str | None = None) -> None:
        super().__init__()
        self.diff_lines = diff_lines
        self.saved_at = saved_at
        self.timezone = timezone

    def compose(self) -> ComposeResult:
        when = format_datetime(self.saved_at, self.timezone, "short") if self.saved_at else "?"
        with Vertical():
            yield Static(_("Unsaved text from {when} was recovered. Load it into the editor (it stays unsaved "
                          "until you save), or discard it?").format(when=when), id="message")
            with VerticalScroll(id="diff-scroll"):
                yield Static(coloured_diff(self.diff_lines) if self.diff_lines else _("(no differences)"), id="diff")
            with Horizontal(id="buttons"):
                yield Button(_("Discard (F8)"), id="discard", variant="error")
                yield Button(_("Recover (F5)"), id="accept", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#accept", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "accept")

    def action_answer(self, accept: bool) -> None:
        self.dismiss(accept)

    def action_press_focused(self) -> None:
        press_focused_button(self)


class RecoveryFlow:
    """The editor's side of waiting text, mixed into :class:`~beritatui.tui.editor.EditorScreen` (it uses the
    screen's ``editing`` session, ``fill``, ``choose_unit``, ``follow_title``, ``place_cursor``, ``discard_autosave`` and
    ``refresh_status``)."""

    def offer_recovery(self, loaded: Loaded) -> None:
        payload = loaded.recovered or {}
        recovery = self.editing.recovery(loaded)
        diff = recovery_diff(loaded.content, recovery.content)

        def answer(accept: bool | None) -> None:
            if accept:
                self.editing.recovered(recovery)
                self.fill(recovery.content)
                self.choose_unit(self.editing.unit_id)
                if self.editing.follows_title() and recovery.content.title != loaded.content.title:
                    self.follow_title(recovery.content.title)
                self.place_cursor(payload.get("focus"), payload.get("cursor"))
                self.notify(_("Recovered text loaded; save to keep it"))
            else:
                self.discard_autosave(loaded.slot)
                if loaded.article is None:
                    self.editing.slot = new_slot()
            self.refresh_status()

        self.app.push_screen(RecoveryModal(diff, loaded.recovered_at, self.app.settings.timezone), answer)

    @work(thread=True, group="editor-keep")
    def keep_recovered(self, waiting: Waiting) -> None:
        """Unsaved text for an article this login can no longer edit: into its history, never lost."""
        with core_work(self.app):
            number = keep_waiting(self.app.session.actor, waiting)
            if number is not None:
                self.app.call_from_thread(self.notify, _(
                    "Your unsaved text could not go back into this article ({reason}); it is kept in its "
                    "history as revision {n}").format(reason=waiting.read_only_reason, n=number), timeout=12)
