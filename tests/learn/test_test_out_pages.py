"""Test out on the learner's pages: the offer, the refusal of a forged request, the lessons to
review after a failure, and the completion shown as such."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import CourseItem, CourseProgress, QuizAttempt
from tests.coursekit import right_answers
from tests.webkit import form_token, login, submit_attempt


def _test_out(client, course: str = "an-toan"):
    page = client.get(f"/courses/{course}").get_data(as_text=True)
    return client.post(f"/courses/{course}/test-out", data={"csrf_token": form_token(page)})


def test_a_test_out_course_offers_the_quiz_first_and_completes_through_it(
    app, client, make_user, publish_course
):
    publish_course(test_out="yes", max_attempts=3)
    make_user("an", full_name="Nguyễn Văn An")
    login(client, "an")
    course_page = client.get("/courses/an-toan").get_data(as_text=True)
    assert "Làm bài kiểm tra đầu vào" in course_page
    started = _test_out(client)
    assert started.status_code == 302 and "/attempts/" in started.location
    page = client.get(started.location).get_data(as_text=True)
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt))
        quiz = db.session.get(CourseItem, attempt.item_id)
        sent = right_answers(attempt, quiz).responses
    answers = {f"q-{k}": list(v) if isinstance(v, tuple) else v for k, v in sent.items()}
    submit_attempt(client, started.location, page, answers)
    result = client.get(started.location).get_data(as_text=True)
    assert "hoàn thành khoá học qua bài kiểm tra đầu vào" in result
    course_page = client.get("/courses/an-toan").get_data(as_text=True)
    assert "hoàn thành qua bài kiểm tra đầu vào" in course_page
    assert "Làm bài kiểm tra đầu vào" not in course_page
    assert "Hoàn thành qua bài kiểm tra đầu vào" in client.get("/").get_data(as_text=True)
    (mine,) = client.get("/api/v1/me/progress").json["courses"]
    assert (mine["status"], mine["completed_via"]) == ("completed", "test_out")


def test_a_failed_test_out_names_the_lessons_to_read(app, client, make_user, publish_course):
    publish_course(test_out="yes", max_attempts=3)
    make_user("an", full_name="Nguyễn Văn An")
    login(client, "an")
    started = _test_out(client)
    page = client.get(started.location).get_data(as_text=True)
    submit_attempt(client, started.location, page, {})
    result = client.get(started.location).get_data(as_text=True)
    assert "Bài học cần xem lại" in result
    assert "Câu 1 — xem bài 1: Mật khẩu mạnh" in result
    assert "Câu 5 — xem bài 2: Mã OTP" in result
    assert re.search(r'href="/courses/an-toan/otp"', result)


def test_a_forged_test_out_on_a_course_without_it_is_refused(app, official):
    course_page = official.get("/courses/an-toan").get_data(as_text=True)
    assert "Làm bài kiểm tra đầu vào" not in course_page
    response = _test_out(official)
    assert response.status_code == 302 and response.location.endswith("/courses/an-toan")
    assert "không có bài kiểm tra đầu vào" in official.get("/courses/an-toan").get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 0
        assert db.session.scalar(select(func.count()).select_from(CourseProgress)) == 0


def test_a_test_out_with_attempts_used_up_is_refused(app, client, make_user, publish_course):
    publish_course(test_out="yes", max_attempts=1)
    make_user("an", full_name="Nguyễn Văn An")
    login(client, "an")
    started = _test_out(client)
    page = client.get(started.location).get_data(as_text=True)
    submit_attempt(client, started.location, page, {})
    again = _test_out(client)
    assert again.status_code == 302 and again.location.endswith("/courses/an-toan")
    assert "dùng hết số lần" in client.get("/courses/an-toan").get_data(as_text=True)


def test_a_test_out_without_csrf_is_refused(official):
    assert official.post("/courses/an-toan/test-out").status_code == 400
