"""The report dashboard: per unit, bars of publications and reactions per period, the figures below.

The numbers are :func:`beritatui.core.reports.build`'s, read in a thread worker (the same report as
``beritatui report``); switching units only redraws, switching the period (month, week, day) or
the sub-units reads again.  The bars are plain Unicode (:mod:`beritatui.tui.widgets.bars` says why
not Textual's ``Sparkline``); the period under the table's cursor is drawn in reverse video.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from beritatui.core import reports
from beritatui.core.reports import Figures, Report, wait_text
from beritatui.i18n import N_, _
from beritatui.tui.bindings import TranslatedBindings
from beritatui.tui.widgets.bars import Bars
from beritatui.tui.widgets.cells import clip
from beritatui.tui.widgets.footer import Footer
from beritatui.tui.work import core_work

BY_LABELS = {"month": N_("by month"), "week": N_("by week"), "day": N_("by day")}
COLUMNS = ((N_("Period"), 10), (N_("Publ."), 6), (N_("Median"), 10), (N_("P90"), 10), (N_("Corr."), 6),
           (N_("Unpubl."), 7), (N_("React."), 8))
MAX_BAR = 5  # characters a period's bar is wide at most


class DashboardScreen(TranslatedBindings, Screen):
    """The report of the unit the person edits (and its sub-units), one unit at a time."""

    REBUILDABLE = True
    CSS_PATH = "dashboard.tcss"
    HELP_TITLE = N_("Report")
    BINDINGS = [
        Binding("escape,q", "back", N_("Back"), id="dashboard.back"),
        Binding("right_square_bracket", "unit(1)", N_("Next unit"), id="dashboard.next_unit", key_display="]"),
        Binding("left_square_bracket", "unit(-1)", N_("Previous unit"), id="dashboard.previous_unit",
                key_display="["),
        Binding("m", "by('month')", N_("Months"), id="dashboard.month"),
        Binding("w", "by('week')", N_("Weeks"), id="dashboard.week"),
        Binding("d", "by('day')", N_("Days"), id="dashboard.day"),
        Binding("s", "subunits", N_("With sub-units"), id="dashboard.subunits"),
        Binding("f5,ctrl+l", "reload", N_("Reload"), id="dashboard.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.by = "month"
        self.subunits = False
        self.report: Report | None = None
        self.unit_index = 0  # 0: the whole report; then report.units in tree order
        self.period_index = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="dash-title", markup=False)
        yield Static(id="dash-unit", markup=False)
        yield Bars(3, id="dash-published")
        yield Bars(2, id="dash-reactions")
        yield Static(id="dash-axis", markup=False)
        yield Static(id="dash-top", markup=False)
        yield DataTable(id="dash-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(_(label), width=width)
        self.query_one("#dash-title", Static).update(_("Reading the report…"))
        table.focus()
        self.reload()

    def reload(self) -> None:
        self._load(self.by, self.subunits)

    @work(thread=True, exclusive=True, group="dashboard-load")
    def _load(self, by: str, subunits: bool) -> None:
        with core_work(self.app):
            actor = self.app.session.actor
            tops = reports.reportable_units(actor)
            report = reports.build(actor, tops[0] if tops else None, by=by, subunits=subunits)
            self.app.call_from_thread(self._show, report)

    # -- showing ---------------------------------------------------------------------------------

    def _show(self, report: Report) -> None:
        self.report = report
        self.unit_index = min(self.unit_index, len(report.units))
        self.period_index = len(report.periods) - 1
        self._fill_table()
        self._draw()

    def _selected(self) -> tuple[int | None, str]:
        """The unit shown (``None``: the whole report) and what to call it."""
        report = self.report
        if self.unit_index == 0:
            return None, _("All of {unit}").format(unit=report.unit.name)
        unit = report.units[self.unit_index - 1]
        return unit.id, unit.name

    def _figures(self, index: int) -> Figures:
        unit_id, _name = self._selected()
        return self.report.totals[index] if unit_id is None else self.report.cell(unit_id, index)

    def _fill_table(self) -> None:
        """One row per period, newest first; the cursor stays on the period it was on."""
        table = self.query_one(DataTable)
        table.clear()
        for index in range(len(self.report.periods) - 1, -1, -1):
            f = self._figures(index)
            cells = [self.report.periods[index].key, str(f.published), wait_text(f.median_s), wait_text(f.p90_s),
                     str(f.corrections), str(f.unpublished), str(f.reactions_total)]
            table.add_row(*(Text(clip(c, w), justify="left" if i == 0 else "right")
                            for i, (c, (_label, w)) in enumerate(zip(cells, COLUMNS, strict=True))),
                          key=str(index))
        table.move_cursor(row=len(self.report.periods) - 1 - self.period_index)

    def _window(self, width: int) -> tuple[int, int, int]:
        """Which periods the bars show (begin, end) and how wide each is, so they fit ``width``."""
        count = len(self.report.periods)
        bar = max(1, min(MAX_BAR, (width + 1) // max(count, 1) - 1))
        fit = max(1, (width + 1) // (bar + 1))
        end = min(count, max(self.period_index + 1, fit))
        return max(0, end - fit), end, bar

    def _draw(self) -> None:
        report = self.report
        unit_id, name = self._selected()
        span = f"{report.periods[0].key} – {report.periods[-1].key}"
        self.query_one("#dash-title", Static).update(Text(_("Report · {unit} · {by} · {span} ({zone})").format(
            unit=report.unit.name, by=_(BY_LABELS[report.by]), span=span, zone=report.timezone), style="bold"))
        scope = _("with sub-units") if report.subunits and unit_id is not None else _("own articles")
        self.query_one("#dash-unit", Static).update(_("[ ] Unit {n} of {total}: {name} · {scope}").format(
            n=self.unit_index + 1, total=len(report.units) + 1, name=name,
            scope=scope if unit_id is not None else _("every unit")))
        begin, end, bar = self._window(max(20, self.size.width - 2))
        published = [self._figures(i).published for i in range(begin, end)]
        reacted = [self._figures(i).reactions_total for i in range(begin, end)]
        selected = self.period_index - begin
        self.query_one("#dash-published", Bars).show(
            _("Published (highest {n})").format(n=max(published, default=0)), published, selected, bar)
        self.query_one("#dash-reactions", Bars).show(
            _("Reactions (highest {n})").format(n=max(reacted, default=0)), reacted, selected, bar)
        self.query_one("#dash-axis", Static).update(
            f"{report.periods[begin].key} … {report.periods[end - 1].key}  ▸ {report.periods[self.period_index].key}")
        best = report.top.get(unit_id, [])
        self.query_one("#dash-top", Static).update(
            _("Most reacted: {title} ({n})").format(title=best[0].title, n=best[0].reactions_total) if best
            else _("Most reacted: none yet"))

    # -- keys ------------------------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#dash-table")
    def _period_moved(self, event: DataTable.RowHighlighted) -> None:
        if self.report is not None and event.row_key is not None and event.row_key.value is not None:
            self.period_index = int(event.row_key.value)
            self._draw()

    def action_unit(self, step: int) -> None:
        if self.report is None:
            return
        self.unit_index = (self.unit_index + step) % (len(self.report.units) + 1)
        self._fill_table()
        self._draw()

    def action_by(self, by: str) -> None:
        if by != self.by:
            self.by = by
            self.reload()

    def action_subunits(self) -> None:
        self.subunits = not self.subunits
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()
