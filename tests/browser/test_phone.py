"""What a person sees on a 360×740 phone: tap targets, wide tables, form fields, the icon."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Course, CourseItem
from tests.browser.taps import MIN_TARGET, small_targets
from tests.coursekit import sync, write_course
from tests.webkit import STRONG_PASSWORD

SHIPPED = Path(__file__).resolve().parents[2] / "courses"


def _sign_in(page, base: str, username: str = "an") -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: not url.endswith("/login"))  # each role's own home page


def test_every_tap_target_on_the_learner_pages_is_at_least_44_px(
    app, make_user, live_server, phone, tmp_path, check_page
):
    write_course(tmp_path / "courses", lessons=(("mat-khau", "Mật khẩu mạnh"),))
    with app.app_context():
        sync(tmp_path / "courses")
    make_user("an", full_name="Nguyễn Văn An")
    page = phone
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    _sign_in(page, live_server)
    small = {"home": small_targets(page)}
    page.get_by_role("link", name="An toàn thông tin").click()
    small["course"] = small_targets(page)
    check_page(page, "phone-course")
    page.get_by_role("link", name="Bắt đầu học").click()
    small["lesson"] = small_targets(page)
    page.get_by_role("button", name="Đã học xong – sang bài tiếp").click()
    page.wait_for_url(re.compile(r".*/kiem-tra$"))
    small["quiz"] = small_targets(page)
    page.get_by_role("button", name="Làm bài kiểm tra").click()
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    small["attempt"] = small_targets(page)
    check_page(page, "phone-attempt")
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_text("Chưa đạt").first).to_be_visible()
    small["result"] = small_targets(page)
    page.goto(f"{live_server}/courses/an-toan/kiem-tra")
    small["quiz-after"] = small_targets(page)
    check_page(page, "phone-quiz-after-attempt")
    assert {name: found for name, found in small.items() if found} == {}
    assert missing == []  # the icon included: no page asks for anything that is not there


WIDE_TABLE = """
| Loại tệp | Phần mở rộng | Thư mục lưu | Mở bằng | Dung lượng |
|---|---|---|---|---|
| Văn bản | `.docx` | `D:\\HoSo\\VanBanDen` | LibreOffice | 1.500 KB |
| Bảng tính | `.xlsx` | `D:\\HoSo\\BaoCaoThang` | LibreOffice | 2.300 KB |
"""


def test_a_wide_lesson_table_scrolls_inside_its_own_box(
    app, make_user, live_server, phone, tmp_path, check_page
):
    folder = write_course(tmp_path / "courses", lessons=(("bang", "Các loại tệp"),))
    lesson = folder / "01-bang.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + WIDE_TABLE, encoding="utf-8")
    with app.app_context():
        sync(tmp_path / "courses")
    make_user("an")
    page = phone
    _sign_in(page, live_server)
    page.goto(f"{live_server}/courses/an-toan/bang")
    box = page.locator(".lesson .table-scroll")
    expect(box).to_be_visible()
    sizes = page.evaluate(
        """() => {
          const box = document.querySelector('.lesson .table-scroll');
          return {page: document.documentElement.scrollWidth, view: window.innerWidth,
                  box: box.clientWidth, content: box.scrollWidth};
        }"""
    )
    assert sizes["page"] <= sizes["view"] == 360  # the page itself never scrolls sideways
    assert sizes["content"] > sizes["box"]  # the table is wider, and scrolls in its box
    box.focus()  # reachable by keyboard, so it scrolls with the arrow keys too
    page.keyboard.press("ArrowRight")
    # Chromium scrolls smoothly: wait for the box to move rather than read it at once.
    page.wait_for_function(
        "() => document.querySelector('.lesson .table-scroll').scrollLeft > 0", timeout=5000
    )
    check_page(page, "phone-lesson-table")


def test_no_shipped_lesson_scrolls_the_page_sideways(app, make_user, live_server, phone):
    with app.app_context():
        sync(SHIPPED)
        lessons = db.session.execute(
            select(Course.slug, CourseItem.slug)
            .join(Course, Course.id == CourseItem.course_id)
            .where(CourseItem.kind == "lesson", CourseItem.status == "published")
        ).all()
    make_user("an")
    page = phone
    _sign_in(page, live_server)
    wide = {}
    for course, lesson in lessons:
        page.goto(f"{live_server}/courses/{course}/{lesson}")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 360:
            wide[f"{course}/{lesson}"] = width
    assert len(lessons) > 50 and wide == {}


def test_date_and_file_fields_look_like_the_other_fields(app, make_user, live_server, phone):
    make_user("quantri", role="admin", unit="27")
    page = phone
    _sign_in(page, live_server, "quantri")
    page.goto(f"{live_server}/admin/audit")
    text_box = page.locator("#username").bounding_box()
    for field in ("#from", "#to"):
        date_box = page.locator(field).bounding_box()
        assert date_box["height"] == text_box["height"] >= MIN_TARGET
        assert date_box["width"] == text_box["width"]
    page.goto(f"{live_server}/admin/import")
    file_box = page.locator("input[type=file]").bounding_box()
    assert file_box["height"] >= MIN_TARGET and file_box["width"] >= 300
    assert (
        page.locator("input[type=file]").evaluate("el => getComputedStyle(el).borderTopStyle")
        == "solid"
    )
