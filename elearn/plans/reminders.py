"""Remind officials of due and overdue courses, by e-mail or as in-app notices.

A reminder goes to each active official covered by an assignment whose due date is within
`DUE_SOON_DAYS` days or has passed, and who has not completed the course. It is sent at most
once per (assignment, person, period): the unique constraint on ReminderSent is the record of
what went out, and rows are claimed before sending, so two runs at the same time do not both
send. `send_reminders` yields after each batch of people and the caller commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import update

from elearn.clock import local_today, utcnow
from elearn.extensions import db
from elearn.models import ReminderSent
from elearn.models.base import dialect_insert
from elearn.plans import nudges
from elearn.plans.mailer import Mailer
from elearn.plans.notices import add_notices
from elearn.plans.recipients import (
    DueCourse,
    Recipient,
    due_assignments,
    people_batches,
    recipients_between,
)
from elearn.plans.wording import notice_text, nudge_email, reminder_email

BATCH_SIZE = 1000  # people per batch


@dataclass
class ReminderCounts:
    """What a run (or one batch of it) did."""

    people: int = 0
    emails: int = 0
    notices: int = 0
    email_failures: int = 0  # refused by the server; a notice was left instead

    def add(self, other: ReminderCounts) -> None:
        self.people += other.people
        self.emails += other.emails
        self.notices += other.notices
        self.email_failures += other.email_failures


def _claim(recipients: list[Recipient], channels: dict[int, str]) -> set[tuple[int, int, str]]:
    """Record the reminders about to go out; return those no other run had recorded already."""
    now = utcnow()
    rows = [
        {
            "assignment_id": due.assignment_id,
            "user_id": person.user_id,
            "period": due.period,
            "channel": channels[person.user_id],
            "sent_at": now,
        }
        for person in recipients
        for due in person.courses
    ]
    if not rows:
        return set()
    table = ReminderSent.__table__
    statement = (
        dialect_insert(table)
        .on_conflict_do_nothing(index_elements=["assignment_id", "user_id", "period"])
        .returning(table.c.assignment_id, table.c.user_id, table.c.period)
    )
    return {tuple(row) for row in db.session.execute(statement, rows)}


def _courses_once(courses: list[DueCourse]) -> list[DueCourse]:
    """One entry per course (the earliest due date), when several assignments cover it."""
    seen: dict[int, DueCourse] = {}
    for due in courses:
        if due.course_id not in seen or due.due_date < seen[due.course_id].due_date:
            seen[due.course_id] = due
    return sorted(seen.values(), key=lambda due: due.due_date)


def send_reminders(
    *,
    course_link: Callable[[str], str],
    mailer: Mailer | None = None,
    site_url: str | None = None,
    today: date | None = None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[ReminderCounts]:
    """Remind everyone owed a reminder, a batch at a time; yield each batch's counts (flushed:
    the caller commits each batch before asking for the next).

    With a mailer, people with an e-mail address get one e-mail listing their courses; the
    others (and anyone whose address the server refuses) get one in-app notice per course.
    `course_link(slug)` is a course's local path (kept in notices); with `site_url`, the
    site's public address, e-mails link to each course too.
    """
    today = today or local_today()
    due = due_assignments(today)
    if not due:
        return
    titles = {course.id: course.title for _a, _u, course in due}
    slugs = {course.id: course.slug for _a, _u, course in due}
    assignment_ids = [assignment.id for assignment, _u, _c in due]
    for first_id, last_id in people_batches({unit.path for _a, unit, _c in due}, batch_size):
        recipients = recipients_between(first_id, last_id, assignment_ids, today)
        if not recipients:
            continue
        channels = {
            p.user_id: "email" if mailer is not None and p.email else "notice" for p in recipients
        }
        claimed = _claim(recipients, channels)
        counts = ReminderCounts()
        notices = []
        for person in recipients:
            mine = [
                d for d in person.courses if (d.assignment_id, person.user_id, d.period) in claimed
            ]
            if not mine:
                continue  # another run got there first
            counts.people += 1
            courses = _courses_once(mine)
            if channels[person.user_id] == "email":
                assert mailer is not None
                try:
                    message = reminder_email(
                        person,
                        courses,
                        titles,
                        today,
                        site_url=site_url,
                        course_url=lambda course_id: course_link(slugs[course_id]),
                    )
                except ValueError:  # an address the e-mail library cannot write
                    message = None
                if message is not None and mailer.send(message):
                    counts.emails += 1
                    continue
                counts.email_failures += 1
                _mark_as_notice(person.user_id, mine)
            notices += [
                {
                    "user_id": person.user_id,
                    "text": notice_text(titles[d.course_id], d.due_date, today),
                    "link": course_link(slugs[d.course_id]),
                }
                for d in courses
            ]
        counts.notices += add_notices(notices)
        db.session.flush()
        yield counts


def _mark_as_notice(user_id: int, courses: list[DueCourse]) -> None:
    """The e-mail was refused: the record says a notice went out instead."""
    for due in courses:
        db.session.execute(
            update(ReminderSent)
            .where(
                ReminderSent.assignment_id == due.assignment_id,
                ReminderSent.user_id == user_id,
                ReminderSent.period == due.period,
            )
            .values(channel="notice")
        )


def send_nudge_emails(
    mailer: Mailer, *, course_link: Callable[[str], str], site_url: str | None = None
) -> Iterator[ReminderCounts]:
    """E-mail the reminders managers sent from lists (their notices went at once), one
    e-mail per person; yield each batch's counts for the caller to commit."""
    while batch := nudges.pending_emails():
        counts = ReminderCounts()
        by_person: dict[int, list] = {}
        for reminder, user, course in batch:
            by_person.setdefault(user.id, []).append((reminder, user, course))
        for rows in by_person.values():
            user = rows[0][1]
            try:
                message = nudge_email(
                    user.full_name,
                    user.email or "",
                    [course.title for _r, _u, course in rows],
                    site_url=site_url,
                    links=[course_link(course.slug) for _r, _u, course in rows],
                )
            except ValueError:  # an address the e-mail library cannot write
                message = None
            if message is not None and mailer.send(message):
                counts.people += 1
                counts.emails += 1
            else:
                counts.email_failures += 1
        nudges.mark_emailed([reminder.id for reminder, _u, _c in batch])
        db.session.flush()
        yield counts
