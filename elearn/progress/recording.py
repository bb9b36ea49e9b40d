"""Record learning steps. Every write is idempotent and only moves progress forward.

Functions take explicit arguments and flush; the caller (a view or a command) commits.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError

from elearn import metrics
from elearn.clock import utcnow
from elearn.content import answers
from elearn.errors import ElearnError
from elearn.extensions import db
from elearn.models import (
    Course,
    CourseItem,
    CourseProgress,
    LessonCompletion,
    Question,
    QuizAttempt,
    User,
)
from elearn.models.base import dialect_insert
from elearn.progress import rollup
from elearn.progress.keys import to_content_question

CERTIFICATE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


class NoAttemptsLeft(ElearnError):
    """The quiz's max_attempts is used up."""


class BadSubmission(ElearnError):
    """A submitted form does not fit the attempt (unknown ids, wrong shape, wrong token)."""


@dataclass(frozen=True)
class Submission:
    """What a learner sent for one attempt: question slug → chosen keys or typed text."""

    token: str
    responses: Mapping[str, tuple[str, ...] | str]


def complete_lesson(user: User, item: CourseItem) -> bool:
    """Mark a lesson done (once); return True if this call recorded it."""
    now = utcnow()
    statement = (
        dialect_insert(LessonCompletion)
        .values(user_id=user.id, item_id=item.id, completed_at=now, content_hash=item.content_hash)
        .on_conflict_do_nothing(index_elements=["user_id", "item_id"])
    )
    recorded = db.session.execute(statement.returning(LessonCompletion.id)).first() is not None
    if recorded:
        metrics.lesson_completions.inc()
    _touch_course(user, item.course)
    refresh_course_completion(user, item.course)
    return recorded


def start_attempt(user: User, quiz: CourseItem, rng: random.Random | None = None) -> QuizAttempt:
    """Return the open attempt, or begin a new one if attempts are left.

    Two tabs racing here cannot both create attempt N: (user, quiz, number) is unique.
    """
    open_attempt = db.session.scalar(
        select(QuizAttempt).where(
            QuizAttempt.user_id == user.id,
            QuizAttempt.item_id == quiz.id,
            QuizAttempt.submitted_at.is_(None),
        )
    )
    if open_attempt is not None:
        return open_attempt
    used = attempts_used(user, quiz)
    if quiz.max_attempts and used >= quiz.max_attempts:
        raise NoAttemptsLeft(f"{used} of {quiz.max_attempts} attempts used")
    attempt = QuizAttempt(
        user_id=user.id,
        item_id=quiz.id,
        number=used + 1,
        token=secrets.token_urlsafe(24),
        choice_order=_choice_order(quiz, rng or random.SystemRandom()),
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # Another request created this attempt number first: use that one.
        return start_attempt(user, quiz, rng)
    _touch_course(user, quiz.course)
    return attempt


def attempts_used(user: User, quiz: CourseItem) -> int:
    """Count the attempts begun at a quiz (open or submitted)."""
    return (
        db.session.scalar(
            select(func.count()).where(
                QuizAttempt.user_id == user.id, QuizAttempt.item_id == quiz.id
            )
        )
        or 0
    )


def _choice_order(quiz: CourseItem, rng: random.Random) -> dict[str, list[str]]:
    """Fix the order of choices once per attempt (shuffled when the quiz asks for it)."""
    order = {}
    for question in published_questions(quiz):
        keys = [c["key"] for c in question.answer_key.get("choices", [])]
        if quiz.shuffle:
            rng.shuffle(keys)
        order[question.slug] = keys
    return order


def published_questions(quiz: CourseItem) -> list[Question]:
    """The questions learners currently see, in order."""
    return [q for q in quiz.questions if q.status == "published"]


def submit_attempt(user: User, attempt: QuizAttempt, quiz: CourseItem, sent: Submission) -> bool:
    """Grade an attempt once; return False if it had already been submitted (a replay).

    Raises BadSubmission, storing nothing, when the form does not fit the quiz.
    """
    if not secrets.compare_digest(sent.token, attempt.token):
        raise BadSubmission("the attempt token does not match")
    questions = published_questions(quiz)
    graded = _grade(questions, sent.responses)
    points = sum(item["points"] for item in graded)
    max_points = sum(q.points for q in questions) or 1
    score = round(100 * points / max_points, 1)
    passed = score >= (quiz.pass_mark or 0)
    claimed = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(
            submitted_at=utcnow(),
            responses=graded,
            points=points,
            max_points=max_points,
            score=score,
            passed=passed,
            graded_hash=quiz.content_hash,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(attempt)
    if not claimed:
        return False
    metrics.quiz_submissions.labels("yes" if passed else "no").inc()
    progress = _touch_course(user, quiz.course)
    if progress.best_score is None or score > progress.best_score:
        progress.best_score = score
    refresh_course_completion(user, quiz.course)
    return True


def _grade(questions: list[Question], responses: Mapping[str, tuple[str, ...] | str]) -> list[dict]:
    known = {q.slug for q in questions}
    unknown = set(responses) - known
    if unknown:
        raise BadSubmission(f"unknown question ids: {', '.join(sorted(unknown))[:200]}")
    graded = []
    for row in questions:
        question = to_content_question(row)
        response = responses.get(row.slug, "" if row.kind in ("short", "numeric") else ())
        reason = answers.validate_response(question, response)
        if reason:
            raise BadSubmission(f"question {row.slug}: {reason}")
        grade = answers.grade_question(question, response)
        key = row.answer_key
        graded.append(
            {  # a copy of the question as graded: later edits never change this result
                "question": row.slug,
                "text_html": row.text_html,
                "response": list(response) if isinstance(response, tuple) else response,
                "correct": grade.correct,
                "points": grade.points_earned,
                "max_points": grade.points_possible,
                "content_hash": row.content_hash,
                "choices": key.get("choices", []),
                "accepted": key.get("short_answers", [])
                + [_number_text(a) for a in key.get("numeric_answers", [])],
                "explanation_html": row.explanation_html,
            }
        )
    return graded


def _number_text(answer: dict) -> str:
    """An accepted number as Vietnamese readers write it: 2,5 ± 0,1."""
    value = f"{answer['value']:g}".replace(".", ",")
    if answer["tolerance"]:
        return f"{value} ± {answer['tolerance']:g}".replace(".", ",")
    return value


def _touch_course(user: User, course: Course) -> CourseProgress:
    """Create the user's progress row for a course at the first step; note the activity."""
    now = utcnow()
    created = db.session.execute(  # RETURNING, not rowcount: PostgreSQL reports -1 here
        dialect_insert(CourseProgress)
        .values(user_id=user.id, course_id=course.id, started_at=now, last_activity_at=now)
        .on_conflict_do_nothing(index_elements=["user_id", "course_id"])
        .returning(CourseProgress.id)
    ).first()
    if created is not None:
        rollup.count_progress(user, course.id, started=1)
    else:
        db.session.execute(
            update(CourseProgress)
            .where(CourseProgress.user_id == user.id, CourseProgress.course_id == course.id)
            .values(last_activity_at=now)
            .execution_options(synchronize_session=False)
        )
    return db.session.scalars(
        select(CourseProgress)
        .where(CourseProgress.user_id == user.id, CourseProgress.course_id == course.id)
        .execution_options(populate_existing=True)
    ).one()


def refresh_course_completion(user: User, course: Course) -> bool:
    """Complete the course if every published lesson is done and every quiz passed.

    Never un-completes: a course that later gains lessons stays completed.
    """
    progress = db.session.scalar(
        select(CourseProgress).where(
            CourseProgress.user_id == user.id, CourseProgress.course_id == course.id
        )
    )
    if progress is None or progress.completed_at is not None:
        return False
    if not is_course_done(user, course):
        return False
    progress.completed_at = utcnow()
    progress.completed_version = course.version
    progress.certificate_code = _new_certificate_code()
    rollup.count_progress(user, course.id, completed=1)
    db.session.flush()
    return True


def is_course_done(user: User, course: Course) -> bool:
    """Whether every published item of the course is finished by the user (in SQL)."""
    lesson_done = exists().where(
        LessonCompletion.item_id == CourseItem.id, LessonCompletion.user_id == user.id
    )
    quiz_passed = exists().where(
        QuizAttempt.item_id == CourseItem.id,
        QuizAttempt.user_id == user.id,
        QuizAttempt.passed.is_(True),
    )
    unfinished = db.session.scalar(
        select(func.count())
        .select_from(CourseItem)
        .where(
            CourseItem.course_id == course.id,
            CourseItem.status == "published",
            ~(
                ((CourseItem.kind == "lesson") & lesson_done)
                | ((CourseItem.kind == "quiz") & quiz_passed)
            ),
        )
    )
    return unfinished == 0


def _new_certificate_code() -> str:
    """A random code like 7KQ2-MX9P-R4TD, easy to read aloud and to type."""
    raw = "".join(secrets.choice(CERTIFICATE_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))
