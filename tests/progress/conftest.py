"""A published course and a learner, for driving the progress writer directly (no HTTP)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Course, CourseItem, User
from tests.coursekit import sync, write_course


@pytest.fixture
def course_root(tmp_path: Path) -> Path:
    return tmp_path / "courses"


@pytest.fixture
def course(app, course_root) -> str:
    """Publish a course of two lessons and a quiz; return its slug."""
    write_course(course_root, max_attempts=3)
    with app.app_context():
        sync(course_root)
    return "an-toan"


@pytest.fixture
def learner(make_user, course) -> str:
    """An active cán bộ of commune 09163; returns the username."""
    make_user("an", unit="09163", category="can_bo")
    return "an"


@pytest.fixture
def load(app) -> Callable[..., tuple[User, Course, dict[str, CourseItem]]]:
    """Inside an app context: the learner, the course, and its items by id."""

    def loader(username: str = "an", slug: str = "an-toan"):
        user = db.session.scalar(select(User).where(User.username == username))
        course = db.session.scalar(select(Course).where(Course.slug == slug))
        items = {
            i.slug: i
            for i in db.session.scalars(select(CourseItem).where(CourseItem.course_id == course.id))
        }
        return user, course, items

    return loader
