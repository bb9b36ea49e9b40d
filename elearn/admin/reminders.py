"""Reminders of due and overdue courses — by e-mail or as in-app notices — and the notices.

A reminder goes to each active person covered by an assignment whose due date is within
`DUE_SOON_DAYS` days or has passed, and who has not completed the course. It is sent at most
once per (assignment, person, period): the period is "due-soon" before the due date, then
"overdue-<ISO year>-W<week>", so an overdue course is recalled once a week. The unique
constraint on ReminderSent is the record of what went out; rows are claimed before sending,
so two runs at the same time do not both send.

People are walked in id order, a batch at a time, so memory stays bounded however many
officials a province has; `send_reminders` yields after each batch and the caller commits.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from itertools import groupby
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app
from sqlalchemy import and_, case, insert, literal, or_, select, update
from sqlalchemy.orm import aliased

from elearn.admin.assignments import covers_person, local_today
from elearn.errors import ElearnError, NotFound
from elearn.extensions import db
from elearn.formatting import format_date
from elearn.models import Assignment, Course, CourseProgress, Notice, ReminderSent, Unit, User
from elearn.models.base import dialect_insert, utcnow
from elearn.models.org import subtree_of

DUE_SOON_DAYS = 7
BATCH_SIZE = 1000  # people per batch
SITE_NAME = "Học kỹ năng số"
SMTP_TIMEOUT = 30  # seconds


def course_link(slug: str) -> str:
    """The local path of a course page, kept in notices (never an outside address)."""
    return f"/courses/{slug}"


def period_for(due_date: date, today: date) -> str:
    """The reminder period of a due date seen from `today`."""
    if due_date >= today:
        return "due-soon"
    year, week, _ = today.isocalendar()
    return f"overdue-{year}-W{week:02d}"


# Sending e-mail ------------------------------------------------------------------------------


class Mailer:
    """One SMTP connection for a run, from a URL smtp://user:pass@host:port (or smtps://).

    The sender is the URL's `?from=` parameter, else the user name if it is an address, else
    no-reply@host. smtp:// upgrades to TLS when the server offers STARTTLS.
    """

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ElearnError("ELEARN_SMTP_URL must look like smtp://user:pass@host:port")
        self.tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        sender = parse_qs(parts.query).get("from", [None])[0]
        if not sender:
            sender = self.username if self.username and "@" in self.username else None
        self.sender = sender or f"no-reply@{self.host}"
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        context = ssl.create_default_context()
        try:
            if self.tls:
                smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=SMTP_TIMEOUT, context=context)
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT)
                smtp.ehlo()
                if smtp.has_extn("starttls"):
                    smtp.starttls(context=context)
                    smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password or "")
        except (OSError, smtplib.SMTPException) as error:
            raise ElearnError(
                f"cannot send e-mail through {self.host}:{self.port} ({error}); "
                "check ELEARN_SMTP_URL"
            ) from None
        self._smtp = smtp
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None

    def send(self, message: EmailMessage) -> bool:
        """Send one message; False if the server refused it (the caller falls back)."""
        assert self._smtp is not None, "use the Mailer in a with block"
        message["From"] = formataddr((SITE_NAME, self.sender))
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        try:
            self._smtp.send_message(message)
        except (OSError, smtplib.SMTPException):
            return False
        return True


# Finding who to remind ----------------------------------------------------------------------


@dataclass(frozen=True)
class DueCourse:
    """One assignment to remind one person of."""

    assignment_id: int
    course_id: int
    due_date: date
    period: str


@dataclass(frozen=True)
class Recipient:
    user_id: int
    full_name: str
    email: str | None
    courses: tuple[DueCourse, ...]


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


def _due_assignments(today: date) -> list[tuple[Assignment, Unit, Course]]:
    """Active dated assignments of published courses that are due soon or overdue."""
    return [
        (assignment, unit, course)
        for assignment, unit, course in db.session.execute(
            select(Assignment, Unit, Course)
            .join(Unit, Unit.id == Assignment.unit_id)
            .join(Course, Course.id == Assignment.course_id)
            .where(
                Assignment.active.is_(True),
                Assignment.due_date.is_not(None),
                Assignment.due_date <= today + timedelta(days=DUE_SOON_DAYS),
                Course.status == "published",
            )
        )
    ]


def _recipients(
    first_id: int, last_id: int, assignment_ids: list[int], today: date
) -> list[Recipient]:
    """People with ids in [first_id, last_id] owed a reminder, with their courses (one query)."""
    assigned_unit = aliased(Unit)
    period = case(
        (Assignment.due_date < today, literal(period_for(date.min, today))),
        else_=literal("due-soon"),
    )
    rows = db.session.execute(
        select(
            User.id,
            User.full_name,
            User.email,
            Assignment.id,
            Assignment.course_id,
            Assignment.due_date,
            period,
        )
        .select_from(User)
        .join(Unit, Unit.id == User.unit_id)
        .join(Assignment, Assignment.id.in_(assignment_ids))
        .join(assigned_unit, covers_person(assigned_unit))
        .outerjoin(
            CourseProgress,
            and_(
                CourseProgress.user_id == User.id,
                CourseProgress.course_id == Assignment.course_id,
            ),
        )
        .outerjoin(
            ReminderSent,
            and_(
                ReminderSent.assignment_id == Assignment.id,
                ReminderSent.user_id == User.id,
                ReminderSent.period == period,
            ),
        )
        .where(
            User.id.between(first_id, last_id),
            User.active.is_(True),
            CourseProgress.completed_at.is_(None),
            ReminderSent.id.is_(None),
        )
        .order_by(User.id, Assignment.due_date, Assignment.id)
    ).all()
    recipients = []
    for user_id, group in groupby(rows, key=lambda row: row[0]):
        person = list(group)
        _id, full_name, email, *_rest = person[0]
        recipients.append(
            Recipient(
                user_id=user_id,
                full_name=full_name,
                email=(email or "").strip() or None,
                courses=tuple(DueCourse(*row[3:]) for row in person),
            )
        )
    return recipients


def _people_batches(paths: set[str], batch_size: int) -> Iterator[tuple[int, int]]:
    """(first id, last id) of successive batches of active people under any of `paths`."""
    under = or_(*(subtree_of(path) for path in sorted(paths)))
    after = 0
    while True:
        ids = db.session.scalars(
            select(User.id)
            .join(Unit, Unit.id == User.unit_id)
            .where(User.id > after, User.active.is_(True), under)
            .order_by(User.id)
            .limit(batch_size)
        ).all()
        if not ids:
            return
        yield ids[0], ids[-1]
        after = ids[-1]


# Writing ------------------------------------------------------------------------------------


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


def notice_text(title: str, due_date: date, today: date) -> str:
    """The in-app reminder of one course, in plain Vietnamese."""
    if due_date < today:
        text = (
            f"Quá hạn: khoá học “{title}” có hạn hoàn thành {format_date(due_date)}, "
            "anh/chị chưa học xong. Anh/chị hãy hoàn thành sớm."
        )
    else:
        text = (
            f"Nhắc học: khoá học “{title}” có hạn hoàn thành {format_date(due_date)}. "
            "Anh/chị hãy học xong trước hạn."
        )
    return text[:500]


def reminder_email(
    person: Recipient,
    courses: list[DueCourse],
    titles: dict[int, str],
    today: date,
    *,
    site_url: str | None = None,
    slugs: dict[int, str] | None = None,
) -> EmailMessage:
    """The e-mail reminding one person of their due and overdue courses; with the site's
    public address (ELEARN_PUBLIC_URL) each course comes with its link."""
    overdue = any(due.due_date < today for due in courses)
    message = EmailMessage()
    message["Subject"] = (
        "Nhắc học: có khoá học đã quá hạn hoàn thành"
        if overdue
        else "Nhắc học: khoá học sắp đến hạn hoàn thành"
    )
    message["To"] = formataddr((person.full_name, person.email or ""))
    lines = [
        f"Kính gửi anh/chị {person.full_name},",
        "",
        "Anh/chị còn khoá học sau chưa hoàn thành:",
        "",
    ]
    for due in courses:
        late = " (đã quá hạn)" if due.due_date < today else ""
        lines.append(f"- {titles[due.course_id]}: hạn hoàn thành {format_date(due.due_date)}{late}")
        if site_url and slugs:
            lines.append(f"  {site_url}{course_link(slugs[due.course_id])}")
    where = f"{SITE_NAME} ({site_url})" if site_url else SITE_NAME
    lines += [
        "",
        f"Anh/chị hãy đăng nhập trang {where} để học tiếp. Mỗi bài học xong được lưu ngay,",
        "nên anh/chị có thể học từng bài khi có thời gian.",
        "",
        "Thư này được gửi tự động, anh/chị không cần trả lời.",
    ]
    message.set_content("\n".join(lines) + "\n", charset="utf-8")
    return message


def send_reminders(
    *,
    mailer: Mailer | None = None,
    today: date | None = None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[ReminderCounts]:
    """Remind everyone owed a reminder, a batch at a time; yield each batch's counts (flushed:
    the caller commits each batch before asking for the next).

    With a mailer, people with an e-mail address get one e-mail listing their courses; the
    others (and anyone whose address the server refuses) get one in-app notice per course.
    """
    today = today or local_today()
    due = _due_assignments(today)
    if not due:
        return
    titles = {course.id: course.title for _a, _u, course in due}
    slugs = {course.id: course.slug for _a, _u, course in due}
    site_url = current_app.config.get("PUBLIC_URL")
    assignment_ids = [assignment.id for assignment, _u, _c in due]
    for first_id, last_id in _people_batches({unit.path for _a, unit, _c in due}, batch_size):
        recipients = _recipients(first_id, last_id, assignment_ids, today)
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
                        person, courses, titles, today, site_url=site_url, slugs=slugs
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
        if notices:
            db.session.execute(insert(Notice.__table__), notices)
            counts.notices += len(notices)
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


# In-app notices -----------------------------------------------------------------------------


def unread_notices(user: User, limit: int = 10) -> list[Notice]:
    """The person's unread notices, newest first."""
    return list(
        db.session.scalars(
            select(Notice)
            .where(Notice.user_id == user.id, Notice.read_at.is_(None))
            .order_by(Notice.created_at.desc(), Notice.id.desc())
            .limit(limit)
        )
    )


def mark_notice_read(user: User, notice_id: int) -> Notice:
    """Mark one of the person's notices read (idempotent); another person's is NotFound."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.user_id != user.id:
        raise NotFound(f"no notice {notice_id}")
    if notice.read_at is None:
        notice.read_at = utcnow()
        db.session.flush()
    return notice
