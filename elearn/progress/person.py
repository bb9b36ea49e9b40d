"""One official's record, for a manager: every published course with where they stand, and
why a completed course counts as complete (the lessons and the passing attempt, with dates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Course, CourseItem, CourseProgress, LessonCompletion, QuizAttempt, User
from elearn.progress.queries import published_courses
from elearn.progress.status import Status


@dataclass(frozen=True)
class Step:
    """A lesson done or a passing attempt: what, and when."""

    title: str
    at: datetime
    score: float | None = None  # for an attempt


@dataclass
class CourseRecord:
    """Where the person stands in one course."""

    course: Course
    status: Status
    started_at: datetime | None = None
    last_activity_at: datetime | None = None
    completed_at: datetime | None = None
    completed_via: str | None = None  # "lessons" or "test_out"
    best_score: float | None = None
    attempts: int = 0
    certificate_code: str | None = None
    lessons: list[Step] = field(default_factory=list)
    passing_attempt: Step | None = None


def person_record(person: User) -> list[CourseRecord]:
    """Every published course (required first, then by title) with the person's standing,
    in three queries."""
    courses = published_courses()
    progress = {
        p.course_id: p
        for p in db.session.scalars(
            select(CourseProgress).where(CourseProgress.user_id == person.id)
        )
    }
    records = {c.id: _record(c, progress.get(c.id)) for c in courses}
    lessons = db.session.execute(
        select(CourseItem.course_id, CourseItem.title, LessonCompletion.completed_at)
        .join(CourseItem, CourseItem.id == LessonCompletion.item_id)
        .where(LessonCompletion.user_id == person.id)
        .order_by(CourseItem.course_id, CourseItem.position)
    )
    for course_id, title, at in lessons:
        if course_id in records:
            records[course_id].lessons.append(Step(title, at))
    attempts = db.session.execute(
        select(
            CourseItem.course_id,
            CourseItem.title,
            QuizAttempt.submitted_at,
            QuizAttempt.score,
            QuizAttempt.passed,
        )
        .join(CourseItem, CourseItem.id == QuizAttempt.item_id)
        .where(QuizAttempt.user_id == person.id)
        .order_by(QuizAttempt.submitted_at)
    )
    for course_id, title, submitted_at, score, passed in attempts:
        record = records.get(course_id)
        if record is None:
            continue
        record.attempts += 1
        if passed and record.passing_attempt is None and submitted_at is not None:
            record.passing_attempt = Step(title, submitted_at, score)
    return list(records.values())


def _record(course: Course, progress: CourseProgress | None) -> CourseRecord:
    if progress is None:
        return CourseRecord(course, Status.NOT_STARTED)
    return CourseRecord(
        course=course,
        status=Status.of(started=True, completed=progress.completed_at is not None),
        started_at=progress.started_at,
        last_activity_at=progress.last_activity_at,
        completed_at=progress.completed_at,
        completed_via=progress.completed_via,
        best_score=progress.best_score,
        certificate_code=progress.certificate_code,
    )
