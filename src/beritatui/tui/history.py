"""History: an article's revisions (number, when, who, why), a coloured diff against the current text,
and restoring one (which adds a new revision; history only grows).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from beritatui.core import revisions, workflow
from beritatui.core.articles import get_article
from beritatui.core.models import Article, Revision
from beritatui.core.vocabulary import reason_label
from beritatui.i18n import N_, _, format_datetime, ngettext
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.cursor import under_cursor
from beritatui.tui.typeahead import TypeAhead
from beritatui.tui.widgets.cells import clip
from beritatui.tui.widgets.confirm import ConfirmationModal
from beritatui.tui.widgets.diff import coloured_diff
from beritatui.tui.widgets.footer import Footer
from beritatui.tui.work import core_work

WHEN, WHO, REASON = 18, 14, 16

class HistoryScreen(TypeAhead, TranslatedBindings, Screen):
    """Revisions of one article, newest first."""

    REBUILDABLE = True
    CSS_PATH = "history.tcss"
    HELP_TITLE = N_("History")
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="history.back"),
        Binding("enter", "compare", N_("Compare with current"), id="history.compare"),
        Binding("R", "restore", N_("Restore"), id="history.restore"),
        Binding("tab", "app.focus_next", N_("Diff/list"), id="history.focus", show=False),
    ]

    def __init__(self, article_id: int) -> None:
        super().__init__()
        self.article_id = article_id
        self.article: Article | None = None
        self.revisions: list[Revision] = []
        self.compared: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="history-title")
        yield DataTable(id="revisions", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="diff-scroll"):
            yield Static(_("Press enter on a revision to compare it with the current text."), id="diff",
                         markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("#", width=4, key="number")
        table.add_column(_("When"), width=WHEN, key="when")
        table.add_column(_("Who"), width=WHO, key="who")
        table.add_column(_("Reason"), width=REASON, key="reason")
        table.add_column(_("Title"), width=self._title_width(), key="title")
        table.focus()
        self.reload()

    def _title_width(self) -> int:
        """What the title column gets at this width (the table never scrolls sideways at 80 columns)."""
        return max(12, max(self.size.width, 80) - (4 + WHEN + WHO + REASON) - 2 * 5 - 2)

    def on_screen_resume(self) -> None:
        if self.article is not None:
            self.reload()

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="history-load")
    def _load(self) -> None:
        with core_work(self.app):
            article = get_article(self.article_id)
            found = revisions.list_revisions(self.article_id, reader=self.app.session.actor)
            self.app.call_from_thread(self._show, article, found)

    def _show(self, article: Article, found: list[Revision]) -> None:
        self.article, self.revisions = article, found
        zone = self.app.settings.timezone
        counted = ngettext("{n} revision", "{n} revisions", len(found)).format(n=len(found))
        self.query_one("#history-title", Static).update(Text(
            _("Version {version} · {revisions} · {title}").format(
                title=article.title, version=article.version, revisions=counted), style="bold"))
        table = self.query_one(DataTable)
        table.clear()
        for revision in found:
            table.add_row(Text(str(revision.number), justify="right"),
                          Text(format_datetime(revision.created_at, zone, "short")),
                          Text(clip(revision.login, WHO)), Text(clip(reason_label(revision.reason), REASON)),
                          Text(clip(revision.title, self._title_width())),
                          key=str(revision.number))
        self.refresh_bindings()

    def current(self) -> Revision | None:
        """The revision under the cursor; none while the screen is still being built or taken down."""
        return under_cursor(self, self.revisions)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Restore only for someone who may edit this article (the core refuses anyway)."""
        if action == "restore":
            return (self.article is not None and self.current() is not None
                    and workflow.may_edit(self.app.session.actor, self.article))
        if action == "compare":
            return self.current() is not None
        return True

    @on(DataTable.RowHighlighted)
    def _moved(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_compare()

    def action_back(self) -> None:
        self.dismiss()

    def action_compare(self) -> None:
        revision = self.current()
        if revision is not None:
            self._diff(revision.number)

    @work(thread=True, exclusive=True, group="history-diff")
    def _diff(self, number: int) -> None:
        with core_work(self.app):
            lines = revisions.diff(self.article_id, number, reader=self.app.session.actor)
            self.app.call_from_thread(self._show_diff, number, lines)

    def _show_diff(self, number: int, lines: list[str]) -> None:
        self.compared = number
        diff = self.query_one("#diff", Static)
        if lines:
            diff.update(coloured_diff(lines))
        else:
            diff.update(Text(_("Revision {n} is the same as the current text.").format(n=number)))
        self.query_one("#diff-scroll").scroll_home(animate=False)

    def action_restore(self) -> None:
        revision, article = self.current(), self.article
        if revision is None or article is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._restore(revision.number, article.version)

        question = _("Restore revision {n}? It becomes a new revision; nothing is deleted.").format(
            n=revision.number)
        self.app.push_screen(ConfirmationModal(question), confirmed)

    @work(thread=True, group="history-restore")
    def _restore(self, number: int, base_version: int) -> None:
        with core_work(self.app):
            article = revisions.restore_revision(self.app.session.actor, self.article_id, number,
                                                 base_version=base_version)
            self.app.call_from_thread(self.notify, _("Restored revision {n}; the article is now version {v}").format(
                n=number, v=article.version))
            self.app.call_from_thread(self.reload)
