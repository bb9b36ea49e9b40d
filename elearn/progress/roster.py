"""Lists of officials for managers: one page at a time, not started first, in Vietnamese
order, and the same set as ids for acting on a whole list."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select

from elearn.extensions import db
from elearn.models import Course, CourseProgress, Unit, User, counted_officials
from elearn.progress.figures import course_counts
from elearn.progress.status import list_rank_sql, status_sql
from elearn.text import fold
from elearn.units import subtree_of

IDS_BATCH = 2_000


@dataclass(frozen=True)
class OfficialRow:
    username: str
    full_name: str
    unit_name: str
    unit_code: str
    category: str
    status: str
    completed_at: datetime | None
    best_score: float | None
    last_activity: datetime | None
    completed_via: str | None = None  # "lessons" or "test_out" once completed


def _chosen(unit: Unit, course: Course, status: str | None, search: str | None):
    """Officials in scope with their status for the course (and the list's sort rank)."""
    status_expr = status_sql()
    order = list_rank_sql(status_expr)
    chosen = (
        select(User.id, User.sort_key, status_expr.label("status"), order.label("rank"))
        .select_from(User)
        .join(Unit, Unit.id == User.unit_id)
        .outerjoin(
            CourseProgress,
            and_(CourseProgress.user_id == User.id, CourseProgress.course_id == course.id),
        )
        .where(subtree_of(unit.path), counted_officials())
    )
    if status:
        chosen = chosen.where(status_expr == status)
    if search:
        chosen = chosen.where(User.search_name.contains(fold(search), autoescape=True))
    return chosen, order


def official_ids(
    unit: Unit, course: Course, *, status: str | None = None, search: str | None = None
) -> Iterator[int]:
    """The ids of everyone the list with these filters shows, on every page, streamed."""
    chosen, _order = _chosen(unit, course, status, search)
    rows = db.session.execute(
        chosen.with_only_columns(User.id).order_by(User.id),
        execution_options={"yield_per": IDS_BATCH},
    )
    for (user_id,) in rows:
        yield user_id


def officials_page(
    unit: Unit,
    course: Course,
    *,
    status: str | None = None,
    search: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[OfficialRow], int]:
    """One page of officials in scope with their status; not started first, Vietnamese order.

    Two steps: the page's people are chosen from the narrow columns an index holds (on
    PostgreSQL a province-wide sort never reads the progress table), then only those rows
    are read in full.
    """
    chosen, order = _chosen(unit, course, status, search)
    if search:
        total = db.session.scalar(select(func.count()).select_from(chosen.subquery())) or 0
    else:  # the rollups already know how many there are: no second scan of every official
        (row,) = course_counts(unit, [course])
        total = row.counts.as_dict()[status] if status else row.counts.officials
    page_rows = (
        chosen.order_by(order, User.sort_key, User.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery()
    )
    rows = db.session.execute(
        select(
            User.username,
            User.full_name,
            Unit.name,
            Unit.code,
            User.category,
            page_rows.c.status,
            CourseProgress.completed_at,
            CourseProgress.best_score,
            CourseProgress.last_activity_at,
            CourseProgress.completed_via,
        )
        .select_from(page_rows)
        .join(User, User.id == page_rows.c.id)
        .join(Unit, Unit.id == User.unit_id)
        .outerjoin(
            CourseProgress,
            and_(CourseProgress.user_id == User.id, CourseProgress.course_id == course.id),
        )
        .order_by(page_rows.c.rank, page_rows.c.sort_key, page_rows.c.id)
    ).all()
    return [OfficialRow(*row) for row in rows], total


def all_officials(
    unit: Unit, course: Course, *, status: str | None = None, search: str | None = None
) -> Iterator[OfficialRow]:
    """Every official the list shows, in its order, streamed from the database (exports of a
    whole province keep memory bounded)."""
    chosen, order = _chosen(unit, course, status, search)
    listed = chosen.subquery()
    rows = db.session.execute(
        select(
            User.username,
            User.full_name,
            Unit.name,
            Unit.code,
            User.category,
            listed.c.status,
            CourseProgress.completed_at,
            CourseProgress.best_score,
            CourseProgress.last_activity_at,
            CourseProgress.completed_via,
        )
        .select_from(listed)
        .join(User, User.id == listed.c.id)
        .join(Unit, Unit.id == User.unit_id)
        .outerjoin(
            CourseProgress,
            and_(CourseProgress.user_id == User.id, CourseProgress.course_id == course.id),
        )
        .order_by(listed.c.rank, listed.c.sort_key, listed.c.id),
        execution_options={"yield_per": IDS_BATCH},
    )
    for row in rows:
        yield OfficialRow(*row)
