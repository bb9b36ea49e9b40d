"""Counters behind the reports, kept per unit so a national report sums thousands of rows
instead of millions. `elearn.progress.rollup` keeps them equal to the plain aggregation.

People and course rows exist per (category, IT level) for the breakdowns, plus one total row
per unit whose category and IT level are both "*" for everything else.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db

TOTAL = "*"  # category and it_level of a unit's total row


class PeopleRollup(db.Model):
    """Active people directly in a unit, by category and IT qualification, and how many of
    them have completed every required course. The unit's total row counts officials only
    (cán bộ and công chức); the category rows count every active person, "khác" included."""

    __tablename__ = "people_rollup"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    it_level: Mapped[str] = mapped_column(String(100), primary_key=True)  # "" when unknown
    officials: Mapped[int] = mapped_column(default=0)
    required_done: Mapped[int] = mapped_column(default=0, server_default="0")


class CourseRollup(db.Model):
    """Active people directly in a unit who started / completed a course (the total row:
    officials only, as in PeopleRollup)."""

    __tablename__ = "course_rollup"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    it_level: Mapped[str] = mapped_column(String(100), primary_key=True)
    started: Mapped[int] = mapped_column(default=0)  # any progress, completed included
    completed: Mapped[int] = mapped_column(default=0)

    # Reports read one course's rows (total or detail) across all units; on PostgreSQL the
    # included columns answer them from the index alone. The counters change only on a
    # learner's first step and completion in a course, so keeping them in the index costs
    # little.
    __table_args__ = (
        Index(
            "ix_course_rollup_course_id_category",
            "course_id",
            "category",
            postgresql_include=["unit_id", "it_level", "started", "completed"],
        ),
    )


class CompletionRollup(db.Model):
    """Completions of a course by a unit's officials on one day (Vietnam time)."""

    __tablename__ = "completion_rollup"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    completions: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        Index(
            "ix_completion_rollup_course_id_day",
            "course_id",
            "day",
            postgresql_include=["unit_id", "completions"],
        ),
    )


class DomainRollup(db.Model):
    """Officials directly in a unit who cover a domain of the competency framework (have
    completed at least one published course tagged with it): the passport's figures."""

    __tablename__ = "domain_rollup"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id"), primary_key=True)
    covered: Mapped[int] = mapped_column(default=0)
