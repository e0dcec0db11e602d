"""The audit screen: who did what, when, newest first, with the CLI's filters (core.audit_query).

Pages are read by id in thread workers (keyset, as ``beritatui audit --before``): the table asks for
the next page when the cursor comes near its last row.  Who may read which events is the core's
rule; this screen only shows what it is given.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, Label, Static

from beritatui.core import audit_query
from beritatui.core.audit_query import AuditPage, EventRow
from beritatui.i18n import N_, _, format_datetime
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.cursor import under_cursor
from beritatui.tui.typeahead import TypeAhead
from beritatui.tui.widgets.cells import clip
from beritatui.tui.widgets.fields import FieldInput
from beritatui.tui.widgets.footer import Footer
from beritatui.tui.work import core_work

WHEN, WHO, ACTION, ARTICLE = 16, 9, 16, 14
PAGE = 100
NEAR_END = 10  # rows before the last one where the next page is asked for


@dataclass(frozen=True)
class Asked:
    """The filters as the person typed them (what the filter dialog shows again)."""

    user: str = ""
    action: str = ""
    unit: str = ""
    article: str = ""
    since: str = ""
    until: str = ""

    def any(self) -> bool:
        return any(vars(self).values())


FILTER_FIELDS = (("user", N_("Who (login)")), ("action", N_("Action (e.g. publish, or article. for all)")),
                 ("unit", N_("Unit (and the units below it)")), ("article", N_("Article (slug or id)")),
                 ("since", N_("From (site time)")), ("until", N_("Until (site time)")))


class EventTable(DataTable):
    """Home and End move the cursor to the first and last event read so far (End reads the next page)."""

    def action_scroll_home(self) -> None:
        self.move_cursor(row=0, animate=False)

    def action_scroll_end(self) -> None:
        self.move_cursor(row=max(0, self.row_count - 1), animate=False)


class AuditScreen(TypeAhead, TranslatedBindings, Screen):
    """The audit trail, newest first; enter shows one event in full, f filters."""

    REBUILDABLE = True
    CSS_PATH = "audit.tcss"
    HELP_TITLE = N_("Audit")
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="audit.back"),
        Binding("enter", "details", N_("Details"), id="audit.details"),
        Binding("f", "filter", N_("Filter"), id="audit.filter"),
        Binding("c", "clear", N_("Clear filters"), id="audit.clear"),
        Binding("v", "verify", N_("Verify chain"), id="audit.verify"),
        Binding("f5,ctrl+l", "reload", N_("Reload"), id="audit.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.asked = Asked()
        self.filters = audit_query.Filters()
        self.rows: list[EventRow] = []
        self.next_before: int | None = None
        self.loading = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="audit-heading")
        yield EventTable(id="events", cursor_type="row", zebra_stripes=True)
        yield Static(id="audit-what", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(_("When"), width=WHEN, key="when")
        table.add_column(_("Who"), width=WHO, key="who")
        table.add_column(_("Action"), width=ACTION, key="action")
        table.add_column(_("Article"), width=ARTICLE, key="article")
        table.add_column(_("What"), width=self._what_width(), key="what")
        table.focus()
        self.reload()

    def _what_width(self) -> int:
        return max(10, max(self.size.width, 80) - (WHEN + WHO + ACTION + ARTICLE) - 2 * 5 - 2)

    # -- loading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        self.loading = True
        self._load(self.asked, None)

    def action_reload(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="audit-load")
    def _load(self, asked: Asked, before: int | None) -> None:
        """One page for ``asked`` (resolved here: a unit or article name is looked up in the database)."""
        with core_work(self.app):
            try:
                filters = audit_query.resolve(timezone=self.app.settings.timezone, **vars(asked))
                found = audit_query.page(self.app.session.actor, filters, before=before, limit=PAGE)
            except Exception:
                self.app.call_from_thread(self._done_loading)
                raise
            self.app.call_from_thread(self._show, asked, filters, found, before is not None)

    def _done_loading(self) -> None:
        self.loading = False

    def _show(self, asked: Asked, filters: audit_query.Filters, found: AuditPage, more: bool) -> None:
        self.loading = False
        self.asked, self.filters, self.next_before = asked, filters, found.next_before
        table = self.query_one(DataTable)
        if not more:
            table.clear()
            self.rows = []
        zone = self.app.settings.timezone
        width = self._what_width()
        for row in found.rows:
            table.add_row(Text(format_datetime(row.at, zone, "yyyy-MM-dd HH:mm")), Text(clip(row.login, WHO)),
                          Text(clip(audit_query.action_label(row.action), ACTION)),
                          Text(clip(row.slug or "—", ARTICLE)), Text(clip(_details(row.what), width)),
                          key=str(row.id))
        self.rows.extend(found.rows)
        self._heading()
        self._what()
        self.refresh_bindings()

    def _heading(self) -> None:
        shown = len(self.rows)
        count = (_("{n} events, more below").format(n=shown) if self.next_before is not None
                 else _("{n} events").format(n=shown))
        if self.asked.any():
            parts = [f"{name}={value}" for name, value in vars(self.asked).items() if value]
            text = _("Audit · {count} · filtered: {filters}").format(count=count, filters=", ".join(parts))
        else:
            text = _("Audit · {count}").format(count=count)
        self.query_one("#audit-heading", Static).update(Text(clip(text, max(self.size.width, 80) - 2),
                                                             style="bold"))

    def _what(self) -> None:
        row = self.current()
        if row is None:
            line = _("No audit events match.") if not self.rows else ""
        else:
            title = f" · {row.title}" if row.title else ""
            line = f"#{row.id}{title}\n{row.what}"
        self.query_one("#audit-what", Static).update(line)

    def current(self) -> EventRow | None:
        return under_cursor(self, self.rows)

    @on(DataTable.RowHighlighted)
    def _moved(self, event: DataTable.RowHighlighted) -> None:
        self._what()
        self.refresh_bindings()
        if (self.next_before is not None and not self.loading
                and event.cursor_row >= len(self.rows) - NEAR_END):
            self.loading = True
            self._load(self.asked, self.next_before)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "details":
            return self.current() is not None
        if action == "clear":
            return self.asked.any()
        return True

    # -- actions ---------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_details()

    def action_details(self) -> None:
        row = self.current()
        if row is not None:
            self.app.push_screen(EventModal(row, self.app.settings.timezone))

    def action_filter(self) -> None:
        def chosen(asked: Asked | None) -> None:
            if asked is not None:
                self.loading = True
                self._load(asked, None)

        self.app.push_screen(AuditFilterModal(self.asked), chosen)

    def action_clear(self) -> None:
        self.loading = True
        self._load(Asked(), None)

    def action_verify(self) -> None:
        self.notify(_("Checking the audit chain…"), timeout=3)
        self._verify()

    @work(thread=True, exclusive=True, group="audit-verify")
    def _verify(self) -> None:
        """Walk the whole hash chain (core.audit_chain, as ``beritatui audit verify``) off the UI thread."""
        from beritatui.core import audit_chain
        from beritatui.core.database import current_database

        with core_work(self.app):
            result = audit_chain.verify(current_database())
            if result.ok:
                message = _("OK: the audit chain holds {n} events; head {hash}").format(n=result.events,
                                                                                        hash=result.head)
                self.app.call_from_thread(self.notify, message, timeout=10)
            else:
                self.app.call_from_thread(self.notify, result.problem, severity="error", timeout=30)


def _details(what: str) -> str:
    """The table has an action column: the "what" column shows what comes after the label."""
    return what.split(": ", 1)[1] if ": " in what else "—"


class AuditFilterModal(TypeAhead, TranslatedBindings, ModalScreen[Asked | None]):
    """The audit's filters, one field each; enter applies them all, escape leaves them as they were."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="audit-filter.cancel", show=False),
        Binding("enter", "apply", N_("Apply"), id="audit-filter.apply", show=False, priority=True),
    ]

    def __init__(self, asked: Asked) -> None:
        super().__init__()
        self.asked = asked

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Empty fields match anything. Enter applies, escape cancels."))
            for name, label in FILTER_FIELDS:
                yield Label(_(label), classes="field-label")
                yield FieldInput(value=getattr(self.asked, name), id=f"filter-{name}")

    def on_mount(self) -> None:
        self.query_one("#filter-user", FieldInput).focus()

    def action_apply(self) -> None:
        values = {name: self.query_one(f"#filter-{name}", FieldInput).value.strip() for name, _label in FILTER_FIELDS}
        self.dismiss(replace(self.asked, **values))

    def action_cancel(self) -> None:
        self.dismiss(None)


class EventModal(TranslatedBindings, ModalScreen[None]):
    """One event in full: when, who, what, and every detail."""

    BINDINGS = [Binding("escape,enter,q", "close", N_("Close"), id="audit-event.close")]

    def __init__(self, row: EventRow, zone: str) -> None:
        super().__init__()
        self.row = row
        self.zone = zone

    def compose(self) -> ComposeResult:
        row = self.row
        pairs = [(_("Event"), str(row.id)), (_("When"), format_datetime(row.at, self.zone, "yyyy-MM-dd HH:mm:ss")),
                 (_("Who"), row.login), (_("Action"), f"{audit_query.action_label(row.action)} ({row.action})"),
                 (_("Article"), f"{row.title} ({row.slug})" if row.slug else "—")]
        pairs += [(str(key), audit_query.detail_text(value)) for key, value in row.details.items()]
        width = max(len(label) for label, _value in pairs) + 1
        text = "\n".join(f"{(label + ':').ljust(width)}  {value}" for label, value in pairs)
        with Vertical():
            with VerticalScroll():
                yield Static(text, markup=False, id="event-text")
            yield Label(_("escape closes"), id="event-hint")

    def action_close(self) -> None:
        self.dismiss(None)
