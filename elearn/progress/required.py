"""Who has completed every required course (`required: yes`), and since when: the record the
honour board and the "unit rate for required courses" read."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, func, insert, select

from elearn.extensions import db
from elearn.models import Course, CourseProgress, RequiredCompletion, User
from elearn.models.base import dialect_insert
from elearn.progress import rollup


def required_course_ids() -> list[int]:
    """The published courses every official must complete."""
    return list(
        db.session.scalars(
            select(Course.id).where(Course.status == "published", Course.required.is_(True))
        )
    )


def note_completion(user: User, course: Course) -> bool:
    """After `course` completed for `user`: record (once) that they have now completed every
    required course, if they have; return whether this call recorded it."""
    if not course.required:
        return False
    required = required_course_ids()
    done = db.session.execute(
        select(func.count(), func.max(CourseProgress.completed_at)).where(
            CourseProgress.user_id == user.id,
            CourseProgress.course_id.in_(required),
            CourseProgress.completed_at.is_not(None),
        )
    ).one()
    if not required or done[0] < len(required):
        return False
    recorded = db.session.execute(
        dialect_insert(RequiredCompletion)
        .values(user_id=user.id, completed_at=done[1])
        .on_conflict_do_nothing(index_elements=["user_id"])
        .returning(RequiredCompletion.user_id)
    ).first()
    if recorded is None:
        return False
    rollup.count_required_done(user)
    return True


def recount(previous_required: Collection[int] | None = None) -> bool:
    """Recount the record after publishing, when the set of required courses changed (or
    always, without `previous_required`); return whether it recounted."""
    required = required_course_ids()
    if previous_required is not None and set(previous_required) == set(required):
        return False
    db.session.execute(delete(RequiredCompletion))
    if required:
        db.session.execute(
            insert(RequiredCompletion).from_select(
                ["user_id", "completed_at"],
                select(CourseProgress.user_id, func.max(CourseProgress.completed_at))
                .where(
                    CourseProgress.course_id.in_(required),
                    CourseProgress.completed_at.is_not(None),
                )
                .group_by(CourseProgress.user_id)
                .having(func.count() == len(required)),
            )
        )
    rollup.rebuild()
    return True
