"""A save refused because the article's status moved on (a colleague trashed, unpublished, published or
sent it back): say who did what and where the text is, never lose it.

:class:`MovedOnScreen` asks; :class:`MovedOnFlow` is the editor's side: close (the text kept in its
revision or its slot), keep editing, or save into the article as it is now (merging when their
content changed too).
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from beritatui.core import workflow
from beritatui.core.articles import MovedOn, get_article
from beritatui.core.content import Content
from beritatui.i18n import N_, _
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.conflict import CANCEL
from beritatui.tui.typeahead import TypeAhead, press_focused_button

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


class MovedOnFlow:
    """The editor's side of a moved-on save, mixed into :class:`~beritatui.tui.editor.EditorScreen` (it uses
    the screen's ``editing`` session, ``close``, ``close_keeping_buffer``, ``discard_autosave``,
    ``start_save`` and the conflict flow)."""

    def prepare_moved_on(self, moved: MovedOn, content: Content) -> None:
        """In the save worker: may this login still save into the article as it is now?"""
        actor = self.app.session.actor
        article = get_article(self.editing.article_id or 0)
        reason = workflow.edit_problem(actor, article)
        status = workflow.status_label(article.status)
        self.app.call_from_thread(self.ask_moved_on, moved, content, status, reason)

    def ask_moved_on(self, moved: MovedOn, content: Content, status: str, reason: str | None) -> None:
        """The article was trashed, unpublished, published or sent back meanwhile: say so, never lose the text."""
        theirs = Content.from_payload(moved.theirs)
        version = int(moved.theirs["version"])

        def decide(choice: str | None) -> None:
            editing = self.editing
            if choice == CLOSE:
                if moved.kept is not None:
                    self.discard_autosave(editing.slot)
                    editing.discarded = True  # the kept revision holds it: nothing left to keep in the slot
                    self.close()
                else:
                    self.close_keeping_buffer()
            elif choice == SAVE_ANYWAY:
                if theirs == editing.base:  # only the status moved: save over the version as it is now
                    editing.base_version = version
                    self.start_save()
                else:
                    self.merge_after_move(moved, content)
            else:
                self.notify(_("Not saved: {what}").format(what=str(moved).split(". ")[0]), severity="warning")
            self.refresh_status()

        self.app.push_screen(MovedOnScreen(str(moved), kept=moved.kept, status=status, may_save=reason is None,
                                           reason=reason), decide)

    @work(thread=True, exclusive=True, group="editor-save")
    def merge_after_move(self, moved: MovedOn, content: Content) -> None:
        """Save anyway, but their content changed too: the usual three-way merge (in a worker: it may be long)."""
        self.prepare_conflict(moved, content)
