"""When a save meets a newer version: show the three-way merge, or let the person choose, never losing a word.

The merge itself is a core rule (:mod:`beritatui.core.merge`, also used by ``beritatui edit``);
:class:`ConflictScreen` only shows its outcome and asks, and :class:`ConflictFlow` is the editor's
side of it: merge in the save worker, ask, then save the merge, yours, or theirs over yours.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from beritatui.core import autosave
from beritatui.core.articles import MovedOn, keep_theirs
from beritatui.core.content import Content
from beritatui.core.corrections import editing_content
from beritatui.core.errors import Conflict
from beritatui.core.merge import MergeResult, describe_merge
from beritatui.core.models import Article
from beritatui.i18n import N_, _
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.typeahead import TypeAhead, press_focused_button
from beritatui.tui.widgets.diff import coloured_diff
from beritatui.tui.work import core_work

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


class ConflictFlow:
    """The editor's side of a conflict, mixed into :class:`~beritatui.tui.editor.EditorScreen` (it uses the
    screen's ``editing`` session, ``fill``, ``start_save``, ``saved``, ``refresh_status`` and the moved-on flow)."""

    def prepare_conflict(self, conflict: Conflict, content: Content) -> None:
        """Merge in the save worker (it may be a long text), then ask on the UI thread."""
        theirs = Content.from_payload(conflict.theirs)
        result = self.editing.merge(content, theirs)
        diff = describe_merge(result, theirs, content)
        self.app.call_from_thread(self.ask_conflict, conflict, result, diff, content)

    def ask_conflict(self, conflict: Conflict, result: MergeResult, diff: list[str], content: Content) -> None:
        theirs = Content.from_payload(conflict.theirs)
        version = int(conflict.theirs["version"])

        def decide(choice: str | None) -> None:
            if choice in (None, CANCEL):
                self.notify(_("Not saved: the article changed meanwhile. Save again to decide."), severity="warning")
                return
            self.editing.rebase(theirs, version)
            if choice in (MERGED, MARKERS):
                self.fill(result.content)
                self.editing.merged(result, theirs)
                if choice == MERGED:
                    self.start_save(reason="merge")
                else:
                    self.notify(_("Resolve the <<<<<<< yours / >>>>>>> theirs blocks, then save"), severity="warning")
            elif choice == MINE:
                self.start_save(reason="conflict-mine")
            elif choice == THEIRS:
                self.editing.settle_slot()
                self.take_theirs(version, content, theirs)
            self.refresh_status()

        self.app.push_screen(ConflictScreen(str(conflict), result, diff), decide)

    @work(thread=True, exclusive=True, group="editor-save")
    def take_theirs(self, version: int, content: Content, theirs: Content) -> None:
        actor = self.app.session.actor
        editing = self.editing
        mine, back = editing.drafts_for_theirs(content, theirs)
        with core_work(self.app):
            refused: Conflict | None = None
            with editing.write_lock:
                try:
                    article = keep_theirs(actor, editing.article_id or 0, version, mine, back)
                except Conflict as conflict:
                    refused = conflict
                else:
                    autosave.discard(editing.slot, actor.login)
                    saved = editing_content(article)
            if isinstance(refused, MovedOn):
                self.prepare_moved_on(refused, content)
            elif refused is not None:
                self.prepare_conflict(refused, content)
            else:
                self.app.call_from_thread(self.took_theirs, article, saved)

    def took_theirs(self, article: Article, content: Content) -> None:
        self.editing.slug_edited = article.slug_locked
        self.fill(content)
        self.saved(article, content, content, None)
        self.notify(_("Their text is kept; yours is in the history"))
