"""The editor's autosave slot: written in a worker as the person types, at once when the app ends, cleared
when the text is saved or thrown away.

:class:`AutosaveWriting` is mixed into :class:`~beritatui.tui.editor.EditorScreen`; when to write (the
bounded timer) stays with the screen, which gathers the payload on the UI thread.  The edit session's
counters (:class:`~beritatui.tui.session.EditSession`) make sure a payload gathered before a save, or
before a newer payload, never writes after it.
"""

from __future__ import annotations

from typing import Any

from textual import work

from beritatui.core import autosave
from beritatui.tui.work import core_work


class AutosaveWriting:
    """Slot writes for the editor screen (it uses the screen's ``editing`` session, ``content()``,
    ``cursor_place()`` and ``close()``)."""

    def payload(self) -> dict[str, Any]:
        """What the slot holds now: the fields, whether the slug was typed, and where the cursor is."""
        focus, cursor = self.cursor_place()
        return self.editing.payload(self.content(), focus, cursor)

    @work(thread=True, exclusive=True, group="editor-autosave")
    def store_autosave(self, slot: str, payload: dict[str, Any], article_id: int | None,
                       base_version: int | None, token: int, number: int = 0) -> None:
        editing = self.editing
        with core_work(self.app), editing.write_lock:
            if not editing.autosave_current(token, number):
                return  # a save started meanwhile, or a newer payload is in the slot already
            autosave.store(slot, self.app.session.actor.login, payload, article_id=article_id,
                           base_version=base_version)
            editing.autosave_written = number

    def autosave_now(self) -> bool:
        """Keep the buffer now, synchronously: the app is ending (quit, hang-up, termination, an error).

        Writes the unsaved text to the slot, or clears the slot if the person discarded it; ``True``
        if it wrote text.
        """
        editing = self.editing
        login = self.app.session.actor.login
        locked = editing.write_lock.acquire(timeout=5)  # a worker's write in flight finishes first
        try:
            if editing.discarded:
                autosave.discard(editing.slot, login)
                return False
            if not self.dirty or editing.read_only_reason is not None:
                return False
            autosave.store(editing.slot, login, self.payload(), article_id=editing.article_id,
                           base_version=editing.base_version)
        finally:
            if locked:
                editing.write_lock.release()
        return True

    def discard_buffer(self) -> None:
        """The person chose to throw the unsaved text away (Discard): its slot goes too."""
        self.editing.discarded = True
        self.discard_autosave(self.editing.slot)

    def close_keeping_buffer(self) -> None:
        """Leave without saving, the unsaved text kept in its slot (offered on the next start)."""
        editing = self.editing
        if self.dirty and editing.read_only_reason is None:
            payload, slot, login = self.payload(), editing.slot, self.app.session.actor.login
            article_id, base_version = editing.article_id, editing.base_version
            lock = editing.write_lock

            def keep() -> None:
                with core_work(self.app), lock:
                    autosave.store(slot, login, payload, article_id=article_id, base_version=base_version)

            editing.settle_slot()  # an autosave still queued must not write after this
            self.app.run_worker(keep, thread=True, group="autosave-keep")  # the app's: it outlives this screen
        self.close(keep_slot=True)

    def discard_autosave(self, slot: str) -> None:
        login = self.app.session.actor.login
        lock = self.editing.write_lock

        def discard() -> None:
            with core_work(self.app), lock:
                autosave.discard(slot, login)

        self.editing.settle_slot()  # an autosave still queued must not bring the text back
        self.app.run_worker(discard, thread=True, group="autosave-discard")
