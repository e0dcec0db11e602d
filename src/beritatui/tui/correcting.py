"""The editor's side of a correction: the banner that says a published article's edit waits for review, the
diff of the pending correction against the live text (f6), and publishing it with its public note (f7).

:class:`Correcting` is mixed into :class:`~beritatui.tui.editor.EditorScreen` (it uses the screen's ``editing``
session, ``dirty``, ``start_save``, ``load`` and ``query_one``).  The rules are the core's:
:mod:`beritatui.core.corrections` (when an edit becomes a correction) and
:mod:`beritatui.core.correction_review` (who publishes it, the note, the four-eyes rule).  Database work
runs in thread workers.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from beritatui.core.models import Article
from beritatui.i18n import N_, _
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.typeahead import TypeAhead
from beritatui.tui.widgets.confirm import TextPromptModal
from beritatui.tui.widgets.diff import coloured_diff
from beritatui.tui.widgets.footer import Footer
from beritatui.tui.work import core_work

BANNER = N_("Correction pending — the live version stays on the site until an editor publishes it")


class CorrectionDiffScreen(TypeAhead, TranslatedBindings, ModalScreen[None]):
    """The pending correction against the live article, as a unified diff (read in a worker)."""

    DEFAULT_CSS = """
    CorrectionDiffScreen { align: center middle; }
    CorrectionDiffScreen > Vertical { width: 100%; max-width: 110; height: 100%; max-height: 40;
        border: thick $warning; background: $surface; padding: 0 1; }
    CorrectionDiffScreen #correction-diff-title { height: auto; margin-bottom: 1; }
    CorrectionDiffScreen #correction-diff-scroll { height: 1fr; border: round $panel; }
    """
    BINDINGS = [Binding("escape,f6", "close", N_("Close"), id="correction.close")]

    def __init__(self, article_id: int) -> None:
        super().__init__()
        self.article_id = article_id
        self.lines: list[str] | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("The live article (-) and its pending correction (+)"), id="correction-diff-title")
            with VerticalScroll(id="correction-diff-scroll"):
                yield Static(_("loading…"), id="correction-diff")
        yield Footer()  # at 80x24 the dialog covers the editor's footer: this one says how to close it

    def on_mount(self) -> None:
        self.read_diff()

    @work(thread=True, exclusive=True, group="correction-diff")
    def read_diff(self) -> None:
        from beritatui.core.correction_review import diff_lines

        with core_work(self.app):
            lines = diff_lines(self.article_id)
            self.app.call_from_thread(self.show_diff, lines)

    def show_diff(self, lines: list[str]) -> None:
        self.lines = lines
        self.query_one("#correction-diff", Static).update(coloured_diff(lines) if lines else _("(no differences)"))

    def action_close(self) -> None:
        self.dismiss(None)


class Correcting:
    """Banner, diff and publishing of a published article's pending correction, for the editor screen."""

    CORRECTION_BINDINGS = [
        # Short words: with the editor's own keys they must fit an 80-column footer; the tooltips say more.
        Binding("f6", "correction_diff", N_("Diff"), id="editor.correction-diff", priority=True,
                tooltip=N_("The pending correction against the live text")),
        Binding("f7", "publish_correction", N_("Publish"), id="editor.correction-publish", priority=True,
                tooltip=N_("Publish the correction, with a public note")),
    ]

    def compose_correction_banner(self) -> ComposeResult:
        yield Static(_(BANNER), id="correction-banner")

    def show_correction_state(self) -> None:
        """The banner follows the session: shown while the text is a pending correction."""
        self.set_class(self.editing.correction_pending, "-correction")
        self.refresh_bindings()

    def correction_saved(self, article: Article) -> None:
        """A save landed: in a unit that reviews corrections it went into the pending correction (say so)."""
        if not self.editing.corrections_reviewed:
            self.notify(_("Saved {title} (version {version})").format(title=article.title, version=article.version))
            return
        self.editing.correction_pending = True
        self.editing.may_publish_correction = False
        self.show_correction_state()
        self.read_correction_rights()
        self.notify(_("Correction saved (version {version}); the live version stays on the site until an editor "
                      "publishes it").format(version=article.version))

    @work(thread=True, exclusive=True, group="correction-rights")
    def read_correction_rights(self) -> None:
        from beritatui.core.articles import get_article
        from beritatui.core.correction_review import may_publish

        with core_work(self.app):
            allowed = may_publish(self.app.session.actor, get_article(self.article_id or 0))
            self.app.call_from_thread(self._took_correction_rights, allowed)

    def _took_correction_rights(self, allowed: bool) -> None:
        self.editing.may_publish_correction = allowed
        self.refresh_bindings()

    def correction_action_allowed(self, action: str) -> bool | None:
        """Whether the footer offers a correction key now (``None``: not a correction action)."""
        if action == "correction_diff":
            return self.editing.correction_pending
        if action == "publish_correction":
            return self.editing.correction_pending and self.editing.may_publish_correction
        return None

    def action_correction_diff(self) -> None:
        if self.article_id is not None and self.editing.correction_pending:
            self.app.push_screen(CorrectionDiffScreen(self.article_id))

    def action_publish_correction(self) -> None:
        """Ask for the public note; unsaved typing is saved into the correction first, so nothing is lost."""
        if self.article_id is None or not self.editing.correction_pending:
            return

        def ask(saved: bool) -> None:
            if saved:
                self.app.push_screen(TextPromptModal(_("Public correction note (readers see it)"),
                                                     placeholder=_("What was corrected")), self._publish_with)

        if self.dirty:
            self.start_save(then=ask)
        else:
            ask(True)

    def _publish_with(self, note: str | None) -> None:
        if note and note.strip():
            self.publish_correction(note)

    @work(thread=True, exclusive=True, group="editor-save")
    def publish_correction(self, note: str) -> None:
        from beritatui.core.correction_review import publish_correction

        with core_work(self.app):
            article = publish_correction(self.app.session.actor, self.article_id or 0, note,
                                         base_version=self.base_version)
            self.app.call_from_thread(self._correction_published, article.title)

    def _correction_published(self, title: str) -> None:
        self.notify(_("Correction published: {title}").format(title=title))
        self.editing.saved_anything = True
        self.editing.correction_pending = False
        self.show_correction_state()
        self.editing.loaded = False
        self.load()  # the live text it now is
