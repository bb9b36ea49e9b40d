"""A completion through the test-out quiz is shown as such to managers: on the official's
page, in the officials list and its exports, and in the API."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Course, CourseItem, User
from elearn.progress import recording
from tests.coursekit import right_answers, sync, write_course
from tests.webkit import login

VIA = "hoàn thành qua bài kiểm tra đầu vào"


@pytest.fixture
def tested_out(app, make_user, tmp_path):
    """dn1 tests out of "thu"; dn2 learns it lesson by lesson."""
    root = tmp_path / "courses"
    write_course(root, "thu", title="Thử nghiệm", test_out="yes", required="no")
    with app.app_context():
        sync(root)
    make_user("dn1", unit="09367", full_name="Nguyễn Văn An", category="can_bo")
    make_user("dn2", unit="09367", full_name="Trần Thị Ánh", category="cong_chuc")
    make_user("ql", unit="261", role="manager", full_name="Quản Lý")
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == "thu"))
        items = {i.slug: i for i in db.session.scalars(select(CourseItem))}
        quiz = items["kiem-tra"]
        first = db.session.scalar(select(User).where(User.username == "dn1"))
        attempt = recording.start_test_out(first, course)
        recording.submit_attempt(first, attempt, quiz, right_answers(attempt, quiz))
        second = db.session.scalar(select(User).where(User.username == "dn2"))
        for lesson in ("mat-khau", "otp"):
            recording.complete_lesson(second, items[lesson])
        attempt = recording.start_attempt(second, quiz)
        recording.submit_attempt(second, attempt, quiz, right_answers(attempt, quiz))
        db.session.commit()
    client = app.test_client()
    login(client, "ql")
    return client


def test_the_officials_page_says_completed_through_the_entry_test(tested_out):
    page = tested_out.get("/reports/officials/dn1").get_data(as_text=True)
    assert VIA in page
    assert VIA not in tested_out.get("/reports/officials/dn2").get_data(as_text=True)


def test_the_list_and_its_exports_say_how_each_completed(tested_out):
    listing = tested_out.get("/reports/units/261/officials?course=thu").get_data(as_text=True)
    assert "Cách hoàn thành" in listing and VIA in listing
    exported = tested_out.get("/reports/units/261/officials.csv?course=thu")
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    via = {row["Tên đăng nhập"]: row["Cách hoàn thành"] for row in rows}
    assert via == {"dn1": VIA, "dn2": "học đủ các bài"}
    assert tested_out.get("/reports/units/261/officials.xlsx?course=thu").status_code == 200


def test_the_api_says_how_each_completed(tested_out):
    listed = tested_out.get("/api/v1/reports/officials?unit=261&course=thu").json
    assert {o["username"]: o["completed_via"] for o in listed["officials"]} == {
        "dn1": "test_out",
        "dn2": "lessons",
    }
    record = tested_out.get("/api/v1/reports/officials/dn1").json
    assert record["courses"][0]["completed_via"] == "test_out"
