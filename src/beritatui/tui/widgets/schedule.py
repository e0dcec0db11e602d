"""The schedule dialog: when an article goes on the site, and (optional) until when it stays there."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from beritatui.i18n import N_, _
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.typeahead import TypeAhead
from beritatui.tui.widgets.fields import FieldInput


@dataclass(frozen=True)
class ScheduleAnswer:
    """What was typed: the publication time and the until time ("": none), both as the person wrote them."""

    at: str
    until: str = ""


class ScheduleModal(TypeAhead, TranslatedBindings, ModalScreen[ScheduleAnswer | None]):
    """Two fields, Tab between them; Enter in either schedules, escape cancels (``None``).

    The times are read by the caller (through the core), which opens the dialog again with the problem
    and what was typed when a time is refused.
    """

    DEFAULT_CSS = """
    ScheduleModal { align: center middle; }
    ScheduleModal > Vertical { width: 70; max-width: 100%; height: auto; border: thick $primary;
        background: $surface; padding: 1 2; }
    ScheduleModal Horizontal { height: auto; }
    ScheduleModal .label { width: 14; padding: 1 1 0 0; }
    ScheduleModal FieldInput { width: 1fr; }
    ScheduleModal #question { width: 100%; }
    ScheduleModal #hint { width: 100%; color: $text-muted; height: auto; }
    ScheduleModal #error { width: 100%; color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="schedule.cancel", show=False),
        # Answered at once: the keys after Enter belong to the screen below, not to this dialog.
        Binding("enter", "submit", N_("Schedule"), id="schedule.submit", show=False, priority=True),
    ]

    def __init__(self, question: str, *, at: str = "", until: str = "", focus_until: bool = False) -> None:
        super().__init__()
        self.question = question
        self.at_value = at
        self.until_value = until
        self.focus_until = focus_until

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, id="question")
            with Horizontal():
                yield Label(_("Publish at"), classes="label")
                # A suggested time is selected, so typing replaces it (ctrl+z brings it back).
                yield FieldInput(value=self.at_value, id="at", select_on_focus=bool(self.at_value))
            with Horizontal():
                yield Label(_("Until"), classes="label")
                yield FieldInput(value=self.until_value, id="until", placeholder=_("optional: stays on the site"))
            yield Label(_("Until: when it comes off the site again (archived); empty: it stays. "
                          "Tab: next field, enter: schedule."), id="hint")
            yield Label("", id="error")

    def on_mount(self) -> None:
        self.query_one("#until" if self.focus_until else "#at", Input).focus()

    def action_submit(self) -> None:
        at = self.query_one("#at", Input).value.strip()
        if not at:
            self.query_one("#error", Label).update(_("Give the time it is published (escape cancels)"))
            self.query_one("#at", Input).focus()
            return
        self.dismiss(ScheduleAnswer(at, self.query_one("#until", Input).value.strip()))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_cancel(self) -> None:
        self.dismiss(None)
