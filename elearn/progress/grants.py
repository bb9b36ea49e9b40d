"""One more attempt: a manager lets an official retake a quiz whose attempts are used up.

A required course must never dead-end. The grant is stored as the attempt number it opens,
so `recording.start_attempt` allows exactly one attempt more, and granting twice by a double
click records once. Every grant is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn import audit
from elearn.errors import ElearnError, NotFound
from elearn.extensions import db
from elearn.models import AttemptGrant, Course, CourseItem, QuizAttempt, User
from elearn.models.base import dialect_insert
from elearn.units import in_scope


class NothingToGrant(ElearnError):
    """The quiz has no limit, has attempts left, or is already passed."""


@dataclass(frozen=True)
class QuizStanding:
    """Where a person stands with one quiz: attempts begun and allowed, passed or not."""

    quiz: CourseItem
    used: int
    allowed: int | None  # None: no limit
    passed: bool

    @property
    def left(self) -> int | None:
        """Attempts still to begin (None: no limit)."""
        return None if self.allowed is None else max(self.allowed - self.used, 0)

    @property
    def stuck(self) -> bool:
        """Every allowed attempt used and the quiz not passed: only a grant moves them on."""
        return self.left == 0 and not self.passed


def extra_attempts(user: User, quiz: CourseItem) -> int:
    """How many extra attempts managers have granted this person at this quiz."""
    return (
        db.session.scalar(
            select(func.count()).where(
                AttemptGrant.user_id == user.id, AttemptGrant.item_id == quiz.id
            )
        )
        or 0
    )


def attempts_allowed(user: User, quiz: CourseItem) -> int | None:
    """The quiz's max_attempts plus the grants (None when the quiz sets no limit)."""
    if not quiz.max_attempts:
        return None
    return quiz.max_attempts + extra_attempts(user, quiz)


def standing(user: User, quiz: CourseItem) -> QuizStanding:
    """Attempts begun and allowed at one quiz, and whether it is passed."""
    used, passed = db.session.execute(
        select(func.count(), func.coalesce(func.max(QuizAttempt.passed.cast(db.Integer)), 0)).where(
            QuizAttempt.user_id == user.id, QuizAttempt.item_id == quiz.id
        )
    ).one()
    return QuizStanding(quiz, used or 0, attempts_allowed(user, quiz), bool(passed))


def standings(user: User, course: Course) -> list[QuizStanding]:
    """The person's standing with every published quiz of a course, in course order."""
    quizzes = db.session.scalars(
        select(CourseItem)
        .where(
            CourseItem.course_id == course.id,
            CourseItem.kind == "quiz",
            CourseItem.status == "published",
        )
        .order_by(CourseItem.position)
    )
    return [standing(user, quiz) for quiz in quizzes]


def grant_extra_attempt(
    actor: User, official: User, quiz: CourseItem, *, ip: str | None = None
) -> QuizStanding:
    """Allow one more attempt at a quiz whose attempts are used up (flushed, audited).

    Raises NotFound for a person outside the actor's units (exactly like one who does not
    exist) and NothingToGrant when the person is not stuck, so a second click before the extra
    attempt is begun grants nothing more; two managers at the same moment store one grant.
    """
    if not in_scope(actor, official.unit) or actor.id == official.id:
        raise NotFound(_("Không tìm thấy người này trong phạm vi quản lý của anh/chị."))
    before = standing(official, quiz)
    if not before.stuck:
        raise NothingToGrant(
            _(
                "Anh/chị %(name)s vẫn còn lượt làm bài kiểm tra này hoặc đã đạt.",
                name=official.full_name,
            )
        )
    number = before.used + 1
    created = db.session.execute(
        dialect_insert(AttemptGrant)
        .values(user_id=official.id, item_id=quiz.id, number=number, granted_by_id=actor.id)
        .on_conflict_do_nothing(index_elements=["user_id", "item_id", "number"])
        .returning(AttemptGrant.id)
    ).first()
    if created is not None:
        audit.record(
            "attempt.granted",
            actor=actor,
            target=official.username,
            ip=ip,
            course=quiz.course.slug,
            quiz=quiz.slug,
            attempt=number,
        )
    db.session.flush()
    return standing(official, quiz)
