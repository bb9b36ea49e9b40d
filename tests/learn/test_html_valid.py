"""The learner pages are valid HTML by the Nu HTML Checker (no error)."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import CourseItem, QuizAttempt
from elearn.progress import recording
from tests.coursekit import sync
from tests.htmlcheck import nu_errors
from tests.webkit import complete_lessons, login, start_attempt, submit_attempt

SHIPPED = Path(__file__).resolve().parents[2] / "courses"


def _right(app) -> dict:
    """Every right answer of the (only) quiz being taken, read from the server's key."""
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt).order_by(QuizAttempt.id.desc()))
        answers: dict = {}
        for q in recording.published_questions(db.session.get(CourseItem, attempt.item_id)):
            key = q.answer_key
            if key.get("choices"):
                answers[f"q-{q.slug}"] = [c["key"] for c in key["choices"] if c["correct"]]
            else:
                answers[f"q-{q.slug}"] = recording.accepted_answers(key)[0].split(" ±")[0]
        return answers


def test_learner_pages_have_no_html_errors(app, make_user, tmp_path):
    with app.app_context():
        sync(SHIPPED)
    app.config.update(ISSUER="Sở Nội vụ tỉnh Bắc Ninh")
    make_user("an", full_name="Nguyễn Văn An")
    make_user("tac-gia", role="author")
    client = app.test_client()
    pages = {"login": client.get("/login").get_data(as_text=True)}
    login(client, "an")
    course = "ky-nang-so-co-ban"
    pages["home-new"] = client.get("/").get_data(as_text=True)
    pages["passport-new"] = client.get("/passport").get_data(as_text=True)
    pages["achievements-new"] = client.get("/achievements").get_data(as_text=True)
    pages["course"] = client.get(f"/courses/{course}").get_data(as_text=True)
    pages["lesson-table"] = client.get(f"/courses/{course}/tep-thu-muc-chia-se").get_data(True)
    assert 'class="table-scroll"' in pages["lesson-table"]
    lessons = re.findall(rf'href="/courses/{course}/([a-z0-9-]+)"', pages["course"])
    quiz = lessons[-1]
    pages["quiz"] = client.get(f"/courses/{course}/{quiz}").get_data(as_text=True)
    url, pages["attempt"] = start_attempt(client, course, quiz)
    assert "Làm bài kiểm tra đầu vào" in pages["course"]  # the course allows testing out
    pages["result"] = client.get(submit_attempt(client, url, pages["attempt"], {}).location).text
    assert "Bài học cần xem lại" in pages["result"]
    complete_lessons(client, course, tuple(lessons[:-1]))
    pages["home-started"] = client.get("/").get_data(as_text=True)
    url, page = start_attempt(client, course, quiz)
    pages["result-passed"] = client.get(
        submit_attempt(client, url, page, _right(app)).location
    ).text
    code = re.search(r'href="/certificates/([A-Z0-9-]+)"', pages["result-passed"]).group(1)
    pages["certificate"] = client.get(f"/certificates/{code}").get_data(as_text=True)
    pages["home-done"] = client.get("/").get_data(as_text=True)
    pages["passport"] = client.get("/passport").get_data(as_text=True)
    pages["achievements"] = client.get("/achievements").get_data(as_text=True)
    assert code in pages["achievements"]
    pages["missing"] = client.get("/courses/khong-co").get_data(as_text=True)
    pages["offline"] = client.get("/offline").get_data(as_text=True)
    pages["offline-course"] = client.get(f"/offline/courses/{course}").get_data(as_text=True)
    pages["offline-lesson"] = client.get(f"/offline/courses/{course}/{lessons[0]}").text
    assert "offline-course" in pages and course in pages["offline-course"]
    author = app.test_client()
    login(author, "tac-gia")
    pages["preview"] = author.get(f"/author/preview/{course}/{quiz}").get_data(as_text=True)
    assert nu_errors(pages, tmp_path) == []
