"""Course assignments: a published course required of a unit subtree, with an optional due date.

A course marked `required: yes` counts as assigned to everyone, without a due date and
without rows here. An assignment applies to a person when its unit is the person's unit or
an ancestor of it, and its category is theirs or empty; when several apply, the earliest due
date wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import contains_eager
from sqlalchemy.sql.elements import ColumnElement

from elearn import audit
from elearn.clock import local_today
from elearn.errors import ElearnError, NotFound
from elearn.extensions import db
from elearn.models import Assignment, Course, CourseProgress, Unit, User
from elearn.units import (
    path_prefixes,
    require_in_scope,
    require_unit_in_scope,
    subtree_of,
    within_path,
)

# Categories an assignment may be limited to (None: everyone).
ASSIGNABLE_CATEGORIES = ("can_bo", "cong_chuc")


@dataclass(frozen=True)
class AssignmentInfo:
    """A course someone must take: its due date (if any), and whether it has passed."""

    due_date: date | None
    overdue: bool


def covers_person(assigned_unit) -> ColumnElement[bool]:
    """Join condition: `assigned_unit` (an alias of Unit joined to the assignment) contains the
    person's unit (`Unit`), and the assignment is for the person's category or for all."""
    return and_(
        assigned_unit.id == Assignment.unit_id,
        within_path(Unit.path, assigned_unit.path),
        or_(Assignment.category.is_(None), Assignment.category == User.category),
    )


def create_assignment(
    actor: User,
    course_slug: str,
    unit_code: str,
    *,
    category: str | None = None,
    due_date: date | None = None,
    today: date | None = None,
    ip: str | None = None,
) -> Assignment:
    """Assign a published course to a unit subtree inside the actor's own (flushed, audited).

    Raises NotFound for an unknown course or unit, Forbidden for a unit outside the actor's
    subtree, and ElearnError for a category other than can_bo/cong_chuc or a past due date.
    """
    course = db.session.scalar(
        select(Course).where(Course.slug == course_slug, Course.status == "published")
    )
    if course is None:
        raise NotFound(f"no published course {course_slug!r}")
    unit = require_unit_in_scope(actor, unit_code)
    if category is not None and category not in ASSIGNABLE_CATEGORIES:
        raise ElearnError(
            _(
                "Chỉ giao được cho cán bộ (can_bo) hoặc công chức (cong_chuc), không phải "
                "“%(category)s”.",
                category=category,
            )
        )
    if due_date is not None and due_date < (today or local_today()):
        raise ElearnError(_("Hạn hoàn thành %(date)s đã qua.", date=due_date.strftime("%d/%m/%Y")))
    assignment = Assignment(
        course=course, unit=unit, category=category, due_date=due_date, created_by_id=actor.id
    )
    db.session.add(assignment)
    db.session.flush()
    audit.record(
        "assignment.created",
        actor=actor,
        target=unit.code,
        ip=ip,
        assignment=assignment.id,
        course=course.slug,
        category=category,
        due_date=due_date.isoformat() if due_date else None,
    )
    return assignment


def deactivate_assignment(actor: User, assignment_id: int, *, ip: str | None = None) -> Assignment:
    """Stop an assignment (its history stays); NotFound if unknown, Forbidden if outside."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFound(f"no assignment {assignment_id}")
    require_in_scope(actor, assignment.unit)
    if assignment.active:
        assignment.active = False
        audit.record(
            "assignment.deactivated",
            actor=actor,
            target=assignment.unit.code,
            ip=ip,
            assignment=assignment.id,
            course=assignment.course.slug,
        )
        db.session.flush()
    return assignment


def assignments_in_scope(actor: User, limit: int = 500) -> list[Assignment]:
    """Active assignments to units in the actor's subtree, soonest due first (one query)."""
    return list(
        db.session.scalars(
            select(Assignment)
            .join(Unit, Unit.id == Assignment.unit_id)
            .join(Course, Course.id == Assignment.course_id)
            .where(subtree_of(actor.unit.path), Assignment.active.is_(True))
            .options(contains_eager(Assignment.unit), contains_eager(Assignment.course))
            .order_by(Assignment.due_date.is_(None), Assignment.due_date, Unit.path, Course.title)
            .limit(limit)
        )
    )


def due_dates(assigned: dict[int, AssignmentInfo]) -> dict[int, date | None]:
    """The courses a person must take, with their due dates, as learner pages order them."""
    return {course_id: info.due_date for course_id, info in assigned.items()}


def assignments_for(user: User, today: date | None = None) -> dict[int, AssignmentInfo]:
    """The published courses this person must take, by course id, in one query.

    Required courses appear with no due date; `overdue` means the due date has passed and the
    course is not completed.
    """
    today = today or local_today()
    applying_units = select(Unit.id).where(Unit.path.in_(path_prefixes(user.unit.path)))
    rows = db.session.execute(
        select(Course.id, func.min(Assignment.due_date), func.max(CourseProgress.completed_at))
        .select_from(Course)
        .outerjoin(
            Assignment,
            and_(
                Assignment.course_id == Course.id,
                Assignment.active.is_(True),
                Assignment.unit_id.in_(applying_units),
                or_(Assignment.category.is_(None), Assignment.category == user.category),
            ),
        )
        .outerjoin(
            CourseProgress,
            and_(CourseProgress.course_id == Course.id, CourseProgress.user_id == user.id),
        )
        .where(
            Course.status == "published",
            or_(Course.required.is_(True), Assignment.id.is_not(None)),
        )
        .group_by(Course.id)
    ).all()
    return {
        course_id: AssignmentInfo(
            due_date=due,
            overdue=due is not None and due < today and completed_at is None,
        )
        for course_id, due, completed_at in rows
    }


def deadline_for(unit: Unit, course: Course, today: date | None = None) -> date | None:
    """The due date the whole unit works to for a course: the earliest date still ahead
    among active assignments to the unit or a unit above it, else the latest one passed."""
    today = today or local_today()
    dates = list(
        db.session.scalars(
            select(Assignment.due_date)
            .join(Unit, Unit.id == Assignment.unit_id)
            .where(
                Assignment.course_id == course.id,
                Assignment.active.is_(True),
                Assignment.due_date.is_not(None),
                Assignment.category.is_(None),
                Unit.path.in_(path_prefixes(unit.path)),
            )
        )
    )
    ahead = [d for d in dates if d >= today]
    if ahead:
        return min(ahead)
    return max(dates) if dates else None
