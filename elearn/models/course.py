"""Published content: courses, lessons and quizzes, questions, images and files, competencies.

Rows mirror the Markdown files and are identified by the authors' ids (`slug`), never by file
names, so renaming or reordering files keeps every learner's progress. Nothing is deleted:
content that disappears from the files is retired.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.clock import utcnow
from elearn.extensions import db
from elearn.models.base import UTCDateTime


class Course(db.Model):
    """A course as last published; `version` grows each time its content changes."""

    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[int | None]
    required: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="published", index=True)
    competencies: Mapped[str] = mapped_column(String(500), default="")
    language: Mapped[str] = mapped_column(String(10), default="vi")
    # The final quiz may be taken before the lessons; passing it completes the course.
    test_out: Mapped[bool] = mapped_column(default=False, server_default=false())
    intro_html: Mapped[str] = mapped_column(Text, default="")
    folder: Mapped[str] = mapped_column(String(300), default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    items: Mapped[list[CourseItem]] = relationship(
        back_populates="course", order_by="CourseItem.position"
    )
    domains: Mapped[list[Competency]] = relationship(
        secondary="course_competency", order_by="Competency.position", viewonly=True
    )


class CourseItem(db.Model):
    """A lesson or a quiz of a course, in the course's order."""

    __tablename__ = "course_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    slug: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(10))  # lesson | quiz
    title: Mapped[str] = mapped_column(String(300))
    minutes: Mapped[int | None]
    html: Mapped[str] = mapped_column(Text, default="")  # lesson body or quiz introduction
    position: Mapped[int] = mapped_column(default=0)
    source_path: Mapped[str] = mapped_column(String(300), default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="published")  # or retired
    pass_mark: Mapped[int | None]
    max_attempts: Mapped[int | None]
    shuffle: Mapped[bool] = mapped_column(default=False)
    first_published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    course: Mapped[Course] = relationship(back_populates="items")
    questions: Mapped[list[Question]] = relationship(
        back_populates="quiz", order_by="Question.position"
    )

    __table_args__ = (
        UniqueConstraint("course_id", "slug"),
        Index("ix_course_item_course_id_status_position", "course_id", "status", "position"),
    )


class Question(db.Model):
    """A quiz question with its answer key, which stays on the server."""

    __tablename__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("course_item.id"))
    slug: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    text_html: Mapped[str] = mapped_column(Text)
    points: Mapped[int] = mapped_column(default=1)
    # choices [{key, html, correct, feedback_html}], short_answers, numeric_answers
    answer_key: Mapped[dict[str, Any]] = mapped_column(JSON)
    explanation_html: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="published")  # or retired
    # The lesson the question checks (`lesson=` in the heading), where a failed test out
    # sends the learner; None falls back to the order rule of progress.test_out.
    lesson_slug: Mapped[str | None] = mapped_column(String(64))

    quiz: Mapped[CourseItem] = relationship(back_populates="questions")

    __table_args__ = (UniqueConstraint("quiz_id", "slug"),)


class MediaFile(db.Model):
    """An image or a file for download, stored by content hash so every server can serve it."""

    __tablename__ = "media_file"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Competency(db.Model):
    """A domain of the competency framework (`courses/khung-nang-luc.md`), in its order.

    Domains are matched by `slug`; one that leaves the file is retired, never deleted, so
    what learners covered stays reportable.
    """

    __tablename__ = "competency"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default="published")  # or retired
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CourseCompetency(db.Model):
    """A domain a course covers, from its `competencies:` line."""

    __tablename__ = "course_competency"

    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id"), primary_key=True)

    # Reports count officials per domain: from a domain to its courses.
    __table_args__ = (Index("ix_course_competency_competency_id", "competency_id", "course_id"),)


class ContentSync(db.Model):
    """One run of `courses validate/sync`: what it changed, or the problems that stopped it."""

    __tablename__ = "content_sync"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(10))  # validate | sync
    ok: Mapped[bool]
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    problems: Mapped[list[str]] = mapped_column(JSON, default=list)
