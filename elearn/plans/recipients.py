"""Who is owed a reminder: people covered by a dated assignment that is due soon or overdue,
who have not completed the course and were not reminded of it in this period.

A period is "due-soon" before the due date, then "overdue-<ISO year>-W<week>", so an overdue
course is recalled once a week. People are read in id order, a batch at a time, so memory
stays bounded however many officials a province has.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby

from sqlalchemy import and_, case, literal, or_, select
from sqlalchemy.orm import aliased

from elearn.extensions import db
from elearn.models import (
    Assignment,
    Course,
    CourseProgress,
    ReminderSent,
    Unit,
    User,
    counted_officials,
)
from elearn.plans.assignments import covers_person
from elearn.units import subtree_of

DUE_SOON_DAYS = 7


def period_for(due_date: date, today: date) -> str:
    """The reminder period of a due date seen from `today`."""
    if due_date >= today:
        return "due-soon"
    year, week, _ = today.isocalendar()
    return f"overdue-{year}-W{week:02d}"


@dataclass(frozen=True)
class DueCourse:
    """One assignment to remind one person of."""

    assignment_id: int
    course_id: int
    due_date: date
    period: str


@dataclass(frozen=True)
class Recipient:
    user_id: int
    full_name: str
    email: str | None
    courses: tuple[DueCourse, ...]


def due_assignments(today: date) -> list[tuple[Assignment, Unit, Course]]:
    """Active dated assignments of published courses that are due soon or overdue."""
    return [
        (assignment, unit, course)
        for assignment, unit, course in db.session.execute(
            select(Assignment, Unit, Course)
            .join(Unit, Unit.id == Assignment.unit_id)
            .join(Course, Course.id == Assignment.course_id)
            .where(
                Assignment.active.is_(True),
                Assignment.due_date.is_not(None),
                Assignment.due_date <= today + timedelta(days=DUE_SOON_DAYS),
                Course.status == "published",
            )
        )
    ]


def recipients_between(
    first_id: int, last_id: int, assignment_ids: list[int], today: date
) -> list[Recipient]:
    """People with ids in [first_id, last_id] owed a reminder, with their courses (one query)."""
    assigned_unit = aliased(Unit)
    period = case(
        (Assignment.due_date < today, literal(period_for(date.min, today))),
        else_=literal("due-soon"),
    )
    rows = db.session.execute(
        select(
            User.id,
            User.full_name,
            User.email,
            Assignment.id,
            Assignment.course_id,
            Assignment.due_date,
            period,
        )
        .select_from(User)
        .join(Unit, Unit.id == User.unit_id)
        .join(Assignment, Assignment.id.in_(assignment_ids))
        .join(assigned_unit, covers_person(assigned_unit))
        .outerjoin(
            CourseProgress,
            and_(
                CourseProgress.user_id == User.id,
                CourseProgress.course_id == Assignment.course_id,
            ),
        )
        .outerjoin(
            ReminderSent,
            and_(
                ReminderSent.assignment_id == Assignment.id,
                ReminderSent.user_id == User.id,
                ReminderSent.period == period,
            ),
        )
        .where(
            User.id.between(first_id, last_id),
            counted_officials(),
            CourseProgress.completed_at.is_(None),
            ReminderSent.id.is_(None),
        )
        .order_by(User.id, Assignment.due_date, Assignment.id)
    ).all()
    recipients = []
    for user_id, group in groupby(rows, key=lambda row: row[0]):
        person = list(group)
        _id, full_name, email, *_rest = person[0]
        recipients.append(
            Recipient(
                user_id=user_id,
                full_name=full_name,
                email=(email or "").strip() or None,
                courses=tuple(DueCourse(*row[3:]) for row in person),
            )
        )
    return recipients


def people_batches(paths: set[str], batch_size: int) -> Iterator[tuple[int, int]]:
    """(first id, last id) of successive batches of active people under any of `paths`."""
    under = or_(*(subtree_of(path) for path in sorted(paths)))
    after = 0
    while True:
        ids = db.session.scalars(
            select(User.id)
            .join(Unit, Unit.id == User.unit_id)
            .where(User.id > after, counted_officials(), under)
            .order_by(User.id)
            .limit(batch_size)
        ).all()
        if not ids:
            return
        yield ids[0], ids[-1]
        after = ids[-1]
