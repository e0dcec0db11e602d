"""The article editor: the form, the Markdown body, preview, saving, autosave, notes, presence.

Every read and write goes through the core in thread workers.  What the session knows besides the
typed text (the base it started from, the slot, the slug's state, the counters) is a plain
:class:`~beritatui.tui.session.EditSession`; the concerns around a save live beside this module and
are mixed in: the form (:mod:`~beritatui.tui.form`), the autosave slot (:mod:`~beritatui.tui.autosaving`),
conflicts (:mod:`~beritatui.tui.conflict`), a status that moved on (:mod:`~beritatui.tui.movedon`),
waiting text (:mod:`~beritatui.tui.recovery`) and ctrl+e (:mod:`~beritatui.tui.external`).

The path of a save: ctrl+s → :meth:`EditorScreen.start_save` reads the form as a Content → the
``save`` worker sends the session's change request to ``core.articles.save_article`` → on success the
saved content is the new base; on a conflict the conflict flow merges and asks.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Any

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, TextArea

from beritatui.core import autosave, presence, workflow
from beritatui.core.articles import (
    MovedOn,
    conflict_marker_problem,
    create_article,
    describe_reading,
    save_article,
)
from beritatui.core.content import FIELDS, Content
from beritatui.core.corrections import editing_content
from beritatui.core.errors import Conflict
from beritatui.core.models import Article
from beritatui.i18n import N_, _
from beritatui.tui import collector
from beritatui.tui.autosaving import AutosaveWriting
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.conflict import ConflictFlow
from beritatui.tui.correcting import Correcting
from beritatui.tui.editorial import Editorial
from beritatui.tui.external import ExternalEditing
from beritatui.tui.form import ArticleForm
from beritatui.tui.leave import LeaveModal
from beritatui.tui.movedon import MovedOnFlow
from beritatui.tui.recovery import RecoveryFlow
from beritatui.tui.session import EditSession, Loaded
from beritatui.tui.slots import Waiting
from beritatui.tui.typeahead import TypeAhead
from beritatui.tui.widgets.body import BodyArea
from beritatui.tui.widgets.fields import TagSuggester
from beritatui.tui.widgets.footer import Footer
from beritatui.tui.widgets.preview import LONG_TEXT, Preview
from beritatui.tui.widgets.statusline import StatusLine
from beritatui.tui.work import core_work

AUTOSAVE_EVERY_SECONDS = 2.0  # while the buffer changes, its slot is written at least this often
REFRESH_SECONDS = 0.3
WIDE_ENOUGH = 120

Then = str | Callable[[bool], None] | None  # after a save: "leave", "submit", or a callback told whether it saved


class EditorScreen(ArticleForm, AutosaveWriting, ConflictFlow, MovedOnFlow, RecoveryFlow, ExternalEditing,
                   Editorial, Correcting, TypeAhead, TranslatedBindings, Screen[bool]):
    """Write or change one article (``article_id=None``: a new one).  Dismisses with ``True`` if anything was saved."""

    CSS_PATH = "editor.tcss"
    HELP_TITLE = N_("Editor")
    AUTO_FOCUS = "#title"
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="editor.save", priority=True),
        Binding("f2", "toggle_preview", N_("Preview"), id="editor.preview", priority=True),
        Binding("f3", "toggle_details", N_("More fields"), id="editor.details", show=False, priority=True),
        Binding("ctrl+e", "external_editor", N_("Edit in $EDITOR"), id="editor.external", show=False,
                priority=True),
        Binding("ctrl+r", "submit", N_("Submit"), id="editor.submit", priority=True),
        # The notes panel (f5) shows, reads and answers them; ctrl+n still adds one straight away (in the help).
        Binding("ctrl+n", "note", N_("Note"), id="editor.note", show=False, priority=True),
        Binding("f5", "notes", N_("Notes"), id="editor.notes", priority=True),
        Binding("f4", "history", N_("History"), id="editor.history", show=False, priority=True),
        Binding("escape", "leave", N_("Close"), id="editor.close", priority=True),
        *Correcting.CORRECTION_BINDINGS,  # f6 diff against live, f7 publish: only while a correction is pending
    ]

    def __init__(self, article_id: int | None = None, *, recover_slot: str | None = None) -> None:
        """``recover_slot``: a new draft's autosave slot to offer back (the article list's recover key)."""
        super().__init__()
        self.editing = EditSession(article_id, recover_slot=recover_slot)
        self._filling = False
        self._autosave_timer: Timer | None = None
        self._refresh_timer: Timer | None = None
        self._slug_timer: Timer | None = None
        self._reload_on_resume = False
        self._last_field = "title"  # the field the cursor was last in (kept in the slot for a recovery)
        self.tag_suggester = TagSuggester()

    # What the app, the other screens and the tests read of the session.
    article_id = property(lambda self: self.editing.article_id)
    base_version = property(lambda self: self.editing.base_version)
    loaded = property(lambda self: self.editing.loaded)
    saving = property(lambda self: self.editing.saving)
    read_only_reason = property(lambda self: self.editing.read_only_reason)

    @property
    def dirty(self) -> bool:
        return self.editing.dirty(self.content())

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_correction_banner()
        yield from self.compose_form()
        with Horizontal(id="work"):
            yield BodyArea(id="body", language="markdown", soft_wrap=True, tab_behavior="focus")
            yield Preview(id="preview")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        status = self.query_one(StatusLine)
        status.timezone = self.app.settings.timezone
        status.set_notice(_("loading…"))
        self.set_class(self.app.size.width < WIDE_ENOUGH, "-narrow")
        register = getattr(self.app, "register_editor", None)
        if register is not None:
            register(self)  # the app keeps every open editor's text when it ends, whatever screen is on top
        self.load()
        self.set_interval(presence.HEARTBEAT_SECONDS, self.beat)

    def on_unmount(self) -> None:
        forget = getattr(self.app, "forget_editor", None)
        if forget is not None:
            forget(self)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < WIDE_ENOUGH, "-narrow")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget.id in FIELDS:
            self._last_field = event.widget.id

    def close(self, *, keep_slot: bool = False) -> None:
        """Leave the article: drop this login's presence (in the background) and go back.

        Leaving without unsaved changes also clears an autosave slot left from typing that was undone.
        """
        if self.loaded and not self.dirty and self.read_only_reason is None and not keep_slot:
            self.discard_autosave(self.editing.slot)
        if self.article_id is not None:
            article_id, login = self.article_id, self.app.session.actor.login

            def leave() -> None:
                with core_work(self.app):
                    presence.leave(article_id, login)

            self.app.run_worker(leave, thread=True, group="presence")
        self.dismiss(self.editing.saved_anything)

    # -- loading ---------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="editor-load")
    def load(self) -> None:
        with core_work(self.app):
            loaded = self.editing.read(self.app.session.actor, language=self.app.settings.language)
            self.app.call_from_thread(self.loaded_article, loaded)
            return
        self.app.call_from_thread(self.load_failed)  # the error is shown; the keys held go on

    def ready_for_keys(self) -> bool:
        """Keys wait until the article is in the fields (typing into a field that loading then fills would
        lose them), or until loading failed."""
        return self._shown_once and (self.loaded or self.editing.load_failed)

    def load_failed(self) -> None:
        self.editing.load_failed = True
        self.keys_ready()

    def loaded_article(self, loaded: Loaded) -> None:
        editing = self.editing
        editing.took(loaded)
        self.tag_suggester.names = loaded.tag_names
        status = self.query_one(StatusLine)
        if loaded.article is not None:
            status.set_saved(loaded.article.updated_at, loaded.article.version)
            article = loaded.article
            status.set_times(article.scheduled_at if article.status == "scheduled" else None,
                             article.expires_at if article.status in ("scheduled", "published") else None)
        status.set_others(loaded.others)
        self.fill(loaded.content)
        self.show_unit(loaded.units, loaded.unit_id, locked=loaded.article is not None)
        editing.loaded = True
        self.apply_read_only()
        self.show_correction_state()
        # The article's text and its widgets live as long as the editor: once painted, out of the collector's way
        # (a full collection over a 20 000-word document was the slowest keys' delay; tui.collector says more).
        self.call_after_refresh(collector.refreeze)
        self.keys_ready()  # keys typed while it loaded go in now, in order, where the cursor is
        if loaded.recovered is not None and self.read_only_reason is not None and loaded.article is not None:
            self.keep_recovered(Waiting(loaded.slot, loaded.article.id, loaded.article.title,
                                        loaded.recovered_at, loaded.article.status, self.read_only_reason))
        elif loaded.recovered is not None:
            self.offer_recovery(loaded)
        if loaded.open_notes:
            self.announce_notes(loaded.open_notes)
        self.refresh_bindings()

    # -- typing ----------------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._filling or not self.loaded or event.value != event.input.value:
            return  # a fill, or a change already overtaken (Changed arrives a message later; keys may be ahead)
        editing = self.editing
        if event.input.id == "slug":
            editing.slug_typed(event.value)
        if event.input.id == "title" and editing.follows_title():
            if self._slug_timer is not None:
                self._slug_timer.stop()
            if event.value == editing.base.title and editing.base.slug:
                self.show_auto_slug(editing.base.slug)
            else:
                self._slug_timer = self.set_timer(REFRESH_SECONDS, lambda: self.follow_title(event.value))
        self.edited()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self._filling or not self.loaded:
            return
        self.edited()

    def edited(self) -> None:
        """Status and preview follow after a short pause; the slot is written within two seconds.

        The autosave timer is not restarted by each key: the first change arms it, and when it fires the
        buffer as it is then goes to the slot.  Steady typing is so written every two seconds, never held
        back waiting for a quiet moment that does not come.
        """
        if self._refresh_timer is not None:
            self._refresh_timer.stop()
        self._refresh_timer = self.set_timer(REFRESH_SECONDS, self.refresh_status)
        self.editing.discarded = False  # typing again after a discard: this is new text to keep
        if self._autosave_timer is None:
            self._autosave_timer = self.set_timer(AUTOSAVE_EVERY_SECONDS, self.autosave_due)
        self.query_one(StatusLine).set_dirty(self.dirty)  # change events also arrive after a fill()

    def refresh_status(self) -> None:
        body = self.query_one("#body", TextArea).text
        status = self.query_one(StatusLine)
        self.query_one("#body", BodyArea).fit_highlighting(len(body))
        if len(body) > LONG_TEXT:
            self.count_words(body)  # splitting 20 000 words takes milliseconds: not on the UI thread
        else:
            status.set_reading(body)
        status.set_dirty(self.dirty)
        if self.has_class("-preview"):
            self.query_one(Preview).show(self.preview_text())

    @work(thread=True, exclusive=True, group="editor-reading")
    def count_words(self, body: str) -> None:
        reading = describe_reading(body)
        self.app.call_from_thread(self.query_one(StatusLine).show_reading, reading)

    def autosave_due(self) -> None:
        """The bounded autosave: gather the payload here (a copy of the fields), write it in a worker."""
        self._autosave_timer = None
        editing = self.editing
        if editing.saving:  # the save clears the slot when it lands; gathered now, this copy would come back after it
            self._autosave_timer = self.set_timer(AUTOSAVE_EVERY_SECONDS, self.autosave_due)
            return
        if editing.wants_autosave(self.content()):
            token, number = editing.next_autosave()
            self.store_autosave(editing.slot, self.payload(), editing.article_id, editing.base_version, token, number)

    # -- saving ----------------------------------------------------------------------------------

    def action_save(self) -> None:
        self.start_save()

    def start_save(self, then: Then = None, reason: str | None = None) -> None:
        """Save in a worker, then ``then``: ``"leave"``, ``"submit"``, or a callback told whether it saved."""
        editing = self.editing
        if not editing.writable or editing.saving:
            if callable(then):
                then(False)
            return
        content = self.content()
        if not editing.needs_save(content, reason):
            self.after_saved_step(then)
            return
        editing.begin_save()
        self.query_one(StatusLine).set_notice(_("saving…"))
        self.save(content, then, reason or editing.reason)

    @work(thread=True, exclusive=True, group="editor-save")
    def save(self, content: Content | dict[str, Any], then: Then, reason: str | None) -> None:
        """The save in a worker.  Nothing here waits for the UI thread while holding the write lock: the UI
        thread takes that lock itself when the app ends (:meth:`autosave_now`)."""
        content = content if isinstance(content, Content) else Content.from_payload(content)
        actor, editing = self.app.session.actor, self.editing
        draft = editing.draft(content)
        outcome: tuple[str, Any] = ("failed", None)
        with core_work(self.app):
            with editing.write_lock:
                try:
                    if editing.article_id is None:
                        article = create_article(actor, draft, reason=reason or "save", unit=editing.unit_id)
                    else:
                        article = save_article(actor, editing.article_id, editing.base_version or 0, draft,
                                               reason=reason)
                except MovedOn as moved:
                    outcome = ("moved", moved)
                except Conflict as conflict:
                    outcome = ("conflict", conflict)
                else:
                    autosave.discard(editing.slot, actor.login)
                    outcome = ("saved", (article, editing_content(article)))
            if outcome[0] in ("moved", "conflict"):
                self.app.call_from_thread(self.save_finished, then)
                prepare = self.prepare_moved_on if outcome[0] == "moved" else self.prepare_conflict
                prepare(outcome[1], content)
                return
            if outcome[0] == "saved":
                article, saved = outcome[1]
                self.app.call_from_thread(self.saved, article, saved, content, then)
                return
        self.app.call_from_thread(self.save_finished, then)

    def save_finished(self, failed: Then = None) -> None:
        """The save worker is done; ``failed`` is the step that was waiting for a save that did not happen."""
        self.editing.saving = False
        self.query_one(StatusLine).set_notice("")
        if callable(failed):
            failed(False)

    def saved(self, article: Article, content: Content, sent: Content, then: Then) -> None:
        new = self.article_id is None
        self.save_finished()
        self.editing.saved(article, content)
        if self.content() == sent:
            self.fill(content)
        self.query_one(StatusLine).set_saved(article.updated_at, article.version)
        self.refresh_status()
        self.refresh_bindings()
        if new:
            self.beat()
            self.lock_unit(article.unit_id)
        self.correction_saved(article)  # says "Saved", or that the save went into the pending correction
        markers = conflict_marker_problem(content.title, content.summary, content.body)
        if markers:
            self.notify(_("Saved as a draft, but it cannot be submitted or published yet. {problem}").format(
                problem=markers), severity="warning", timeout=12)
            if then == "submit":
                return  # the core would refuse it: stay in the editor with the text
        self.after_saved_step(then)

    def after_saved_step(self, then: Then) -> None:
        if callable(then):
            then(True)
        elif then == "leave":
            self.close()
        elif then == "submit":
            self.submit()

    # -- preview, details, leaving -----------------------------------------------------------------

    def action_toggle_preview(self) -> None:
        self.toggle_class("-preview")
        if self.has_class("-preview"):
            self.query_one(Preview).show(self.preview_text(), now=True)
        elif self.has_class("-narrow"):
            self.query_one("#body", TextArea).focus()

    def action_toggle_details(self) -> None:
        self.toggle_class("-details")
        if self.has_class("-details") and self.read_only_reason is None:
            self.query_one("#bylines", Input).focus()

    def action_leave(self) -> None:
        if not self.dirty or self.read_only_reason is not None:
            self.close()
            return

        def decide(choice: str | None) -> None:
            if choice == "save":
                self.start_save(then="leave")
            elif choice == "discard":
                self.discard_buffer()
                self.close()

        self.app.push_screen(LeaveModal(), decide)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        correcting = self.correction_action_allowed(action)
        if correcting is not None:
            return correcting
        writable = self.editing.writable
        if action in ("save", "external_editor"):
            return writable
        if action == "submit":
            if not writable:
                return False
            article = self.editing.article
            return article is None or workflow.allowed(self.app.session.actor, "submit", article)
        if action in ("note", "notes"):
            return self.article_id is not None
        if action == "history":
            return self.article_id is not None and importlib.util.find_spec("beritatui.tui.history") is not None
        return True
