"""The manager's page and form that grant one more attempt: scope, CSRF, confirmation."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import AttemptGrant, AuditEvent, CourseItem, User
from elearn.progress import recording
from tests.coursekit import sync, write_course
from tests.webkit import form_token, login

PAGE = "/reports/officials/{user}/courses/an-toan/extra-attempt"


@pytest.fixture
def stuck(app, make_user, tmp_path):
    """Official `an` of 09163 has used up the quiz's 2 attempts without passing."""
    write_course(tmp_path / "courses", max_attempts=2)
    with app.app_context():
        sync(tmp_path / "courses")
    make_user("an", unit="09163", category="can_bo", full_name="Nguyễn Văn An")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "an"))
        quiz = db.session.scalar(select(CourseItem).where(CourseItem.kind == "quiz"))
        for _ in range(2):
            attempt = recording.start_attempt(user, quiz)
            recording.submit_attempt(user, attempt, quiz, recording.Submission(attempt.token, {}))
        db.session.commit()
    return PAGE.format(user="an")


def _manager(app, make_user, unit: str, name: str = "ql"):
    make_user(name, unit=unit, role="manager")
    client = app.test_client()
    login(client, name)
    return client


def _grants(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AttemptGrant)) or 0


def test_a_manager_grants_one_more_attempt_after_confirming(app, make_user, stuck):
    manager = _manager(app, make_user, "256")
    page = manager.get(stuck).get_data(as_text=True)
    assert "đã làm hết 2/2 lần" in page and 'name="confirm" value="yes" required' in page
    data = {"csrf_token": form_token(page), "quiz": "kiem-tra", "next": stuck}
    unconfirmed = manager.post(stuck, data=data, follow_redirects=True)
    assert "Hãy đánh dấu ô xác nhận" in unconfirmed.get_data(as_text=True) and _grants(app) == 0
    granted = manager.post(stuck, data={**data, "confirm": "yes"}, follow_redirects=True)
    assert "Đã cho anh/chị Nguyễn Văn An làm thêm một lần" in granted.get_data(as_text=True)
    assert _grants(app) == 1
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.target == "an"))
        assert "attempt.granted" in list(actions)
    learner = app.test_client()
    login(learner, "an")
    quiz = learner.get("/courses/an-toan/kiem-tra").get_data(as_text=True)
    assert "Số lần làm còn lại: 1" in quiz and "Làm bài kiểm tra" in quiz


def test_without_a_csrf_token_nothing_is_granted(app, make_user, stuck):
    app.config["WTF_CSRF_ENABLED"] = True
    manager = _manager(app, make_user, "256")
    response = manager.post(stuck, data={"quiz": "kiem-tra", "confirm": "yes"})
    assert response.status_code == 400 and _grants(app) == 0


@pytest.mark.parametrize("unit", ["261", "09367"])
def test_an_official_outside_the_managers_units_is_not_found(app, make_user, stuck, unit):
    manager = _manager(app, make_user, unit)
    assert manager.get(stuck).status_code == 404
    token = form_token(manager.get("/").get_data(as_text=True))
    response = manager.post(stuck, data={"csrf_token": token, "quiz": "kiem-tra", "confirm": "yes"})
    assert response.status_code == 404 and _grants(app) == 0
    assert manager.get(PAGE.format(user="khong-co-ai")).status_code == 404


def test_officials_cannot_grant_attempts(app, make_user, stuck):
    official = app.test_client()
    make_user("binh", unit="09163")
    login(official, "binh")
    assert official.get(stuck).status_code == 403


def test_the_learner_is_told_whom_to_ask_when_attempts_are_used_up(app, stuck):
    learner = app.test_client()
    login(learner, "an")
    quiz = learner.get("/courses/an-toan/kiem-tra").get_data(as_text=True)
    assert "dùng hết số lần" in quiz and "cán bộ quản lý của đơn vị" in quiz
    assert re.search(r">\s*Làm bài kiểm tra\s*<", quiz) is None
