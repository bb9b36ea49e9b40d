"""Test out (`test_out: yes`): which quiz may be taken before the lessons, whether passing it
completed a course, and which lessons a failed attempt points back to.

A question names the lesson it checks with `lesson=` in its heading (the validator asks for
it in a test-out course's final quiz). One that names none, or a lesson no longer published,
falls back to the order in which authors write a final quiz: with n questions and L lessons,
question k (1-based) is about lesson ⌈k·L/n⌉, so the first questions point to the first
lessons and the last ones to the last.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from sqlalchemy import exists, select

from elearn.extensions import db
from elearn.models import Course, CourseItem, QuizAttempt, User
from elearn.progress.queries import CourseState, ItemState


def final_quiz(course: Course) -> CourseItem | None:
    """The published item that ends the course, when it is a quiz."""
    last = db.session.scalar(
        select(CourseItem)
        .where(CourseItem.course_id == course.id, CourseItem.status == "published")
        .order_by(CourseItem.position.desc())
        .limit(1)
    )
    return last if last is not None and last.kind == "quiz" else None


def test_out_quiz(course: Course) -> CourseItem | None:
    """The quiz an official may take before the lessons: the final quiz of a course that says
    `test_out: yes`; None for any other course."""
    return final_quiz(course) if course.test_out else None


def passed_test_out(user: User, course: Course) -> bool:
    """Whether the user passed the test-out quiz of the course (in SQL)."""
    quiz = test_out_quiz(course)
    if quiz is None:
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    QuizAttempt.user_id == user.id,
                    QuizAttempt.item_id == quiz.id,
                    QuizAttempt.passed.is_(True),
                )
            )
        )
    )


def _final_quiz_of(state: CourseState) -> CourseItem | None:
    """The quiz that ends the course, from a learner's course state (no query)."""
    last = state.items[-1].item if state.items else None
    return last if last is not None and last.kind == "quiz" else None


def offers_test_out(state: CourseState) -> bool:
    """Whether the course page offers the test-out quiz: a test-out course not completed,
    whose lessons are not all done yet."""
    if not state.course.test_out or state.completed or _final_quiz_of(state) is None:
        return False
    return not all(s.done for s in state.items if s.item.kind == "lesson")


def review_after(attempt: QuizAttempt, quiz: CourseItem, state: CourseState) -> list[Review]:
    """After a failed attempt at a test-out course's final quiz, before the course is
    completed: the missed questions, each with the lesson to read."""
    if attempt.passed or state.completed or not state.course.test_out:
        return []
    final = _final_quiz_of(state)
    if final is None or final.id != quiz.id:
        return []
    named = {q.slug: q.lesson_slug for q in quiz.questions if q.lesson_slug}
    return lessons_to_review(attempt.responses, state, named)


@dataclass(frozen=True)
class Review:
    """A question missed in the final quiz and the lesson to read for it."""

    question: int  # 1-based, as the result page numbers it
    lesson: ItemState


def lessons_to_review(
    responses: list[dict], state: CourseState, named: dict[str, str] | None = None
) -> list[Review]:
    """The missed questions of a graded attempt, each with its lesson: the one the question
    names (`named`: question id → lesson id), else the one the order rule gives."""
    lessons = [s for s in state.items if s.item.kind == "lesson"]
    by_slug = {s.item.slug: s for s in lessons}
    named = named or {}
    total = len(responses)
    if not lessons or not total:
        return []
    return [
        Review(
            number,
            by_slug.get(named.get(graded.get("question", ""), ""))
            or lessons[ceil(number * len(lessons) / total) - 1],
        )
        for number, graded in enumerate(responses, start=1)
        if not graded.get("correct")
    ]
