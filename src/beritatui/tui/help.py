"""Help: the keys of the screen you came from, with what they do, in your language.

Built from that screen's live binding chain (keymap applied, actions this
login may not take left out), so it can never disagree with the footer.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from beritatui.i18n import N_, _
from beritatui.tui.bindings import KeyHelp, TranslatedBindings, key_help
from beritatui.tui.typeahead import TypeAhead
from beritatui.tui.widgets.footer import Footer


def screen_keys(screen: Screen) -> list[KeyHelp]:
    """The bindings a person can use on ``screen`` now: its focused widget, the screen, the app."""
    pairs = []
    for node, bindings in screen._binding_chain:
        for _key, binding in bindings:
            if binding.id is not None:
                pairs.append((node, binding))
    return key_help(pairs, screen.app)


class HelpScreen(TypeAhead, TranslatedBindings, Screen):
    """A table of keys and descriptions for the screen underneath."""

    REBUILDABLE = True
    BINDINGS = [
        Binding("escape,q", "close", N_("Close"), id="help.close"),
    ]

    def __init__(self, target: Screen) -> None:
        super().__init__()
        self.target = target
        self.keys = screen_keys(target)

    def compose(self) -> ComposeResult:
        yield Header()
        title = getattr(self.target, "HELP_TITLE", None)
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
