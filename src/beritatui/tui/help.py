"""Help: the keys of the screen you came from, with what they do, in your language.

The app builds the list from that screen's live binding chain
(:func:`beritatui.tui.bindings.screen_keys`: keymap applied, actions this login
may not take left out), so it can never disagree with the footer.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from beritatui.i18n import N_, _
from beritatui.tui.bindings import KeyHelp, TranslatedBindings
from beritatui.tui.bindings import screen_keys as screen_keys  # where the tests and older callers find it
from beritatui.tui.typeahead import TypeAhead
from beritatui.tui.widgets.footer import Footer


class HelpScreen(TypeAhead, TranslatedBindings, Screen):
    """A table of keys and descriptions for the screen underneath (its keys and its ``HELP_TITLE``)."""

    REBUILDABLE = True
    BINDINGS = [
        Binding("escape,q", "close", N_("Close"), id="help.close"),
    ]

    def __init__(self, keys: list[KeyHelp], title: str | None = None) -> None:
        super().__init__()
        self.keys = keys
        self.help_title = title

    def compose(self) -> ComposeResult:
        yield Header()
        title = self.help_title
        heading = _("Keys: {screen}").format(screen=_(title)) if title else _("Keys")
        yield Static(Text(heading, style="bold"), id="help-heading")
        yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
        yield Static(_("Every key can be changed in the [keymap] table of your config file, by its id."),
                     id="help-hint", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(_("Keys"), width=14, key="keys")
        table.add_column(_("Action"), width=38, key="description")
        table.add_column(_("Id"), key="id")
        for line in self.keys:
            table.add_row(Text(line.keys, style="bold"), Text(line.description), Text(line.binding_id, style="dim"))
        table.focus()

    def action_close(self) -> None:
        self.dismiss()
