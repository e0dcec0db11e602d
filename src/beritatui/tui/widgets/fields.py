"""One-line fields that never take text away by surprise, and the tag field's completion.

Textual 8.2.8's :class:`~textual.widgets.Input` selects its whole value when it
gets the focus, so the first key after Tab replaces a filled title, and it has
no undo.  :class:`FieldInput` keeps the value on focus (the cursor goes to the
end) and remembers its edits: ``ctrl+z`` undoes, ``ctrl+y`` redoes.

Typing a word is one step (a space after a word starts the next), any other
edit — a deletion, a paste, typing over a selection, taking a suggestion — is a
step of its own, so one ``ctrl+z`` brings back a value that was typed over.
Values put in by the program (:meth:`FieldInput.load_value`) start a fresh
history, like ``TextArea.load_text``.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input
from textual.widgets._input import Selection

from beritatui.i18n import N_
from beritatui.tui.bindings import TranslatedBindings

HISTORY = 200  # steps kept per field


@dataclass(frozen=True)
class Step:
    """The field as it was before an edit: its value and where the cursor (or selection) was."""

    value: str
    selection: Selection


class FieldInput(TranslatedBindings, Input):
    """An :class:`Input` with ``select_on_focus`` off by default, and undo/redo."""

    BINDINGS = [
        Binding("ctrl+z", "undo", N_("Undo"), id="field.undo", show=False),
        Binding("ctrl+y", "redo", N_("Redo"), id="field.redo", show=False),
    ]

    def __init__(self, *args, select_on_focus: bool = False, **kwargs) -> None:  # noqa: ANN002, ANN003
        self._undo: list[Step] = []
        self._redo: list[Step] = []
        self._typing_at: int | None = None  # where the word being typed ends (None: no word in progress)
        self._restoring = False  # set before Input's own __init__, which may already move the cursor
        super().__init__(*args, select_on_focus=select_on_focus, **kwargs)

    # -- recording -------------------------------------------------------------------------------

    def replace(self, text: str, start: int, end: int) -> None:
        """Every edit by a key, a paste or a cut comes through here (Textual's own edits do too)."""
        before = Step(self.value, self.selection)
        low, high = sorted((max(0, start), min(len(before.value), end)))
        typed = len(text) == 1  # one key (it may have replaced a selection: the next keys join that step)
        word_ends = text.isspace() and not before.value[low - 1:low].isspace()
        joins_word = typed and low == high and self._typing_at == low and not word_ends
        self._restoring = True  # the cursor moves as part of this edit: not a move away from the word
        try:
            super().replace(text, start, end)
        finally:
            self._restoring = False
        if self.value == before.value:
            return
        if not joins_word:
            self._push(before)
        self._typing_at = low + 1 if typed else None

    def action_cursor_right(self, select: bool = False) -> None:
        """Taking a suggestion (right arrow at the end) is an edit that can be undone."""
        before = Step(self.value, self.selection)
        super().action_cursor_right(select)
        if self.value != before.value:
            self._push(before)
            self._typing_at = None
        elif self.selection != before.selection:
            self._typing_at = None  # the cursor moved: the next key starts a new step

    def _push(self, step: Step) -> None:
        self._undo.append(step)
        del self._undo[:-HISTORY]
        self._redo.clear()

    def _watch_selection(self, selection: Selection) -> None:
        super()._watch_selection(selection)
        if not self._restoring and self._typing_at is not None and selection != Selection.cursor(self._typing_at):
            self._typing_at = None  # moved away (arrows, home, a click): a new word starts a new step

    # -- undo and redo ---------------------------------------------------------------------------

    def load_value(self, value: str) -> None:
        """Put a value in from the program (loading an article): the history starts again."""
        self._restore(Step(value, Selection.cursor(len(value))))
        self._undo.clear()
        self._redo.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def action_undo(self) -> None:
        if self._undo:
            self._redo.append(Step(self.value, self.selection))
            self._restore(self._undo.pop())

    def action_redo(self) -> None:
        if self._redo:
            self._undo.append(Step(self.value, self.selection))
            self._restore(self._redo.pop())

    def _restore(self, step: Step) -> None:
        self._restoring = True
        try:
            self.value = step.value
            self.selection = step.selection
        finally:
            self._restoring = False
        self._typing_at = None


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
