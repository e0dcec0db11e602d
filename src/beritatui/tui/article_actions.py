"""What the article list's keys do: open an article or another screen, move the selected article through
the workflow, recover unsaved text, export the feeds.

:class:`ArticleActions` is the half of :class:`beritatui.tui.articles.ArticlesScreen`
that acts; the screen itself reads and shows the list.  Each action asks the
core in a thread worker (:func:`beritatui.tui.work.core_work`) and, when it
changed something, has the list read again.  It relies on the screen for
``current_row()`` (the selected article), ``reload()``, ``_set_tag()`` (the
tag filter) and ``_render_status_line()``.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.binding import Binding

from beritatui.core import transitions
from beritatui.core.listing import ArticleRow
from beritatui.i18n import _
from beritatui.tui.widgets.list_lines import ListStatusLine, RecoverLine
from beritatui.tui.work import core_work


class ArticleActions:
    """Mixin for the article list: its actions (see the module)."""

    # The keys that move the selected article through the workflow: each runs the action of the same name
    # (``core.transitions.ACTIONS``), offered only where ``core.workflow`` allows it (the screen's check_action).
    WORKFLOW_ACTIONS = ("submit", "publish", "trash", "restore")
    waiting: list[Any]  # unsaved text left in autosave slots (tui.slots.Waiting), newest first

    # -- other screens -------------------------------------------------------------------------

    def action_new(self) -> None:
        from beritatui.tui.editor import EditorScreen

        self.app.push_screen(EditorScreen(None))

    def action_open(self) -> None:
        row = self.current_row()
        if row is None:
            return
        if row.status == "trash":
            self.notify(_("This article is in the trash; restore it (u) before editing"), severity="warning")
            return
        from beritatui.tui.editor import EditorScreen

        self.app.push_screen(EditorScreen(row.id))

    def action_review(self) -> None:
        from beritatui.tui.review import ReviewScreen

        self.app.push_screen(ReviewScreen())

    def action_dashboard(self) -> None:
        """The report dashboard (editors and admins: the list hides the key from others)."""
        from beritatui.tui.dashboard import DashboardScreen

        self.app.push_screen(DashboardScreen())

    def action_tags(self) -> None:
        """The tags screen; the tag it closes with (enter on a tag) filters the list."""
        from beritatui.tui.tags import TagsScreen

        self.app.push_screen(TagsScreen(), self._set_tag)

    def action_audit(self) -> None:
        """The audit trail (what this login may read of it: core.audit_query)."""
        from beritatui.tui.audit import AuditScreen

        self.app.push_screen(AuditScreen())

    def action_history(self) -> None:
        row = self.current_row()
        if row is None:
            return
        from beritatui.tui.history import HistoryScreen

        self.app.push_screen(HistoryScreen(row.id))

    # -- the workflow ----------------------------------------------------------------------------

    def action_submit(self) -> None:
        row = self.current_row()
        if row is not None:
            self._transition("submit", row, _("Sent {title} to review"))

    def action_publish(self) -> None:
        self._confirm_then("publish", _("Publish {title} now?"), _("Published {title}"))

    def action_trash(self) -> None:
        self._confirm_then("trash", _("Move {title} to the trash?"), _("Moved {title} to the trash"))

    def action_restore(self) -> None:
        row = self.current_row()
        if row is not None:
            self._transition("restore", row, _("Restored {title}"))

    def _confirm_then(self, action: str, question: str, done: str) -> None:
        row = self.current_row()
        if row is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._transition(action, row, done)

        from beritatui.tui.widgets.confirm import ConfirmationModal

        self.app.push_screen(ConfirmationModal(question.format(title=row.title)), answered)

    @work(thread=True, group="articles-transition")
    def _transition(self, action: str, row: ArticleRow, done: str) -> None:
        """``action`` on ``row``'s article, refused if it changed since the row was read (where the action
        checks that: ``transitions.TAKES_BASE_VERSION``)."""
        seen = {"base_version": row.version} if action in transitions.TAKES_BASE_VERSION else {}
        with core_work(self.app):
            transitions.ACTIONS[action](self.app.session.actor, row.id, **seen)
            self.app.call_from_thread(self.notify, done.format(title=row.title))
            self.app.call_from_thread(self.reload, keep_cursor=True)

    # -- the feeds -------------------------------------------------------------------------------

    def action_export(self) -> None:
        if not self.app.export_available:
            self.notify(_("Feed export is not available in this installation yet"), severity="warning")
            return
        self.notify(_("Exporting feeds…"))
        self._export()

    @work(thread=True, exclusive=True, group="export")
    def _export(self) -> None:
        """Write the JSON Feeds to the site's export directory, showing progress in the status line."""
        from beritatui.feeds import export as feeds_export

        app = self.app
        shown = [-1]

        def progress(done: int, total: int) -> None:
            percent = int(100 * done / total) if total else 100
            if percent != shown[0]:
                shown[0] = percent
                message = _("Exporting feeds: {done} of {total}").format(done=done, total=total)
                app.call_from_thread(self.query_one(ListStatusLine).say, message)

        def waiting() -> None:  # a colleague's export holds the directory: this one waits its turn
            app.call_from_thread(self.notify, _("Waiting for another export to finish…"))

        with core_work(app):
            if feeds_export.single_unit():
                report = feeds_export.export_feeds(None, actor=app.session.actor, progress=progress,
                                                   waiting=waiting)
                app.call_from_thread(self.notify, _("Feeds exported to {path}: {summary}").format(
                    path=report.out_dir, summary=report.summary()))
            else:  # every unit's feed set into its own export_dir: one line each
                done = feeds_export.export_units(actor=app.session.actor, progress=progress, waiting=waiting)
                app.call_from_thread(self.notify, "\n".join(o.line() for o in done.outcomes),
                                     severity="warning" if done.failed else "information")
        app.call_from_thread(self._render_status_line)

    # -- unsaved text waiting in autosave slots ------------------------------------------------

    @work(thread=True, exclusive=True, group="articles-waiting")
    def load_waiting(self) -> None:
        """Unsaved text this login left (a dropped connection, a kill, a crash): announced above the footer."""
        from beritatui.tui.slots import waiting_texts

        with core_work(self.app):
            found = waiting_texts(self.app.session.actor)
            self.app.call_from_thread(self._show_waiting, found)

    def _show_waiting(self, found: list[Any]) -> None:
        self.waiting = found
        key = self.app.get_key_display(Binding("R", ""))
        self.query_one(RecoverLine).show(found, self.app.settings.timezone, key)
        self.refresh_bindings()

    def action_recover(self) -> None:
        """Open the newest unsaved text: its article (which offers it back) or the new draft it was."""
        if not self.waiting:
            return
        from beritatui.tui.editor import EditorScreen

        entry = self.waiting[0]
        if entry.article_id is None:
            self.app.push_screen(EditorScreen(None, recover_slot=entry.slot))
        elif entry.status == "trash":
            self._keep_waiting(entry)  # the editor cannot open a trashed article: into its history instead
        else:
            self.app.push_screen(EditorScreen(entry.article_id))

    @work(thread=True, group="articles-waiting-keep")
    def _keep_waiting(self, entry: Any) -> None:
        from beritatui.tui.slots import keep_waiting

        with core_work(self.app):
            number = keep_waiting(self.app.session.actor, entry)
            message = (_("\u201c{title}\u201d is in the trash: your unsaved text is kept in its history as "
                         "revision {n} (restore the article, then the revision)").format(title=entry.title, n=number)
                       if number is not None else _("\u201c{title}\u201d already holds that text").format(
                           title=entry.title))
            self.app.call_from_thread(self.notify, message, timeout=12)
        self.app.call_from_thread(self.load_waiting)
