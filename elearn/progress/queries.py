"""Read a learner's progress for pages and the API, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Course, CourseItem, CourseProgress, LessonCompletion, QuizAttempt, User


@dataclass(frozen=True)
class ItemState:
    """One lesson or quiz of a course, as this learner stands with it."""

    item: CourseItem
    number: int  # 1-based place in the course
    done: bool
    new: bool  # published after the learner completed the course


@dataclass(frozen=True)
class CourseState:
    """A course with the learner's standing in it."""

    course: Course
    items: tuple[ItemState, ...]
    progress: CourseProgress | None

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def done_count(self) -> int:
        return sum(1 for state in self.items if state.done)

    @property
    def completed(self) -> bool:
        return self.progress is not None and self.progress.completed_at is not None

    @property
    def started(self) -> bool:
        return self.progress is not None

    @property
    def status(self) -> str:
        """completed | in_progress | not_started, as reports define them."""
        if self.completed:
            return "completed"
        return "in_progress" if self.started else "not_started"

    @property
    def percent(self) -> int:
        if self.completed and self.done_count == self.total:
            return 100
        return round(100 * self.done_count / self.total) if self.total else 0

    @property
    def next_item(self) -> ItemState | None:
        """The first unfinished item in course order (where the learner resumes)."""
        return next((state for state in self.items if not state.done), None)

    @property
    def new_items(self) -> tuple[ItemState, ...]:
        return tuple(state for state in self.items if state.new)

    @property
    def minutes(self) -> int:
        return self.course.minutes or sum(s.item.minutes or 0 for s in self.items)

    @property
    def last_activity(self) -> datetime | None:
        return self.progress.last_activity_at if self.progress else None


def course_states(user: User, courses: list[Course]) -> list[CourseState]:
    """Build the states of several courses with four queries in all (no N+1)."""
    if not courses:
        return []
    course_ids = [c.id for c in courses]
    items = db.session.scalars(
        select(CourseItem)
        .where(CourseItem.course_id.in_(course_ids), CourseItem.status == "published")
        .order_by(CourseItem.course_id, CourseItem.position)
    ).all()
    item_ids = [i.id for i in items]
    lessons_done = set(
        db.session.scalars(
            select(LessonCompletion.item_id).where(
                LessonCompletion.user_id == user.id, LessonCompletion.item_id.in_(item_ids)
            )
        )
    )
    quizzes_passed = set(
        db.session.scalars(
            select(QuizAttempt.item_id).where(
                QuizAttempt.user_id == user.id,
                QuizAttempt.item_id.in_(item_ids),
                QuizAttempt.passed.is_(True),
            )
        )
    )
    progress = {
        p.course_id: p
        for p in db.session.scalars(
            select(CourseProgress).where(
                CourseProgress.user_id == user.id, CourseProgress.course_id.in_(course_ids)
            )
        )
    }
    by_course: dict[int, list[CourseItem]] = {}
    for item in items:
        by_course.setdefault(item.course_id, []).append(item)
    states = []
    for course in courses:
        row = progress.get(course.id)
        completed_at = row.completed_at if row else None
        item_states = tuple(
            ItemState(
                item=item,
                number=number,
                done=item.id in (lessons_done if item.kind == "lesson" else quizzes_passed),
                new=bool(completed_at and item.first_published_at > completed_at),
            )
            for number, item in enumerate(by_course.get(course.id, []), start=1)
        )
        states.append(CourseState(course=course, items=item_states, progress=row))
    return states


def published_courses() -> list[Course]:
    """Every course learners can open: required ones first, then by title."""
    courses = db.session.scalars(select(Course).where(Course.status == "published")).all()
    return sorted(courses, key=lambda c: (not c.required, c.title))


def home_states(user: User) -> list[CourseState]:
    """The learner's courses for the home page: required first, then those begun."""
    states = course_states(user, published_courses())
    return sorted(
        states,
        key=lambda s: (not s.course.required, s.completed, not s.started, s.course.title),
    )


def resume_target(states: list[CourseState]) -> tuple[CourseState, ItemState] | None:
    """Where "Tiếp tục học" leads: the next item of the latest unfinished course begun,
    else of the first required course not yet finished."""
    begun = [s for s in states if s.started and s.next_item and not s.completed]
    begun.sort(key=lambda s: s.last_activity or datetime.min, reverse=True)
    candidates = begun + [s for s in states if s.course.required and s.next_item and not s.started]
    for state in candidates:
        if state.next_item:
            return state, state.next_item
    return None


def course_by_slug(slug: str, *, include_drafts: bool = False) -> Course | None:
    """A course learners may open (or, for authors' previews, a draft too)."""
    statuses = ("published", "draft") if include_drafts else ("published",)
    return db.session.scalar(select(Course).where(Course.slug == slug, Course.status.in_(statuses)))


def item_by_slug(course: Course, slug: str) -> CourseItem | None:
    """An item of the course by its id, retired ones included (their URLs still answer)."""
    return db.session.scalar(
        select(CourseItem).where(CourseItem.course_id == course.id, CourseItem.slug == slug)
    )


def attempts_for(user: User, quiz: CourseItem) -> list[QuizAttempt]:
    """The learner's attempts at a quiz, newest first."""
    return list(
        db.session.scalars(
            select(QuizAttempt)
            .where(QuizAttempt.user_id == user.id, QuizAttempt.item_id == quiz.id)
            .order_by(QuizAttempt.number.desc())
        )
    )
