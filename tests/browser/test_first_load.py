"""A cold visit in Chromium: the sign-in form on the first answer, nothing refused by the CSP,
and no request of any main page answered with an error (the site icon included)."""

from __future__ import annotations

import re

from tests.coursekit import sync, write_course
from tests.webkit import STRONG_PASSWORD


def _watch(page) -> tuple[list[str], list[str]]:
    """Collect every response ≥ 400 and every console error of a page."""
    failed: list[str] = []
    errors: list[str] = []
    page.on(
        "response",
        lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return failed, errors


def test_main_pages_load_without_a_failed_request(app, make_user, live_server, browser, tmp_path):
    write_course(tmp_path / "courses", lessons=(("mat-khau", "Mật khẩu mạnh"),))
    with app.app_context():
        sync(tmp_path / "courses")
    make_user("an")
    make_user("quanly", role="manager")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    failed, errors = _watch(page)

    first = page.goto(f"{live_server}/")
    assert first.status == 200 and first.request.redirected_from is None  # no redirect
    assert page.url == f"{live_server}/"
    page.get_by_label("Tên đăng nhập").fill("an")
    page.get_by_label("Mật khẩu").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server}/")
    # The stylesheet at the page's end arrived and applies (the header's colour is in both).
    page.wait_for_load_state("load")
    button = page.locator("button.link").first
    assert button.evaluate("e => getComputedStyle(e).cursor") == "pointer"
    for path in ("/courses/an-toan", "/courses/an-toan/mat-khau", "/courses/an-toan/kiem-tra"):
        page.goto(f"{live_server}{path}")
        page.wait_for_load_state("load")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(f"{live_server}{icon}").status == 200
    assert page.request.get(f"{live_server}/favicon.ico").status == 200
    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_label("Tên đăng nhập").fill("quanly")
    page.get_by_label("Mật khẩu").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r".*/reports/.*"))
    page.wait_for_load_state("load")
    context.close()
    assert failed == []
    assert errors == []  # a style or script the CSP refused would be reported here
