"""An article's notes: who wrote each, when, its text, open or resolved; reply, resolve, reopen.

Opened from the editor (``f5``).  The writer whose draft was sent back finds the reviewer's note here,
answers it (a reply is a note on the same article) and resolves it.  Who may read and resolve a note is
:mod:`beritatui.core.notes`'s rule: this screen lists what the core gives it and offers ``x`` only where
the core would allow it (and the core refuses anyway).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from beritatui.core import notes
from beritatui.core.articles import get_article
from beritatui.core.models import Article
from beritatui.core.notes import NumberedNote
from beritatui.i18n import N_, _, format_datetime, ngettext
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.typeahead import TypeAhead
from beritatui.tui.widgets.confirm import TextPromptModal
from beritatui.tui.widgets.footer import Footer
from beritatui.tui.work import core_work


class NotesScreen(TypeAhead, TranslatedBindings, Screen[bool]):
    """The notes of one article, in the order written.  Dismisses with ``True`` if anything changed."""

    CSS_PATH = "notes.tcss"
    HELP_TITLE = N_("Notes")
    REBUILDABLE = True
    BINDINGS = [
        Binding("r", "reply", N_("Reply"), id="notes.reply"),
        Binding("x", "toggle", N_("Resolve/reopen"), id="notes.toggle"),
        Binding("escape", "back", N_("Back"), id="notes.back"),
    ]

    def __init__(self, article_id: int) -> None:
        super().__init__()
        self.article_id = article_id
        self.article: Article | None = None
        self.notes: list[NumberedNote] = []
        self.changed = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Loading the notes…"), id="notes-title", markup=False)
        yield OptionList(id="notes-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.reload()

    def reload(self, select: int | None = None) -> None:
        self._load(select)

    @work(thread=True, exclusive=True, group="notes-load")
    def _load(self, select: int | None) -> None:
        with core_work(self.app):
            article = get_article(self.article_id)
            found = notes.notes_for(self.app.session.actor, article)
            self.app.call_from_thread(self._show, article, found, select)

    def _show(self, article: Article, found: list[NumberedNote], select: int | None) -> None:
        self.article, self.notes = article, found
        still_open = sum(1 for note in found if not note.resolved)
        counted = ngettext("{n} note", "{n} notes", len(found)).format(n=len(found))
        title = _("{notes} ({open} open) · {title}").format(notes=counted, open=still_open, title=article.title)
        self.query_one("#notes-title", Static).update(Text(title, style="bold", no_wrap=True, overflow="ellipsis"))
        listing = self.query_one(OptionList)
        keep = select if select is not None else self.selected_number()
        listing.clear_options()
        if not found:
            listing.add_option(Option(Text(_("No notes yet: r writes the first one."), style="italic"),
                                      disabled=True))
        else:
            shown: list[Option | None] = []
            for note in found:
                shown += [Option(self._prompt(note), id=str(note.number)), None]  # None: a rule between notes
            listing.add_options(shown[:-1])
            numbers = [note.number for note in found]
            first_open = next((i for i, note in enumerate(found) if not note.resolved), 0)
            listing.highlighted = numbers.index(keep) if keep in numbers else first_open
        self.refresh_bindings()

    def _prompt(self, note: NumberedNote) -> Text:
        zone = self.app.settings.timezone
        when = format_datetime(note.created_at, zone, "short")
        if note.resolved:
            state = Text(_("resolved by {login}").format(login=note.resolved_by or "?"), style="green")
        else:
            state = Text(_("open"), style="bold yellow")
        text = Text.assemble((f"#{note.number} ", "bold"), (note.name, "bold"), f" · {when} · ", state, "\n")
        text.append(note.text, style="dim" if note.resolved else "")
        return text

    def selected(self) -> NumberedNote | None:
        if not self.notes or not self.is_mounted:
            return None
        index = self.query_one(OptionList).highlighted
        return self.notes[index] if index is not None and 0 <= index < len(self.notes) else None

    def selected_number(self) -> int | None:
        note = self.selected()
        return note.number if note is not None else None

    @on(OptionList.OptionHighlighted)
    def _moved(self) -> None:
        self.refresh_bindings()

    # -- actions ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle":
            note = self.selected()
            return (note is not None and self.article is not None
                    and notes.may_resolve(self.app.session.actor, self.article, note))
        if action == "reply":
            return self.article is not None
        return True

    def action_back(self) -> None:
        self.dismiss(self.changed)

    def action_reply(self) -> None:
        if self.article is None:
            return

        def answer(text: str | None) -> None:
            if text:
                self.reply(text)

        self.app.push_screen(TextPromptModal(_("Reply (a note on this article, never published)")), answer)

    @work(thread=True, group="notes-action")
    def reply(self, text: str) -> None:
        with core_work(self.app):
            note = notes.add_note(self.app.session.actor, self.article_id, text)
            number = [n.id for n in notes.list_notes(self.article_id)].index(note.id) + 1
            self.app.call_from_thread(self.done, _("Reply added as note {n}").format(n=number), number)

    def action_toggle(self) -> None:
        note = self.selected()
        if note is not None:
            self.toggle(note.number, not note.resolved)

    @work(thread=True, group="notes-action")
    def toggle(self, number: int, resolved: bool) -> None:
        with core_work(self.app):
            notes.resolve_number(self.app.session.actor, self.article_id, number, resolved)
            message = _("Note {n} resolved") if resolved else _("Note {n} is open again")
            self.app.call_from_thread(self.done, message.format(n=number), number)

    def done(self, message: str, number: int) -> None:
        self.changed = True
        self.notify(message)
        self.reload(select=number)
