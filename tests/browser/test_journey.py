"""The whole journey in a real browser on a phone-sized screen, checked for accessibility."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import CourseItem
from tests.coursekit import RIGHT_ANSWERS_TEXT, sync, write_course
from tests.webkit import STRONG_PASSWORD, pdf_qr_codes


def _right_choices(app) -> dict[str, list[str]]:
    with app.app_context():
        quiz = db.session.scalar(select(CourseItem).where(CourseItem.kind == "quiz"))
        return {
            q.slug: [c["key"] for c in q.answer_key["choices"] if c["correct"]]
            for q in quiz.questions
        }


def test_sign_in_learn_fail_pass_certificate_sign_out(
    app, make_user, live_server, phone, tmp_path, check_page, artifacts
):
    write_course(tmp_path / "courses", lessons=(("mat-khau", "Mật khẩu mạnh"),))
    with app.app_context():
        sync(tmp_path / "courses")
    make_user("an", full_name="Nguyễn Văn An")
    app.config.update(PUBLIC_URL=live_server, ISSUER="Sở Nội vụ tỉnh Bắc Ninh")
    page = phone

    page.goto(f"{live_server}/login")
    check_page(page, "01-sign-in")
    page.get_by_label("Tên đăng nhập").fill("an")
    page.get_by_label("Mật khẩu").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server}/")
    check_page(page, "02-home")

    page.get_by_role("link", name="Bắt đầu học").click()
    page.wait_for_url(re.compile(r".*/courses/an-toan/mat-khau$"))
    expect(page.get_by_text("Bài 1/2")).to_be_visible()
    check_page(page, "03-lesson")
    page.get_by_role("button", name="Đã học xong – sang bài tiếp").click()
    page.wait_for_url(re.compile(r".*/courses/an-toan/kiem-tra$"))
    expect(page.get_by_text("Đã lưu")).to_be_visible()
    check_page(page, "04-quiz-start")

    page.get_by_role("button", name="Làm bài kiểm tra").click()
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    check_page(page, "05-quiz-form")
    page.get_by_role("button", name="Nộp bài").click()  # nothing answered: a failing attempt
    expect(page.get_by_text("Chưa đạt")).to_be_visible()
    check_page(page, "06-quiz-failed")

    page.get_by_role("button", name="Làm lại bài kiểm tra").click()
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    for slug, keys in _right_choices(app).items():
        for key in keys:
            page.locator(f"#q-{slug}-{key}").check()
    for slug, text in RIGHT_ANSWERS_TEXT.items():
        page.locator(f"#q-{slug}-input").fill(text)
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_text("100,0%").first).to_be_visible()
    check_page(page, "07-quiz-passed")

    page.get_by_role("link", name="Xem chứng chỉ").click()
    expect(page.get_by_text("Chứng chỉ này là thật.")).to_be_visible()
    check_page(page, "08-certificate")
    code = page.locator("dd .code")
    assert code.evaluate("el => el.getClientRects().length") == 1  # never broken across lines
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải chứng chỉ (PDF)").click()
    download = download_info.value
    target = artifacts / "certificate.pdf"
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    (verification,) = pdf_qr_codes(target)  # the QR code printed on the certificate …
    assert verification.startswith(f"{live_server}/certificates/")
    page.goto(verification)  # … opens its verification page
    expect(page.get_by_text("Chứng chỉ này là thật.")).to_be_visible()
    expect(page.get_by_text("Sở Nội vụ tỉnh Bắc Ninh").first).to_be_visible()
    page.goto(f"{live_server}/")
    # The completed course's card links its certificate, named for screen readers.
    page.get_by_role("link", name=re.compile(r"^Xem chứng chỉ\s*: An toàn thông tin$")).click()
    expect(page.get_by_text("Chứng chỉ này là thật.")).to_be_visible()
    page.goto(f"{live_server}/")
    check_page(page, "09-home-completed")

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r".*/login$"))
    expect(page.get_by_text("Anh/chị đã đăng xuất.")).to_be_visible()
    page.goto(f"{live_server}/")  # signed out: the home page is the sign-in form itself
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
