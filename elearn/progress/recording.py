"""Record learning steps. Every write is idempotent and only moves progress forward.

Functions take explicit arguments and flush; the caller (a view or a command) commits.
"""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import case, exists, func, literal, select, update
from sqlalchemy.exc import IntegrityError

from elearn import metrics
from elearn.clock import utcnow
from elearn.content import answers
from elearn.content.vntext import fold_keyword
from elearn.errors import ElearnError
from elearn.extensions import db
from elearn.models import (
    AppliedEvent,
    Course,
    CourseItem,
    CourseProgress,
    LessonCompletion,
    Question,
    QuizAttempt,
    User,
)
from elearn.models.base import UTCDateTime, dialect_insert
from elearn.progress import grants, required, rollup, test_out
from elearn.progress.keys import to_content_question
from elearn.progress.status import VIA_LESSONS, VIA_TEST_OUT

CERTIFICATE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


class NoAttemptsLeft(ElearnError):
    """The quiz's max_attempts is used up."""


class TestOutNotAllowed(ElearnError):
    """The course does not let officials take its final quiz before the lessons."""


class BadSubmission(ElearnError):
    """A submitted form does not fit the attempt (unknown ids, wrong shape, wrong token)."""


@dataclass(frozen=True)
class Submission:
    """What a learner sent for one attempt: question slug → chosen keys or typed text."""

    token: str
    responses: Mapping[str, tuple[str, ...] | str]


def complete_lesson(user: User, item: CourseItem, at: datetime | None = None) -> bool:
    """Mark a lesson done (once); return True if this call recorded it.

    `at` is when the learner finished it, for a completion a device sends after being
    offline; it is kept within `event_time`'s bounds. Without it, the lesson is done now.
    """
    when = utcnow() if at is None else event_time(item, at)
    statement = (
        dialect_insert(LessonCompletion)
        .values(user_id=user.id, item_id=item.id, completed_at=when, content_hash=item.content_hash)
        .on_conflict_do_nothing(index_elements=["user_id", "item_id"])
    )
    recorded = db.session.execute(statement.returning(LessonCompletion.id)).first() is not None
    if recorded:
        metrics.lesson_completions.inc()
    _touch_course(user, item.course, None if at is None else when)
    refresh_course_completion(user, item.course, None if at is None else when)
    return recorded


def event_time(item: CourseItem, at: datetime, now: datetime | None = None) -> datetime:
    """The time to record for a step a device reports: never in the future (a phone's clock
    may be ahead) and never before the item was published (or behind by years)."""
    now = now or utcnow()
    return max(min(at, now), item.first_published_at).astimezone(UTC)


@dataclass(frozen=True)
class EventOutcome:
    """What one lesson-completed event sent from a device did."""

    replayed: bool  # this event id had been applied before: nothing happened this time
    recorded: bool  # this event recorded the completion (False: the lesson was done already)
    at: datetime  # the time recorded for the event


def apply_lesson_event(user: User, event_id: str, item: CourseItem, at: datetime) -> EventOutcome:
    """Apply a device's "lesson completed" event once per event id, at the time it happened.

    The event id is claimed first (a unique row); a replay, or two deliveries racing, find
    it taken and change nothing.
    """
    when = event_time(item, at)
    claimed = db.session.execute(
        dialect_insert(AppliedEvent)
        .values(
            user_id=user.id,
            event_id=event_id,
            item_id=item.id,
            occurred_at=when,
            received_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["user_id", "event_id"])
        .returning(AppliedEvent.id)
    ).first()
    if claimed is None:
        return EventOutcome(replayed=True, recorded=False, at=when)
    return EventOutcome(replayed=False, recorded=complete_lesson(user, item, when), at=when)


def start_attempt(user: User, quiz: CourseItem, rng: random.Random | None = None) -> QuizAttempt:
    """Return the open attempt, or begin a new one if attempts are left.

    Requests racing here cannot open two attempts: the database allows one open attempt per
    learner and quiz, and (user, quiz, number) is unique; the loser uses the winner's.
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
    allowed = grants.attempts_allowed(user, quiz)  # max_attempts plus managers' grants
    if allowed is not None and used >= allowed:
        raise NoAttemptsLeft(f"{used} of {allowed} attempts used")
    last_number = db.session.scalar(
        select(func.max(QuizAttempt.number)).where(
            QuizAttempt.user_id == user.id, QuizAttempt.item_id == quiz.id
        )
    )
    attempt = QuizAttempt(
        user_id=user.id,
        item_id=quiz.id,
        number=(last_number or 0) + 1,
        token=secrets.token_urlsafe(24),
        choice_order=choice_order(quiz, rng or random.SystemRandom()),
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # Another request opened an attempt (or took this number) first: use that one.
        return start_attempt(user, quiz, rng)
    _touch_course(user, quiz.course)
    return attempt


def start_test_out(user: User, course: Course, rng: random.Random | None = None) -> QuizAttempt:
    """Begin (or resume) an attempt at the course's final quiz before its lessons.

    Refused with TestOutNotAllowed for a course without `test_out: yes` (or without a final
    quiz), and with NoAttemptsLeft like any attempt once `max_attempts` is used up: a test-out
    attempt is an ordinary attempt at the final quiz and counts towards its limit.
    """
    quiz = test_out.test_out_quiz(course)
    if quiz is None:
        raise TestOutNotAllowed(f"course {course.slug} does not allow testing out")
    return start_attempt(user, quiz, rng)


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


def choice_order(quiz: CourseItem, rng: random.Random) -> dict[str, list[str]]:
    """Fix the order of choices once per attempt (shuffled when the quiz asks for it)."""
    order = {}
    for question in published_questions(quiz):
        choices = question.answer_key.get("choices", [])
        keys = [c["key"] for c in choices]
        if question.kind == "true_false":
            # "Đúng" then "Sai", on every form and result, whatever the author's order.
            keys = [c["key"] for c in sorted(choices, key=lambda c: not _says_true(c["html"]))]
        elif quiz.shuffle:
            rng.shuffle(keys)
        order[question.slug] = keys
    return order


def _says_true(html: str) -> bool:
    """Whether a true/false choice is the "Đúng" one (its text, tags and accents aside)."""
    return fold_keyword(re.sub(r"<[^>]+>", "", html)) == "dung"


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
                "accepted": accepted_answers(key),
                "explanation_html": row.explanation_html,
            }
        )
    return graded


def accepted_answers(key: dict) -> list[str]:
    """The answers a short or numeric question accepts, as readers write them."""
    return key.get("short_answers", []) + [_number_text(a) for a in key.get("numeric_answers", [])]


def _number_text(answer: dict) -> str:
    """An accepted number as Vietnamese readers write it: 2,5 ± 0,1."""
    value = f"{answer['value']:g}".replace(".", ",")
    if answer["tolerance"]:
        return f"{value} ± {answer['tolerance']:g}".replace(".", ",")
    return value


def _touch_course(user: User, course: Course, at: datetime | None = None) -> CourseProgress:
    """Create the user's progress row for a course at the first step; note the activity.

    `at` is the time of a step reported late by a device: the row then keeps the earliest
    start and the latest activity, whatever order the steps arrive in.
    """
    when = at or utcnow()
    created = db.session.execute(  # RETURNING, not rowcount: PostgreSQL reports -1 here
        dialect_insert(CourseProgress)
        .values(user_id=user.id, course_id=course.id, started_at=when, last_activity_at=when)
        .on_conflict_do_nothing(index_elements=["user_id", "course_id"])
        .returning(CourseProgress.id)
    ).first()
    if created is not None:
        rollup.count_progress(user, course.id, started=1)
    else:
        values: dict = {"last_activity_at": when}
        if at is not None:
            moment = literal(when, UTCDateTime())  # typed, so SQLite stores it in UTC too
            values = {
                "last_activity_at": case(
                    (CourseProgress.last_activity_at < moment, moment),
                    else_=CourseProgress.last_activity_at,
                ),
                "started_at": case(
                    (CourseProgress.started_at > moment, moment), else_=CourseProgress.started_at
                ),
            }
        db.session.execute(
            update(CourseProgress)
            .where(CourseProgress.user_id == user.id, CourseProgress.course_id == course.id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    return db.session.scalars(
        select(CourseProgress)
        .where(CourseProgress.user_id == user.id, CourseProgress.course_id == course.id)
        .execution_options(populate_existing=True)
    ).one()


def refresh_course_completion(user: User, course: Course, at: datetime | None = None) -> bool:
    """Complete the course if every published lesson is done and every quiz passed, or (in a
    course with `test_out: yes`) its final quiz is passed; note which way it was reached.

    Never un-completes: a course that later gains lessons stays completed. `at` is the time
    of a step reported late: the course then completed when its last step was done.
    """
    progress = db.session.scalar(
        select(CourseProgress).where(
            CourseProgress.user_id == user.id, CourseProgress.course_id == course.id
        )
    )
    if progress is None or progress.completed_at is not None:
        return False
    if is_course_done(user, course):
        via = VIA_LESSONS
    elif test_out.passed_test_out(user, course):
        via = VIA_TEST_OUT
    else:
        return False
    progress.completed_via = via
    progress.completed_at = utcnow() if at is None else _last_step_time(user, course, at)
    progress.completed_version = course.version
    progress.certificate_code = new_certificate_code()
    rollup.count_progress(user, course.id, completed=1, on=progress.completed_at)
    rollup.count_domains(user, course.id)
    required.note_completion(user, course)
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


def _last_step_time(user: User, course: Course, at: datetime) -> datetime:
    """When the last published item of a course was finished: its latest lesson completion
    or first passing attempt, or `at` if later."""
    lessons = db.session.scalar(
        select(func.max(LessonCompletion.completed_at))
        .join(CourseItem, CourseItem.id == LessonCompletion.item_id)
        .where(
            LessonCompletion.user_id == user.id,
            CourseItem.course_id == course.id,
            CourseItem.status == "published",
        )
    )
    first_passes = (
        select(func.min(QuizAttempt.submitted_at).label("passed_at"))
        .join(CourseItem, CourseItem.id == QuizAttempt.item_id)
        .where(
            QuizAttempt.user_id == user.id,
            QuizAttempt.passed.is_(True),
            CourseItem.course_id == course.id,
            CourseItem.status == "published",
        )
        .group_by(QuizAttempt.item_id)
        .subquery()
    )
    quizzes = db.session.scalar(select(func.max(first_passes.c.passed_at)))
    return max(t for t in (at, lessons, quizzes) if t is not None)


def new_certificate_code() -> str:
    """A random code like 7KQ2-MX9P-R4TD, easy to read aloud and to type."""
    raw = "".join(secrets.choice(CERTIFICATE_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))
