"""Yes/no and text-prompt modals, used before anything destructive or that needs a reason."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label

from beritatui.i18n import N_, _
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.typeahead import TypeAhead, press_focused_button
from beritatui.tui.widgets.fields import FieldInput


class ConfirmationModal(TypeAhead, TranslatedBindings, ModalScreen[bool]):
    """Ask one question; dismisses with ``True`` (y / enter on Yes) or ``False`` (n / escape)."""

    DEFAULT_CSS = """
    ConfirmationModal { align: center middle; }
    ConfirmationModal > Vertical { width: 60; max-width: 100%; height: auto; border: thick $primary;
        background: $surface; padding: 1 2; }
    ConfirmationModal Label { width: 100%; margin-bottom: 1; }
    ConfirmationModal Horizontal { height: auto; align-horizontal: right; }
    ConfirmationModal Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes"), id="confirm.yes", show=False),
        Binding("n,escape", "answer(False)", N_("No"), id="confirm.no", show=False),
        Binding("enter", "press_focused", N_("Choose"), id="confirm.press", show=False, priority=True),
    ]

    def __init__(self, question: str, yes: str | None = None, no: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes or _("Yes")
        self.no_label = no or _("No")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, id="question")
            with Horizontal():
                yield Button(self.no_label, id="no")
                yield Button(self.yes_label, id="yes", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def action_press_focused(self) -> None:
        press_focused_button(self)


class TextPromptModal(TypeAhead, TranslatedBindings, ModalScreen[str | None]):
    """Ask for one line of text (a note, a tag name, a time); ``None`` when cancelled.

    ``required`` keeps the modal open on empty input and says why.
    """

    DEFAULT_CSS = """
    TextPromptModal { align: center middle; }
    TextPromptModal > Vertical { width: 70; max-width: 100%; height: auto; border: thick $primary;
        background: $surface; padding: 1 2; }
    TextPromptModal Label { width: 100%; }
    TextPromptModal #error { color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="prompt.cancel", show=False),
        # Answered at once: the keys after Enter belong to the screen below, not to this dialog.
        Binding("enter", "submit", N_("Done"), id="prompt.submit", show=False, priority=True),
    ]

    def __init__(self, question: str, *, value: str = "", placeholder: str = "", required: bool = True,
                 suggester: Suggester | None = None) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.suggester = suggester
        self.placeholder = placeholder
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question)
            # A suggested value is selected, so typing replaces it (ctrl+z brings it back).
            yield FieldInput(value=self.value, placeholder=self.placeholder, id="answer", suggester=self.suggester,
                             select_on_focus=bool(self.value))
            yield Label("", id="error")

    def action_submit(self) -> None:
        answer = self.query_one("#answer", Input)
        self.on_input_submitted(Input.Submitted(answer, answer.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if self.required and not text:
            self.query_one("#error", Label).update(_("This cannot be empty (escape cancels)"))
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
