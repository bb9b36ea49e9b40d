"""What the "Thành tích của tôi" page shows: certificates, courses completed on time, the
passport, and where the official's unit stands among its siblings for required courses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from elearn.clock import local_day
from elearn.extensions import db
from elearn.models import Course, CourseProgress, User
from elearn.plans import assignments
from elearn.progress import honours, passport
from elearn.text import vi_key


@dataclass(frozen=True)
class Certificate:
    """A completed course and its certificate, for the list of certificates."""

    course: Course
    code: str
    completed_at: datetime
    completed_via: str | None


@dataclass(frozen=True)
class OnTime:
    """A course the official had to finish by a date, finished on or before it."""

    course: Course
    due_date: date
    completed_on: date


@dataclass(frozen=True)
class Achievements:
    certificates: list[Certificate]
    on_time: list[OnTime]
    passport: passport.Passport
    standing: honours.Standing | None


def achievements(user: User) -> Achievements:
    """Gather the page in a handful of queries.

    On time: among the courses the official must take with a due date (their plans), those
    completed on or before that date, in Vietnam time. Required courses without a due date
    have no deadline to meet and are not listed there.
    """
    rows = db.session.execute(
        select(CourseProgress, Course)
        .join(Course, Course.id == CourseProgress.course_id)
        .where(
            CourseProgress.user_id == user.id,
            CourseProgress.completed_at.is_not(None),
            CourseProgress.certificate_code.is_not(None),
            Course.status == "published",
        )
    ).all()
    certificates = sorted(
        (
            Certificate(
                course, progress.certificate_code, progress.completed_at, progress.completed_via
            )
            for progress, course in rows
        ),
        key=lambda c: (-c.completed_at.timestamp(), vi_key(c.course.title)),
    )
    plans = assignments.assignments_for(user)
    on_time = []
    for cert in certificates:
        plan = plans.get(cert.course.id)
        if plan is None or plan.due_date is None:
            continue
        finished = local_day(cert.completed_at)
        if finished <= plan.due_date:
            on_time.append(OnTime(cert.course, plan.due_date, finished))
    return Achievements(
        certificates=certificates,
        on_time=on_time,
        passport=passport.passport(user),
        standing=(honours.standing_among_siblings(user.unit) if user.is_counted_official else None),
    )
