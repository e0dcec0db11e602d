"""The home screen: the article list, page by page, with status views, search, tag filter and sort.

Rows come from :func:`beritatui.core.listing.list_articles` a page at a time
(keyset pagination), so a newsroom with 100k articles opens as fast as one
with 100.  Every query runs in a thread worker; a generation number drops
results that arrive after the person already asked for something else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Header, Input, Static
from textual.widgets.data_table import RowKey

from beritatui.core import clock, transitions, workflow
from beritatui.core.listing import ArticleQuery, ArticleRow, Page, list_articles, row_article
from beritatui.core.tags import tag_names
from beritatui.i18n import N_, _, format_datetime, format_relative
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.cursor import under_cursor
from beritatui.tui.prefetch import PAGE_SIZE, view_counts
from beritatui.tui.typeahead import TypeAhead
from beritatui.tui.widgets.confirm import ConfirmationModal, TextPromptModal
from beritatui.tui.widgets.footer import Footer
from beritatui.tui.work import core_work

if TYPE_CHECKING:
    from concurrent.futures import Future

    from beritatui.tui.prefetch import FirstPage

PREFETCH = 25  # load the next page when the cursor is this close to the end
# Pages the table holds at most.  Scrolling further drops the farthest page and reads it again on the way
# back, so the list costs the same memory and the same time per key at row 100 000 as at row 100.
WINDOW_PAGES = 4
SEARCH_DELAY = 0.25


@dataclass(frozen=True)
class View:
    key: str
    status: str | None
    label: str
    description: str


VIEWS = (
    View("1", None, N_("All"), N_("Show all articles (not the trash)")),
    View("2", "draft", N_("Drafts"), N_("Show drafts")),
    View("3", "review", N_("Review"), N_("Show articles in review")),
    View("4", "scheduled", N_("Scheduled"), N_("Show scheduled articles")),
    View("5", "published", N_("Published"), N_("Show published articles")),
    View("6", "archived", N_("Archived"), N_("Show archived articles")),
    View("7", "trash", N_("Trash"), N_("Show the trash")),
)
SORT_LABELS = {"updated": N_("updated"), "published": N_("published")}

# Fixed column widths at any size; the title gets what is left (never under TITLE_MIN).
# Cells have no padding: each width includes one blank cell that separates it from the next column.
COLUMNS = (("status", N_("Status"), 10), ("byline", N_("Byline"), 12), ("tag", N_("Tag"), 10),
           ("updated", N_("Updated"), 12), ("reactions", N_("Reac."), 6))
TITLE_MIN = 20
SCROLLBAR = 2


def _ready(future: Future) -> bool:
    """A prefetched result that can be shown without waiting (a failure goes the worker's way, which reports it)."""
    return future.done() and future.exception() is None


class ArticleTable(DataTable):
    """The list's table: Home and ctrl+home go to the top of the whole list, End to its last row held.

    The table holds a few pages of the list; going to the top while the first page is not held asks
    its screen to read the list again (:class:`TopWanted`).  (A plain DataTable's Home and End move
    between columns, of no use in a row list.)
    """

    class TopWanted(Message):
        """Home was pressed while the top of the list is not held: read the list again from its top."""

    more_above = False  # set by the screen: the first page was dropped

    def action_scroll_top(self) -> None:
        if self.more_above:
            self.post_message(self.TopWanted())
        else:
            super().action_scroll_top()

    def action_scroll_home(self) -> None:
        self.action_scroll_top()

    def action_scroll_end(self) -> None:
        self.action_scroll_bottom()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Every column of the list has a set width and every row one line, so new rows need no measuring.

        Textual measures every cell of every new row to size auto-width columns; for a page of rows
        (and the rebuild when a page is dropped) that was most of a page-down key's time.
        """
        super()._update_dimensions(())


def clip(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` cells with an ellipsis, so columns never spill."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


class ArticlesScreen(TypeAhead, TranslatedBindings, Screen):
    """Every article the newsroom has, newest first, one status view at a time."""

    REBUILDABLE = True
    CSS_PATH = "articles.tcss"
    HELP_TITLE = N_("Articles")
    # The keys that move the selected article through the workflow: each runs the action of the same name
    # (``core.transitions.ACTIONS``), offered only where ``core.workflow`` allows it (check_action).
    WORKFLOW_ACTIONS = ("submit", "publish", "trash", "restore")
    BINDINGS = [
        Binding("n", "new", N_("New"), id="articles.new"),
        # priority: opened at once, before the table's own Enter (a message later) and the keys behind it
        Binding("enter", "open", N_("Open"), id="articles.open", priority=True, show=False),
        Binding("s", "submit", N_("Submit"), id="articles.submit"),
        Binding("p", "publish", N_("Publish"), id="articles.publish"),
        Binding("d", "trash", N_("Trash"), id="articles.trash"),
        Binding("u", "restore", N_("Restore"), id="articles.restore"),
        Binding("r", "review", N_("Review"), id="articles.review"),
        Binding("g", "tags", N_("Tags"), id="articles.tags"),
        Binding("h", "history", N_("History"), id="articles.history", show=False),
        Binding("x", "export", N_("Export feeds"), id="articles.export", show=False),
        Binding("slash", "search", N_("Search"), id="articles.search"),
        Binding("t", "tag_filter", N_("Filter by tag"), id="articles.tag_filter", show=False),
        Binding("o", "sort", N_("Sort updated/published"), id="articles.sort", show=False),
        Binding("f5,ctrl+l", "reload", N_("Reload"), id="articles.reload", show=False),
        # Shown in the notice line above the footer (and in help) while there is something to recover.
        Binding("R", "recover", N_("Recover unsaved text"), id="articles.recover", show=False),
        Binding("q", "app.quit", N_("Quit"), id="articles.quit"),
        *(Binding(v.key, f"view('{v.key}')", v.description, id=f"articles.view{v.key}", show=False) for v in VIEWS),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = VIEWS[0]
        self.query_state = ArticleQuery(status=None, limit=PAGE_SIZE)
        self.rows: list[ArticleRow] = []  # the rows in the table: pages first_page, first_page + 1, …
        self.cells: list[list[Text]] = []  # each row's cells, kept to rebuild the table without formatting again
        self.page_after: list[Any] = [None]  # page n of the list is read with after=page_after[n]
        self.first_page = 0
        self.cursor_value = None  # ``after`` of the page below the table's last row (None: none below)
        self.counts: dict[str, int] = {}
        self.generation = 0
        self.loading_more = False  # a page below or above is being read
        self._search_timer = None
        self._title_width = 0
        self._keep_id: int | None = None
        self._resumed = False
        self._refilling = False
        self.waiting: list[Any] = []  # unsaved text left in autosave slots (tui.editor.Waiting), newest first

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="views")
        yield ArticleTable(id="articles", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static(_("No articles here. Press n to write one."), id="empty")
        yield Static(id="recover-line")
        yield Static(id="status-line")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#empty").display = False
        self.query_one("#recover-line").display = False
        self._build_columns()
        table = self.query_one(DataTable)
        table.focus()
        self.watch(table, "scroll_y", self._scrolled, init=False)
        self._render_views()
        self.reload()
        self.load_waiting()

    def on_screen_resume(self) -> None:
        """Back from another screen: data may have changed (the first resume is the mount's own load)."""
        search = self._search_box()
        if search is None or not search.display:
            self.query_one(DataTable).focus()
        if self._resumed:
            self.reload(keep_cursor=True)
            self.load_waiting()
        self._resumed = True

    # -- unsaved text waiting in autosave slots ------------------------------------------------

    @work(thread=True, exclusive=True, group="articles-waiting")
    def load_waiting(self) -> None:
        """Unsaved text this login left (a dropped connection, a kill, a crash): announced above the footer."""
        from beritatui.tui.slots import waiting_texts

        with core_work(self.app):
            found = waiting_texts(self.app.session.actor)
            self.app.call_from_thread(self._show_waiting, found)

    def _show_waiting(self, found: list[Any]) -> None:
        self.waiting = found
        line = self.query_one("#recover-line", Static)
        line.display = bool(found)
        if found:
            zone = self.app.settings.timezone
            items = "; ".join(
                (_("\u201c{title}\u201d {when}") if entry.article_id is not None
                 else _("new draft \u201c{title}\u201d {when}")).format(
                    title=clip(entry.title, 28), when=format_datetime(entry.saved_at, zone, "d MMM HH:mm"))
                for entry in found)
            key = self.app.get_key_display(Binding("R", ""))
            line.update(Text(_("{key} recovers unsaved text: {items}").format(key=key, items=items)
                             if len(found) == 1 else
                             _("{key} recovers unsaved text (newest first): {items}").format(key=key, items=items),
                             no_wrap=True, overflow="ellipsis"))
        self.refresh_bindings()

    def action_recover(self) -> None:
        """Open the newest unsaved text: its article (which offers it back) or the new draft it was."""
        if not self.waiting:
            return
        from beritatui.tui.editor import EditorScreen

        entry = self.waiting[0]
        if entry.article_id is None:
            self.app.push_screen(EditorScreen(None, recover_slot=entry.slot))
        elif entry.status == "trash":
            self._keep_waiting(entry)  # the editor cannot open a trashed article: into its history instead
        else:
            self.app.push_screen(EditorScreen(entry.article_id))

    @work(thread=True, group="articles-waiting-keep")
    def _keep_waiting(self, entry: Any) -> None:
        from beritatui.tui.slots import keep_waiting

        with core_work(self.app):
            number = keep_waiting(self.app.session.actor, entry)
            message = (_("\u201c{title}\u201d is in the trash: your unsaved text is kept in its history as "
                         "revision {n} (restore the article, then the revision)").format(title=entry.title, n=number)
                       if number is not None else _("\u201c{title}\u201d already holds that text").format(
                           title=entry.title))
            self.app.call_from_thread(self.notify, message, timeout=12)
        self.app.call_from_thread(self.load_waiting)

    # -- loading -------------------------------------------------------------------------------

    def reload(self, *, keep_cursor: bool = False) -> None:
        """Start over from page one with the current filters."""
        self.generation += 1
        self.loading_more = False
        self._keep_id = self.current_row().id if keep_cursor and self.current_row() else None
        self.query_one("#status-line", Static).update(_("Loading…"))
        query = replace(self.query_state, after=None)
        prefetched = self.app.take_first_page(query)
        if prefetched is not None and _ready(prefetched.page):
            # Read while the app was starting: shown now, so the very first paint already has the rows.
            self._show_first(self.generation, prefetched.page.result())
            if _ready(prefetched.counts):
                self._show_counts(self.generation, prefetched.counts.result())
                return
            self._load_first(query, self.generation, prefetched, rows_shown=True)
            return
        self._load_first(query, self.generation, prefetched)

    @work(thread=True, exclusive=True, group="articles-first")
    def _load_first(self, query: ArticleQuery, generation: int, prefetched: FirstPage | None = None, *,
                    rows_shown: bool = False) -> None:
        """The rows first, then the view counts (they only label the views, so the rows never wait for them)."""
        with core_work(self.app):
            if not rows_shown:
                page = prefetched.page.result() if prefetched else list_articles(query)
                self.app.call_from_thread(self._show_first, generation, page)
            counts = prefetched.counts.result() if prefetched else view_counts()
            self.app.call_from_thread(self._show_counts, generation, counts)

    def _show_counts(self, generation: int, counts: dict[str, int]) -> None:
        if generation == self.generation:
            self.counts = counts
            self._render_views()

    def _show_first(self, generation: int, page: Page) -> None:
        if generation != self.generation:
            return
        self.rows, self.cells, self.page_after, self.first_page = [], [], [None], 0
        table = self.query_one(DataTable)
        table.clear()
        self._append(page)
        if self._keep_id is not None:
            for index, row in enumerate(self.rows):
                if row.id == self._keep_id:
                    table.move_cursor(row=index, animate=False)
                    break

    def _load_more(self) -> None:
        """The page below the table's last row."""
        if self.loading_more or self.cursor_value is None:
            return
        self.loading_more = True
        self._load_page(replace(self.query_state, after=self.cursor_value), self.generation, False)

    def _load_back(self) -> None:
        """The page above the table's first row, dropped earlier on the way down."""
        if self.loading_more or self.first_page == 0:
            return
        self.loading_more = True
        after = self.page_after[self.first_page - 1]
        self._load_page(replace(self.query_state, after=after), self.generation, True)

    @work(thread=True, group="articles-more")
    def _load_page(self, query: ArticleQuery, generation: int, above: bool) -> None:
        with core_work(self.app):
            page = list_articles(query)
            # The cells too (relative dates through Babel): a page of them is tens of ms the UI thread keeps.
            width, now = self._title_width, clock.utcnow()
            cells = {row.id: self._cells(row, now) for row in page.rows}
            self.app.call_from_thread(self._show_more, generation, page, above, (width, cells))

    def _show_more(self, generation: int, page: Page, above: bool = False,
                   made: tuple[int, dict[int, list[Text]]] | None = None) -> None:
        if generation != self.generation:
            return
        self.loading_more = False
        cells = made[1] if made is not None and made[0] == self._title_width else None  # else resized meanwhile
        if above:
            self._prepend(page, cells)
        else:
            self._append(page, cells)

    def _append(self, page: Page, made: dict[int, list[Text]] | None = None) -> None:
        """A page below: added to the table, and the top page dropped once the table holds too many."""
        table = self.query_one(DataTable)
        now = clock.utcnow()
        made = made or {}
        last_page = self.first_page + self._pages_held()
        known = {row.id for row in self.rows}
        for row in page.rows:
            if row.id in known:  # moved since the page above was read
                continue
            cells = made.get(row.id) or self._cells(row, now)
            self.rows.append(row)
            self.cells.append(cells)
            table.add_row(*cells, key=str(row.id))
        del self.page_after[last_page + 1:]
        if page.next_cursor is not None:
            self.page_after.append(page.next_cursor)
        self.cursor_value = page.next_cursor
        if self._pages_held() > WINDOW_PAGES:
            self._drop_top_page()
        self.query_one("#empty").display = not self.rows
        self._render_status_line()
        table.more_above = self.first_page > 0

    def _prepend(self, page: Page, made: dict[int, list[Text]] | None = None) -> None:
        """A page above, read again: the table is rebuilt with it on top and without its bottom page."""
        now = clock.utcnow()
        made = made or {}
        known = {row.id for row in self.rows}
        rows = [row for row in page.rows if row.id not in known]
        self.rows = rows + self.rows
        self.cells = [made.get(row.id) or self._cells(row, now) for row in rows] + self.cells
        self.first_page -= 1
        shift = len(rows)
        if self._pages_held() > WINDOW_PAGES:
            keep = WINDOW_PAGES * PAGE_SIZE
            del self.rows[keep:], self.cells[keep:]
            self.cursor_value = self.page_after[self.first_page + WINDOW_PAGES]
        self._refill(shift)
        self._render_status_line()
        self.query_one(ArticleTable).more_above = self.first_page > 0

    def _drop_top_page(self) -> None:
        del self.rows[:PAGE_SIZE], self.cells[:PAGE_SIZE]
        self.first_page += 1
        self._refill(-PAGE_SIZE)

    @on(ArticleTable.TopWanted)
    def _top_wanted(self) -> None:
        """Home while the first page is not held: the list read again from its top."""
        self.reload()

    def _pages_held(self) -> int:
        return -(-len(self.rows) // PAGE_SIZE)

    def _refill(self, shift: int) -> None:
        """The table rebuilt from the held rows, the cursor and the view moved by ``shift`` rows so that
        the same article stays under the cursor at the same place on the screen."""
        table = self.query_one(DataTable)
        cursor, scroll_y = table.cursor_row, table.scroll_y
        self._refilling = True  # the table's own scrolling to the top while it is rebuilt fetches nothing
        table.clear()
        for row, cells in zip(self.rows, self.cells, strict=True):
            table.add_row(*cells, key=str(row.id))
        target = max(0, min(cursor + shift, len(self.rows) - 1))
        table.move_cursor(row=target, animate=False, scroll=False)

        def settle() -> None:  # once the table knows its new height
            table.scroll_to(y=max(0.0, scroll_y + shift), animate=False, immediate=True)
            self._refilling = False

        table.call_after_refresh(settle)

    def _cells(self, row: ArticleRow, now) -> list[Text]:  # noqa: ANN001 - a datetime
        width = {key: w - 1 for key, _label, w in COLUMNS}
        status_style = {"review": "bold", "published": "green", "scheduled": "cyan", "trash": "dim"}
        return [
            Text(" " + clip(row.title, self._title_width - 2)),
            Text(clip(workflow.status_label(row.status), width["status"]), style=status_style.get(row.status, "")),
            Text(clip(row.bylines[0][0] if row.bylines else "", width["byline"])),
            Text(clip(row.primary_tag, width["tag"])),
            Text(clip(format_relative(row.updated_at, now=now, fmt="short"), width["updated"])),
            Text(str(row.reactions) if row.reactions else "", justify="right"),
        ]

    def _wanted_title_width(self) -> int:
        fixed = sum(width for _key, _label, width in COLUMNS)
        return max(TITLE_MIN, max(self.size.width, 80) - fixed - SCROLLBAR)

    def _build_columns(self) -> None:
        table = self.query_one(DataTable)
        self._title_width = self._wanted_title_width()
        table.clear(columns=True)
        table.add_column(Text(" " + _("Title")), width=self._title_width, key="title")
        for key, label, width in COLUMNS:
            table.add_column(Text(clip(_(label), width - 1), justify="right" if key == "reactions" else "left"),
                             width=width, key=key)

    def on_resize(self) -> None:
        table = self.query_one(DataTable)
        if self._wanted_title_width() != self._title_width:
            row_index = table.cursor_row
            self._build_columns()
            now = clock.utcnow()
            self.cells = [self._cells(row, now) for row in self.rows]
            for row, cells in zip(self.rows, self.cells, strict=True):
                table.add_row(*cells, key=str(row.id))
            if self.rows:
                table.move_cursor(row=min(row_index, len(self.rows) - 1), animate=False)

    def _scrolled(self, scroll_y: float) -> None:
        """Scrolled (wheel or scrollbar) near the last or the first held rows: fetch the page beyond."""
        table = self.query_one(DataTable)
        if self._refilling:
            return
        if scroll_y + table.scrollable_content_region.height >= len(self.rows) - PREFETCH:
            self._load_more()
        elif scroll_y < PREFETCH:
            self._load_back()

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        """Enter on a row (the table's own enter key) opens it."""
        self.action_open()

    @on(DataTable.RowHighlighted)
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if self._refilling or event.cursor_row != event.data_table.cursor_row:
            return  # the rebuild of the table moving its cursor, or a highlight the cursor has already left
        if event.cursor_row >= len(self.rows) - PREFETCH:
            self._load_more()
        elif event.cursor_row < PREFETCH:
            self._load_back()
        self.refresh_bindings()

    # -- what is shown around the table --------------------------------------------------------

    def _render_views(self) -> None:
        text = Text()
        for view in VIEWS:
            label = _(view.label)
            if view.status == "review" and self.counts.get("review"):
                label = f"{label} ({self.counts['review']})"
            style = "reverse bold" if view is self.view else ""
            text.append(f" {view.key} {label} ", style=style)
        self.query_one("#views", Static).update(text)

    def _render_status_line(self) -> None:
        parts = [_("{shown} shown").format(shown=self.first_page * PAGE_SIZE + len(self.rows))]
        if self.cursor_value is not None:
            parts.append(_("more below"))
        parts.append(_("sorted by {sort}").format(sort=_(SORT_LABELS[self.query_state.sort])))
        if self.query_state.tag:
            parts.append(_("tag: {tag}").format(tag=self.query_state.tag))
        if self.query_state.text:
            parts.append(_("search: {text}").format(text=self.query_state.text))
        self.query_one("#status-line", Static).update(Text(" · ".join(parts)))

    # -- the selected article ------------------------------------------------------------------

    def current_row(self) -> ArticleRow | None:
        """The article under the cursor; none while the screen is still being built or taken down."""
        return under_cursor(self, self.rows)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide what this login may not do to the selected article (the core refuses anyway)."""
        actor = self.app.session.actor
        if action in self.WORKFLOW_ACTIONS:
            row = self.current_row()
            return row is not None and workflow.allowed(actor, action, row_article(row))
        if action == "review":
            return workflow.may_publish(actor)
        if action == "recover":
            return bool(self.waiting)
        if action == "open":
            search = self._search_box()
            return self.current_row() is not None and not (search is not None and search.has_focus)
        if action == "history":
            return self.current_row() is not None
        return True

    # -- actions -------------------------------------------------------------------------------

    def action_view(self, key: str) -> None:
        self.view = next(v for v in VIEWS if v.key == key)
        self.query_state = replace(self.query_state, status=self.view.status)
        self._render_views()
        self.reload()

    def action_sort(self) -> None:
        sort = "published" if self.query_state.sort == "updated" else "updated"
        self.query_state = replace(self.query_state, sort=sort)
        self.notify(_("Sorted by {sort}").format(sort=_(SORT_LABELS[sort])))
        self.reload()

    def action_reload(self) -> None:
        self.reload(keep_cursor=True)

    def _search_box(self) -> Input | None:
        """The search box, once the person has opened it (it is not built before: the list opens faster)."""
        found = self.query("#search")
        return found.first(Input) if found else None

    async def action_search(self) -> None:
        search = self._search_box()
        if search is None:
            search = Input(placeholder=_("Search titles, text, tags, bylines (escape clears)"), id="search")
            await self.mount(search, before=self.query_one(DataTable))
        search.disabled = False
        search.display = True
        search.focus()

    def _hide_search(self) -> None:
        """A hidden search box must not take the focus back when a screen closes."""
        search = self._search_box()
        if search is not None:
            search.display = False
            search.disabled = True

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self._apply_search)

    def _apply_search(self) -> None:
        search = self._search_box()
        text = (search.value.strip() if search is not None else "") or None
        if text != self.query_state.text:
            self.query_state = replace(self.query_state, text=text)
            self.reload()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self._apply_search()
        self.query_one(DataTable).focus()

    def on_key(self, event) -> None:  # noqa: ANN001 - a Key event
        search = self._search_box()
        if event.key == "escape" and search is not None and search.has_focus:
            event.stop()
            search.value = ""
            self._hide_search()
            self._apply_search()
            self.query_one(DataTable).focus()

    def action_tag_filter(self) -> None:
        self._fetch_tag_names()

    @work(thread=True, group="tag-names")
    def _fetch_tag_names(self) -> None:
        with core_work(self.app):
            names = tag_names(limit=500)
            self.app.call_from_thread(self._ask_tag, names)

    def _ask_tag(self, names: list[str]) -> None:
        prompt = TextPromptModal(_("Show articles with the tag (empty shows all):"),
                                 value=self.query_state.tag or "", required=False,
                                 suggester=SuggestFromList(names, case_sensitive=False))
        self.app.push_screen(prompt, self._set_tag)

    def _set_tag(self, tag: str | None) -> None:
        if tag is not None:
            self.filter_by_tag(tag)

    def filter_by_tag(self, tag: str) -> None:
        """Show only articles with ``tag`` (empty: all tags again)."""
        self.query_state = replace(self.query_state, tag=tag or None)
        self.reload()

    def action_new(self) -> None:
        from beritatui.tui.editor import EditorScreen

        self.app.push_screen(EditorScreen(None))

    def action_open(self) -> None:
        row = self.current_row()
        if row is None:
            return
        if row.status == "trash":
            self.notify(_("This article is in the trash; restore it (u) before editing"), severity="warning")
            return
        from beritatui.tui.editor import EditorScreen

        self.app.push_screen(EditorScreen(row.id))

    def action_review(self) -> None:
        from beritatui.tui.review import ReviewScreen

        self.app.push_screen(ReviewScreen())

    def action_tags(self) -> None:
        """The tags screen; the tag it closes with (enter on a tag) filters the list."""
        from beritatui.tui.tags import TagsScreen

        self.app.push_screen(TagsScreen(), self._set_tag)

    def action_history(self) -> None:
        row = self.current_row()
        if row is None:
            return
        from beritatui.tui.history import HistoryScreen

        self.app.push_screen(HistoryScreen(row.id))

    def action_submit(self) -> None:
        row = self.current_row()
        if row is not None:
            self._transition("submit", row, _("Sent {title} to review"))

    def action_publish(self) -> None:
        self._confirm_then("publish", _("Publish {title} now?"), _("Published {title}"))

    def action_trash(self) -> None:
        self._confirm_then("trash", _("Move {title} to the trash?"), _("Moved {title} to the trash"))

    def action_restore(self) -> None:
        row = self.current_row()
        if row is not None:
            self._transition("restore", row, _("Restored {title}"))

    def _confirm_then(self, action: str, question: str, done: str) -> None:
        row = self.current_row()
        if row is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._transition(action, row, done)

        self.app.push_screen(ConfirmationModal(question.format(title=row.title)), answered)

    @work(thread=True, group="articles-transition")
    def _transition(self, action: str, row: ArticleRow, done: str) -> None:
        """``action`` on ``row``'s article, refused if it changed since the row was read (where the action
        checks that: ``transitions.TAKES_BASE_VERSION``)."""
        seen = {"base_version": row.version} if action in transitions.TAKES_BASE_VERSION else {}
        with core_work(self.app):
            transitions.ACTIONS[action](self.app.session.actor, row.id, **seen)
            self.app.call_from_thread(self.notify, done.format(title=row.title))
            self.app.call_from_thread(self.reload, keep_cursor=True)

    def action_export(self) -> None:
        if not self.app.export_available:
            self.notify(_("Feed export is not available in this installation yet"), severity="warning")
            return
        self.notify(_("Exporting feeds…"))
        self._export()

    @work(thread=True, exclusive=True, group="export")
    def _export(self) -> None:
        """Write the JSON Feeds to the site's export directory, showing progress in the status line."""
        from beritatui.feeds import export as feeds_export

        app = self.app
        shown = [-1]

        def progress(done: int, total: int) -> None:
            percent = int(100 * done / total) if total else 100
            if percent != shown[0]:
                shown[0] = percent
                message = _("Exporting feeds: {done} of {total}").format(done=done, total=total)
                app.call_from_thread(self.query_one("#status-line", Static).update, Text(message))

        def waiting() -> None:  # a colleague's export holds the directory: this one waits its turn
            app.call_from_thread(self.notify, _("Waiting for another export to finish…"))

        with core_work(app):
            report = feeds_export.export_feeds(None, actor=app.session.actor, progress=progress, waiting=waiting)
            app.call_from_thread(self.notify, _("Feeds exported to {path}: {summary}").format(
                path=report.out_dir, summary=report.summary()))
        app.call_from_thread(self._render_status_line)
