"""The state of one edit session, apart from the screen that shows it (no Textual here).

:class:`EditSession` holds what the editor knows besides what is typed: the content and version the
person started from (the *base*), the autosave slot, whether the slug was typed or follows the title,
why the article is read only, the revision reason the next save carries, and the counters that keep an
autosave gathered before a save (or before a newer autosave) from writing after it.  It decides; the
screen (:mod:`beritatui.tui.editor`) reads the fields into a :class:`~beritatui.core.content.Content`,
asks, and shows.  :meth:`EditSession.read` is the load: core reads only, run in a thread worker.

Tested without Pilot (tests/tui_editor/test_tui_editor_session.py).
"""

from __future__ import annotations

import threading
import uuid as uuidlib
from dataclasses import dataclass, field
from typing import Any

from beritatui.core import autosave, corrections, notes, presence, tags, units, workflow
from beritatui.core.articles import ArticleDraft, get_article
from beritatui.core.content import Content
from beritatui.core.models import Article, User
from beritatui.tui.unit_scope import writable_units


def new_slot() -> str:
    """An autosave slot of its own for a draft not saved yet."""
    return autosave.slot_for(None, uuidlib.uuid4().hex[:12])


@dataclass
class Loaded:
    """What loading found: the article (``None``: a new draft), its content, and unsaved text waiting."""

    article: Article | None
    content: Content
    slot: str
    read_only_reason: str | None = None
    may_change_slug: bool = True
    recovered: dict[str, Any] | None = None  # the waiting slot's payload
    recovered_at: Any = None
    recovered_base_version: int | None = None
    recovered_base: Content | None = None  # the article as it was when that text was started, if known
    others: list[str] = field(default_factory=list)
    tag_names: list[str] = field(default_factory=list)
    open_notes: int = 0  # the article's open notes this login may read (the editor says so: f5 shows them)
    # The unit field: a new draft's choices (the units the person may write in, as (label, id)) and the one
    # it goes to; a saved article's own unit alone (it does not move from the editor).
    units: list[tuple[str, int]] = field(default_factory=list)
    unit_id: int | None = None
    correction_pending: bool = False  # the content is the article's pending correction, not its live text
    corrections_reviewed: bool = False  # a save goes into a pending correction (core.corrections)
    may_publish_correction: bool = False  # this login may publish that correction (core.correction_review)


@dataclass
class Recovery:
    """Text waiting in a slot, as the editor offers it: its content over the article's, and its slug state."""

    content: Content
    slug_edited: bool
    base: Content | None = None  # what it was started from, when that is not the article as it is now
    base_version: int | None = None
    unit_id: int | None = None  # the unit a new draft's text was meant for (its unit field), if the slot says


class EditSession:
    """One article being edited (``article_id=None``: a new draft)."""

    def __init__(self, article_id: int | None = None, *, recover_slot: str | None = None) -> None:
        self.article_id = article_id
        self.recover_slot = recover_slot  # a new draft's slot to offer back (the article list's recover key)
        self.article: Article | None = None
        self.base = Content()
        self.base_version: int | None = None
        self.slot = new_slot()
        self.slug_edited = False
        self.auto_slug = ""  # the slug shown because it follows the title (a different one was typed)
        self.may_change_slug = True
        self.unit_id: int | None = None  # where a new draft goes (the unit field); None: the person's home unit
        self.read_only_reason: str | None = None
        self.reason: str | None = None  # the revision reason the next save carries (a recovered text)
        self.loaded = False
        self.load_failed = False
        self.saved_anything = False
        self.saving = False
        self.discarded = False  # the person threw the unsaved text away: never keep it in the slot
        self.saves = 0  # bumped when a save starts (or the slot is settled), so an autosave queued before is dropped
        self.autosaves = 0  # numbers each autosave payload, so an older one never overwrites a newer
        self.autosave_written = 0
        self.write_lock = threading.Lock()  # one slot write or save at a time (workers and the app's ending)
        self.correction_pending = False  # the text is a published article's pending correction (core.corrections)
        self.corrections_reviewed = False  # a save of this article goes into its pending correction
        self.may_publish_correction = False

    # -- what the person may do ------------------------------------------------------------------

    @property
    def writable(self) -> bool:
        return self.loaded and self.read_only_reason is None

    def dirty(self, content: Content) -> bool:
        """Whether ``content`` (the fields as typed) holds anything the base does not."""
        return self.loaded and content != self.base

    def follows_title(self) -> bool:
        """Whether the slug field shows the title's slug (nobody typed one, and it may still change)."""
        return not self.slug_edited and self.may_change_slug

    def slug_typed(self, value: str) -> None:
        """The slug field changed to ``value``: typed by the person unless it is the slug shown for the title."""
        if value != self.auto_slug:
            self.slug_edited = True

    def take_auto_slug(self, shown: str, slug: str) -> bool:
        """The title's slug ``slug`` arrived while the field shows ``shown``: whether to put it in."""
        if shown != self.auto_slug:
            self.slug_edited = True  # typed in before its Changed message arrived: never overwrite it
        if self.slug_edited:
            return False
        self.auto_slug = slug
        return True

    # -- loading ---------------------------------------------------------------------------------

    def read(self, actor: User, *, language: str) -> Loaded:
        """Load the article (or start a new draft with the actor's byline and the site's ``language``), with
        any unsaved text waiting for it; also says this login is here.  Core reads: call it in a worker."""
        names = tags.tag_names(limit=1000)
        if self.article_id is None:
            loaded = Loaded(article=None, content=Content(bylines=[(actor.display_name, actor.unit)],
                                                          language=language), slot=self.slot, tag_names=names)
            loaded.units, loaded.unit_id = writable_units(actor)
            if self.recover_slot is not None:  # asked for from the list's notice; a plain ``n`` starts afresh
                slot = autosave.load(self.recover_slot, actor.login)
                if slot is not None:
                    loaded.slot = slot.slot
                    loaded.recovered, loaded.recovered_at = dict(slot.payload or {}), slot.saved_at
            return loaded
        article = get_article(self.article_id)
        loaded = Loaded(article=article, content=corrections.editing_content(article),
                        slot=autosave.slot_for(article.uuid), tag_names=names,
                        read_only_reason=corrections.edit_problem(actor, article),
                        may_change_slug=workflow.may_change_slug(actor, article),
                        correction_pending=corrections.pending_for(article) is not None,
                        corrections_reviewed=corrections.goes_to_review(article))
        unit = units.get_unit(units.unit_of(article))
        loaded.units, loaded.unit_id = [(unit.name, unit.id)], unit.id
        self._read_waiting(loaded, actor.login)
        presence.heartbeat(article.id, actor)
        loaded.others = presence.others(article.id, actor.login)
        loaded.open_notes = notes.count_for(actor, article)[1]
        if loaded.correction_pending:
            from beritatui.core.correction_review import may_publish

            loaded.may_publish_correction = may_publish(actor, article)
        return loaded

    def _read_waiting(self, loaded: Loaded, login: str) -> None:
        """Attach the autosave slot when it holds something other than the saved article (else clear it)."""
        slot = autosave.load(loaded.slot, login)
        if slot is None or Content.from_payload(slot.payload, loaded.content) == loaded.content:
            if slot is not None:
                autosave.discard(loaded.slot, login)
            return
        loaded.recovered, loaded.recovered_at = dict(slot.payload or {}), slot.saved_at
        loaded.recovered_base_version = slot.base_version
        article = loaded.article
        if article is not None and slot.base_version is not None and slot.base_version != article.version:
            from beritatui.core.revisions import content_at

            loaded.recovered_base = content_at(article, slot.base_version)

    def took(self, loaded: Loaded) -> None:
        """The load arrived: start from it (the screen fills the fields, then sets :attr:`loaded`)."""
        self.article, self.slot = loaded.article, loaded.slot
        self.base = loaded.content
        self.may_change_slug = loaded.may_change_slug
        self.read_only_reason = loaded.read_only_reason
        self.unit_id = loaded.unit_id
        self.correction_pending = loaded.correction_pending
        self.corrections_reviewed = loaded.corrections_reviewed
        self.may_publish_correction = loaded.may_publish_correction
        if loaded.article is not None:
            self.article_id = loaded.article.id
            self.base_version = loaded.article.version
            self.slug_edited = loaded.article.slug_locked

    # -- waiting text ----------------------------------------------------------------------------

    def recovery(self, loaded: Loaded) -> Recovery:
        """The waiting text as it would go into the fields: a slug nobody typed follows the title, as before."""
        payload = loaded.recovered or {}
        slug_edited = payload.get("slug_edited")
        slug_edited = self.slug_edited if not isinstance(slug_edited, bool) else slug_edited or self.slug_edited
        content = Content.from_payload(payload, loaded.content)
        if not slug_edited:
            content = content.replace(slug=loaded.content.slug)
        known = loaded.recovered_base is not None and loaded.recovered_base_version is not None
        unit = payload.get("unit")
        return Recovery(content, slug_edited, loaded.recovered_base if known else None,
                        loaded.recovered_base_version if known else None,
                        unit if isinstance(unit, int) and not isinstance(unit, bool) else None)

    def recovered(self, recovery: Recovery) -> None:
        """The person took the waiting text: its next save says so, against the version it started from."""
        self.reason = "autosave-recovered"
        self.slug_edited = recovery.slug_edited
        if self.article_id is None and recovery.unit_id is not None:
            self.unit_id = recovery.unit_id  # the field shows it if the person may still write there
        if recovery.base is not None:
            self.base, self.base_version = recovery.base, recovery.base_version

    # -- saving ----------------------------------------------------------------------------------

    def draft(self, content: Content) -> ArticleDraft:
        """The change request a save sends: every field, the slug only if it was typed."""
        return content.as_draft(slug=self.slug_edited)

    def needs_save(self, content: Content, reason: str | None = None) -> bool:
        """Whether saving ``content`` would write anything (a new draft, a change, or a reason to record)."""
        return self.article_id is None or content != self.base or self.reason is not None or bool(reason)

    def begin_save(self) -> None:
        self.saving = True
        self.saves += 1

    def saved(self, article: Article, content: Content) -> None:
        """A save landed: ``content`` (the article as saved) is the new base."""
        self.saving = False
        self.article, self.article_id, self.base_version = article, article.id, article.version
        self.base = content
        self.reason = None
        self.saved_anything = True
        self.slot = autosave.slot_for(article.uuid)
        self.slug_edited = self.slug_edited or article.slug_locked

    # -- autosave --------------------------------------------------------------------------------

    def payload(self, content: Content, focus: str, cursor: Any) -> dict[str, Any]:
        """What the autosave slot holds: the content, whether the slug was typed, where the cursor was, and
        (a new draft) the unit it goes to."""
        payload = {**content.as_payload(), "slug_edited": self.slug_edited, "focus": focus, "cursor": cursor,
                   "source": "editor"}
        if self.article_id is None and self.unit_id is not None:
            payload["unit"] = self.unit_id
        return payload

    def wants_autosave(self, content: Content) -> bool:
        return self.dirty(content) and self.read_only_reason is None and not self.discarded

    def next_autosave(self) -> tuple[int, int]:
        """The ticket of a new autosave: the save count it was gathered under, and its own number."""
        self.autosaves += 1
        return self.saves, self.autosaves

    def autosave_current(self, token: int, number: int) -> bool:
        """Whether an autosave gathered with this ticket may still write (call it holding :attr:`write_lock`)."""
        if token != self.saves:
            return False  # a save started meanwhile; it clears the slot and must stay the last word
        return not (number and number < self.autosave_written)  # workers may take the lock out of order

    def settle_slot(self) -> None:
        """The slot is being written or cleared for good: an autosave still queued must not write after it."""
        self.saves += 1

    # -- conflicts -------------------------------------------------------------------------------

    def merge(self, content: Content, theirs: Content) -> Any:
        """Three-way merge of what is typed with what was saved meanwhile (a :class:`MergeResult`)."""
        from beritatui.core.merge import merge_fields

        return merge_fields(self.base, content, theirs, untouched=() if self.slug_edited else ("slug",))

    def rebase(self, theirs: Content, version: int) -> None:
        """Their version is the new base (the person chose how to settle a conflict)."""
        self.base, self.base_version = theirs, version

    def merged(self, result: Any, theirs: Content) -> None:
        """The merged text goes into the fields: the slug counts as typed only where it is not theirs."""
        self.slug_edited = self.slug_edited and result.content.slug != theirs.slug

    def drafts_for_theirs(self, content: Content, theirs: Content) -> tuple[ArticleDraft, ArticleDraft]:
        """Take theirs: yours saved first (kept in the history), then theirs back on top."""
        mine = self.draft(content)
        return mine, theirs.as_draft(slug=mine.slug is not None)
