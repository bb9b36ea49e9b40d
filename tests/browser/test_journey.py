"""The whole journey in a real browser on a phone-sized screen, checked for accessibility."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import CourseItem
from tests.browser.conftest import ARTIFACTS
from tests.conftest import STRONG_PASSWORD
from tests.coursekit import RIGHT_ANSWERS_TEXT, sync, write_course

SERIOUS = {"serious", "critical"}


def _check(page, step: str, axe: Axe) -> None:
    """Keep a screenshot of the step and fail on serious accessibility problems."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{step}.png"), full_page=True)
    results = axe.run(page)
    serious = [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]
    assert serious == [], f"{step}: {serious}"


def _right_choices(app) -> dict[str, list[str]]:
    with app.app_context():
        quiz = db.session.scalar(select(CourseItem).where(CourseItem.kind == "quiz"))
        return {
            q.slug: [c["key"] for c in q.answer_key["choices"] if c["correct"]]
            for q in quiz.questions
        }


def test_sign_in_learn_fail_pass_certificate_sign_out(app, make_user, live_server, phone, tmp_path):
    write_course(tmp_path / "courses", lessons=(("mat-khau", "Mật khẩu mạnh"),))
    with app.app_context():
        sync(tmp_path / "courses")
    make_user("an", full_name="Nguyễn Văn An")
    axe = Axe()
    page = phone

    page.goto(f"{live_server}/login")
    _check(page, "01-sign-in", axe)
    page.get_by_label("Tên đăng nhập").fill("an")
    page.get_by_label("Mật khẩu").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server}/")
    _check(page, "02-home", axe)

    page.get_by_role("link", name="Tiếp tục học").click()
    page.wait_for_url(re.compile(r".*/courses/an-toan/mat-khau$"))
    assert page.get_by_text("Bài 1/2").is_visible()
    _check(page, "03-lesson", axe)
    page.get_by_role("button", name="Đã học xong – sang bài tiếp").click()
    page.wait_for_url(re.compile(r".*/courses/an-toan/kiem-tra$"))
    assert page.get_by_text("Đã lưu").is_visible()
    _check(page, "04-quiz-start", axe)

    page.get_by_role("button", name="Làm bài kiểm tra").click()
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    _check(page, "05-quiz-form", axe)
    page.get_by_role("button", name="Nộp bài").click()  # nothing answered: a failing attempt
    page.wait_for_selector("text=Chưa đạt")
    _check(page, "06-quiz-failed", axe)

    page.get_by_role("button", name="Làm lại bài kiểm tra").click()
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    for slug, keys in _right_choices(app).items():
        for key in keys:
            page.locator(f"#q-{slug}-{key}").check()
    for slug, text in RIGHT_ANSWERS_TEXT.items():
        page.locator(f"#q-{slug}-input").fill(text)
    page.get_by_role("button", name="Nộp bài").click()
    page.wait_for_selector("text=100,0%")
    _check(page, "07-quiz-passed", axe)

    page.get_by_role("link", name="Xem chứng chỉ").click()
    assert page.get_by_text("Anh/chị đã hoàn thành khoá học").is_visible()
    _check(page, "08-course-completed", axe)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải chứng chỉ").click()
    download = download_info.value
    target = ARTIFACTS / "certificate.pdf"
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r".*/login$"))
    assert page.get_by_text("Anh/chị đã đăng xuất.").is_visible()
    page.goto(f"{live_server}/")
    page.wait_for_url(re.compile(r".*/login\?next=.*"))
