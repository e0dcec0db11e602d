"""The article editor: metadata fields, the Markdown body, preview, autosave, conflicts, notes, presence.

Every read and write goes through the core in thread workers; this screen only
keeps what the person typed, the version it started from, and what to show.
"""

from __future__ import annotations

import importlib.util
import os
import shlex
import subprocess
import tempfile
import threading
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual import events, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.suggester import Suggester
from textual.timer import Timer
from textual.widgets import Button, Header, Input, Label, TextArea

from beritatui.core import autosave, notes, presence, tags, transitions, workflow
from beritatui.core.articles import (
    KEPT,
    ArticleDraft,
    MovedOn,
    conflict_marker_problem,
    create_article,
    describe_reading,
    format_byline,
    get_article,
    keep_theirs,
    parse_byline,
    preview_slug,
    save_article,
    snapshot,
)
from beritatui.core.errors import Conflict
from beritatui.core.models import Article, Revision
from beritatui.i18n import N_, _
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.conflict import (
    CANCEL,
    CLOSE,
    MARKERS,
    MERGED,
    MINE,
    SAVE_ANYWAY,
    THEIRS,
    ConflictScreen,
    MovedOnScreen,
    describe_merge,
    merge_fields,
)
from beritatui.tui.recovery import RecoveryModal, recovery_diff
from beritatui.tui.slots import FIELDS, Waiting, content_of, keep_waiting, recovered_content
from beritatui.tui.typeahead import TypeAhead, press_focused_button
from beritatui.tui.widgets.body import BodyArea
from beritatui.tui.widgets.confirm import TextPromptModal
from beritatui.tui.widgets.fields import FieldInput
from beritatui.tui.widgets.footer import Footer
from beritatui.tui.widgets.preview import LONG_TEXT, Preview
from beritatui.tui.widgets.statusline import StatusLine
from beritatui.tui.work import core_work

AUTOSAVE_EVERY_SECONDS = 2.0  # while the buffer changes, its slot is written at least this often
REFRESH_SECONDS = 0.3
WIDE_ENOUGH = 120


def byline_text(bylines: list[Any]) -> str:
    """``[["Eko", "Humas"], ["Sari", ""]]`` -> ``"Eko (Humas); Sari"`` (the byline field's format)."""
    return "; ".join(format_byline(name, unit) for name, unit in bylines)


def parse_bylines(text: str) -> list[list[str]]:
    return [list(parse_byline(part)) for part in text.split(";") if part.strip()]


def revision_content(revision: Revision) -> dict[str, Any]:
    return content_of({"title": revision.title, "slug": revision.slug, "summary": revision.summary,
                       "tags": revision.tags, "bylines": revision.bylines, "body": revision.body})


def external_editor(configured: str | None, env: dict[str, str] | None = None) -> list[str]:
    """The command for ctrl+e: the config's ``editor`` > ``VISUAL`` > ``EDITOR`` > ``vi``."""
    env = os.environ if env is None else env
    for candidate in (configured, env.get("VISUAL"), env.get("EDITOR")):
        if candidate and candidate.strip():
            return shlex.split(candidate)
    return ["vi"]


class TagSuggester(Suggester):
    """Completes the tag being typed (after the last comma) from the tags the newsroom already uses."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.names: list[str] = []

    async def get_suggestion(self, value: str) -> str | None:
        stem = value.rpartition(",")[2].lstrip()
        if not stem:
            return None
        lowered = stem.casefold()
        for name in self.names:
            if name.casefold().startswith(lowered) and len(name) > len(stem):
                return value + name[len(stem):]
        return None


@dataclass
class Loaded:
    """What the load worker hands to the screen."""

    article: Article | None
    content: dict[str, Any]
    slot: str
    read_only_reason: str | None = None
    may_change_slug: bool = True
    recovered: dict[str, Any] | None = None
    recovered_at: Any = None
    recovered_base_version: int | None = None
    recovered_base: dict[str, Any] | None = None
    others: list[str] = field(default_factory=list)
    tag_names: list[str] = field(default_factory=list)


class LeaveModal(TypeAhead, TranslatedBindings, ModalScreen[str]):
    """Unsaved changes on escape (or on quitting, with ``message`` naming them): ``save``, ``discard`` or ``cancel``."""

    DEFAULT_CSS = """
    LeaveModal { align: center middle; }
    LeaveModal > Vertical { width: 64; max-width: 100%; height: auto; border: thick $warning; background: $surface;
        padding: 1 2; }
    LeaveModal Label { width: 100%; margin-bottom: 1; }
    LeaveModal Horizontal { height: auto; align-horizontal: right; }
    LeaveModal Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("escape", "choose('cancel')", N_("Cancel"), id="leave.cancel"),
        Binding("ctrl+s", "choose('save')", N_("Save"), id="leave.save"),
        Binding("ctrl+d", "choose('discard')", N_("Discard"), id="leave.discard"),
        Binding("enter", "press_focused", N_("Choose"), id="leave.press", show=False, priority=True),
    ]

    def __init__(self, message: str | None = None) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.message or _("This article has unsaved changes."))
            with Horizontal():
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Discard"), id="discard", variant="error")
                yield Button(_("Save"), id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id or "cancel")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def action_press_focused(self) -> None:
        press_focused_button(self)


class EditorScreen(TypeAhead, TranslatedBindings, Screen[bool]):
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
        Binding("ctrl+n", "note", N_("Note"), id="editor.note", priority=True),
        Binding("f4", "history", N_("History"), id="editor.history", show=False, priority=True),
        Binding("escape", "leave", N_("Close"), id="editor.close", priority=True),
    ]

    def __init__(self, article_id: int | None = None, *, recover_slot: str | None = None) -> None:
        """``recover_slot``: a new draft's autosave slot to offer back (the article list's recover key)."""
        super().__init__()
        self.article_id = article_id
        self.recover_slot = recover_slot
        self.article: Article | None = None
        self.base: dict[str, Any] = content_of({})
        self.base_version: int | None = None
        self.slot = autosave.slot_for(None, uuidlib.uuid4().hex[:12])
        self.slug_edited = False
        self.may_change_slug = True
        self.read_only_reason: str | None = None
        self.revision_reason: str | None = None
        self.loaded = False
        self.saved_anything = False
        self.saving = False
        self._filling = False
        self._auto_slug = ""
        self._autosave_timer: Timer | None = None
        self._refresh_timer: Timer | None = None
        self._slug_timer: Timer | None = None
        self._reload_on_resume = False
        self._saves = 0  # bumped when a save starts, so an autosave queued before it is dropped
        self._discarded = False  # the person chose to throw the unsaved text away: never keep it in the slot
        self._load_failed = False
        self._autosaves = 0  # numbers each autosave payload, so an older one never overwrites a newer
        self._autosave_written = 0
        self._last_field = "title"  # the field the cursor was last in (kept in the slot for a recovery)
        self._write_lock = threading.Lock()
        self.tag_suggester = TagSuggester()

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="meta"):
            with Horizontal(classes="row"):
                yield Label(_("Title"), classes="label")
                yield FieldInput(id="title", compact=True, placeholder=_("Headline"))
            with Horizontal(classes="row"):
                yield Label(_("Slug"), classes="label")
                yield FieldInput(id="slug", compact=True, placeholder=_("follows the title"))
                yield Label(_("Tags"), classes="label short")
                yield FieldInput(id="tags", compact=True, suggester=self.tag_suggester,
                            placeholder=_("comma separated; the first is primary"))
            with Horizontal(classes="row"):
                yield Label(_("Summary"), classes="label")
                yield FieldInput(id="summary", compact=True, placeholder=_("One or two sentences for lists and feeds"))
            with Vertical(id="details"):
                with Horizontal(classes="row"):
                    yield Label(_("Byline"), classes="label")
                    yield FieldInput(id="bylines", compact=True, placeholder=_("Name (Unit); Name (Unit)"))
                with Horizontal(classes="row"):
                    yield Label(_("Language"), classes="label")
                    yield FieldInput(id="language", compact=True, placeholder="id")
                    yield Label(_("Image"), classes="label short")
                    yield FieldInput(id="image_url", compact=True, placeholder="https://")
                with Horizontal(classes="row"):
                    yield Label(_("Image alt"), classes="label")
                    yield FieldInput(id="image_alt", compact=True, placeholder=_("What the image shows"))
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

    def close(self, *, keep_slot: bool = False) -> None:
        """Leave the article: drop this login's presence (in the background) and go back.

        Leaving without unsaved changes also clears an autosave slot left from typing that was undone.
        """
        if self.loaded and not self.dirty and self.read_only_reason is None and not keep_slot:
            self.discard_autosave(self.slot)
        if self.article_id is not None:
            article_id, login = self.article_id, self.app.session.actor.login

            def leave() -> None:
                with core_work(self.app):
                    presence.leave(article_id, login)

            self.app.run_worker(leave, thread=True, group="presence")
        self.dismiss(self.saved_anything)

    # -- the fields ------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the person has typed, in the shapes the core takes."""
        get = lambda name: self.query_one(f"#{name}", Input).value  # noqa: E731 - a tiny local accessor
        return {
            "title": get("title"), "slug": get("slug"), "summary": get("summary"),
            "tags": tags.split_tags(get("tags")), "bylines": parse_bylines(get("bylines")),
            "language": get("language"), "image_url": get("image_url"), "image_alt": get("image_alt"),
            "body": self.query_one("#body", TextArea).text,
        }

    def fill(self, content: dict[str, Any]) -> None:
        """Put ``content`` into the fields (only those that differ, so the cursor stays where it is)."""
        self._filling = True
        try:
            for name in FIELDS:
                value = content.get(name)
                if name == "body":
                    area = self.query_one("#body", BodyArea)
                    if area.text != (value or ""):
                        area.fit_highlighting(len(value or ""))
                        area.load_text(value or "")
                    continue
                if name == "tags":
                    value = ", ".join(value or [])
                elif name == "bylines":
                    value = byline_text(value or [])
                widget = self.query_one(f"#{name}", FieldInput)
                if widget.value != (value or ""):
                    widget.load_value(value or "")
            self._auto_slug = self.query_one("#slug", Input).value
        finally:
            self._filling = False
        self.refresh_status()

    def title_for_people(self) -> str:
        """How dialogs name this editor's article: its title as typed, or "new draft"."""
        title = " ".join(self.query_one("#title", Input).value.split()) if self.is_mounted else ""
        return title or (self.article.title if self.article is not None else _("new draft"))

    @property
    def dirty(self) -> bool:
        return self.loaded and self.values() != self.base

    def draft(self, values: dict[str, Any]) -> ArticleDraft:
        return ArticleDraft(
            title=values["title"], slug=values["slug"] if self.slug_edited else None, summary=values["summary"],
            body=values["body"], tags=values["tags"], bylines=[tuple(b) for b in values["bylines"]],
            language=values["language"] or None, image_url=values["image_url"], image_alt=values["image_alt"],
        )

    def payload(self) -> dict[str, Any]:
        """What an autosave slot holds: the fields, whether the slug was typed, and where the cursor was."""
        focus, cursor = self.cursor_place()
        return {**self.values(), "slug_edited": self.slug_edited, "focus": focus, "cursor": cursor,
                "source": "editor"}

    def cursor_place(self) -> tuple[str, int | list[int]]:
        """The field the cursor is (or was last) in, and its position there (body: ``[row, column]``)."""
        focused = self.focused  # the screen's own focus: kept while a dialog is on top
        name = focused.id if focused is not None and focused.id in FIELDS else self._last_field
        if name == "body":
            row, column = self.query_one("#body", TextArea).cursor_location
            return name, [row, column]
        return name, self.query_one(f"#{name}", Input).cursor_position

    def place_cursor(self, focus: Any, cursor: Any) -> None:
        """Put the cursor back where a slot says it was (anything unreadable leaves it where it is)."""
        if focus not in FIELDS:
            return
        if focus == "body":
            area = self.query_one("#body", TextArea)
            if isinstance(cursor, list) and len(cursor) == 2 and all(isinstance(n, int) for n in cursor):
                row = max(0, min(cursor[0], area.document.line_count - 1))
                area.move_cursor((row, max(0, min(cursor[1], len(area.document.get_line(row))))))
            widget: Input | TextArea = area
        else:
            widget = self.query_one(f"#{focus}", Input)
            if isinstance(cursor, int) and not isinstance(cursor, bool):
                widget.cursor_position = max(0, min(cursor, len(widget.value)))
        if focus in ("bylines", "language", "image_url", "image_alt"):
            self.add_class("-details")
        if not widget.disabled:
            widget.focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget.id in FIELDS:
            self._last_field = event.widget.id

    # -- loading ---------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="editor-load")
    def load(self) -> None:
        session = self.app.session
        actor, login = session.actor, session.actor.login
        with core_work(self.app):
            names = tags.tag_names(limit=1000)
            if self.article_id is None:
                loaded = self._load_new(login, names)
            else:
                article = get_article(self.article_id)
                loaded = Loaded(article=article, content=content_of(snapshot(article)),
                                slot=autosave.slot_for(article.uuid), tag_names=names,
                                read_only_reason=workflow.edit_problem(actor, article),
                                may_change_slug=workflow.may_change_slug(actor, article))
                self._load_recovery(loaded, login)
                presence.heartbeat(article.id, actor)
                loaded.others = presence.others(article.id, login)
            self.app.call_from_thread(self.loaded_article, loaded)
            return
        self.app.call_from_thread(self.load_failed)  # the error is shown; the keys held go on

    def ready_for_keys(self) -> bool:
        """Keys wait until the article is in the fields (typing into a field that loading then fills would
        lose them), or until loading failed."""
        return self._shown_once and (self.loaded or self._load_failed)

    def load_failed(self) -> None:
        self._load_failed = True
        self.keys_ready()

    def _load_new(self, login: str, names: list[str]) -> Loaded:
        actor = self.app.session.actor
        content = content_of({"bylines": [[actor.display_name, actor.unit]],
                              "language": self.app.settings.language})
        loaded = Loaded(article=None, content=content, slot=self.slot, tag_names=names)
        if self.recover_slot is not None:  # asked for from the list's notice; a plain ``n`` starts afresh
            slot = autosave.load(self.recover_slot, login)
            if slot is not None:
                loaded.slot = slot.slot
                loaded.recovered, loaded.recovered_at = dict(slot.payload or {}), slot.saved_at
        return loaded

    def _load_recovery(self, loaded: Loaded, login: str) -> None:
        """Attach the autosave slot when it holds something other than the saved article."""
        slot = autosave.load(loaded.slot, login)
        if slot is None or recovered_content(slot.payload, loaded.content) == loaded.content:
            if slot is not None:
                autosave.discard(loaded.slot, login)
            return
        loaded.recovered, loaded.recovered_at = dict(slot.payload or {}), slot.saved_at
        loaded.recovered_base_version = slot.base_version
        article = loaded.article
        if article is not None and slot.base_version is not None and slot.base_version != article.version:
            revision = (Revision.select().where((Revision.article == article.id)
                                                & (Revision.article_version == slot.base_version)
                                                & (Revision.reason != KEPT))
                        .order_by(Revision.number.desc()).first())
            loaded.recovered_base = revision_content(revision) if revision is not None else None

    def loaded_article(self, loaded: Loaded) -> None:
        self.article = loaded.article
        self.slot = loaded.slot
        self.tag_suggester.names = loaded.tag_names
        self.base = loaded.content
        self.may_change_slug = loaded.may_change_slug
        self.read_only_reason = loaded.read_only_reason
        status = self.query_one(StatusLine)
        if loaded.article is not None:
            self.article_id = loaded.article.id
            self.base_version = loaded.article.version
            self.slug_edited = loaded.article.slug_locked
            status.set_saved(loaded.article.updated_at, loaded.article.version)
        status.set_others(loaded.others)
        self.fill(loaded.content)
        self.loaded = True
        self.apply_read_only()
        self.keys_ready()  # keys typed while it loaded go in now, in order, where the cursor is
        if loaded.recovered is not None and self.read_only_reason is not None and loaded.article is not None:
            self.keep_recovered(Waiting(loaded.slot, loaded.article.id, loaded.article.title,
                                        loaded.recovered_at, loaded.article.status, self.read_only_reason))
        elif loaded.recovered is not None:
            self.offer_recovery(loaded)
        self.refresh_bindings()

    @work(thread=True, group="editor-keep")
    def keep_recovered(self, waiting: Waiting) -> None:
        """Unsaved text for an article this login can no longer edit: into its history, never lost."""
        with core_work(self.app):
            number = keep_waiting(self.app.session.actor, waiting)
            if number is not None:
                self.app.call_from_thread(self.notify, _(
                    "Your unsaved text could not go back into this article ({reason}); it is kept in its "
                    "history as revision {n}").format(reason=waiting.read_only_reason, n=number), timeout=12)

    def apply_read_only(self) -> None:
        status = self.query_one(StatusLine)
        read_only = self.read_only_reason is not None
        for widget in self.query(Input):
            widget.disabled = read_only
        self.query_one("#slug", Input).disabled = read_only or not self.may_change_slug
        self.query_one("#body", TextArea).read_only = read_only
        status.set_notice(_("read only: {reason}").format(reason=self.read_only_reason) if read_only else "")
        if read_only:
            self.query_one("#body", TextArea).focus()
            self.notify(_("Opened read only: {reason}").format(reason=self.read_only_reason), severity="warning")

    def offer_recovery(self, loaded: Loaded) -> None:
        payload = loaded.recovered or {}
        slug_edited = payload.get("slug_edited")
        slug_edited = self.slug_edited if not isinstance(slug_edited, bool) else slug_edited or self.slug_edited
        recovered = recovered_content(payload, loaded.content)
        if not slug_edited:
            recovered["slug"] = loaded.content["slug"]  # a slug nobody typed follows the title, as before
        diff = recovery_diff(loaded.content, recovered)

        def answer(accept: bool | None) -> None:
            if accept:
                self.revision_reason = "autosave-recovered"
                self.slug_edited = slug_edited
                if loaded.recovered_base is not None and loaded.recovered_base_version is not None:
                    self.base, self.base_version = loaded.recovered_base, loaded.recovered_base_version
                self.fill(recovered)
                if not self.slug_edited and recovered["title"] != loaded.content["title"] and self.may_change_slug:
                    self.follow_title(recovered["title"])
                self.place_cursor(payload.get("focus"), payload.get("cursor"))
                self.notify(_("Recovered text loaded; save to keep it"))
            else:
                self.discard_autosave(loaded.slot)
                if loaded.article is None:
                    self.slot = autosave.slot_for(None, uuidlib.uuid4().hex[:12])
            self.refresh_status()

        self.app.push_screen(RecoveryModal(diff, loaded.recovered_at, self.app.settings.timezone), answer)

    # -- typing ----------------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._filling or not self.loaded or event.value != event.input.value:
            return  # a fill, or a change already overtaken (Changed arrives a message later; keys may be ahead)
        if event.input.id == "slug" and event.value != self._auto_slug:
            self.slug_edited = True
        if event.input.id == "title" and not self.slug_edited and self.may_change_slug:
            if self._slug_timer is not None:
                self._slug_timer.stop()
            if event.value == self.base["title"] and self.base["slug"]:
                self.show_auto_slug(self.base["slug"])
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
        self._discarded = False  # typing again after a discard: this is new text to keep
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

    @work(thread=True, exclusive=True, group="editor-slug")
    def follow_title(self, title: str) -> None:
        with core_work(self.app):
            slug = preview_slug(title, self.article) if title.strip() else ""
            self.app.call_from_thread(self.show_auto_slug, slug)

    def show_auto_slug(self, slug: str) -> None:
        field = self.query_one("#slug", FieldInput)
        if field.value != self._auto_slug:
            self.slug_edited = True  # typed in before its Changed message arrived: never overwrite it
        if self.slug_edited:
            return
        self._auto_slug = slug
        self._filling = True
        try:
            self.query_one("#slug", FieldInput).load_value(slug)
        finally:
            self._filling = False

    # -- autosave --------------------------------------------------------------------------------

    def autosave_due(self) -> None:
        """The bounded autosave: gather the payload here (a copy of the fields), write it in a worker."""
        self._autosave_timer = None
        if self.saving:  # the save clears the slot when it lands; gathered now, this copy would come back after it
            self._autosave_timer = self.set_timer(AUTOSAVE_EVERY_SECONDS, self.autosave_due)
            return
        if self.dirty and self.read_only_reason is None and not self._discarded:
            self._autosaves += 1
            self.store_autosave(self.slot, self.payload(), self.article_id, self.base_version, self._saves,
                                self._autosaves)

    @work(thread=True, exclusive=True, group="editor-autosave")
    def store_autosave(self, slot: str, payload: dict[str, Any], article_id: int | None,
                       base_version: int | None, token: int, number: int = 0) -> None:
        with core_work(self.app), self._write_lock:
            if token != self._saves:
                return  # a save started meanwhile; it clears the slot and must stay the last word
            if number and number < self._autosave_written:
                return  # a newer payload is already in the slot (workers may take the lock out of order)
            autosave.store(slot, self.app.session.actor.login, payload, article_id=article_id,
                           base_version=base_version)
            self._autosave_written = number

    def autosave_now(self) -> bool:
        """Keep the buffer now, synchronously: the app is ending (quit, hang-up, termination, an error).

        Writes the unsaved text to the slot, or clears the slot if the person discarded it; ``True``
        if it wrote text.
        """
        login = self.app.session.actor.login
        locked = self._write_lock.acquire(timeout=5)  # a worker's write in flight finishes first
        try:
            if self._discarded:
                autosave.discard(self.slot, login)
                return False
            if not self.dirty or self.read_only_reason is not None:
                return False
            autosave.store(self.slot, login, self.payload(), article_id=self.article_id,
                           base_version=self.base_version)
        finally:
            if locked:
                self._write_lock.release()
        return True

    def discard_buffer(self) -> None:
        """The person chose to throw the unsaved text away (Discard): its slot goes too."""
        self._discarded = True
        self.discard_autosave(self.slot)

    def close_keeping_buffer(self) -> None:
        """Leave without saving, the unsaved text kept in its slot (offered on the next start)."""
        if self.dirty and self.read_only_reason is None:
            payload, slot, login = self.payload(), self.slot, self.app.session.actor.login
            article_id, base_version = self.article_id, self.base_version
            lock = self._write_lock

            def keep() -> None:
                with core_work(self.app), lock:
                    autosave.store(slot, login, payload, article_id=article_id, base_version=base_version)

            self._saves += 1  # an autosave still queued must not write after this
            self.app.run_worker(keep, thread=True, group="autosave-keep")  # the app's: it outlives this screen
        self.close(keep_slot=True)

    def discard_autosave(self, slot: str) -> None:
        login = self.app.session.actor.login
        lock = self._write_lock

        def discard() -> None:
            with core_work(self.app), lock:
                autosave.discard(slot, login)

        self._saves += 1  # an autosave still queued must not bring the text back
        self.app.run_worker(discard, thread=True, group="autosave-discard")

    # -- saving ----------------------------------------------------------------------------------

    def action_save(self) -> None:
        self.start_save()

    def start_save(self, then: str | Callable[[bool], None] | None = None, reason: str | None = None) -> None:
        """Save in a worker, then ``then``: ``"leave"``, ``"submit"``, or a callback told whether it saved."""
        if self.read_only_reason is not None or not self.loaded or self.saving:
            if callable(then):
                then(False)
            return
        values = self.values()
        if self.article_id is not None and values == self.base and self.revision_reason is None and not reason:
            self.after_saved_step(then)
            return
        self.saving = True
        self._saves += 1
        self.query_one(StatusLine).set_notice(_("saving…"))
        self.save(values, then, reason or self.revision_reason)

    @work(thread=True, exclusive=True, group="editor-save")
    def save(self, values: dict[str, Any], then: str | Callable[[bool], None] | None, reason: str | None) -> None:
        """The save in a worker.  Nothing here waits for the UI thread while holding the write lock: the UI
        thread takes that lock itself when the app ends (:meth:`autosave_now`)."""
        actor = self.app.session.actor
        draft = self.draft(values)
        outcome: tuple[str, Any] = ("failed", None)
        with core_work(self.app):
            with self._write_lock:
                try:
                    if self.article_id is None:
                        article = create_article(actor, draft, reason=reason or "save")
                    else:
                        article = save_article(actor, self.article_id, self.base_version or 0, draft,
                                               reason=reason)
                except MovedOn as moved:
                    outcome = ("moved", moved)
                except Conflict as conflict:
                    outcome = ("conflict", conflict)
                else:
                    autosave.discard(self.slot, actor.login)
                    outcome = ("saved", (article, content_of(snapshot(article))))
            if outcome[0] == "moved":
                self.app.call_from_thread(self.save_finished, then)
                self.prepare_moved_on(outcome[1], values)
                return
            if outcome[0] == "conflict":
                self.app.call_from_thread(self.save_finished, then)
                self.prepare_conflict(outcome[1], values)
                return
            if outcome[0] == "saved":
                article, content = outcome[1]
                self.app.call_from_thread(self.saved, article, content, values, then)
                return
        self.app.call_from_thread(self.save_finished, then)

    def save_finished(self, failed: str | Callable[[bool], None] | None = None) -> None:
        """The save worker is done; ``failed`` is the step that was waiting for a save that did not happen."""
        self.saving = False
        self.query_one(StatusLine).set_notice("")
        if callable(failed):
            failed(False)

    def saved(self, article: Article, content: dict[str, Any], sent: dict[str, Any],
              then: str | Callable[[bool], None] | None) -> None:
        new = self.article_id is None
        self.save_finished()
        self.article, self.article_id, self.base_version = article, article.id, article.version
        self.base = content
        self.revision_reason = None
        self.saved_anything = True
        self.slot = autosave.slot_for(article.uuid)
        self.slug_edited = self.slug_edited or article.slug_locked
        if self.values() == sent:
            self.fill(content)
        self.query_one(StatusLine).set_saved(article.updated_at, article.version)
        self.refresh_status()
        self.refresh_bindings()
        if new:
            self.beat()
        self.notify(_("Saved {title} (version {version})").format(title=article.title, version=article.version))
        markers = conflict_marker_problem(article.title, article.summary, article.body)
        if markers:
            self.notify(_("Saved as a draft, but it cannot be submitted or published yet. {problem}").format(
                problem=markers), severity="warning", timeout=12)
            if then == "submit":
                return  # the core would refuse it: stay in the editor with the text
        self.after_saved_step(then)

    def after_saved_step(self, then: str | Callable[[bool], None] | None) -> None:
        if callable(then):
            then(True)
        elif then == "leave":
            self.close()
        elif then == "submit":
            self.submit()

    # -- conflicts -------------------------------------------------------------------------------

    def prepare_conflict(self, conflict: Conflict, values: dict[str, Any]) -> None:
        """Merge in the save worker (it may be a long text), then ask on the UI thread."""
        yours = {**values, "slug": values["slug"] if self.slug_edited else None}
        theirs = content_of(conflict.theirs)
        result = merge_fields(self.base, yours, theirs)
        diff = describe_merge(result, theirs, values)
        self.app.call_from_thread(self.ask_conflict, conflict, result, diff, values)

    def ask_conflict(self, conflict: Conflict, result: Any, diff: list[str], values: dict[str, Any]) -> None:
        theirs = content_of(conflict.theirs)
        version = int(conflict.theirs["version"])

        def decide(choice: str | None) -> None:
            if choice in (None, CANCEL):
                self.notify(_("Not saved: the article changed meanwhile. Save again to decide."), severity="warning")
                return
            self.base, self.base_version = theirs, version
            if choice in (MERGED, MARKERS):
                self.fill(result.fields)
                self.slug_edited = self.slug_edited and result.fields["slug"] != theirs["slug"]
                if choice == MERGED:
                    self.start_save(reason="merge")
                else:
                    self.notify(_("Resolve the <<<<<<< yours / >>>>>>> theirs blocks, then save"), severity="warning")
            elif choice == MINE:
                self.start_save(reason="conflict-mine")
            elif choice == THEIRS:
                self._saves += 1
                self.take_theirs(version, values, theirs)
            self.refresh_status()

        self.app.push_screen(ConflictScreen(str(conflict), result, diff), decide)

    def prepare_moved_on(self, moved: MovedOn, values: dict[str, Any]) -> None:
        """In the save worker: may this login still save into the article as it is now?"""
        actor = self.app.session.actor
        article = get_article(self.article_id or 0)
        reason = workflow.edit_problem(actor, article)
        status = workflow.status_label(article.status)
        self.app.call_from_thread(self.ask_moved_on, moved, values, status, reason)

    def ask_moved_on(self, moved: MovedOn, values: dict[str, Any], status: str, reason: str | None) -> None:
        """The article was trashed, unpublished, published or sent back meanwhile: say so, never lose the text."""
        theirs = content_of(moved.theirs)
        version = int(moved.theirs["version"])

        def decide(choice: str | None) -> None:
            if choice == CLOSE:
                if moved.kept is not None:
                    self.discard_autosave(self.slot)
                    self._discarded = True  # the kept revision holds it: nothing left to keep in the slot
                    self.close()
                else:
                    self.close_keeping_buffer()
            elif choice == SAVE_ANYWAY:
                if theirs == self.base:  # only the status moved: save over the version as it is now
                    self.base_version = version
                    self.start_save()
                else:
                    self.merge_after_move(moved, values)
            else:
                self.notify(_("Not saved: {what}").format(what=str(moved).split(". ")[0]), severity="warning")
            self.refresh_status()

        self.app.push_screen(MovedOnScreen(str(moved), kept=moved.kept, status=status, may_save=reason is None,
                                           reason=reason), decide)

    @work(thread=True, exclusive=True, group="editor-save")
    def merge_after_move(self, moved: MovedOn, values: dict[str, Any]) -> None:
        """Save anyway, but their content changed too: the usual three-way merge (in a worker: it may be long)."""
        self.prepare_conflict(moved, values)

    @work(thread=True, exclusive=True, group="editor-save")
    def take_theirs(self, version: int, values: dict[str, Any], theirs: dict[str, Any]) -> None:
        actor = self.app.session.actor
        mine = self.draft(values)
        back = ArticleDraft(title=theirs["title"], slug=theirs["slug"] if mine.slug is not None else None,
                            summary=theirs["summary"], body=theirs["body"], tags=theirs["tags"],
                            bylines=[tuple(b) for b in theirs["bylines"]], language=theirs["language"] or None,
                            image_url=theirs["image_url"], image_alt=theirs["image_alt"])
        with core_work(self.app):
            refused: Conflict | None = None
            with self._write_lock:
                try:
                    article = keep_theirs(actor, self.article_id or 0, version, mine, back)
                except Conflict as conflict:
                    refused = conflict
                else:
                    autosave.discard(self.slot, actor.login)
                    content = content_of(snapshot(article))
            if isinstance(refused, MovedOn):
                self.prepare_moved_on(refused, values)
            elif refused is not None:
                self.prepare_conflict(refused, values)
            else:
                self.app.call_from_thread(self.took_theirs, article, content)

    def took_theirs(self, article: Article, content: dict[str, Any]) -> None:
        self.slug_edited = article.slug_locked
        self.fill(content)
        self.saved(article, content, content, None)
        self.notify(_("Their text is kept; yours is in the history"))

    # -- workflow, notes, history ----------------------------------------------------------------

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
        self.saved_anything = True
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

    def action_history(self) -> None:
        if self.article_id is None:
            return
        from beritatui.tui.history import HistoryScreen

        self._reload_on_resume = not self.dirty  # a restored revision shows up when we come back
        self.app.push_screen(HistoryScreen(self.article_id))

    def on_screen_resume(self) -> None:
        if self._reload_on_resume:
            self._reload_on_resume = False
            self.loaded = False
            self.load()

    # -- presence --------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="editor-presence")
    def beat(self) -> None:
        if self.article_id is None:
            return
        session = self.app.session
        with core_work(self.app):
            presence.heartbeat(self.article_id, session.actor)
            names = presence.others(self.article_id, session.actor.login)
            self.app.call_from_thread(self.query_one(StatusLine).set_others, names)

    # -- preview, details, external editor -------------------------------------------------------

    def action_toggle_preview(self) -> None:
        self.toggle_class("-preview")
        if self.has_class("-preview"):
            self.query_one(Preview).show(self.preview_text(), now=True)
        elif self.has_class("-narrow"):
            self.query_one("#body", TextArea).focus()

    def preview_text(self) -> str:
        """The article as a reader meets it: headline, summary, body."""
        get = lambda name: self.query_one(f"#{name}", Input).value.strip()  # noqa: E731
        head = f"# {get('title')}\n\n" if get("title") else ""
        summary = f"*{get('summary')}*\n\n" if get("summary") else ""
        return head + summary + self.query_one("#body", TextArea).text

    def action_toggle_details(self) -> None:
        self.toggle_class("-details")
        if self.has_class("-details") and self.read_only_reason is None:
            self.query_one("#bylines", Input).focus()

    def action_external_editor(self) -> None:
        self.edit_outside(self.query_one("#body", TextArea).text)

    @work(thread=True, exclusive=True, group="editor-external")
    def edit_outside(self, body: str) -> None:
        """Write the body to a temporary file, let $EDITOR change it, read it back (files off the UI thread)."""
        handle, name = tempfile.mkstemp(prefix="beritatui-", suffix=".md")
        path = Path(name)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(body)
            code = self.app.call_from_thread(self.run_external, path)
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.app.call_from_thread(self.app.show_error, exc)
            return
        finally:
            path.unlink(missing_ok=True)
        if code == 0 and text != body:
            self.app.call_from_thread(self.set_body, text)

    def run_external(self, path: Path) -> int:
        command = [*external_editor(self.app.session.config.editor), str(path)]
        try:
            with self.app.suspend():
                return subprocess.call(command)
        except SuspendNotSupported:
            self.notify(_("This terminal cannot hand over to an external editor"), severity="warning")
            return 1
        except OSError as exc:
            self.notify(_("Cannot run {command}: {reason}").format(command=command[0], reason=exc.strerror or exc),
                        severity="error")
            return 1

    def set_body(self, text: str) -> None:
        self.query_one("#body", TextArea).load_text(text)
        self.edited()

    # -- leaving ---------------------------------------------------------------------------------

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
        writable = self.loaded and self.read_only_reason is None
        if action in ("save", "external_editor"):
            return writable
        if action == "submit":
            if not writable:
                return False
            return self.article is None or workflow.allowed(self.app.session.actor, "submit", self.article)
        if action == "note":
            return self.article_id is not None
        if action == "history":
            return self.article_id is not None and importlib.util.find_spec("beritatui.tui.history") is not None
        return True
