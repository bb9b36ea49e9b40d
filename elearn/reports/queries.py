"""Report figures, computed in SQL. Every function takes the unit whose subtree it counts;
callers resolve that unit through `scope.unit_for`, so the scope is part of every query.

Definitions (the public contract): officials in scope are active users of any role whose
unit is the unit or below it; for a course, *completed* means a completion is recorded,
*in progress* means some progress but no completion, *not started* means no progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Date, and_, case, cast, func, literal, select

from elearn.extensions import db
from elearn.formatting import LOCAL_TZ
from elearn.models import Course, CourseProgress, Unit, User
from elearn.models.org import COMMUNE_KINDS, subtree_of
from elearn.text import fold, vi_key

STATUSES = ("not_started", "in_progress", "completed")


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


@dataclass(frozen=True)
class ChildRow:
    unit: Unit
    counts: Counts


@dataclass(frozen=True)
class OfficialRow:
    username: str
    full_name: str
    unit_name: str
    unit_code: str
    category: str
    status: str
    completed_at: datetime | None
    best_score: float | None
    last_activity: datetime | None


def published_courses() -> list[Course]:
    """Courses reports cover: required first, then by title."""
    rows = db.session.scalars(select(Course).where(Course.status == "published")).all()
    return sorted(rows, key=lambda c: (not c.required, vi_key(c.title)))


def _officials_in(unit: Unit):
    """Active users whose unit lies in the subtree of `unit` (a select of user ids etc.)."""
    return (
        select(User.id)
        .join(Unit, Unit.id == User.unit_id)
        .where(subtree_of(unit.path), User.active.is_(True))
    )


def count_officials(unit: Unit) -> int:
    """How many officials are in scope of the unit."""
    return db.session.scalar(select(func.count()).select_from(_officials_in(unit).subquery())) or 0


def course_counts(unit: Unit, courses: list[Course]) -> list[CourseRow]:
    """Per course: officials, completed, in progress (two queries in all)."""
    officials = count_officials(unit)
    rows = db.session.execute(
        select(
            CourseProgress.course_id,
            func.count(CourseProgress.completed_at),
            func.count(CourseProgress.id),
        )
        .join(User, User.id == CourseProgress.user_id)
        .join(Unit, Unit.id == User.unit_id)
        .where(
            subtree_of(unit.path),
            User.active.is_(True),
            CourseProgress.course_id.in_([c.id for c in courses]),
        )
        .group_by(CourseProgress.course_id)
    ).all()
    by_course = {course_id: (done, started) for course_id, done, started in rows}
    result = []
    for course in courses:
        done, started = by_course.get(course.id, (0, 0))
        result.append(CourseRow(course, Counts(officials, done, started - done)))
    return result


def child_counts(unit: Unit, course: Course) -> list[ChildRow]:
    """Per direct child unit: officials and their standing in the course (one query).

    Each official's unit path names the child it lies under ("/27/256/09163/" under "/27/"
    is in "256"), so one grouped scan replaces a join per child.
    """
    start = len(unit.path) + 1
    rest = func.substr(Unit.path, start)
    position = (
        func.strpos(rest, "/") if db.engine.dialect.name == "postgresql" else func.instr(rest, "/")
    )
    child_code = func.substr(Unit.path, start, position - 1)
    rows = db.session.execute(
        select(
            child_code,
            func.count(User.id),
            func.count(CourseProgress.completed_at),
            func.count(CourseProgress.id),
        )
        .select_from(User)
        .join(Unit, Unit.id == User.unit_id)
        .outerjoin(
            CourseProgress,
            and_(CourseProgress.user_id == User.id, CourseProgress.course_id == course.id),
        )
        .where(subtree_of(unit.path), Unit.path != unit.path, User.active.is_(True))
        .group_by(child_code)
    ).all()
    counts = {code: Counts(n, done, started - done) for code, n, done, started in rows}
    children = db.session.scalars(select(Unit).where(Unit.parent_id == unit.id)).all()
    result = [
        ChildRow(c, counts.get(c.code, Counts(0, 0, 0)))
        for c in children
        if c.is_open or c.code in counts
    ]
    return sorted(result, key=lambda r: (r.counts.completion_rate, vi_key(r.unit.name)))


def lowest_communes(unit: Unit, course: Course, limit: int = 10) -> list[ChildRow]:
    """The commune-level units below `unit` with the lowest completion rate (one query)."""
    rate = func.count(CourseProgress.completed_at) * 1.0 / func.count(User.id)
    rows = db.session.execute(
        select(
            Unit,
            func.count(User.id),
            func.count(CourseProgress.completed_at),
            func.count(CourseProgress.id),
        )
        .select_from(User)
        .join(Unit, Unit.id == User.unit_id)
        .outerjoin(
            CourseProgress,
            and_(CourseProgress.user_id == User.id, CourseProgress.course_id == course.id),
        )
        .where(subtree_of(unit.path), Unit.kind.in_(COMMUNE_KINDS), User.active.is_(True))
        .group_by(Unit.id)
        .order_by(rate, Unit.name)
        .limit(limit)
    ).all()
    result = [ChildRow(u, Counts(n, done, started - done)) for u, n, done, started in rows]
    return sorted(result, key=lambda r: (r.counts.completion_rate, vi_key(r.unit.name)))


def _status_expression():
    return case(
        (CourseProgress.completed_at.is_not(None), literal("completed")),
        (CourseProgress.id.is_not(None), literal("in_progress")),
        else_=literal("not_started"),
    )


def breakdown(unit: Unit, course: Course, column) -> list[tuple[str, Counts]]:
    """Counts grouped by a user column (category or IT qualification), in one query."""
    rows = db.session.execute(
        select(
            column,
            func.count(User.id),
            func.count(CourseProgress.completed_at),
            func.count(CourseProgress.id),
        )
        .select_from(User)
        .join(Unit, Unit.id == User.unit_id)
        .outerjoin(
            CourseProgress,
            and_(CourseProgress.user_id == User.id, CourseProgress.course_id == course.id),
        )
        .where(subtree_of(unit.path), User.active.is_(True))
        .group_by(column)
    ).all()
    return sorted(
        ((key or "", Counts(n, done, started - done)) for key, n, done, started in rows),
        key=lambda item: item[0],
    )


def officials(
    unit: Unit,
    course: Course,
    *,
    status: str | None = None,
    search: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[OfficialRow], int]:
    """One page of officials in scope with their status; not started first, Vietnamese order."""
    status_expr = _status_expression()
    order = case((status_expr == "not_started", 0), (status_expr == "in_progress", 1), else_=2)
    query = (
        select(
            User.username,
            User.full_name,
            Unit.name,
            Unit.code,
            User.category,
            status_expr.label("status"),
            CourseProgress.completed_at,
            CourseProgress.best_score,
            CourseProgress.last_activity_at,
        )
        .select_from(User)
        .join(Unit, Unit.id == User.unit_id)
        .outerjoin(
            CourseProgress,
            and_(CourseProgress.user_id == User.id, CourseProgress.course_id == course.id),
        )
        .where(subtree_of(unit.path), User.active.is_(True))
    )
    if status:
        query = query.where(status_expr == status)
    if search:
        query = query.where(User.search_name.contains(fold(search), autoescape=True))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(
        query.order_by(order, User.sort_key, User.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return [OfficialRow(*row) for row in rows], total


def weekly_completions(unit: Unit, course: Course, weeks: int = 52) -> list[tuple[date, int, int]]:
    """(week start, completions that week, cumulative completions) for the last `weeks` weeks.

    Days are grouped in SQL in Vietnam time; the at most 365 daily rows are folded into weeks.
    """
    today = datetime.now(LOCAL_TZ).date()
    first_monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    since = datetime.combine(first_monday, time.min, tzinfo=LOCAL_TZ)
    local_day = _local_date(CourseProgress.completed_at)
    in_scope = (
        select(func.count())
        .select_from(CourseProgress)
        .join(User, User.id == CourseProgress.user_id)
        .join(Unit, Unit.id == User.unit_id)
        .where(
            subtree_of(unit.path),
            User.active.is_(True),
            CourseProgress.course_id == course.id,
        )
    )
    before = db.session.scalar(in_scope.where(CourseProgress.completed_at < since)) or 0
    daily = db.session.execute(
        in_scope.with_only_columns(local_day, func.count())
        .where(CourseProgress.completed_at >= since)
        .group_by(local_day)
    ).all()
    buckets = {first_monday + timedelta(weeks=i): 0 for i in range(weeks)}
    for day, count in daily:
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        monday = day - timedelta(days=day.weekday())
        if monday in buckets:
            buckets[monday] += count
    result, running = [], before
    for monday in sorted(buckets):
        running += buckets[monday]
        result.append((monday, buckets[monday], running))
    return result


def _local_date(column):
    """The calendar day in Vietnam time (UTC+7, no daylight saving) of a UTC timestamp."""
    if db.engine.dialect.name == "postgresql":
        return cast(func.timezone("Asia/Ho_Chi_Minh", column), Date)
    return func.date(column, "+7 hours")
