"""Overdue officials, counted in SQL and scoped to a unit subtree.

An official (`models.counted_officials`) is overdue for course C when an active assignment of
C that covers them — its unit is theirs or an ancestor, its category is theirs or empty — has
a due date before today in Vietnam, and they have not completed C.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from elearn.clock import local_today
from elearn.extensions import db
from elearn.models import Assignment, Course, CourseProgress, Unit, User, counted_officials
from elearn.plans.assignments import covers_person
from elearn.units import child_code, path_prefixes, subtree_of


@dataclass(frozen=True)
class OverdueSummary:
    """Overdue officials of a unit for one course: in all, and by direct child unit code."""

    has_deadlines: bool  # some dated assignment of the course reaches this subtree
    total: int = 0
    by_child: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class OverdueRow:
    username: str
    full_name: str
    unit_name: str
    category: str
    due_date: date
    started: bool


def _overdue(unit: Unit, course: Course, today: date):
    """(user id, unit path, earliest passed due date) per overdue official of the subtree."""
    assigned_unit = aliased(Unit)
    return (
        select(
            User.id.label("user_id"),
            Unit.path.label("path"),
            func.min(Assignment.due_date).label("due_date"),
        )
        .select_from(User)
        .join(Unit, Unit.id == User.unit_id)
        .join(
            Assignment,
            and_(
                Assignment.course_id == course.id,
                Assignment.active.is_(True),
                Assignment.due_date < today,
            ),
        )
        .join(assigned_unit, covers_person(assigned_unit))
        .outerjoin(
            CourseProgress,
            and_(CourseProgress.user_id == User.id, CourseProgress.course_id == course.id),
        )
        .where(
            subtree_of(unit.path),
            counted_officials(),
            CourseProgress.completed_at.is_(None),
        )
        .group_by(User.id, Unit.path)
        .subquery()
    )


def _has_deadlines(unit: Unit, course: Course) -> bool:
    """Whether a dated assignment of the course covers some part of this subtree."""
    reaching = or_(Unit.path.in_(path_prefixes(unit.path)), subtree_of(unit.path))
    found = db.session.scalar(
        select(Assignment.id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(
            Assignment.course_id == course.id,
            Assignment.active.is_(True),
            Assignment.due_date.is_not(None),
            reaching,
        )
        .limit(1)
    )
    return found is not None


def overdue_summary(unit: Unit, course: Course, today: date | None = None) -> OverdueSummary:
    """Overdue officials of the subtree for the course, in all and per child (three queries)."""
    if not _has_deadlines(unit, course):
        return OverdueSummary(has_deadlines=False)
    overdue = _overdue(unit, course, today or local_today())
    total = db.session.scalar(select(func.count()).select_from(overdue)) or 0
    child = child_code(unit, overdue.c.path)
    rows = db.session.execute(
        select(child, func.count())
        .select_from(overdue)
        .where(overdue.c.path != unit.path)
        .group_by(child)
    ).all()
    return OverdueSummary(has_deadlines=True, total=total, by_child=dict(rows))


def overdue_officials(
    unit: Unit,
    course: Course,
    *,
    page: int = 1,
    per_page: int = 50,
    today: date | None = None,
) -> tuple[list[OverdueRow], int]:
    """One page of overdue officials of the subtree, longest overdue first, by name."""
    overdue = _overdue(unit, course, today or local_today())
    total = db.session.scalar(select(func.count()).select_from(overdue)) or 0
    rows = db.session.execute(
        select(
            User.username,
            User.full_name,
            Unit.name,
            User.category,
            overdue.c.due_date,
            CourseProgress.id.is_not(None),
        )
        .select_from(overdue)
        .join(User, User.id == overdue.c.user_id)
        .join(Unit, Unit.id == User.unit_id)
        .outerjoin(
            CourseProgress,
            and_(CourseProgress.user_id == User.id, CourseProgress.course_id == course.id),
        )
        .order_by(overdue.c.due_date, User.sort_key, User.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return [OverdueRow(*row) for row in rows], total


def overdue_ids(unit: Unit, course: Course, today: date | None = None) -> list[int]:
    """The ids of everyone the overdue list shows, on every page."""
    overdue = _overdue(unit, course, today or local_today())
    return list(db.session.scalars(select(overdue.c.user_id)))
