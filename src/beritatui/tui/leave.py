"""Leaving an editor with unsaved changes (escape, or quitting the app): save, discard or cancel."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from beritatui.i18n import N_, _
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.typeahead import TypeAhead, press_focused_button


class LeaveModal(TypeAhead, TranslatedBindings, ModalScreen[str]):
    """Unsaved changes on escape (or on quitting, with ``message`` naming them): ``save``, ``discard`` or ``cancel``."""

    DEFAULT_CSS = """
    LeaveModal { align: center middle; }
    LeaveModal > Vertical { width: 64; max-width: 100%; height: auto; border: thick $warning; background: $surface;
        padding: 1 2; }
    LeaveModal Label { width: 100%; margin-bottom: 1; }
    LeaveModal Horizontal { height: auto; align-horizontal: right; }
    LeaveModal Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("escape", "choose('cancel')", N_("Cancel"), id="leave.cancel"),
        Binding("ctrl+s", "choose('save')", N_("Save"), id="leave.save"),
        Binding("ctrl+d", "choose('discard')", N_("Discard"), id="leave.discard"),
        Binding("enter", "press_focused", N_("Choose"), id="leave.press", show=False, priority=True),
    ]

    def __init__(self, message: str | None = None) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.message or _("This article has unsaved changes."))
            with Horizontal():
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Discard"), id="discard", variant="error")
                yield Button(_("Save"), id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id or "cancel")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def action_press_focused(self) -> None:
        press_focused_button(self)
