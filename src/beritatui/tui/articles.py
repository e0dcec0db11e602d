"""The home screen: the article list, page by page, with status views, search, tag filter and sort.

Rows come from :func:`beritatui.core.listing.list_articles` a page at a time
(keyset pagination), so a newsroom with 100k articles opens as fast as one
with 100.  Which pages are held is :class:`beritatui.tui.paging.PagingWindow`'s
business, how they look :class:`beritatui.tui.widgets.article_table.ArticleTable`'s,
what the keys do to an article :class:`beritatui.tui.article_actions.ArticleActions`';
this screen reads the pages and applies the views, the sort, the search and
the tag filter, and which units it shows (:mod:`beritatui.tui.unit_scope`: the person's own by
default; the unit filter picks another).  Every query runs in a thread worker; a generation number drops
results that arrive after the person already asked for something else.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from beritatui.core import clock, units, workflow
from beritatui.core.listing import ArticleQuery, ArticleRow, Page, list_articles, row_article
from beritatui.core.visibility import Reader
from beritatui.i18n import N_, _
from beritatui.tui.article_actions import ArticleActions
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.list_filters import ListFilters
from beritatui.tui.paging import PagingWindow
from beritatui.tui.prefetch import PAGE_SIZE, view_counts
from beritatui.tui.typeahead import TypeAhead
from beritatui.tui.unit_scope import MINE, UnitScope, list_scope
from beritatui.tui.widgets.article_table import ArticleTable, Cells, Columns, columns_for
from beritatui.tui.widgets.footer import Footer
from beritatui.tui.widgets.list_lines import SORT_LABELS, VIEWS, ListStatusLine, RecoverLine, ViewsLine
from beritatui.tui.work import core_work

if TYPE_CHECKING:
    from concurrent.futures import Future

    from beritatui.tui.prefetch import FirstPage

PREFETCH = 25  # load the next page when the cursor is this close to the end
# Pages the table holds at most.  Scrolling further drops the farthest page and reads it again on the way
# back, so the list costs the same memory and the same time per key at row 100 000 as at row 100.
WINDOW_PAGES = 4
SEARCH_DELAY = 0.25


def _ready(future: Future) -> bool:
    """A prefetched result that can be shown without waiting (a failure goes the worker's way, which reports it)."""
    return future.done() and future.exception() is None


class ArticlesScreen(ArticleActions, ListFilters, TypeAhead, TranslatedBindings, Screen):
    """Every article the newsroom has, newest first, one status view at a time (its keys' actions:
    :class:`~beritatui.tui.article_actions.ArticleActions`)."""

    REBUILDABLE = True
    CSS_PATH = "articles.tcss"
    HELP_TITLE = N_("Articles")
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
        Binding("m", "dashboard", N_("Report"), id="articles.dashboard", show=False),
        Binding("h", "history", N_("History"), id="articles.history", show=False),
        Binding("a", "audit", N_("Audit trail"), id="articles.audit", show=False),
        Binding("x", "export", N_("Export feeds"), id="articles.export", show=False),
        Binding("slash", "search", N_("Search"), id="articles.search"),
        Binding("t", "tag_filter", N_("Filter by tag"), id="articles.tag_filter", show=False),
        # Not in the footer, full at 80 columns for an editor; the header says which units are shown.
        Binding("U", "unit_filter", N_("Filter by unit"), id="articles.unit_filter", show=False),
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
        self.scope: UnitScope = MINE  # which units the list shows; query_state.unit_ids follows it in workers
        self.window = PagingWindow(PAGE_SIZE, WINDOW_PAGES)
        self.counts: dict[str, int] = {}
        self.generation = 0
        self.loading_more = False  # a page below or above is being read
        self._search_timer = None
        self._keep_id: int | None = None
        self._resumed = False
        self.waiting: list[Any] = []  # unsaved text left in autosave slots (tui.slots.Waiting), newest first
        # Kept rather than looked up: the keys' checks ask for the selected row a few dozen times a refresh,
        # and each query of the DOM costs about as much as the rest of a check.
        self.table = ArticleTable(self.window, id="articles", cursor_type="row", zebra_stripes=True,
                                  cell_padding=0)
        self._search: Input | None = None

    # -- the paging window, as tests and benchmarks read it ----------------------------------------

    @property
    def rows(self) -> list[ArticleRow]:
        """The rows in the table: pages ``first_page``, ``first_page + 1``, … of the list."""
        return self.window.rows

    @property
    def first_page(self) -> int:
        return self.window.first_page

    @property
    def cursor_value(self) -> Any:
        """``after`` of the page below the table's last row (None: none below)."""
        return self.window.cursor_value

    @property
    def _refilling(self) -> bool:
        """Whether the table is being rebuilt from the held rows (its own scrolling then fetches nothing)."""
        return self.table.refilling

    def compose(self) -> ComposeResult:
        yield Header()
        yield ViewsLine(id="views")
        yield self.table
        yield Static(_("No articles here. Press n to write one."), id="empty")
        yield RecoverLine(id="recover-line")
        yield ListStatusLine(id="status-line")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#empty").display = False
        self.query_one(RecoverLine).display = False
        table = self.table
        table.zone = self.app.settings.timezone
        table.build_columns(self.size.width, columns_for(self.view.status))
        table.focus()
        self.watch(table, "scroll_y", self._scrolled, init=False)
        self._render_views()
        self._render_scope()
        self.reload()
        self.load_waiting()

    def on_screen_resume(self) -> None:
        """Back from another screen: data may have changed (the first resume is the mount's own load)."""
        search = self._search_box()
        if search is None or not search.display:
            self.table.focus()
        if self._resumed:
            self.reload(keep_cursor=True)
            self.load_waiting()
        self._resumed = True

    # -- loading -------------------------------------------------------------------------------

    def reload(self, *, keep_cursor: bool = False) -> None:
        """Start over from page one with the current filters."""
        self.generation += 1
        self.loading_more = False
        self._keep_id = self.current_row().id if keep_cursor and self.current_row() else None
        self.query_one(ListStatusLine).update(_("Loading…"))
        query = replace(self.query_state, after=None)
        prefetched = self.app.take_first_page(replace(query, unit_ids=None), self.scope)
        if prefetched is not None and _ready(prefetched.page):
            # Read while the app was starting: shown now, so the very first paint already has the rows.
            self._show_first(self.generation, prefetched.page.result(), prefetched.unit_ids, prefetched.unit_names,
                             prefetched.reader)
            if _ready(prefetched.counts):
                self._show_counts(self.generation, prefetched.counts.result())
                return
            self._load_first(query, self.generation, self.scope, prefetched, rows_shown=True)
            return
        self._load_first(query, self.generation, self.scope, prefetched)

    @work(thread=True, exclusive=True, group="articles-first")
    def _load_first(self, query: ArticleQuery, generation: int, scope: UnitScope,
                    prefetched: FirstPage | None = None, *, rows_shown: bool = False) -> None:
        """The units of ``scope``, the rows, then the view counts (they only label the views, so the rows
        never wait for them)."""
        with core_work(self.app):
            if prefetched is not None:
                page = prefetched.page.result()  # the units are read before it
                unit_ids, reader, names = prefetched.unit_ids, prefetched.reader, prefetched.unit_names
            else:
                names = units.names()
                found = list_scope(self.app.session.actor, scope)
                unit_ids, reader = found.unit_ids, found.reader
                page = list_articles(replace(query, unit_ids=unit_ids, reader=reader))
            if not rows_shown:
                self.app.call_from_thread(self._show_first, generation, page, unit_ids, names, reader)
            counts = prefetched.counts.result() if prefetched else view_counts(unit_ids)
            self.app.call_from_thread(self._show_counts, generation, counts)

    def _show_counts(self, generation: int, counts: dict[str, int]) -> None:
        if generation == self.generation:
            self.counts = counts
            self._render_views()

    def _show_first(self, generation: int, page: Page, unit_ids: tuple[int, ...] | None = None,
                    unit_names: dict[int, str] | None = None, reader: Reader | None = None) -> None:
        if generation != self.generation:
            return
        # The pages below this one are read in the same units, under the same read rule.
        self.query_state = replace(self.query_state, unit_ids=unit_ids, reader=reader)
        table = self.table
        if unit_names is not None:
            table.unit_names = unit_names
        table.show_first(self.window.start(page), clock.utcnow())
        self._rows_changed()
        if self._keep_id is not None:
            index = self.window.index_of(self._keep_id)
            if index is not None:
                table.move_cursor(row=index, animate=False)

    def _load_more(self) -> None:
        """The page below the table's last row."""
        if self.loading_more or not self.window.more_below:
            return
        self.loading_more = True
        self._load_page(replace(self.query_state, after=self.window.cursor_value), self.generation, False)

    def _load_back(self) -> None:
        """The page above the table's first row, dropped earlier on the way down."""
        if self.loading_more or not self.window.more_above:
            return
        self.loading_more = True
        self._load_page(replace(self.query_state, after=self.window.after_above()), self.generation, True)

    @work(thread=True, group="articles-more")
    def _load_page(self, query: ArticleQuery, generation: int, above: bool) -> None:
        with core_work(self.app):
            page = list_articles(query)
            # The cells too (relative dates through Babel): a page of them is tens of ms the UI thread keeps.
            shape, now = self.table.shape, clock.utcnow()
            cells = {row.id: self.table.cells(row, now, shape) for row in page.rows}
            self.app.call_from_thread(self._show_more, generation, page, above, (shape, cells))

    def _show_more(self, generation: int, page: Page, above: bool = False,
                   made: tuple[tuple[int, Columns], dict[int, Cells]] | None = None) -> None:
        if generation != self.generation:
            return
        self.loading_more = False
        table = self.table
        cells = table.cells_made_for(*made) if made is not None else None
        table.show(self.window.prepend(page) if above else self.window.append(page), clock.utcnow(), cells)
        self._rows_changed()

    def _rows_changed(self) -> None:
        """The rows held changed: the empty-list notice and the status line follow."""
        self.query_one("#empty").display = not self.window.rows
        self._render_status_line()

    def on_resize(self) -> None:
        self.table.fit(self.size.width, clock.utcnow())

    def _scrolled(self, scroll_y: float) -> None:
        """Scrolled (wheel or scrollbar) near the last or the first held rows: fetch the page beyond."""
        table = self.table
        if table.refilling:
            return
        if scroll_y + table.scrollable_content_region.height >= len(self.window.rows) - PREFETCH:
            self._load_more()
        elif scroll_y < PREFETCH:
            self._load_back()

    @on(ArticleTable.RowSelected)
    def _row_selected(self) -> None:
        """Enter on a row (the table's own enter key) opens it."""
        self.action_open()

    @on(ArticleTable.RowHighlighted)
    def _near_end(self, event: ArticleTable.RowHighlighted) -> None:
        if self._refilling or event.cursor_row != event.data_table.cursor_row:
            return  # the rebuild of the table moving its cursor, or a highlight the cursor has already left
        if event.cursor_row >= len(self.window.rows) - PREFETCH:
            self._load_more()
        elif event.cursor_row < PREFETCH:
            self._load_back()
        self.refresh_bindings()

    @on(ArticleTable.TopWanted)
    def _top_wanted(self) -> None:
        """Home while the first page is not held: the list read again from its top."""
        self.reload()

    # -- what is shown around the table --------------------------------------------------------

    def _render_views(self) -> None:
        self.query_one(ViewsLine).show(self.view, self.counts)

    def _render_status_line(self) -> None:
        self.query_one(ListStatusLine).show(self.window.shown, self.window.more_below, self.query_state)

    # -- the selected article ------------------------------------------------------------------

    def current_row(self) -> ArticleRow | None:
        """The article under the cursor; none while the screen is still being built or taken down (Textual
        removes a closing screen's widgets one by one, and key checks may come in between)."""
        rows, table = self.window.rows, self.table
        if not rows or not self.is_mounted or not table.is_attached:
            return None
        index = table.cursor_row
        return rows[index] if 0 <= index < len(rows) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide what this login may not do to the selected article (the core refuses anyway)."""
        actor = self.app.session.actor
        if action in self.WORKFLOW_ACTIONS:
            row = self.current_row()
            return row is not None and workflow.allowed(actor, action, row_article(row))
        if action == "review":
            return workflow.may_publish(actor)
        if action == "dashboard":
            from beritatui.core.reports import may_report

            return may_report(actor)
        if action == "recover":
            return bool(self.waiting)
        if action == "open":
            search = self._search_box()
            return self.current_row() is not None and not (search is not None and search.has_focus)
        if action == "history":
            return self.current_row() is not None
        return True

    # -- what the list shows: status view, sort, search, tag --------------------------------------

    def action_view(self, key: str) -> None:
        self.view = next(v for v in VIEWS if v.key == key)
        self.query_state = replace(self.query_state, status=self.view.status)
        columns = columns_for(self.view.status)
        if columns != self.table.view_columns:  # the Scheduled view's times instead of status and reactions
            self.table.show_columns(self.size.width, columns, clock.utcnow())
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
        return self._search

    async def action_search(self) -> None:
        search = self._search_box()
        if search is None:
            search = self._search = Input(placeholder=_("Search titles, text, tags, bylines (escape clears)"),
                                          id="search")
            await self.mount(search, before=self.table)
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
        self.table.focus()

    def on_key(self, event) -> None:  # noqa: ANN001 - a Key event
        search = self._search_box()
        if event.key == "escape" and search is not None and search.has_focus:
            event.stop()
            search.value = ""
            self._hide_search()
            self._apply_search()
            self.table.focus()
