"""Keep the report rollups equal to what a plain aggregation would count.

Progress recording adds to the counters in its own transaction (the hot path); changes to
people (create, edit, move, deactivate, import, merge) recount the units they touch, which is
cheap because a unit holds a few hundred people. `rebuild()` recounts everything.

Category rows count every active person of the category ("khác" included, so a report can
say whom it leaves out); a unit's total row ("*") counts officials only, as
`models.counted_officials` defines them, and so do the daily completions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, func, insert, literal, select

from elearn.clock import local_date, local_day, local_today
from elearn.extensions import db
from elearn.models import (
    OFFICIAL_CATEGORIES,
    CompletionRollup,
    Course,
    CourseCompetency,
    CourseProgress,
    CourseRollup,
    DomainRollup,
    PeopleRollup,
    RequiredCompletion,
    User,
    counted_officials,
)
from elearn.models.base import dialect_insert
from elearn.models.rollup import TOTAL


def rebuild(unit_ids: Iterable[int] | None = None) -> None:
    """Recount the given units (or all) from users and progress rows."""
    ids = None if unit_ids is None else sorted({i for i in unit_ids if i is not None})
    if ids == []:
        return
    for table in (PeopleRollup, CourseRollup, CompletionRollup, DomainRollup):
        statement = delete(table)
        if ids is not None:
            statement = statement.where(table.unit_id.in_(ids))
        db.session.execute(statement)

    def only_units(query, column):
        return query if ids is None else query.where(column.in_(ids))

    it_level = func.coalesce(User.it_level, literal(""))
    active = User.active.is_(True)
    people = only_units(
        select(
            User.unit_id,
            User.category,
            it_level,
            func.count(),
            func.count(RequiredCompletion.user_id),
        )
        .outerjoin(RequiredCompletion, RequiredCompletion.user_id == User.id)
        .where(active),
        User.unit_id,
    )
    _insert(
        PeopleRollup,
        ["unit_id", "category", "it_level", "officials", "required_done"],
        people.group_by(User.unit_id, User.category, it_level),
    )
    progress = only_units(
        select(
            User.unit_id,
            CourseProgress.course_id,
            User.category,
            it_level,
            func.count(),
            func.count(CourseProgress.completed_at),
        )
        .join(User, User.id == CourseProgress.user_id)
        .where(active),
        User.unit_id,
    )
    _insert(
        CourseRollup,
        ["unit_id", "course_id", "category", "it_level", "started", "completed"],
        progress.group_by(User.unit_id, CourseProgress.course_id, User.category, it_level),
    )
    officials_only = PeopleRollup.category.in_(OFFICIAL_CATEGORIES)
    _insert(
        PeopleRollup,
        ["unit_id", "category", "it_level", "officials", "required_done"],
        only_units(
            select(
                PeopleRollup.unit_id,
                literal(TOTAL),
                literal(TOTAL),
                func.sum(PeopleRollup.officials),
                func.sum(PeopleRollup.required_done),
            )
            .where(officials_only)
            .group_by(PeopleRollup.unit_id),
            PeopleRollup.unit_id,
        ),
    )
    _insert(
        CourseRollup,
        ["unit_id", "course_id", "category", "it_level", "started", "completed"],
        only_units(
            select(
                CourseRollup.unit_id,
                CourseRollup.course_id,
                literal(TOTAL),
                literal(TOTAL),
                func.sum(CourseRollup.started),
                func.sum(CourseRollup.completed),
            )
            .where(CourseRollup.category.in_(OFFICIAL_CATEGORIES))
            .group_by(CourseRollup.unit_id, CourseRollup.course_id),
            CourseRollup.unit_id,
        ),
    )
    day = local_date(CourseProgress.completed_at, db.engine.dialect.name)
    completions = only_units(
        select(User.unit_id, CourseProgress.course_id, day, func.count())
        .join(User, User.id == CourseProgress.user_id)
        .where(counted_officials(), CourseProgress.completed_at.is_not(None)),
        User.unit_id,
    )
    _insert(
        CompletionRollup,
        ["unit_id", "course_id", "day", "completions"],
        completions.group_by(User.unit_id, CourseProgress.course_id, day),
    )
    _insert_domains(ids)


def rebuild_domains() -> None:
    """Recount who covers which domain everywhere: after publishing, when courses, their
    `competencies:` or the framework may have changed."""
    db.session.execute(delete(DomainRollup))
    _insert_domains(None)


def _insert_domains(ids: list[int] | None) -> None:
    """Officials per unit and domain who completed a published course tagged with it."""
    query = (
        select(
            User.unit_id,
            CourseCompetency.competency_id,
            func.count(func.distinct(CourseProgress.user_id)),
        )
        .select_from(CourseProgress)
        .join(User, User.id == CourseProgress.user_id)
        .join(Course, Course.id == CourseProgress.course_id)
        .join(CourseCompetency, CourseCompetency.course_id == CourseProgress.course_id)
        .where(
            counted_officials(),
            CourseProgress.completed_at.is_not(None),
            Course.status == "published",
        )
        .group_by(User.unit_id, CourseCompetency.competency_id)
    )
    if ids is not None:
        query = query.where(User.unit_id.in_(ids))
    _insert(DomainRollup, ["unit_id", "competency_id", "covered"], query)


def _insert(table, columns: list[str], query) -> None:
    db.session.execute(insert(table).from_select(columns, query))


def _rows_of(user: User) -> list[tuple[str, str]]:
    """The (category, IT level) rows a person's steps count on: their category's, and the
    unit total when they are an official."""
    rows = [(user.category, user.it_level or "")]
    if user.is_counted_official:
        rows.append((TOTAL, TOTAL))
    return rows


def count_progress(
    user: User, course_id: int, *, started: int = 0, completed: int = 0, on: datetime | None = None
) -> None:
    """Add a learner's first step or completion to their unit's counters (atomic upserts);
    a completion counts for the Vietnam day of `on` (default: today)."""
    if not user.active:
        return
    for category, it_level in _rows_of(user):
        statement = dialect_insert(CourseRollup).values(
            unit_id=user.unit_id,
            course_id=course_id,
            category=category,
            it_level=it_level,
            started=started,
            completed=completed,
        )
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=["unit_id", "course_id", "category", "it_level"],
                set_={
                    "started": CourseRollup.started + started,
                    "completed": CourseRollup.completed + completed,
                },
            )
        )
    if completed and user.is_counted_official:
        day = local_day(on) if on else local_today()
        statement = dialect_insert(CompletionRollup).values(
            unit_id=user.unit_id, course_id=course_id, day=day, completions=completed
        )
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=["unit_id", "course_id", "day"],
                set_={"completions": CompletionRollup.completions + completed},
            )
        )


def count_required_done(user: User) -> None:
    """Add a person who has just completed every required course to their unit's counters."""
    if not user.active:
        return
    for category, it_level in _rows_of(user):
        statement = dialect_insert(PeopleRollup).values(
            unit_id=user.unit_id,
            category=category,
            it_level=it_level,
            officials=0,
            required_done=1,
        )
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=["unit_id", "category", "it_level"],
                set_={"required_done": PeopleRollup.required_done + 1},
            )
        )


def count_domains(user: User, course_id: int) -> None:
    """After a course completed: add the official to their unit's count of every domain of
    the course that no other completed published course of theirs already covered."""
    if not user.is_counted_official:
        return
    others = (
        select(CourseCompetency.competency_id)
        .join(CourseProgress, CourseProgress.course_id == CourseCompetency.course_id)
        .join(Course, Course.id == CourseCompetency.course_id)
        .where(
            CourseProgress.user_id == user.id,
            CourseProgress.course_id != course_id,
            CourseProgress.completed_at.is_not(None),
            Course.status == "published",
        )
    )
    new = db.session.scalars(
        select(CourseCompetency.competency_id)
        .join(Course, Course.id == CourseCompetency.course_id)
        .where(
            CourseCompetency.course_id == course_id,
            Course.status == "published",
            CourseCompetency.competency_id.not_in(others),
        )
    ).all()
    for competency_id in new:
        statement = dialect_insert(DomainRollup).values(
            unit_id=user.unit_id, competency_id=competency_id, covered=1
        )
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=["unit_id", "competency_id"],
                set_={"covered": DomainRollup.covered + 1},
            )
        )
