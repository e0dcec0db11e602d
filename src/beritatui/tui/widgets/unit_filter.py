"""The unit filter: which units the article list shows, chosen from a short list.

"My units" (the default), every unit, or one unit of the tree (indented under its parent), which
shows that unit's articles and its sub-units'.  The tree is read in a thread worker when the dialog
opens; keys typed before it arrives wait for it (:class:`~beritatui.tui.typeahead.TypeAhead`).
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from beritatui.i18n import N_, _
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.typeahead import TypeAhead
from beritatui.tui.unit_scope import Choice, UnitScope, unit_choices
from beritatui.tui.widgets.cells import clip
from beritatui.tui.work import core_work

WIDTH = 56  # the dialog's width; a unit's name is cut to what is left beside its indent


class UnitFilterModal(TypeAhead, TranslatedBindings, ModalScreen[UnitScope | None]):
    """Up and down to a line, Enter shows its units, escape keeps the list as it is (``None``)."""

    DEFAULT_CSS = """
    UnitFilterModal { align: center middle; }
    UnitFilterModal > Vertical { width: 56; max-width: 100%; height: auto; max-height: 20;
        border: thick $primary; background: $surface; padding: 1 2; }
    UnitFilterModal #question { width: 100%; margin-bottom: 1; }
    UnitFilterModal OptionList, UnitFilterModal OptionList:focus { height: auto; max-height: 14; border: none;
        padding: 0; }
    UnitFilterModal #hint { width: 100%; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="units.cancel", show=False),
        # Answered at once: the keys after Enter belong to the list below, not to this dialog.
        Binding("enter", "choose", N_("Show these units"), id="units.choose", show=False, priority=True),
    ]

    def __init__(self, current: UnitScope) -> None:
        super().__init__()
        self.current = current
        self.choices: list[Choice] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Show the articles of:"), id="question")
            yield OptionList(id="units")
            yield Label(_("A unit includes its sub-units. Escape cancels."), id="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._load()

    def ready_for_keys(self) -> bool:
        return self._shown_once and bool(self.choices)

    @work(thread=True, exclusive=True, group="unit-filter")
    def _load(self) -> None:
        with core_work(self.app):
            choices = unit_choices()
            self.app.call_from_thread(self._show, choices)

    def _show(self, choices: list[Choice]) -> None:
        self.choices = choices
        lines: list[Option | None] = []
        for index, choice in enumerate(choices):
            indent = "  " * (choice.depth + 1) if index >= 2 else ""
            lines.append(Option(Text(indent + clip(choice.label, WIDTH - 8 - len(indent))), id=str(index)))
            if index == 1:
                lines.append(None)  # a line between the two scopes and the tree
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(lines)
        options.highlighted = self._index_of(self.current)
        self.keys_ready()

    def _index_of(self, scope: UnitScope) -> int:
        """Where ``scope`` stands in the list (the first line when it is not there any more)."""
        for index, choice in enumerate(self.choices):
            if choice.scope.unit_id == scope.unit_id and choice.scope.everything == scope.everything:
                return index
        return 0

    def action_choose(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.choices:
            return
        option = options.get_option_at_index(options.highlighted)
        if option.id is not None:
            self.dismiss(self.choices[int(option.id)].scope)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click on a line (Enter is answered at once by :meth:`action_choose`)."""
        event.stop()
        if event.option.id is not None and self.choices:
            self.dismiss(self.choices[int(event.option.id)].scope)

    def action_cancel(self) -> None:
        self.dismiss(None)
