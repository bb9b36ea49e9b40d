"""Done when: on a 360×740 phone a new official tests out of one course, learns another, sees
both on the passport and the achievements page, and downloads a certificate whose QR code
opens its verification page — every page passing axe, every tap target at least 44 px."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import CourseItem
from tests.browser.taps import small_targets
from tests.coursekit import RIGHT_ANSWERS_TEXT, sync, write_course
from tests.webkit import STRONG_PASSWORD, pdf_qr_codes


def _right_choices(app) -> dict[str, list[str]]:
    """The right choices of the test quiz (both courses share its questions)."""
    with app.app_context():
        quiz = db.session.scalar(select(CourseItem).where(CourseItem.kind == "quiz"))
        return {
            q.slug: [c["key"] for c in q.answer_key["choices"] if c["correct"]]
            for q in quiz.questions
        }


def _answer_everything_right(page, choices: dict[str, list[str]]) -> None:
    for slug, keys in choices.items():
        for key in keys:
            page.locator(f"#q-{slug}-{key}").check()
    for slug, text in RIGHT_ANSWERS_TEXT.items():
        page.locator(f"#q-{slug}-input").fill(text)
    page.get_by_role("button", name="Nộp bài").click()


def test_test_out_learn_passport_achievements_certificate(
    app, make_user, live_server, phone, tmp_path, check_page, artifacts
):
    root = tmp_path / "courses"
    write_course(
        root,
        "an-toan",
        title="An toàn thông tin",
        test_out="yes",
        competencies="an-toan",
        required="no",
        question_lessons={"otp": "otp", "do-dai": "mat-khau"},
    )
    write_course(
        root,
        "du-lieu",
        title="Khai thác dữ liệu",
        lessons=(("tim-kiem", "Tìm kiếm thông tin"),),
        competencies="du-lieu-thong-tin",
        required="no",
    )
    with app.app_context():
        sync(root)
    make_user("an", full_name="Nguyễn Văn An", unit="09163", category="can_bo")
    app.config.update(PUBLIC_URL=live_server, ISSUER="Sở Nội vụ tỉnh Bắc Ninh")
    choices = _right_choices(app)
    page = phone
    small: dict[str, list[str]] = {}

    page.goto(f"{live_server}/")
    small["sign-in"] = small_targets(page)
    page.get_by_label("Tên đăng nhập").fill("an")
    page.get_by_label("Mật khẩu").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server}/")

    # Test out of the first course: its final quiz before any lesson.
    page.goto(f"{live_server}/courses/an-toan")
    check_page(page, "passport-01-test-out-offer")
    small["test-out-offer"] = small_targets(page)
    # A first try with nothing answered fails and sends each question to its lesson.
    page.get_by_role("button", name="Làm bài kiểm tra đầu vào").click()
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_text("Chưa đạt").first).to_be_visible()
    review = page.get_by_role("link", name=re.compile(r"^Câu 1 — xem bài 2"))
    expect(review).to_have_attribute("href", re.compile(r"/courses/an-toan/otp$"))
    small["failed-test-out"] = small_targets(page)
    check_page(page, "passport-01b-failed-test-out")
    page.goto(f"{live_server}/courses/an-toan")
    page.get_by_role("button", name="Làm bài kiểm tra đầu vào").click()
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    _answer_everything_right(page, choices)
    expect(
        page.get_by_text("Anh/chị đã hoàn thành khoá học qua bài kiểm tra đầu vào.")
    ).to_be_visible()
    check_page(page, "passport-02-tested-out")
    small["tested-out"] = small_targets(page)

    # Learn the second course lesson by lesson.
    page.goto(f"{live_server}/courses/du-lieu")
    page.get_by_role("link", name="Bắt đầu học").click()
    page.wait_for_url(re.compile(r".*/courses/du-lieu/tim-kiem$"))
    page.get_by_role("button", name="Đã học xong – sang bài tiếp").click()
    page.wait_for_url(re.compile(r".*/courses/du-lieu/kiem-tra$"))
    page.get_by_role("button", name="Làm bài kiểm tra").click()
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    _answer_everything_right(page, choices)
    expect(page.get_by_text("100,0%").first).to_be_visible()

    # Both on the passport, reached from the home page.
    page.goto(f"{live_server}/")
    page.get_by_role("link", name="Hộ chiếu kỹ năng số").click()
    page.wait_for_url(f"{live_server}/passport")
    expect(page.get_by_text("Đã đạt 2/6 lĩnh vực của khung năng lực số.")).to_be_visible()
    expect(page.get_by_text("qua khoá An toàn thông tin")).to_be_visible()
    expect(page.get_by_text("qua khoá Khai thác dữ liệu")).to_be_visible()
    check_page(page, "passport-03-passport")
    small["passport"] = small_targets(page)

    # Both on the achievements page, reached from the header.
    page.get_by_role("navigation", name="Các trang").get_by_role("link", name="Thành tích").click()
    page.wait_for_url(f"{live_server}/achievements")
    expect(page.get_by_role("heading", name="An toàn thông tin", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Khai thác dữ liệu", exact=True)).to_be_visible()
    expect(page.get_by_text("hoàn thành qua bài kiểm tra đầu vào")).to_be_visible()
    expect(page.get_by_text("Đã đạt 2/6 lĩnh vực của khung năng lực số.")).to_be_visible()
    check_page(page, "passport-04-achievements")
    small["achievements"] = small_targets(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll

    # The tested-out course's certificate: its QR code opens its verification page.
    with page.expect_download() as download_info:
        page.get_by_role(
            "link", name=re.compile(r"^Tải chứng chỉ \(PDF\)\s*: An toàn thông tin$")
        ).click()
    target = artifacts / "passport-certificate.pdf"
    download_info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    (verification,) = pdf_qr_codes(target)
    assert verification.startswith(f"{live_server}/certificates/")
    page.goto(verification)
    expect(page.get_by_text("Chứng chỉ này là thật.")).to_be_visible()
    expect(page.get_by_text("An toàn thông tin").first).to_be_visible()
    check_page(page, "passport-05-verification")
    small["verification"] = small_targets(page)
    page.goto(f"{live_server}/offline")
    small["offline"] = small_targets(page)
    assert {name: found for name, found in small.items() if found} == {}
