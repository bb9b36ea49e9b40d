"""Report figures, computed in SQL from the rollups. Every function takes the unit whose
subtree it counts; callers resolve that unit through `elearn.units.require_unit_in_scope`, so
the scope is part of every query.

Definitions (the public contract): officials in scope of a unit are the people
`models.counted_officials` selects (active cán bộ and công chức, whatever their role) whose
unit is the unit or below it; for a course, *completed* means a completion is recorded, *in
progress* means some progress but no completion, *not started* means no progress.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, func, select

from elearn.clock import local_today
from elearn.extensions import db
from elearn.models import (
    CompletionRollup,
    Course,
    CourseRollup,
    PeopleRollup,
    Unit,
)
from elearn.models.org import COMMUNE_KINDS
from elearn.models.rollup import TOTAL
from elearn.models.user import OFFICIAL_CATEGORIES
from elearn.text import vi_key
from elearn.units import child_code, holds_every_unit, subtree_of


@dataclass(frozen=True)
class Counts:
    """Officials of a group by status for one course."""

    officials: int
    completed: int
    in_progress: int

    @property
    def not_started(self) -> int:
        return self.officials - self.completed - self.in_progress

    @property
    def completion_rate(self) -> float:
        return self.completed / self.officials if self.officials else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "officials": self.officials,
            "completed": self.completed,
            "in_progress": self.in_progress,
            "not_started": self.not_started,
            "completion_rate": round(self.completion_rate, 4),
        }


@dataclass(frozen=True)
class CourseRow:
    course: Course
    counts: Counts


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """The few fields of a unit a report row shows (thousands of rows: no ORM objects)."""

    id: int
    code: str
    name: str
    kind: str
    closed_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class ChildRow:
    unit: UnitInfo
    counts: Counts


def _rows(query: Select) -> list:
    """The rows of a query of plain columns, read through Core: for thousands of rollup
    rows the ORM's result processing cost more than the query itself."""
    return db.session.connection().execute(query).all()


def _unit_infos(*where) -> list[UnitInfo]:
    rows = _rows(select(Unit.id, Unit.code, Unit.name, Unit.kind, Unit.closed_at).where(*where))
    return [UnitInfo(*row) for row in rows]


def _grouping(key) -> tuple[tuple, Callable[[tuple], object]]:
    """The GROUP BY columns of `key` (a column or a tuple of them) and how to read a row's
    group back: the value itself, or the tuple of values."""
    if isinstance(key, tuple):
        return key, lambda row: tuple(row[: len(key)])
    return (key,), lambda row: row[0]


def _within(query: Select, unit_id, unit: Unit, *, reads_units: bool = False) -> Select:
    """`query` over rollup rows (whose unit is `unit_id`) kept to the unit's subtree. For the
    tree's only root every row is in it: the query then reads the rollup alone, which halves
    a country dashboard's largest sums (3,300 communes joined for nothing). `reads_units`
    keeps the join when the query groups or filters by unit columns."""
    if not reads_units and holds_every_unit(unit):
        return query
    return query.join(Unit, Unit.id == unit_id).where(subtree_of(unit.path))


def _people_by(unit: Unit, key, *where, detail: bool = False, reads_units: bool = False) -> dict:
    """Active people in the subtree, summed from the rollup and grouped by `key` (from the
    units' total rows, or with `detail` from the per-category rows)."""
    kind = PeopleRollup.category != TOTAL if detail else PeopleRollup.category == TOTAL
    columns, group = _grouping(key)
    query = select(*columns, func.sum(PeopleRollup.officials)).where(kind, *where)
    query = _within(query, PeopleRollup.unit_id, unit, reads_units=reads_units)
    rows = _rows(query.group_by(*columns))
    return {group(row): int(row[-1] or 0) for row in rows}


def _progress_by(unit: Unit, key, *where, detail: bool = False, reads_units: bool = False) -> dict:
    """(completed, started) in the subtree, summed from the rollup and grouped by `key`."""
    kind = CourseRollup.category != TOTAL if detail else CourseRollup.category == TOTAL
    columns, group = _grouping(key)
    query = select(
        *columns, func.sum(CourseRollup.completed), func.sum(CourseRollup.started)
    ).where(kind, *where)
    query = _within(query, CourseRollup.unit_id, unit, reads_units=reads_units)
    rows = _rows(query.group_by(*columns))
    return {group(row): (int(row[-2] or 0), int(row[-1] or 0)) for row in rows}


def _counts(officials: int, progress: tuple[int, int] | None) -> Counts:
    done, started = progress or (0, 0)
    return Counts(officials, done, started - done)


def count_officials(unit: Unit) -> int:
    """How many officials are in scope of the unit."""
    query = select(func.sum(PeopleRollup.officials)).where(PeopleRollup.category == TOTAL)
    return int(db.session.scalar(_within(query, PeopleRollup.unit_id, unit)) or 0)


def count_others(unit: Unit) -> int:
    """Active accounts in scope that reports do not count as officials (category "khác")."""
    query = select(func.sum(PeopleRollup.officials)).where(
        PeopleRollup.category != TOTAL,
        PeopleRollup.category.not_in(OFFICIAL_CATEGORIES),
    )
    return int(db.session.scalar(_within(query, PeopleRollup.unit_id, unit)) or 0)


def course_counts(
    unit: Unit, courses: list[Course], officials: int | None = None
) -> list[CourseRow]:
    """Per course: officials, completed, in progress (two queries on the rollups; one when
    the caller already counted the officials)."""
    if officials is None:
        officials = count_officials(unit)
    progress = _progress_by(
        unit, CourseRollup.course_id, CourseRollup.course_id.in_([c.id for c in courses])
    )
    return [CourseRow(c, _counts(officials, progress.get(c.id))) for c in courses]


def child_counts(
    unit: Unit, course: Course, sort: str = "rate", descending: bool = False
) -> list[ChildRow]:
    """Per direct child unit: officials and their standing in the course (two queries), in
    the order `sort_children` gives (lowest rate first unless told otherwise)."""
    code = child_code(unit)
    below = Unit.path != unit.path
    people = _people_by(unit, code, below, reads_units=True)
    progress = _progress_by(
        unit, code, below, CourseRollup.course_id == course.id, reads_units=True
    )
    children = _unit_infos(Unit.parent_id == unit.id)
    result = [
        ChildRow(c, _counts(people.get(c.code, 0), progress.get(c.code)))
        for c in children
        if c.is_open or people.get(c.code)
    ]
    return sort_children(result, sort, descending)


def child_officials(unit: Unit) -> list[tuple[UnitInfo, int]]:
    """The direct child units reports list (open ones, and closed ones that still have
    officials) with their officials' count, in Vietnamese name order (two queries)."""
    people = _people_by(unit, child_code(unit), Unit.path != unit.path, reads_units=True)
    children = [
        (c, people.get(c.code, 0))
        for c in _unit_infos(Unit.parent_id == unit.id)
        if c.is_open or people.get(c.code)
    ]
    return sorted(children, key=lambda row: vi_key(row[0].name))


CHILD_SORTS = {
    "rate": lambda r: (r.counts.completion_rate, vi_key(r.unit.name)),
    "name": lambda r: vi_key(r.unit.name),
    "officials": lambda r: (r.counts.officials, vi_key(r.unit.name)),
    "not_started": lambda r: (r.counts.not_started, vi_key(r.unit.name)),
}


def sort_children(rows: list, sort: str, descending: bool) -> list:
    """Child units in the chosen order. By rate, units without officials come last either
    way: they have no rate, and a 0% there would hide the least-trained unit."""
    ordered = sorted(rows, key=CHILD_SORTS[sort], reverse=descending)
    if sort != "rate":
        return ordered
    return [r for r in ordered if r.counts.officials] + [
        r for r in ordered if not r.counts.officials
    ]


def lowest_communes(unit: Unit, course: Course, limit: int = 10) -> list[ChildRow]:
    """The commune-level units below `unit` with the lowest completion rate."""
    communes = Unit.kind.in_(COMMUNE_KINDS)
    people = _people_by(unit, Unit.id, communes, reads_units=True)
    progress = _progress_by(
        unit, Unit.id, communes, CourseRollup.course_id == course.id, reads_units=True
    )
    counts = {uid: _counts(n, progress.get(uid)) for uid, n in people.items() if n}
    lowest = sorted(counts, key=lambda uid: counts[uid].completion_rate)[: limit * 3]
    units = {u.id: u for u in _unit_infos(Unit.id.in_(lowest))}
    return lowest_of([ChildRow(units[uid], counts[uid]) for uid in lowest], limit)


def lowest_of(rows: list[ChildRow], limit: int) -> list[ChildRow]:
    """The units of `rows` with officials and the lowest rate, ties in name order.

    Names are compared only among the units tied at or below the `limit`-th rate: a country
    has 3,300 communes and only a handful are shown."""
    with_officials = [r for r in rows if r.counts.officials]
    if not with_officials:
        return []
    rates = heapq.nsmallest(limit, (r.counts.completion_rate for r in with_officials))
    candidates = [r for r in with_officials if r.counts.completion_rate <= rates[-1]]
    return sorted(candidates, key=lambda r: (r.counts.completion_rate, vi_key(r.unit.name)))[:limit]


@dataclass(frozen=True)
class Breakdowns:
    """The officials of a subtree by category and by IT qualification for one course, and
    how many other active accounts ("khác") it has."""

    by_category: list[tuple[str, Counts]]
    by_it_level: list[tuple[str, Counts]]
    others: int


def breakdowns(unit: Unit, course: Course) -> Breakdowns:
    """Both breakdowns from the per-(category, IT level) rollup rows: two queries."""
    people = _people_by(unit, (PeopleRollup.category, PeopleRollup.it_level), detail=True)
    progress = _progress_by(
        unit,
        (CourseRollup.category, CourseRollup.it_level),
        CourseRollup.course_id == course.id,
        CourseRollup.category.in_(OFFICIAL_CATEGORIES),
        detail=True,
    )
    return Breakdowns(
        by_category=_grouped(people, progress, lambda category, _level: category),
        by_it_level=_grouped(people, progress, lambda _category, level: level),
        others=sum(n for (category, _), n in people.items() if category not in OFFICIAL_CATEGORIES),
    )


def _grouped(people: dict, progress: dict, key) -> list[tuple[str, Counts]]:
    """Sum (category, IT level) cells of officials into rows by `key`, sorted by it."""
    officials: dict[str, int] = {}
    done_started: dict[str, tuple[int, int]] = {}
    for (category, level), n in people.items():
        if category not in OFFICIAL_CATEGORIES:
            continue
        group = key(category, level) or ""
        officials[group] = officials.get(group, 0) + n
        done, started = progress.get((category, level), (0, 0))
        before = done_started.get(group, (0, 0))
        done_started[group] = (before[0] + done, before[1] + started)
    return sorted((group, _counts(n, done_started[group])) for group, n in officials.items())


def weekly_completions(unit: Unit, course: Course, weeks: int = 52) -> list[tuple[date, int, int]]:
    """(week start, completions that week, cumulative completions) for the last `weeks` weeks,
    from the daily completion rollup (days in Vietnam time)."""
    today = local_today()
    first_monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    scope = _within(
        select(CompletionRollup.day, func.sum(CompletionRollup.completions)).where(
            CompletionRollup.course_id == course.id
        ),
        CompletionRollup.unit_id,
        unit,
    )
    before = db.session.execute(
        scope.with_only_columns(func.sum(CompletionRollup.completions)).where(
            CompletionRollup.day < first_monday
        )
    ).scalar()
    daily = db.session.execute(
        scope.where(CompletionRollup.day >= first_monday).group_by(CompletionRollup.day)
    ).all()
    buckets = {first_monday + timedelta(weeks=i): 0 for i in range(weeks)}
    for day, count in daily:
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        monday = day - timedelta(days=day.weekday())
        if monday in buckets:
            buckets[monday] += int(count or 0)
    result, running = [], int(before or 0)
    for monday in sorted(buckets):
        running += buckets[monday]
        result.append((monday, buckets[monday], running))
    return result
