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
from elearn.progress.status import LIST_ORDER, Status, list_rank_sql, status_sql, status_where
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

    Two steps: the page's people are chosen, then only those rows are read in full. Without
    a search the rollups say how many officials each status has, so the page is taken from
    each status in turn by walking officials in name order (a national list stops after one
    page instead of sorting 250,000 people); a search sorts only what it matches.
    """
    if search:
        chosen, order = _chosen(unit, course, status, search)
        # One scan for the page and the count of everything matched (a window total):
        # a search over a country's officials reads every name once, not twice.
        page_ids = (
            chosen.add_columns(func.count().over().label("matched"))
            .order_by(order, User.sort_key, User.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        found = db.session.execute(page_ids).all()
        ids = [row.id for row in found]
        if found or page == 1:
            total = found[0].matched if found else 0
        else:  # an empty later page says nothing of the total: count it
            matched = select(func.count()).select_from(chosen.subquery())
            total = db.session.scalar(matched) or 0
    else:
        (row,) = course_counts(unit, [course])
        counted = row.counts.as_dict()
        sizes = [(s, int(counted[s.value])) for s in LIST_ORDER if status in (None, s.value)]
        total = sum(size for _, size in sizes)
        ids = _page_by_status(unit, course, sizes, (page - 1) * per_page, per_page)
    return _rows(course, ids), total


def _page_by_status(
    unit: Unit, course: Course, sizes: list[tuple[Status, int]], offset: int, limit: int
) -> list[int]:
    """The ids of `limit` officials from `offset` of the list made of each status in turn
    (`sizes`: how many each has), in name order within a status."""
    ids: list[int] = []
    for status, size in sizes:
        if offset >= size:
            offset -= size
            continue
        take = min(limit - len(ids), size - offset)
        ids += db.session.scalars(
            select(User.id)
            .join(Unit, Unit.id == User.unit_id)
            .where(
                subtree_of(unit.path),
                counted_officials(),
                status_where(status, User.id, course.id),
            )
            .order_by(User.sort_key, User.id)
            .limit(take)
            .offset(offset)
        ).all()
        offset = 0
        if len(ids) >= limit:
            break
    return ids


def _rows(course: Course, ids: list[int]) -> list[OfficialRow]:
    """The list's rows for these officials, in the order given."""
    if not ids:
        return []
    status = status_sql().label("status")
    found = {
        row.id: row
        for row in db.session.execute(
            select(
                User.id,
                User.username,
                User.full_name,
                Unit.name.label("unit_name"),
                Unit.code,
                User.category,
                status,
                CourseProgress.completed_at,
                CourseProgress.best_score,
                CourseProgress.last_activity_at,
                CourseProgress.completed_via,
            )
            .join(Unit, Unit.id == User.unit_id)
            .outerjoin(
                CourseProgress,
                and_(CourseProgress.user_id == User.id, CourseProgress.course_id == course.id),
            )
            .where(User.id.in_(ids))
        )
    }
    return [OfficialRow(*found[i][1:]) for i in ids if i in found]


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
