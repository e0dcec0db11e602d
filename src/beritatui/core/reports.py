"""The monthly (weekly, daily) report a unit sends its region: what it published and how fast.

Per unit and period, on the site's clock, for ``[start, end)``:

- ``published``: articles whose *first* publication (``article.published_at``) falls in the period;
- ``timed``, ``median_s``, ``p90_s``: of those, the ones with an ``article.submit`` event at or before
  that first publication, and the median and 90th percentile (nearest rank) of the time from the
  *last* such submit to the publication, in seconds (an editor who published without a submit counts
  in ``published``, not here);
- ``corrections``: ``article.correction-published`` events in the period;
- ``unpublished``: ``article.unpublish`` events, and ``article.expire`` of an article that was on the
  site, in the period;
- ``reactions``: the reaction counts (as last imported) of the articles first published in the period:
  the tally has no dates, so a reaction counts where its article was published.

An article counts in its unit as it is now (a moved article's history moves with it).  Each unit
has its own row (its own articles only) and every period a ``total`` row for the whole subtree
reported; ``subunits=True`` makes each unit's row hold its sub-units too (a region's own figure).

The counting is SQL (three aggregate passes over indexed columns); the period of a time is a
nested ``CASE`` over the periods' UTC boundaries (a binary search, ~log2(n) comparisons a row), so
time zones with summer time cost nothing extra.  Only the per-article review times come back to
Python, for the percentiles SQLite does not have.

Who may: an editor or admin of the unit reported (its sub-units come with it).  A writer is
refused: the report names colleagues' review times, which is an editor's business.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from beritatui.core import clock, report_periods, units
from beritatui.core.database import current_database
from beritatui.core.errors import PermissionDenied, ValidationError
from beritatui.core.models import REACTIONS, STATUSES, Membership, Unit, User
from beritatui.core.report_periods import Period
from beritatui.i18n import _

TOP = 5  # the most-reacted articles shown per unit
_SUM_REACTIONS = " + ".join(f"COALESCE(r.{name}_count, 0)" for name in REACTIONS)


@dataclass
class Figures:
    """The numbers of one unit (or the whole report) in one period."""

    published: int = 0
    corrections: int = 0
    unpublished: int = 0
    reactions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REACTIONS, 0))
    waits: list[float] = field(default_factory=list)  # seconds from the last submit to the first publication

    @property
    def reactions_total(self) -> int:
        return sum(self.reactions.values())

    @property
    def timed(self) -> int:
        return len(self.waits)

    @property
    def median_s(self) -> int | None:
        return round(statistics.median(self.waits)) if self.waits else None

    @property
    def p90_s(self) -> int | None:
        """The nearest-rank 90th percentile: the smallest wait that at least 90 % of waits do not exceed."""
        if not self.waits:
            return None
        ordered = sorted(self.waits)
        return round(ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)])

    def add(self, other: Figures) -> None:
        self.published += other.published
        self.corrections += other.corrections
        self.unpublished += other.unpublished
        for name in REACTIONS:
            self.reactions[name] += other.reactions[name]
        self.waits.extend(other.waits)


@dataclass(frozen=True)
class TopArticle:
    unit_id: int
    slug: str
    title: str
    published_at: datetime
    reactions: dict[str, int]

    @property
    def reactions_total(self) -> int:
        return sum(self.reactions.values())


@dataclass
class Report:
    """What :func:`build` found: ``cells[(unit_id, period index)]``, ``totals[period index]``."""

    unit: Unit
    by: str
    timezone: str
    start: datetime
    end: datetime
    periods: list[Period]
    units: list[Unit]
    subunits: bool
    cells: dict[tuple[int, int], Figures]
    totals: list[Figures]
    top: dict[int | None, list[TopArticle]]  # None: the whole report

    def cell(self, unit_id: int, index: int) -> Figures:
        return self.cells.get((unit_id, index)) or Figures()

    def series(self, unit_id: int | None, name: str) -> list[int]:
        """One figure per period for a unit (``None``: the total), e.g. for a sparkline."""
        return [getattr(self.totals[i] if unit_id is None else self.cell(unit_id, i), name)
                for i in range(len(self.periods))]


# --- who may, and what is reported ----------------------------------------------------------------------

def _top_editor_units(actor: User) -> list[Unit]:
    held = {m.unit_id for m in Membership.select(Membership.unit).where(
        (Membership.user == actor.id) & Membership.role.in_(("editor", "admin")))}
    found = [u for u in units.all_units() if u.id in held]
    return [u for u in found if not any(i in held for i in u.path_ids[:-1])]


def reportable_units(actor: User) -> list[Unit]:
    """The topmost units ``actor`` edits (each with its sub-units): what they may report on."""
    return _top_editor_units(actor)


def may_report(actor: User) -> bool:
    """An editor or admin somewhere (the same question the review queue's key asks)."""
    return actor.is_editor


def scope_unit(actor: User, unit: str | int | Unit | None) -> Unit:
    """The unit to report on: the one named (the actor must edit it) or the one the actor edits."""
    if unit is not None:
        target = units.get_unit(unit)
        if not units.holds(actor, "editor", target.id):
            raise PermissionDenied(_("Only an editor or admin of {unit} may see its report").format(unit=target.name))
        return target
    tops = _top_editor_units(actor)
    if not tops:
        raise PermissionDenied(_("Reports are for editors and admins; you edit no unit"))
    if len(tops) > 1:
        raise ValidationError(_("You edit several units ({names}); choose one with --unit").format(
            names=", ".join(u.name for u in tops)))
    return tops[0]


# --- SQL -------------------------------------------------------------------------------------------------

def _text(moment: datetime) -> str:
    """A UTC time as the database stores it (naive ISO text, which sorts as time does)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def _period_case(column: str, bounds: list[str], lo: int = 0, hi: int | None = None) -> str:
    """SQL giving the index of the period holding ``column``: a binary search over the inner boundaries."""
    hi = len(bounds) if hi is None else hi  # bounds[i] is where period i+1 starts
    if lo >= hi:
        return str(lo)
    mid = (lo + hi) // 2
    return (f"CASE WHEN {column} < '{bounds[mid]}' THEN {_period_case(column, bounds, lo, mid)} "
            f"ELSE {_period_case(column, bounds, mid + 1, hi)} END")


@dataclass(frozen=True)
class _Query:
    start: str
    end: str
    bounds: list[str]
    unit_filter: str  # "" (the whole tree) or "AND COALESCE(a.unit_id, root) IN (...)"
    root: int

    # Every status, spelled out, so SQLite reads an article's unit from the index (status, published_at, id,
    # unit): one range per status instead of each row, whose unit_id sits behind the body's overflow pages.
    IN_INDEX = "a.status IN ({}) AND ".format(", ".join(f"'{status}'" for status in STATUSES))

    def published_in(self) -> str:
        return f"{self.IN_INDEX}a.published_at >= ? AND a.published_at < ? {self.unit_filter}"

    def unit(self) -> str:
        return f"COALESCE(a.unit_id, {self.root})"

    def period(self, column: str) -> str:
        return _period_case(column, self.bounds)


def _query(report_unit: Unit, ids: list[int], found: list[Period]) -> _Query:
    root = units.root_id()
    unit_filter = "" if report_unit.id == root else f"AND COALESCE(a.unit_id, {root}) IN ({','.join(map(str, ids))})"
    return _Query(_text(found[0].start), _text(found[-1].end), [_text(p.start) for p in found[1:]], unit_filter, root)


def _published(q: _Query, cells: dict[tuple[int, int], Figures]) -> None:
    sums = ", ".join(f"SUM(COALESCE(r.{name}_count, 0))" for name in REACTIONS)
    sql = (f"SELECT {q.unit()} AS u, {q.period('a.published_at')} AS p, COUNT(*), {sums} "
           "FROM article a LEFT JOIN reactions r ON r.article_id = a.id "
           f"WHERE {q.published_in()} GROUP BY u, p")
    for unit_id, index, count, *counts in current_database().execute_sql(sql, (q.start, q.end)):
        figures = cells.setdefault((unit_id, index), Figures())
        figures.published = count
        figures.reactions = dict(zip(REACTIONS, map(int, counts), strict=True))


def _waits(q: _Query, cells: dict[tuple[int, int], Figures]) -> None:
    sql = (f"SELECT u, p, (julianday(published_at) - julianday(submitted)) * 86400.0 FROM ("
           f"SELECT {q.unit()} AS u, {q.period('a.published_at')} AS p, a.published_at, "
           "(SELECT MAX(e.at) FROM audit_event e WHERE e.article = a.id AND e.action = 'article.submit' "
           "AND e.at <= a.published_at) AS submitted "
           f"FROM article a WHERE {q.published_in()}) "
           "WHERE submitted IS NOT NULL")
    for unit_id, index, seconds in current_database().execute_sql(sql, (q.start, q.end)):
        figures = cells.get((unit_id, index))
        if figures is None:
            figures = cells[(unit_id, index)] = Figures()
        figures.waits.append(max(0.0, seconds))


def _events(q: _Query, cells: dict[tuple[int, int], Figures]) -> None:
    sql = (f"SELECT {q.unit()} AS u, {q.period('e.at')} AS p, "
           "SUM(e.action = 'article.correction-published'), SUM(e.action <> 'article.correction-published') "
           "FROM audit_event e JOIN article a ON a.id = e.article "
           "WHERE e.at >= ? AND e.at < ? AND (e.action IN ('article.correction-published', 'article.unpublish') "
           "OR (e.action = 'article.expire' AND json_extract(e.details, '$.was') = 'published')) "
           f"{q.unit_filter} GROUP BY u, p")
    for unit_id, index, corrections, unpublished in current_database().execute_sql(sql, (q.start, q.end)):
        figures = cells.setdefault((unit_id, index), Figures())
        figures.corrections, figures.unpublished = int(corrections), int(unpublished)


def _top(q: _Query, limit: int) -> dict[int | None, list[TopArticle]]:
    """The most-reacted articles first published in the report's time, per unit and overall.

    Ranked from the index and the tallies alone; only the winners' titles are read."""
    counts = ", ".join(f"COALESCE(r.{name}_count, 0) AS {name}" for name in REACTIONS)
    bare = ", ".join(f"t.{name}" for name in REACTIONS)
    sql = (f"SELECT t.u, a.slug, a.title, t.published_at, {bare} FROM (SELECT {q.unit()} AS u, a.id, "
           f"a.published_at, {counts}, {_SUM_REACTIONS} AS total, ROW_NUMBER() OVER (PARTITION BY {q.unit()} "
           f"ORDER BY {_SUM_REACTIONS} DESC, a.published_at DESC, a.id) AS n "
           f"FROM article a JOIN reactions r ON r.article_id = a.id WHERE {q.published_in()} "
           f"AND ({_SUM_REACTIONS}) > 0) t JOIN article a ON a.id = t.id "
           "WHERE t.n <= ? ORDER BY t.total DESC, t.published_at DESC, t.id")
    found: dict[int | None, list[TopArticle]] = defaultdict(list)
    for unit_id, slug, title, published, *rest in current_database().execute_sql(sql, (q.start, q.end, limit)):
        tally = dict(zip(REACTIONS, map(int, rest[:len(REACTIONS)]), strict=True))
        moment = datetime.fromisoformat(published).replace(tzinfo=UTC)
        item = TopArticle(unit_id, slug, title, moment, tally)
        found[unit_id].append(item)
        if len(found[None]) < limit:  # the overall top is among the units' tops, already in order
            found[None].append(item)
    return dict(found)


# --- building --------------------------------------------------------------------------------------------

def _roll_up(report_units: list[Unit], cells: dict[tuple[int, int], Figures]) -> dict:
    """Each unit's cell with its sub-units' added (a region's figure): every own cell is added once to
    the unit and to each of its ancestors in the report."""
    paths = {u.id: u.path_ids for u in report_units}
    rolled: dict[tuple[int, int], Figures] = {}
    for (unit_id, index), figures in cells.items():
        for ancestor in paths.get(unit_id, [unit_id]):
            if ancestor in paths:
                rolled.setdefault((ancestor, index), Figures()).add(figures)
    return rolled


def build(actor: User, unit: str | int | Unit | None = None, *, start: datetime | None = None,
          end: datetime | None = None, by: str = "month", subunits: bool = False, top: int = TOP) -> Report:
    """The report for ``unit``'s subtree (default: the unit the actor edits) from ``start`` to ``end`` (UTC)."""
    from beritatui.core.site import get_settings

    report_periods.check_by(by)
    target = scope_unit(actor, unit)
    settings = get_settings()
    timezone, zone = settings.timezone, settings.zone
    start, end = report_periods.default_range(by, zone, clock.utcnow(), start, end)
    found = report_periods.periods(by, zone, start, end)
    ids = set(units.subtree_ids(target))
    report_units = [u for u in units.all_units() if u.id in ids]
    q = _query(target, sorted(ids), found)
    cells: dict[tuple[int, int], Figures] = {}
    with current_database().atomic("DEFERRED"):  # one read snapshot (no write lock): the passes agree
        _published(q, cells)
        _waits(q, cells)
        _events(q, cells)
        best = _top(q, top)
    totals = [Figures() for _period in found]
    for (_unit_id, index), figures in cells.items():
        totals[index].add(figures)
    if subunits:
        cells = _roll_up(report_units, cells)
    return Report(target, by, timezone, start, end, found, report_units, subunits, cells, totals, best)


# --- rows with stable names (the CLI's JSON and CSV, the TUI's table) ------------------------------------

COLUMNS = ("period", "period_start", "period_end", "unit", "unit_id", "scope", "published", "timed",
           "submit_to_publish_median_s", "submit_to_publish_p90_s", "corrections", "unpublished",
           "reactions", *(f"reactions_{name}" for name in REACTIONS))


def _row(report: Report, period: Period, unit: Unit, scope: str, figures: Figures) -> dict:
    return {"period": period.key, "period_start": period.start, "period_end": period.end, "unit": unit.name,
            "unit_id": unit.id, "scope": scope, "published": figures.published, "timed": figures.timed,
            "submit_to_publish_median_s": figures.median_s, "submit_to_publish_p90_s": figures.p90_s,
            "corrections": figures.corrections, "unpublished": figures.unpublished,
            "reactions": figures.reactions_total,
            **{f"reactions_{name}": figures.reactions[name] for name in REACTIONS}}


def rows(report: Report) -> list[dict]:
    """Period by period: each unit in tree order (``scope`` ``unit``, or ``subtree`` with sub-units), then
    the whole report (``total``)."""
    own = "subtree" if report.subunits else "unit"
    found = []
    for index, period in enumerate(report.periods):
        found.extend(_row(report, period, u, own, report.cell(u.id, index)) for u in report.units)
        found.append(_row(report, period, report.unit, "total", report.totals[index]))
    return found


def wait_text(seconds: int | None) -> str:
    """A review time as people say it: "45 min", "3 h 20 min", "2 d 4 h"; "—" when nothing was timed."""
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    if minutes < 60:
        return _("{m} min").format(m=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return _("{h} h {m} min").format(h=hours, m=minutes) if minutes else _("{h} h").format(h=hours)
    days, hours = divmod(hours, 24)
    return _("{d} d {h} h").format(d=days, h=hours) if hours else _("{d} d").format(d=days)
