"""What the editor does around the text: send it for review, add an editorial note, open the article's
notes (to read, reply and resolve), open its history, and say who else has the article open.

:class:`Editorial` is mixed into :class:`~beritatui.tui.editor.EditorScreen` (it uses the screen's
``editing`` session, ``start_save``, ``close``, ``dirty`` and ``load``).  Every rule is the core's:
a writer's submit, the notes, presence.
"""

from __future__ import annotations

from textual import work

from beritatui.core import notes, presence, transitions
from beritatui.core.models import Article
from beritatui.i18n import _, ngettext
from beritatui.tui.widgets.confirm import TextPromptModal
from beritatui.tui.widgets.statusline import StatusLine
from beritatui.tui.work import core_work


class Editorial:
    """Submit, notes, history and presence for the editor screen."""

    def action_submit(self) -> None:
        self.start_save(then="submit")

    @work(thread=True, exclusive=True, group="editor-submit")
    def submit(self) -> None:
        actor = self.app.session.actor
        with core_work(self.app):
            article = transitions.submit(actor, self.article_id or 0, base_version=self.base_version)
            self.app.call_from_thread(self.submitted, article)

    def submitted(self, article: Article) -> None:
        self.notify(_("Sent for review: {title}").format(title=article.title))
        self.editing.saved_anything = True
        self.close()

    def action_note(self) -> None:
        if self.article_id is None:
            return

        def add(text: str | None) -> None:
            if text:
                self.add_note(text)

        self.app.push_screen(TextPromptModal(_("Editorial note (not published)")), add)

    @work(thread=True, group="editor-note")
    def add_note(self, text: str) -> None:
        with core_work(self.app):
            notes.add_note(self.app.session.actor, self.article_id or 0, text)
            self.app.call_from_thread(self.notify, _("Note added"))

    def action_notes(self) -> None:
        """The article's notes (read, reply, resolve): :class:`~beritatui.tui.notes.NotesScreen`."""
        if self.article_id is None:
            return
        from beritatui.tui.notes import NotesScreen

        self.app.push_screen(NotesScreen(self.article_id))

    def announce_notes(self, still_open: int) -> None:
        """Say, once the article is loaded, that notes wait for an answer (a sent-back draft's among them)."""
        self.notify(ngettext("This article has {n} open note: f5 shows it",
                             "This article has {n} open notes: f5 shows them", still_open).format(n=still_open),
                    timeout=8)

    def action_history(self) -> None:
        if self.article_id is None:
            return
        from beritatui.tui.history import HistoryScreen

        self._reload_on_resume = not self.dirty  # a restored revision shows up when we come back
        self.app.push_screen(HistoryScreen(self.article_id))

    def on_screen_resume(self) -> None:
        if self._reload_on_resume:
            self._reload_on_resume = False
            self.editing.loaded = False
            self.load()

    @work(thread=True, exclusive=True, group="editor-presence")
    def beat(self) -> None:
        if self.article_id is None:
            return
        session = self.app.session
        with core_work(self.app):
            presence.heartbeat(self.article_id, session.actor)
            names = presence.others(self.article_id, session.actor.login)
            self.app.call_from_thread(self.query_one(StatusLine).set_others, names)
