"""Keep the report rollups equal to what a plain aggregation would count.

Progress recording adds one to a counter in its own transaction (the hot path); changes to
people (create, edit, move, deactivate, import, merge) recount the units they touch, which is
cheap because a unit holds a few hundred people. `rebuild()` recounts everything.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, insert, literal, select

from elearn.extensions import db
from elearn.models import CourseProgress, CourseRollup, PeopleRollup, User
from elearn.models.base import dialect_insert


def rebuild(unit_ids: Iterable[int] | None = None) -> None:
    """Recount the given units (or all) from users and progress rows (two statements each)."""
    ids = None if unit_ids is None else sorted({i for i in unit_ids if i is not None})
    if ids == []:
        return
    it_level = func.coalesce(User.it_level, literal(""))
    people = select(User.unit_id, User.category, it_level, func.count()).where(
        User.active.is_(True)
    )
    progress = (
        select(
            User.unit_id,
            CourseProgress.course_id,
            User.category,
            it_level,
            func.count(),
            func.count(CourseProgress.completed_at),
        )
        .join(User, User.id == CourseProgress.user_id)
        .where(User.active.is_(True))
    )
    clear_people, clear_courses = delete(PeopleRollup), delete(CourseRollup)
    if ids is not None:
        people = people.where(User.unit_id.in_(ids))
        progress = progress.where(User.unit_id.in_(ids))
        clear_people = clear_people.where(PeopleRollup.unit_id.in_(ids))
        clear_courses = clear_courses.where(CourseRollup.unit_id.in_(ids))
    db.session.execute(clear_people)
    db.session.execute(clear_courses)
    db.session.execute(
        insert(PeopleRollup).from_select(
            ["unit_id", "category", "it_level", "officials"],
            people.group_by(User.unit_id, User.category, it_level),
        )
    )
    db.session.execute(
        insert(CourseRollup).from_select(
            ["unit_id", "course_id", "category", "it_level", "started", "completed"],
            progress.group_by(User.unit_id, CourseProgress.course_id, User.category, it_level),
        )
    )


def count_progress(user: User, course_id: int, *, started: int = 0, completed: int = 0) -> None:
    """Add a learner's first step or completion to their unit's counters (atomic upsert)."""
    if not user.active:
        return
    statement = dialect_insert(CourseRollup).values(
        unit_id=user.unit_id,
        course_id=course_id,
        category=user.category,
        it_level=user.it_level or "",
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
