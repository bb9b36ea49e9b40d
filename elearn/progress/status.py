"""Where an official stands in a course: the one definition of the three statuses, in Python
for pages and in SQL for lists, with the words people read for each."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, exists, literal

from elearn.models import CourseProgress


class Status(StrEnum):
    """Completed: a completion is recorded. In progress: some progress, no completion.
    Not started: no progress at all."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"

    @classmethod
    def of(cls, *, started: bool, completed: bool) -> Status:
        """The status of a learner with (or without) progress and a completion."""
        if completed:
            return cls.COMPLETED
        return cls.IN_PROGRESS if started else cls.NOT_STARTED

    @property
    def label(self) -> str:
        """The word for this status, in the reader's language."""
        return str(_LABELS[self])


_LABELS = {
    Status.NOT_STARTED: _l("Chưa học"),
    Status.IN_PROGRESS: _l("Đang học"),
    Status.COMPLETED: _l("Đã hoàn thành"),
}
# Lists put those who most need a nudge first.
LIST_ORDER = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.COMPLETED)


def status_label(value: str) -> str:
    """The word for a status given by its value (a template filter); unknown values as is."""
    try:
        return Status(value).label
    except ValueError:
        return value


# How a completion was reached, as stored in CourseProgress.completed_via, and in the words
# every page, export and the official's record use.
VIA_LESSONS = "lessons"
VIA_TEST_OUT = "test_out"
_VIA_LABELS = {
    VIA_LESSONS: _l("học đủ các bài"),
    VIA_TEST_OUT: _l("hoàn thành qua bài kiểm tra đầu vào"),
}


def via_label(value: str | None) -> str:
    """How a course was completed, in words (a template filter); empty when not completed."""
    return str(_VIA_LABELS[value]) if value in _VIA_LABELS else ""


def status_sql():
    """The status as SQL, for a query that outer-joins CourseProgress for one course."""
    return case(
        (CourseProgress.completed_at.is_not(None), literal(Status.COMPLETED.value)),
        (CourseProgress.user_id.is_not(None), literal(Status.IN_PROGRESS.value)),
        else_=literal(Status.NOT_STARTED.value),
    )


def list_rank_sql(status):
    """SQL ranking a status expression in LIST_ORDER."""
    return case(
        (status == Status.NOT_STARTED.value, 0),
        (status == Status.IN_PROGRESS.value, 1),
        else_=2,
    )


def status_where(status: Status, user_id, course_id: int):
    """SQL true when the user `user_id` has `status` in the course, without joining progress:
    a list can then walk officials in name order and stop after one page."""
    progress = and_(CourseProgress.user_id == user_id, CourseProgress.course_id == course_id)
    if status is Status.NOT_STARTED:
        return ~exists().where(progress)
    done = CourseProgress.completed_at.is_not(None)
    return exists().where(progress, done if status is Status.COMPLETED else ~done)
