"""Read a learner's progress for pages and the API, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import ScalarSelect, String, bindparam, cast, func, select, union

from elearn.extensions import db
from elearn.models import Course, CourseItem, CourseProgress, LessonCompletion, QuizAttempt, User
from elearn.progress.status import Status
from elearn.text import vi_key


@dataclass(frozen=True, slots=True)
class ItemInfo:
    """A lesson or quiz as pages need it: a plain, cacheable copy of its published row."""

    id: int
    slug: str
    kind: str
    title: str
    minutes: int | None
    position: int
    status: str
    html: str
    content_hash: str
    first_published_at: datetime
    pass_mark: int | None
    max_attempts: int | None


@dataclass(frozen=True)
class ItemState:
    """One lesson or quiz of a course, as this learner stands with it."""

    item: ItemInfo
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
    def status(self) -> Status:
        """Where the learner stands, by the definition reports use."""
        return Status.of(started=self.started, completed=self.completed)

    @property
    def percent(self) -> int:
        if self.completed and self.done_count == self.total:
            return 100
        return round(100 * self.done_count / self.total) if self.total else 0

    @property
    def next_item(self) -> ItemState | None:
        """The first unfinished item in course order (where the learner resumes)."""
        return next((state for state in self.items if not state.done), None)

    def item_before(self, current: ItemState) -> ItemState | None:
        """The item before `current` in course order ("Bài trước")."""
        return self.items[current.number - 2] if current.number > 1 else None

    def item_after(self, current: ItemState) -> ItemState | None:
        """The item after `current` in course order ("Bài sau")."""
        return self.items[current.number] if current.number < self.total else None

    def where_after(self, item_id: int) -> ItemState | None:
        """Where to go once an item is done: the item after it, else the first one left."""
        current = next((s for s in self.items if s.item.id == item_id), None)
        following = self.item_after(current) if current else None
        return following or self.next_item

    @property
    def new_items(self) -> tuple[ItemState, ...]:
        return tuple(state for state in self.items if state.new)

    @property
    def minutes(self) -> int:
        return self.course.minutes or sum(s.item.minutes or 0 for s in self.items)

    @property
    def last_activity(self) -> datetime | None:
        return self.progress.last_activity_at if self.progress else None


# Course outlines by (course id, content hash): the hash changes with any edit, reorder or
# retirement, so an entry never goes stale and every worker may keep its own copy.
_OUTLINES: dict[tuple[int, str], tuple[ItemInfo, ...]] = {}
_OUTLINES_MAX = 256


def outline(course: Course) -> tuple[ItemInfo, ...]:
    """Every item of a course (retired ones too) in order, from memory after the first read."""
    key = (course.id, course.content_hash)
    cached = _OUTLINES.get(key)
    if cached is None:
        rows = db.session.scalars(
            select(CourseItem)
            .where(CourseItem.course_id == course.id)
            .order_by(CourseItem.position)
        )
        cached = tuple(
            ItemInfo(
                id=r.id,
                slug=r.slug,
                kind=r.kind,
                title=r.title,
                minutes=r.minutes,
                position=r.position,
                status=r.status,
                html=r.html,
                content_hash=r.content_hash,
                first_published_at=r.first_published_at,
                pass_mark=r.pass_mark,
                max_attempts=r.max_attempts,
            )
            for r in rows
        )
        if len(_OUTLINES) >= _OUTLINES_MAX:
            _OUTLINES.clear()
        _OUTLINES[key] = cached
    return cached


# Built once, with bound parameters: these run on every learning page.
_FINISHED_ITEMS = union(
    select(LessonCompletion.item_id).where(
        LessonCompletion.user_id == bindparam("user_id"),
        LessonCompletion.item_id.in_(bindparam("item_ids", expanding=True)),
    ),
    select(QuizAttempt.item_id).where(
        QuizAttempt.user_id == bindparam("user_id"),
        QuizAttempt.item_id.in_(bindparam("item_ids", expanding=True)),
        QuizAttempt.passed.is_(True),
    ),
)
_COURSE_WITH_PROGRESS = (
    select(Course, CourseProgress)
    .outerjoin(
        CourseProgress,
        (CourseProgress.course_id == Course.id) & (CourseProgress.user_id == bindparam("user_id")),
    )
    .where(Course.slug == bindparam("slug"), Course.status == "published")
)


# The lesson and quiz pages' one query: the course, the learner's progress row in it and, as
# text, the ids of its items the learner has finished (lessons completed, quizzes passed).
def _finished_in(model, *conditions) -> ScalarSelect:
    return (
        select(func.aggregate_strings(cast(model.item_id, String), ","))
        .join(CourseItem, CourseItem.id == model.item_id)
        .where(
            model.user_id == bindparam("user_id"), CourseItem.course_id == Course.id, *conditions
        )
        .correlate(Course)
        .scalar_subquery()
    )


_COURSE_PAGE = _COURSE_WITH_PROGRESS.add_columns(
    _finished_in(LessonCompletion), _finished_in(QuizAttempt, QuizAttempt.passed.is_(True))
)


def course_page(user: User, slug: str) -> tuple[CourseState, Course] | None:
    """A published course as the learner stands in it, in one query (outlines are cached)."""
    row = db.session.execute(_COURSE_PAGE, {"user_id": user.id, "slug": slug}).first()
    if row is None:
        return None
    course, progress, lessons, quizzes = row
    done = {int(i) for text in (lessons, quizzes) if text for i in text.split(",")}
    return _states([course], {course.id: progress}, done)[0], course


def finished_item_ids(user: User, item_ids: list[int]) -> set[int]:
    """Lessons completed and quizzes passed among `item_ids`, in one query."""
    if not item_ids:
        return set()
    return set(db.session.scalars(_FINISHED_ITEMS, {"user_id": user.id, "item_ids": item_ids}))


def course_states(
    user: User,
    courses: list[Course],
    progress: dict[int, CourseProgress | None] | None = None,
) -> list[CourseState]:
    """Build the states of several courses in at most two queries (outlines are cached)."""
    if not courses:
        return []
    item_ids = [i.id for c in courses for i in outline(c) if i.status == "published"]
    done = finished_item_ids(user, item_ids)
    if progress is None:
        progress = {
            p.course_id: p
            for p in db.session.scalars(
                select(CourseProgress).where(
                    CourseProgress.user_id == user.id,
                    CourseProgress.course_id.in_([c.id for c in courses]),
                )
            )
        }
    return _states(courses, progress, done)


def _states(
    courses: list[Course], progress: Mapping[int, CourseProgress | None], done: set[int]
) -> list[CourseState]:
    """Courses with the learner's progress rows and finished item ids: their states."""
    outlines = {c.id: [i for i in outline(c) if i.status == "published"] for c in courses}
    states = []
    for course in courses:
        row = progress.get(course.id)
        completed_at = row.completed_at if row else None
        item_states = tuple(
            ItemState(
                item=item,
                number=number,
                done=item.id in done,
                new=bool(completed_at and item.first_published_at > completed_at),
            )
            for number, item in enumerate(outlines[course.id], start=1)
        )
        states.append(CourseState(course=course, items=item_states, progress=row))
    return states


def published_courses() -> list[Course]:
    """Every course learners can open: required ones first, then by title."""
    courses = db.session.scalars(select(Course).where(Course.status == "published")).all()
    return sorted(courses, key=lambda c: (not c.required, vi_key(c.title)))


def home_states(user: User, due_dates: Mapping[int, date | None]) -> list[CourseState]:
    """The learner's courses in the one order the home page and the API share.

    `due_dates` holds the courses the person must take (required or assigned to them), with
    the due date of each if there is one. Those come first (unfinished before finished,
    soonest due first, begun before not yet begun), then the rest by title.
    """
    states = course_states(user, published_courses())

    def key(state: CourseState):
        must = state.course.id in due_dates
        due = due_dates.get(state.course.id) or date.max
        return (not must, state.completed, due, not state.started, vi_key(state.course.title))

    return sorted(states, key=key)


def resume_point(
    states: list[CourseState], due_dates: Mapping[int, date | None]
) -> tuple[CourseState, ItemState] | None:
    """Where "Tiếp tục học" leads: the next item of the course begun most recently and not
    finished; else of the first course the person must take and has not begun (in the order
    of `home_states`)."""
    begun = [s for s in states if s.started and not s.completed and s.next_item]
    if begun:
        latest = max(begun, key=lambda s: s.last_activity or datetime.min.replace(tzinfo=UTC))
        return latest, latest.next_item  # type: ignore[return-value]
    first = next(
        (s for s in states if s.course.id in due_dates and not s.started and s.next_item), None
    )
    return (first, first.next_item) if first and first.next_item else None


def course_by_slug(slug: str, *, include_drafts: bool = False) -> Course | None:
    """A course learners may open (or, for authors' previews, a draft too)."""
    statuses = ("published", "draft") if include_drafts else ("published",)
    return db.session.scalar(select(Course).where(Course.slug == slug, Course.status.in_(statuses)))


def item_by_slug(course: Course, slug: str) -> CourseItem | None:
    """An item of the course by its id, retired ones included (their URLs still answer)."""
    return db.session.scalar(
        select(CourseItem).where(CourseItem.course_id == course.id, CourseItem.slug == slug)
    )


def info_by_slug(course: Course, slug: str) -> ItemInfo | None:
    """The cached outline entry of an item, retired ones included."""
    return next((item for item in outline(course) if item.slug == slug), None)


def attempts_for(user: User, quiz: CourseItem) -> list[QuizAttempt]:
    """The learner's attempts at a quiz, newest first."""
    return list(
        db.session.scalars(
            select(QuizAttempt)
            .where(QuizAttempt.user_id == user.id, QuizAttempt.item_id == quiz.id)
            .order_by(QuizAttempt.number.desc())
        )
    )
