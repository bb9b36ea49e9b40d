"""Reminders a manager sends from a list or an official's page ("Nhắc những người này").

Each person is reminded of a course at most once a day (Vietnam time), however often the form
is sent: the in-app notice goes at once; an e-mail, where the person has an address and SMTP
is set, goes with the next `elearn reminders send` run, so a list of thousands never holds a
web request open on a mail server.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from itertools import islice

from sqlalchemy import select, update

from elearn import audit
from elearn.clock import local_today, utcnow
from elearn.extensions import db
from elearn.models import Course, ManualReminder, User
from elearn.models.base import dialect_insert
from elearn.plans.notices import add_notices
from elearn.plans.wording import nudge_text

BATCH = 2_000
EMAIL_WITHIN_DAYS = 2  # older reminders are not e-mailed late


def remind(
    actor: User,
    course: Course,
    user_ids: Iterable[int],
    *,
    course_link: str,
    target: str,
    today: date | None = None,
) -> int:
    """Remind these people of `course` (ids the caller read from a list in the actor's
    scope); return how many were reminded now. Audited with the count; the caller commits."""
    today = today or local_today()
    reminded = 0
    for batch in _batches(user_ids):
        claimed = db.session.scalars(
            dialect_insert(ManualReminder)
            .values(
                [
                    {
                        "user_id": user_id,
                        "course_id": course.id,
                        "day": today,
                        "sent_by_id": actor.id,
                        "created_at": utcnow(),
                    }
                    for user_id in batch
                ]
            )
            .on_conflict_do_nothing(index_elements=["user_id", "course_id", "day"])
            .returning(ManualReminder.user_id)
        ).all()
        text = nudge_text(course.title, actor.unit.name)
        reminded += add_notices(
            [{"user_id": user_id, "text": text, "link": course_link} for user_id in claimed]
        )
    audit.record("reminder.sent", actor=actor, target=target, course=course.slug, reminded=reminded)
    db.session.flush()
    return reminded


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    iterator = iter(ids)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def pending_emails(today: date | None = None) -> list[tuple[ManualReminder, User, Course]]:
    """Recent reminders not yet e-mailed to people who have an address (oldest first)."""
    since = (today or local_today()) - timedelta(days=EMAIL_WITHIN_DAYS)
    rows = db.session.execute(
        select(ManualReminder, User, Course)
        .join(User, User.id == ManualReminder.user_id)
        .join(Course, Course.id == ManualReminder.course_id)
        .where(
            ManualReminder.emailed_at.is_(None),
            ManualReminder.day >= since,
            User.active.is_(True),
            User.email.is_not(None),
        )
        .order_by(ManualReminder.id)
        .limit(BATCH)
    )
    return [(reminder, user, course) for reminder, user, course in rows]


def mark_emailed(reminder_ids: list[int]) -> None:
    """Note that these reminders went out by e-mail too."""
    db.session.execute(
        update(ManualReminder)
        .where(ManualReminder.id.in_(reminder_ids))
        .values(emailed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
