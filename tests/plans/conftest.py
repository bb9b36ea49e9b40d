"""Fixtures for assignments, reminders and announcements: two published courses, people in
two districts, and helpers that write assignments (past dates too) and finish courses."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from elearn.clock import local_today
from elearn.extensions import db
from elearn.models import Assignment, Course, CourseItem, Unit, User
from elearn.progress import recording
from tests.coursekit import OPTIONAL, REQUIRED, right_answers, sync, write_course
from tests.webkit import login

# Units used here: 27 province › 256 city Bắc Ninh › 09163 Vũ Ninh;
#                  27 province › 261 city Từ Sơn › 09367 Đông Ngàn, 09370 Tam Sơn.


@pytest.fixture
def courses(app, tmp_path):
    """Publish one optional and one required course."""
    root = tmp_path / "courses"
    write_course(root, OPTIONAL, title="An toàn thông tin", required="no")
    write_course(root, REQUIRED, title="Dịch vụ công trực tuyến", required="yes")
    with app.app_context():
        sync(root)
    return {"optional": OPTIONAL, "required": REQUIRED}


# The plans modules that read "today" when the caller gives none.
_READ_TODAY = ("announcements", "assignments", "nudges", "overdue", "reminders")


@pytest.fixture
def today(monkeypatch) -> date:
    """Vietnam's date for this test, and the plans' own "today" held to it, so that a run
    crossing midnight in Vietnam (17:00 UTC) cannot split a test between two days."""
    fixed = local_today()
    for module in _READ_TODAY:
        monkeypatch.setattr(f"elearn.plans.{module}.local_today", lambda: fixed)
    return fixed


@pytest.fixture
def assign(app):
    """Write an assignment row directly (past due dates included); return its id."""

    def factory(
        course: str = OPTIONAL,
        unit: str = "261",
        *,
        due: date | None = None,
        category: str | None = None,
        active: bool = True,
    ) -> int:
        with app.app_context():
            row = Assignment(
                course=db.session.scalar(select(Course).where(Course.slug == course)),
                unit=db.session.scalar(select(Unit).where(Unit.code == unit)),
                category=category,
                due_date=due,
                active=active,
            )
            db.session.add(row)
            db.session.commit()
            return row.id

    return factory


@pytest.fixture
def finish(app):
    """Complete every lesson and pass the quiz of a course as `username`."""

    def factory(username: str, course: str = OPTIONAL) -> None:
        with app.app_context():
            user = db.session.scalar(select(User).where(User.username == username))
            items = db.session.scalars(
                select(CourseItem).join(Course).where(Course.slug == course)
            ).all()
            for item in items:
                if item.kind == "lesson":
                    recording.complete_lesson(user, item)
            for item in items:
                if item.kind == "quiz":
                    attempt = recording.start_attempt(user, item)
                    recording.submit_attempt(user, attempt, item, right_answers(attempt, item))
            db.session.commit()

    return factory


@pytest.fixture
def sign_in(app, make_user):
    """Create a user (any fields of make_user) and return a test client signed in as them."""

    def factory(username: str, **fields):
        make_user(username, **fields)
        client = app.test_client()
        login(client, username)
        return client

    return factory
