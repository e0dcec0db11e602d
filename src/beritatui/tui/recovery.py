"""Offering back text that was typed but never saved (a dropped SSH connection, a closed terminal)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from beritatui.core.revisions import as_text, unified_diff
from beritatui.i18n import N_, _, format_datetime
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.typeahead import TypeAhead, press_focused_button
from beritatui.tui.widgets.diff import coloured_diff


def recovery_diff(saved: dict[str, Any], recovered: dict[str, Any]) -> list[str]:
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
