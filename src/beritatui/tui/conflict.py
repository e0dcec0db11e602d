"""When a save meets a newer version: show the three-way merge, or let the person choose, never losing a word.

The merge itself is a core rule (:mod:`beritatui.core.merge`, also used by ``beritatui edit``);
:class:`ConflictScreen` only shows its outcome and asks.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from beritatui.core.merge import MergeResult
from beritatui.i18n import N_, _
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.typeahead import TypeAhead, press_focused_button
from beritatui.tui.widgets.diff import coloured_diff

FIELD_LABELS = {
    "title": N_("title"), "slug": N_("slug"), "summary": N_("summary"), "tags": N_("tags"),
    "bylines": N_("byline"), "language": N_("language"), "image_url": N_("image URL"),
    "image_alt": N_("image description"), "body": N_("body"),
}

# What the person chose in the dialog.
MERGED = "merged"
MARKERS = "markers"
THEIRS = "theirs"
MINE = "mine"
CANCEL = "cancel"


class ConflictScreen(TypeAhead, TranslatedBindings, ModalScreen[str]):
    """Show what happened and ask what to do; dismisses with one of MERGED/MARKERS/THEIRS/MINE/CANCEL."""

    DEFAULT_CSS = """
    ConflictScreen { align: center middle; }
    ConflictScreen > Vertical { width: 100%; max-width: 110; height: 100%; max-height: 40; border: thick $warning;
        background: $surface; padding: 0 1; }
    ConflictScreen #message { height: auto; margin-bottom: 1; }
    ConflictScreen #diff-scroll { height: 1fr; border: round $panel; }
    ConflictScreen #buttons { height: auto; align-horizontal: right; }
    ConflictScreen Button { margin-left: 1; min-width: 10; }
    """
    BINDINGS = [
        Binding("escape", "choose('cancel')", N_("Keep editing"), id="conflict.cancel"),
        Binding("f5", "choose('merged')", N_("Save merged"), id="conflict.merged"),
        Binding("f6", "choose('markers')", N_("Edit with markers"), id="conflict.markers"),
        Binding("f7", "choose('theirs')", N_("Take theirs"), id="conflict.theirs"),
        Binding("f8", "choose('mine')", N_("Save mine"), id="conflict.mine"),
        Binding("enter", "press_focused", N_("Choose"), id="conflict.press", show=False, priority=True),
    ]

    def __init__(self, message: str, result: MergeResult, diff_lines: list[str]) -> None:
        super().__init__()
        self.message = message
        self.result = result
        self.diff_lines = diff_lines

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._explanation(), id="message")
            with VerticalScroll(id="diff-scroll"):
                yield Static(coloured_diff(self.diff_lines) if self.diff_lines else _("(no differences)"),
                             id="diff")
            with Horizontal(id="buttons"):
                if self.result.clean:
                    yield Button(_("Keep editing"), id="cancel")
                    yield Button(_("Save merged (F5)"), id="merged", variant="primary")
                else:
                    yield Button(_("Edit with markers (F6)"), id="markers", variant="primary")
                    yield Button(_("Take theirs (F7)"), id="theirs")
                    yield Button(_("Save mine (F8)"), id="mine", variant="warning")

    def _explanation(self) -> str:
        if self.result.clean:
            return _("{message}. The changes do not overlap and were merged; the diff shows the merged "
                     "text against theirs. Save it?").format(message=self.message)
        fields = ", ".join(_(FIELD_LABELS[name]) for name in self.result.conflicted)
        return _("{message}. Both of you changed: {fields}. The diff shows theirs against yours. Nothing is "
                 "lost: every choice keeps both texts in the history; escape goes back without saving.").format(
                     message=self.message, fields=fields)

    def on_mount(self) -> None:
        self.query_one("#buttons Button.-primary", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters:
            choice = parameters[0]
            if choice == MERGED:
                return self.result.clean
            if choice in (MARKERS, THEIRS, MINE):
                return not self.result.clean
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id or CANCEL)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def action_press_focused(self) -> None:
        press_focused_button(self)


# What the person chose when a save met a status that moved on.
CLOSE = "close"
SAVE_ANYWAY = "save"


class MovedOnScreen(TypeAhead, TranslatedBindings, ModalScreen[str]):
    """A save refused because a colleague trashed, unpublished, published or sent back the article.

    It says who did what (the core's words), where the text is now, and whether it may still be saved
    into the article as it stands; dismisses with CANCEL (keep editing), CLOSE or SAVE_ANYWAY.
    """

    DEFAULT_CSS = """
    MovedOnScreen { align: center middle; }
    MovedOnScreen > Vertical { width: 100%; max-width: 90; height: auto; max-height: 100%; border: thick $warning;
        background: $surface; padding: 0 1; }
    MovedOnScreen #message { height: auto; margin-bottom: 1; }
    MovedOnScreen #buttons { height: auto; align-horizontal: right; }
    MovedOnScreen Button { margin-left: 1; min-width: 10; }
    """
    BINDINGS = [
        Binding("escape", "choose('cancel')", N_("Keep editing"), id="moved.cancel"),
        Binding("f7", "choose('close')", N_("Close the article"), id="moved.close"),
        Binding("f8", "choose('save')", N_("Save into it anyway"), id="moved.save"),
        Binding("enter", "press_focused", N_("Choose"), id="moved.press", show=False, priority=True),
    ]

    def __init__(self, message: str, *, kept: int | None, status: str, may_save: bool, reason: str | None) -> None:
        super().__init__()
        self.message = message
        self.kept = kept
        self.status = status
        self.may_save = may_save
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._explanation(), id="message")
            with Horizontal(id="buttons"):
                yield Button(_("Keep editing"), id=CANCEL)
                yield Button(_("Close the article (F7)"), id=CLOSE, variant="primary" if not self.may_save else "default")
                if self.may_save:
                    yield Button(_("Save into it anyway (F8)"), id=SAVE_ANYWAY, variant="warning")

    def _explanation(self) -> str:
        parts = [self.message + ".", _("What you typed is still here in the editor.")]
        if self.kept is None:
            parts.append(_("If you close without saving, it stays in your autosave slot and is offered when "
                           "you next start beritatui."))
        else:
            parts.append(_("Closing loses nothing: restoring revision {n} from the history brings it back.").format(
                n=self.kept))
        if self.may_save:
            parts.append(_("You may still save it into the article as it is now ({status}).").format(
                status=self.status))
        elif self.reason:
            parts.append(_("It cannot be saved into the article now: {reason}.").format(reason=self.reason.rstrip(".")))
        return " ".join(parts)

    def on_mount(self) -> None:
        self.query_one(f"#{SAVE_ANYWAY if self.may_save else CLOSE}", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters and parameters[0] == SAVE_ANYWAY:
            return self.may_save
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id or CANCEL)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def action_press_focused(self) -> None:
        press_focused_button(self)
