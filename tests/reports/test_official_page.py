"""One official's page, reached from every list, within the manager's scope; and reminders
sent from a list, once per person, course and day."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from elearn.clock import local_today
from elearn.extensions import db
from elearn.models import AuditEvent, CourseItem, Notice, User
from elearn.progress import recording
from tests.coursekit import sync, write_course
from tests.webkit import csrf_token, login


def _manager(app, role: str):
    client = app.test_client()
    login(client, f"ql-{role}")
    return client


def _notices(app) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(
            select(User.username, func.count())
            .join(Notice, Notice.user_id == User.id)
            .group_by(User.username)
        ).all()
        return dict(rows)


def test_every_name_on_a_list_opens_that_officials_page(app, province):
    client = _manager(app, "district")
    listing = client.get("/reports/units/261/officials?course=an-toan").get_data(as_text=True)
    links = set(re.findall(r'href="/reports/officials/([^"]+)"', listing))
    assert {"dn1", "dn2", "ch1"} <= links
    page = client.get("/reports/officials/dn1").get_data(as_text=True)
    assert "Nguyễn Văn An" in page and "Đã hoàn thành" in page
    assert "Vì sao được tính là hoàn thành" in page
    assert "Mật khẩu" in page  # the lesson done, with its date
    assert re.search(r"Bài kiểm tra cuối khoá — đạt 100,0 điểm, \d\d/\d\d/\d{4}", page)
    overdue_page = client.get("/reports/officials/dn2").get_data(as_text=True)
    assert "Đang học" in overdue_page


def test_a_person_outside_the_managers_units_is_a_404_like_an_unknown_one(app, province):
    client = _manager(app, "district")  # Từ Sơn
    assert client.get("/reports/officials/vn1").status_code == 404  # Bắc Ninh city
    assert client.get("/reports/officials/nobody").status_code == 404
    assert client.get("/api/v1/reports/officials/vn1").status_code == 404
    official = app.test_client()
    login(official, "ql-official")
    assert official.get("/reports/officials/dn1").status_code == 403


def test_the_api_gives_the_same_record(app, province):
    client = _manager(app, "province")
    data = client.get("/api/v1/reports/officials/dn1").json
    assert data["official"]["username"] == "dn1"
    (course,) = data["courses"]
    assert course["status"] == "completed" and course["must_take"] is True
    assert course["passing_attempt"]["score"] == 100.0 and course["lessons_done"]
    page = client.get("/reports/officials/dn1").get_data(as_text=True)
    assert course["certificate_code"] in page


@pytest.fixture
def one_day(monkeypatch) -> None:
    """Count "once a day" on one day, even if the test runs across Vietnam's midnight."""
    fixed = local_today()
    monkeypatch.setattr("elearn.plans.nudges.local_today", lambda: fixed)


def test_reminding_a_list_reaches_exactly_its_people_once_a_day(app, province, one_day):
    client = _manager(app, "district")
    url = "/reports/units/261/remind?course=an-toan&status=not_started"
    confirm = client.get(url).get_data(as_text=True)
    listed = client.get("/api/v1/reports/officials?unit=261&course=an-toan&status=not_started").json
    assert f"Gửi nhắc nhở cho {listed['total']} người?" in confirm
    token = csrf_token(client, url)
    sent = client.post(url, data={"csrf_token": token})
    assert sent.status_code == 302
    reminded = {o["username"] for o in listed["officials"]}
    assert set(_notices(app)) == reminded  # nobody else, and nobody outside Từ Sơn
    client.post(url, data={"csrf_token": token})  # sent again: nothing twice
    assert set(_notices(app).values()) == {1}
    with app.app_context():
        counts = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "reminder.sent")
        ).all()
        assert [c["reminded"] for c in counts] == [len(reminded), 0]


def test_reminders_refuse_lists_with_nothing_to_do_and_units_outside(app, province):
    client = _manager(app, "district")
    assert (
        client.get("/reports/units/261/remind?course=an-toan&status=completed").status_code == 400
    )
    assert client.get("/reports/units/261/remind?course=an-toan").status_code == 400
    assert (
        client.get("/reports/units/256/remind?course=an-toan&status=not_started").status_code == 403
    )
    token = csrf_token(client, "/reports/officials/dn2")
    assert (
        client.post("/reports/officials/vn2/remind", data={"csrf_token": token}).status_code == 404
    )


def test_the_officials_page_reminds_them_of_what_they_must_finish(app, province, one_day):
    client = _manager(app, "district")
    token = csrf_token(client, "/reports/officials/dn2")
    client.post("/reports/officials/dn2/remind", data={"csrf_token": token})
    client.post("/reports/officials/dn2/remind", data={"csrf_token": token})
    assert _notices(app) == {"dn2": 1}


def test_the_officials_page_offers_one_more_attempt_when_they_are_stuck(app, province, tmp_path):
    write_course(tmp_path / "courses", lessons=(("mat-khau", "Mật khẩu"),), max_attempts=1)
    with app.app_context():
        sync(tmp_path / "courses")
        user = db.session.scalar(select(User).where(User.username == "dn2"))
        quiz = db.session.scalar(select(CourseItem).where(CourseItem.kind == "quiz"))
        attempt = recording.start_attempt(user, quiz)
        recording.submit_attempt(user, attempt, quiz, recording.Submission(attempt.token, {}))
        db.session.commit()
    page = _manager(app, "district").get("/reports/officials/dn2").get_data(as_text=True)
    assert "Cho làm thêm một lần" in page and "1/1 lần" in page
