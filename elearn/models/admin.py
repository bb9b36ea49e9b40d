"""Administration tables: course assignments, reminders sent, in-app notices, announcements."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.clock import utcnow
from elearn.extensions import db
from elearn.models.base import UTCDateTime
from elearn.models.course import Course
from elearn.models.org import Unit


class Assignment(db.Model):
    """A course required of the officials of a unit subtree (optionally one category)."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    category: Mapped[str | None] = mapped_column(String(20))  # None: every category
    due_date: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    active: Mapped[bool] = mapped_column(default=True)

    course: Mapped[Course] = relationship()
    unit: Mapped[Unit] = relationship()


class ManualReminder(db.Model):
    """A reminder a manager sent from a list ("Nhắc những người này"): at most one per person,
    course and day (Vietnam time). The in-app notice goes at once; an e-mail, when the person
    has an address and SMTP is set, goes with the next `elearn reminders send` run."""

    __tablename__ = "manual_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    day: Mapped[date] = mapped_column(Date)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("user_id", "course_id", "day"),
        Index("ix_manual_reminder_emailed_at_id", "emailed_at", "id"),
    )


class ReminderSent(db.Model):
    """One reminder to one person about one assignment in one period (never sent twice)."""

    __tablename__ = "reminder_sent"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    period: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(10))  # email | notice
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("assignment_id", "user_id", "period"),)


class Notice(db.Model):
    """A message shown to one person inside the app until they read it."""

    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    text: Mapped[str] = mapped_column(String(500))
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_notice_user_id_read_at", "user_id", "read_at"),)


class Announcement(db.Model):
    """A short message from an admin to every official of a unit subtree."""

    __tablename__ = "announcement"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    unit: Mapped[Unit] = relationship()


class AnnouncementDismissal(db.Model):
    """Someone closed an announcement; it no longer shows on their home page."""

    __tablename__ = "announcement_dismissal"

    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcement.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    dismissed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
