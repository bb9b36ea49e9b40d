"""Counters behind the reports, kept per unit so a national report sums thousands of rows
instead of millions. `elearn.reports.rollup` keeps them equal to the plain aggregation."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db


class PeopleRollup(db.Model):
    """Active people directly in a unit, by category and IT qualification."""

    __tablename__ = "people_rollup"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    it_level: Mapped[str] = mapped_column(String(100), primary_key=True)  # "" when unknown
    officials: Mapped[int] = mapped_column(default=0)


class CourseRollup(db.Model):
    """Active people directly in a unit who started / completed a course."""

    __tablename__ = "course_rollup"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    it_level: Mapped[str] = mapped_column(String(100), primary_key=True)
    started: Mapped[int] = mapped_column(default=0)  # any progress, completed included
    completed: Mapped[int] = mapped_column(default=0)
