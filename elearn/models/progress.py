"""Learners' progress. Only `elearn.progress` writes these rows, and it only moves forward."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from elearn.clock import utcnow
from elearn.extensions import db
from elearn.models.base import UTCDateTime


class LessonCompletion(db.Model):
    """A lesson a user finished, with the content hash they read."""

    __tablename__ = "lesson_completion"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("course_item.id"), index=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    content_hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("user_id", "item_id"),)


class AppliedEvent(db.Model):
    """A progress event sent from a device, by the id the device gave it: applied once.

    A device that lost its connection queues "lesson completed" events and sends them
    later, perhaps twice or out of order; this row makes the second delivery a no-op.
    """

    __tablename__ = "applied_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    event_id: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[int] = mapped_column(ForeignKey("course_item.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())  # as recorded (clamped)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "event_id"),)


class QuizAttempt(db.Model):
    """One attempt at a quiz: started with a one-time token, graded once on submission.

    `responses` keeps, per question, its text, the answer given, the points and the content
    hash it was graded against, so later edits of the quiz never change a past result.
    """

    __tablename__ = "quiz_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("course_item.id"), index=True)
    number: Mapped[int]
    token: Mapped[str] = mapped_column(String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    choice_order: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    responses: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    points: Mapped[int | None]
    max_points: Mapped[int | None]
    score: Mapped[float | None]  # 0..100
    passed: Mapped[bool | None]
    graded_hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("user_id", "item_id", "number"),
        Index("ix_quiz_attempt_user_id_item_id_passed", "user_id", "item_id", "passed"),
        # At most one open (unsubmitted) attempt per learner and quiz, whatever races.
        Index(
            "uq_quiz_attempt_user_id_item_id_open",
            "user_id",
            "item_id",
            unique=True,
            sqlite_where=text("submitted_at IS NULL"),
            postgresql_where=text("submitted_at IS NULL"),
        ),
    )


class CourseProgress(db.Model):
    """A user's standing in one course: created at their first step, completed once.

    Reports count from this table: a row means "in progress", `completed_at` means
    "completed", no row means "not started". `completed_version` is the course version the
    user completed; later versions never take the completion away.
    """

    __tablename__ = "course_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_version: Mapped[int | None]
    # How the completion was reached: "lessons" (every lesson and quiz) or "test_out" (the
    # final quiz passed before the lessons, in a course with `test_out: yes`).
    completed_via: Mapped[str | None] = mapped_column(String(10))
    best_score: Mapped[float | None]  # best final-quiz score, 0..100
    certificate_code: Mapped[str | None] = mapped_column(String(20), unique=True)

    __table_args__ = (
        UniqueConstraint("user_id", "course_id"),
        Index("ix_course_progress_course_id_completed_at", "course_id", "completed_at"),
        # Officials lists choose a page among one course's rows for a whole province: on
        # PostgreSQL the index alone answers that. Only completed_at is included, which
        # changes once per course: the columns every learner step updates stay out, so those
        # updates remain cheap (HOT) ones.
        Index(
            "ix_course_progress_course_id_user_id",
            "course_id",
            "user_id",
            postgresql_include=["completed_at"],
        ),
    )


class RequiredCompletion(db.Model):
    """When a user had completed every required course (`required: yes`) — the honour board's
    record. Kept by `elearn.progress` as courses complete, and recounted when the set of
    required courses changes."""

    __tablename__ = "required_completion"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class AttemptGrant(db.Model):
    """One more attempt at a quiz whose attempts were used up, granted by a manager.

    `number` is the attempt it opens (max_attempts + 1, then + 2 …): the same grant made
    twice, by a double click or two managers at once, is stored once.
    """

    __tablename__ = "attempt_grant"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("course_item.id"), index=True)
    number: Mapped[int]
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "item_id", "number"),)
