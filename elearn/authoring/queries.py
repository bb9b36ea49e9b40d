"""Read-only queries behind the authors' pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from elearn.content.report import courses_and_items
from elearn.extensions import db
from elearn.models import Competency, ContentSync, Course, CourseCompetency, CourseItem


@dataclass(frozen=True, slots=True)
class Counted:
    """Courses and items (lessons and quizzes) counted separately, never added together."""

    courses: int
    items: int


def sync_counts(summary: dict) -> dict[str, Counted]:
    """Turn a sync summary's lists of `course` and `course/item` ids into counts per change."""
    return {
        change: Counted(*courses_and_items(summary.get(change) or []))
        for change in ("added", "updated", "retired", "unchanged")
    }


def published_counts() -> Counted:
    """How many courses and items learners can open now."""
    courses = db.session.scalar(
        select(func.count()).select_from(Course).where(Course.status == "published")
    )
    items = db.session.scalar(
        select(func.count())
        .select_from(CourseItem)
        .join(Course, CourseItem.course_id == Course.id)
        .where(Course.status == "published", CourseItem.status == "published")
    )
    return Counted(courses or 0, items or 0)


def framework_domains() -> list[tuple[Competency, int]]:
    """The published domains in order, each with how many published courses cover it."""
    covered = (
        select(func.count())
        .select_from(CourseCompetency)
        .join(Course, CourseCompetency.course_id == Course.id)
        .where(CourseCompetency.competency_id == Competency.id, Course.status == "published")
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Competency, covered)
        .where(Competency.status == "published")
        .order_by(Competency.position)
    )
    return [(domain, count) for domain, count in rows]


def last_runs() -> tuple[ContentSync | None, ContentSync | None]:
    """Return the last successful sync, and the last run if it failed (its errors are news)."""
    last_sync = db.session.scalar(
        select(ContentSync)
        .where(ContentSync.ok.is_(True), ContentSync.action == "sync")
        .order_by(ContentSync.id.desc())
        .limit(1)
    )
    last_run = db.session.scalar(select(ContentSync).order_by(ContentSync.id.desc()).limit(1))
    return last_sync, (last_run if last_run is not None and not last_run.ok else None)


def all_courses() -> list[Course]:
    """Every course ever published, drafts and retired ones included, by status then title."""
    order = {"draft": 0, "published": 1, "retired": 2}
    courses = list(db.session.scalars(select(Course)))
    return sorted(courses, key=lambda c: (order.get(c.status, 3), c.title))
