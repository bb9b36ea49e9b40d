"""A province manager on a 360 × 740 phone: every course's and every district's rate without
sideways scrolling, the weakest commune's not-started list in two taps, one official, and a
reminder to the people on the list. Every report and admin page passes axe."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import Notice
from tests.coursekit import sync, write_course

PHONE_WIDTH, SCREEN = 360, 740


def _seed(app, runner, tmp_path) -> dict[str, str]:
    """Two published courses, then the demo province of 2023–2024 (districts, 126 communes,
    2,366 officials with a year of activity); returns the sign-ins."""
    write_course(tmp_path / "courses", "an-toan", title="An toàn thông tin", required="yes")
    write_course(tmp_path / "courses", "ky-nang", title="Kỹ năng số cơ bản", required="no")
    with app.app_context():
        sync(tmp_path / "courses")
    result = runner.invoke(args=["demo", "seed", "--before-2025"])
    assert result.exit_code == 0, result.output
    return {
        username: password
        for username, password, _role in (
            line.split() for line in result.output.splitlines() if line.startswith("  ")
        )
    }


def _sign_in(page, live_server, username, password):
    page.goto(f"{live_server}/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def _no_sideways_scrolling(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def _rates_in_view(page, section: str) -> list[str]:
    """The rate shown on each row of a section, each wholly inside the phone's width."""
    rows = page.locator(f"section[aria-labelledby={section}] .meter-row")
    rates = []
    for index in range(rows.count()):
        rate = rows.nth(index).locator(".rate")
        box = rate.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH, box
        rates.append(rate.inner_text())
    return rates


def test_a_province_manager_on_a_phone(app, runner, tmp_path, live_server, phone, check_page):
    logins = _seed(app, runner, tmp_path)
    page = phone
    _sign_in(page, live_server, "sonoivu", logins["sonoivu"])
    page.wait_for_url(re.compile(r".*/reports/units/27$"))
    check_page(page, "reports-01-province")
    _no_sideways_scrolling(page)
    course_rates = _rates_in_view(page, "courses-title")
    assert len(course_rates) == 2 and all(r.endswith("%") for r in course_rates)
    district_rates = _rates_in_view(page, "children-title")
    assert len(district_rates) == 8  # 2 cities, 2 towns, 4 districts

    # Tap 1 of 2: the weakest commune's "chưa học" link, within the first two screens.
    weakest = page.locator("section[aria-labelledby=lowest-title] .meter-row").first
    commune = weakest.locator(".meter-name").inner_text()
    link = weakest.get_by_role("link", name=re.compile(r"Chưa học \("))
    assert link.bounding_box()["y"] + link.bounding_box()["height"] <= 2 * SCREEN
    link.click()
    page.wait_for_url(re.compile(r".*/officials\?.*status=not_started"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(commune)
    check_page(page, "reports-02-not-started")
    _no_sideways_scrolling(page)  # the wide table scrolls inside its own box

    # One official, then back to remind everyone on the list.
    page.locator("table a[href^='/reports/officials/']").first.click()
    page.wait_for_url(re.compile(r".*/reports/officials/[^/]+$"))
    expect(page.get_by_role("heading", name="Các khoá học")).to_be_visible()
    check_page(page, "reports-03-official")
    _no_sideways_scrolling(page)
    page.go_back()
    page.get_by_role("link", name="Nhắc những người này").click()
    check_page(page, "reports-04-remind")
    listed = int(re.search(r"Gửi nhắc nhở cho (\d+) người\?", page.content()).group(1))
    page.get_by_role("button", name=re.compile(r"Gửi nhắc nhở cho")).click()
    expect(page.get_by_text(f"Đã gửi nhắc nhở cho {listed} người.")).to_be_visible()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notice)) == listed

    page.goto(f"{live_server}/reports/units/27/honours")
    check_page(page, "reports-05-honours")
    _no_sideways_scrolling(page)


def test_every_report_and_admin_page_passes_axe(
    app, runner, tmp_path, live_server, phone, check_page
):
    logins = _seed(app, runner, tmp_path)
    page = phone
    _sign_in(page, live_server, "quantri", logins["quantri"])
    page.wait_for_url(re.compile(r".*/admin/$"))
    pages = [
        "/admin/",
        "/admin/people",
        "/admin/people/new",
        "/admin/import",
        "/admin/units",
        "/admin/units/261",
        "/admin/assignments",
        "/admin/announcements",
        "/admin/audit",
        "/reports/units/27",
        "/reports/units/261?course=an-toan",
        "/reports/units/09367?course=ky-nang",
        "/reports/units/27/officials?course=an-toan",
        "/reports/units/27/officials?course=an-toan&status=completed&print=1",
        "/reports/units/27/overdue?course=ky-nang",
        "/reports/units/27/honours",
        "/reports/units/27/honours?print=1",
        "/reports/units/27/remind?course=an-toan&status=not_started",
        "/reports/officials/canbo.canhhung",
        "/account/tokens",
    ]
    for number, path in enumerate(pages, start=1):
        page.goto(f"{live_server}{path}")
        assert page.title(), path
        check_page(page, f"axe-{number:02d}")
        _no_sideways_scrolling(page)
