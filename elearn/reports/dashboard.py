"""What a unit's dashboard shows, gathered in one place for the page and its print view."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from elearn.clock import local_today, utcnow
from elearn.models import Course, Unit
from elearn.models.org import COMMUNE_KINDS
from elearn.params import page_count
from elearn.plans import overdue
from elearn.plans.assignments import deadline_for
from elearn.progress import figures, passport
from elearn.reports.charts import RankedChart, TrendChart, ranked_bars, trend_chart

PER_PAGE = 50
LOWEST = 5  # the weakest communes a manager sees first


@dataclass
class Dashboard:
    """A unit's figures: every course, and for the chosen course its units and trend."""

    unit: Unit
    as_of: datetime
    officials: int
    others: int  # active accounts not counted as officials ("khác")
    course_rows: list[figures.CourseRow]
    course: Course | None = None
    counts: figures.Counts | None = None
    lowest: list[figures.ChildRow] = field(default_factory=list)
    children: list[figures.ChildRow] = field(default_factory=list)
    children_total: int = 0
    page: int = 1
    pages: int = 1
    ranked: RankedChart | None = None
    trend: TrendChart | None = None
    weeks: list = field(default_factory=list)
    overdue: overdue.OverdueSummary | None = None
    by_category: list = field(default_factory=list)
    by_it_level: list = field(default_factory=list)
    domains: list[passport.DomainShare] = field(default_factory=list)
    domain_chart: RankedChart | None = None
    child_domains: list[passport.ChildDomains] = field(default_factory=list)  # below a commune

    @property
    def first_shown(self) -> int:
        return (self.page - 1) * PER_PAGE + 1


def build(
    unit: Unit,
    courses: list[Course],
    course: Course | None,
    *,
    sort: str = "rate",
    descending: bool = False,
    page: int = 1,
    everything: bool = False,
) -> Dashboard:
    """Gather the dashboard of `unit` for `course`; `everything` keeps all child units on
    one page (the print view)."""
    officials = figures.count_officials(unit)
    course_rows = figures.course_counts(unit, courses, officials)
    board = Dashboard(
        unit=unit,
        as_of=utcnow(),
        officials=officials,
        others=0,
        course_rows=course_rows,
        course=course,
    )
    if course is None:
        _add_domains(board, unit, [])
        board.others = figures.count_others(unit)
        return board
    board.counts = next(r.counts for r in course_rows if r.course.id == course.id)
    children = figures.child_counts(unit, course, sort, descending)
    # A province may have thousands of communes: the page shows one page of them, in the
    # chosen order; the print view and the exports carry them all.
    board.children_total = len(children)
    board.pages = 1 if everything else page_count(len(children), PER_PAGE)
    board.page = min(page, board.pages)  # past the end: the last page, not an empty list
    start = (board.page - 1) * PER_PAGE
    board.children = children if everything else children[start : start + PER_PAGE]
    if unit.kind not in COMMUNE_KINDS:  # a commune has no communes below it
        board.lowest = _lowest_communes(unit, course, children)
    _add_domains(board, unit, [(row.unit, row.counts.officials) for row in board.children])
    board.ranked = ranked_bars(
        [
            (row.unit.name, row.counts.completion_rate)
            for row in board.children
            if row.counts.officials
        ]
    )
    board.weeks = figures.weekly_completions(unit, course)
    board.trend = trend_chart(
        board.weeks,
        board.counts.officials,
        deadline=deadline_for(unit, course),
        today=local_today(),
    )
    board.overdue = overdue.overdue_summary(unit, course)
    split = figures.breakdowns(unit, course)
    board.by_category, board.by_it_level, board.others = (
        split.by_category,
        split.by_it_level,
        split.others,
    )
    return board


def _lowest_communes(
    unit: Unit, course: Course, children: list[figures.ChildRow]
) -> list[figures.ChildRow]:
    """The weakest communes below `unit`; when its children are the communes (a province
    without districts, as every province since 1 July 2025) they are already counted."""
    if children and all(row.unit.kind in COMMUNE_KINDS for row in children):
        return figures.lowest_of(children, LOWEST)
    return figures.lowest_communes(unit, course, limit=LOWEST)


def _add_domains(board: Dashboard, unit: Unit, child_rows: list) -> None:
    """The passport's shares for the unit and for the child units on this page (in the
    list's order): a country's 3,300 communes stay in the export, not on a phone's page."""
    domains = passport.unit_domains(unit, board.officials, child_rows=child_rows)
    board.domains, board.child_domains = domains.shares, domains.children
    board.domain_chart = ranked_bars([(d.name, d.rate) for d in board.domains])
