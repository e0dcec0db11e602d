"""Tags: every tag with its slug and how many articles carry it; editors create, rename, merge, delete.

The rules (who may, name checks, what a merge does to positions) live in
:mod:`beritatui.core.tags`; this screen asks, calls, and shows the result.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Header, Static

from beritatui.core import tags as coretags
from beritatui.core import workflow
from beritatui.core.tags import TagCount
from beritatui.i18n import N_, _, ngettext
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.cursor import under_cursor
from beritatui.tui.typeahead import TypeAhead
from beritatui.tui.widgets.confirm import ConfirmationModal, TextPromptModal
from beritatui.tui.widgets.footer import Footer
from beritatui.tui.work import core_work


class TagsScreen(TypeAhead, TranslatedBindings, Screen[str | None]):
    """The newsroom's tags; enter shows the articles carrying one.

    Closes with the name of the tag whose articles the person asked to see (``None``: just closed), for
    whoever opened it: the article list filters by it.
    """

    REBUILDABLE = True
    CSS_PATH = "tags.tcss"
    HELP_TITLE = N_("Tags")
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="tags.back"),
        Binding("enter", "show_articles", N_("Show articles"), id="tags.articles"),
        Binding("n", "new", N_("New tag"), id="tags.new"),
        Binding("r", "rename", N_("Rename"), id="tags.rename"),
        Binding("m", "merge", N_("Merge into…"), id="tags.merge"),
        Binding("d", "delete", N_("Delete"), id="tags.delete"),
        Binding("f5,ctrl+l", "reload", N_("Reload"), id="tags.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[TagCount] = []
        self._keep: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="tags-heading")
        yield DataTable(id="tags", cursor_type="row", zebra_stripes=True)
        yield Static(_("No tags yet."), id="tags-empty")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(_("Tag"), width=30, key="name")
        table.add_column(_("Slug"), width=30, key="slug")
        table.add_column(Text(_("Articles"), justify="right"), width=9, key="count")
        self.query_one("#tags-empty").display = False
        table.focus()
        self.reload()

    # -- loading -------------------------------------------------------------------------------

    def reload(self, keep: str | None = None) -> None:
        self._keep = keep or (self.current().name if self.current() else None)
        self._load()

    @work(thread=True, exclusive=True, group="tags-load")
    def _load(self) -> None:
        with core_work(self.app):
            tags = coretags.list_tags()
            self.app.call_from_thread(self._show, tags)

    def _show(self, tags: list[TagCount]) -> None:
        self.tags = tags
        table = self.query_one(DataTable)
        table.clear()
        for tag in tags:
            table.add_row(Text(tag.name, style="dim" if tag.internal else ""), Text(tag.slug),
                          Text(str(tag.count), justify="right"), key=str(tag.id))
        table.display = bool(tags)
        self.query_one("#tags-empty").display = not tags
        self.query_one("#tags-heading", Static).update(Text(ngettext("{n} tag", "{n} tags", len(tags)).format(
            n=len(tags))))
        if self._keep:
            for index, tag in enumerate(tags):
                if tag.name == self._keep:
                    table.move_cursor(row=index, animate=False)
                    break
        self.refresh_bindings()

    def current(self) -> TagCount | None:
        """The tag under the cursor; none while the screen is still being built or taken down."""
        return under_cursor(self, self.tags)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only editors change tags (the core refuses anyway); row actions need a row."""
        if action in ("new", "rename", "merge", "delete"):
            if not workflow.may_publish(self.app.session.actor):
                return False
            return action == "new" or self.current() is not None
        if action == "show_articles":
            return self.current() is not None
        return True

    @on(DataTable.RowHighlighted)
    def _moved(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_show_articles()

    # -- actions -------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        self.reload()

    def action_show_articles(self) -> None:
        """Back to the article list, filtered by this tag (the list asked for the tag when it opened this)."""
        tag = self.current()
        if tag is not None:
            self.dismiss(tag.name)

    def action_new(self) -> None:
        def named(name: str | None) -> None:
            if name:
                self._change(lambda actor: coretags.create_tag(actor, name), _("Created the tag {name}"),
                             name=name, keep=name)

        self.app.push_screen(TextPromptModal(_("Name of the new tag:")), named)

    def action_rename(self) -> None:
        tag = self.current()
        if tag is None:
            return

        def named(name: str | None) -> None:
            if name and name != tag.name:
                self._change(lambda actor: coretags.rename_tag(actor, tag.name, name),
                             _("Renamed {old} to {new}"), old=tag.name, new=name, keep=name)

        self.app.push_screen(TextPromptModal(_("New name for {name}:").format(name=tag.name), value=tag.name), named)

    def action_merge(self) -> None:
        tag = self.current()
        if tag is None:
            return
        others = [t.name for t in self.tags if t.id != tag.id]

        def confirmed(target: str, yes: bool | None) -> None:
            if yes:
                self._change(lambda actor: coretags.merge_tags(actor, tag.name, target),
                             _("Merged {source} into {target}"), source=tag.name, target=target, keep=target)

        def chosen(target: str | None) -> None:
            if not target:
                return
            question = _("Merge {source} into {target}? Its {n} articles get {target}; {source} is removed.").format(
                source=tag.name, target=target, n=tag.count)
            self.app.push_screen(ConfirmationModal(question), lambda yes: confirmed(target, yes))

        prompt = TextPromptModal(_("Merge {name} into which tag?").format(name=tag.name),
                                 suggester=SuggestFromList(others, case_sensitive=False))
        self.app.push_screen(prompt, chosen)

    def action_delete(self) -> None:
        tag = self.current()
        if tag is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._change(lambda actor: coretags.delete_tag(actor, tag.name), _("Deleted the tag {name}"),
                             name=tag.name)

        question = ngettext(
            "Delete the tag {name}? {n} article loses it and keeps its other tags.",
            "Delete the tag {name}? {n} articles lose it and keep their other tags.", tag.count,
        ).format(name=tag.name, n=tag.count)
        self.app.push_screen(ConfirmationModal(question), confirmed)

    @work(thread=True, group="tags-change")
    def _change(self, call, done: str, keep: str | None = None, **names: object) -> None:  # noqa: ANN001
        """Run one core tag change, say what happened, and reload the table."""
        with core_work(self.app):
            call(self.app.session.actor)
            self.app.call_from_thread(self.notify, done.format(**names))
            self.app.call_from_thread(self.reload, keep)
