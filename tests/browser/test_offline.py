"""Learning without a connection, in Debian's Chromium on a 360×740 phone: save a course, read
and finish lessons offline, send the queue once when the network returns, sign out clean."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import delete, func, select
from werkzeug.serving import make_server

from elearn.extensions import db
from elearn.models import AppliedEvent, LessonCompletion, User, UserSession
from tests.coursekit import sync, write_course
from tests.webkit import STRONG_PASSWORD

BANNER = "Đang không có mạng – tiến độ sẽ được gửi khi có mạng"
STORED = """() => Promise.all([
    caches.keys(),
    indexedDB.databases().then((dbs) => dbs.map((d) => d.name)),
])"""


def _course_with_an_image(root) -> None:
    """The test course, its first lesson showing a real (decodable) PNG."""
    folder = write_course(root)
    picture = io.BytesIO()
    Image.new("RGB", (40, 20), (11, 92, 173)).save(picture, format="PNG")
    (folder / "so-do.png").write_bytes(picture.getvalue())
    lesson = folder / "01-mat-khau.md"
    text = lesson.read_text(encoding="utf-8") + "\n![Sơ đồ đặt mật khẩu](so-do.png)\n"
    lesson.write_text(text, encoding="utf-8")


def _sign_in(page, live_server: str, username: str) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server}/")


def _wait_until(page, script: str, arg=None, seconds: float = 10) -> None:
    """Poll a page function until it is true (wait_for_function would need CSP's eval)."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(script, arg):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"still false after {seconds} s: {script}")


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (LessonCompletion, AppliedEvent)
        )


class Outage:
    """A live server that can lose its connection and get it back, at the same address."""

    def __init__(self, app) -> None:
        self.app = app
        self.port = 0
        self.up()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def up(self) -> None:
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def down(self) -> None:
        self.server.shutdown()
        self.server.server_close()  # connections are refused, as with a dropped link
        self.thread.join(timeout=5)


@pytest.fixture
def outage(app) -> Iterator[Outage]:
    server = Outage(app)
    yield server
    server.down()


def test_save_learn_offline_send_once_and_sign_out_clean(
    app, make_user, outage, phone, tmp_path, check_page
):
    _course_with_an_image(tmp_path / "courses")
    with app.app_context():
        sync(tmp_path / "courses")
    make_user("an", full_name="Nguyễn Văn An")
    page, context = phone, phone.context
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    _sign_in(page, outage.url, "an")
    page.goto(f"{outage.url}/courses/an-toan")
    save = page.get_by_role("button", name=re.compile(r"^Tải về để học khi mất mạng \(0,\d MB\)$"))
    save.click()
    expect(page.get_by_text(re.compile(r"^Đã tải về máy này \(0,\d MB\)"))).to_be_visible()
    expect(page.locator("[data-saved-list] li")).to_have_text(
        re.compile(r"An toàn thông tin · 0,\d MB · Xoá")
    )
    check_page(page, "offline-01-course-saved")
    stored = page.evaluate("() => caches.match('/offline/manifests/an-toan').then((r) => r.json())")
    assert stored["bytes"] > 0 and abs(stored["size"] - stored["bytes"]) < 0.15 * stored["bytes"]

    context.set_offline(True)  # and the server unreachable: nothing may come from it
    outage.down()
    page.goto(f"{outage.url}/courses/an-toan/mat-khau")
    expect(page.get_by_text(BANNER)).to_be_visible()
    expect(page.get_by_text("Nguyễn Văn An")).to_have_count(0)  # a content-only copy
    image = page.get_by_role("img", name="Sơ đồ đặt mật khẩu")
    expect(image).to_be_visible()
    assert image.evaluate("(img) => img.complete && img.naturalWidth") == 40
    check_page(page, "offline-02-lesson")
    page.get_by_role("button", name="Đã học xong – sang bài tiếp").click()
    page.wait_for_url(re.compile(r".*/courses/an-toan/otp$"))
    expect(page.get_by_text("Đã lưu trên máy – chờ gửi (1)")).to_be_visible()
    page.get_by_role("button", name="Đã học xong – sang bài tiếp").click()
    page.wait_for_url(re.compile(r".*/courses/an-toan/kiem-tra$"))
    expect(page.get_by_text("bài kiểm tra cần có mạng")).to_be_visible()
    page.reload()
    expect(page.get_by_text("Đã lưu trên máy – chờ gửi (2)")).to_be_visible()
    check_page(page, "offline-03-quiz-needs-network")
    page.goto(f"{outage.url}/reports/")  # not saved: the offline page lists what is
    expect(page.get_by_role("heading", name="Anh/chị đang không có mạng")).to_be_visible()
    expect(page.get_by_role("link", name="An toàn thông tin")).to_be_visible()
    assert _counts(app) == (0, 0)

    outage.up()
    context.set_offline(False)
    expect(page.get_by_text("Đã gửi")).to_be_visible()
    assert _counts(app) == (2, 2)
    progress = page.request.get(f"{outage.url}/api/v1/me/progress").json()["courses"][0]
    assert (progress["lessons_done"], progress["lessons_total"]) == (2, 2)
    page.goto(f"{outage.url}/courses/an-toan")
    expect(page.locator("ol.outline li.done")).to_have_count(2)
    page.reload()  # a second load sends nothing more
    assert _counts(app) == (2, 2)

    caches, databases = page.evaluate(STORED)
    assert caches and "elearn" in databases
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r".*/login$"))
    caches, databases = page.evaluate(STORED)
    assert caches == [] and "elearn" not in databases
    assert errors == []


def _course_caches(page) -> list[str]:
    names = page.evaluate("() => caches.keys()")
    return [name for name in names if name.startswith("elearn-course:")]


def test_a_post_lost_on_the_way_is_queued_and_an_updated_lesson_is_saved_again(
    app, make_user, outage, phone, tmp_path
):
    root = tmp_path / "courses"
    write_course(root)
    with app.app_context():
        sync(root)
    make_user("an")
    page = phone
    _sign_in(page, outage.url, "an")
    page.goto(f"{outage.url}/courses/an-toan")
    page.get_by_role("button", name=re.compile("^Tải về để học khi mất mạng")).click()
    expect(page.get_by_text(re.compile("^Đã tải về máy này"))).to_be_visible()
    first = _course_caches(page)

    quiz = root / "an-toan" / "03-kiem-tra.md"
    quiz.write_text(
        quiz.read_text(encoding="utf-8").replace("các câu hỏi sau.", "các câu hỏi sau (bản mới)."),
        encoding="utf-8",
    )
    with app.app_context():
        sync(root)
    page.goto(f"{outage.url}/courses/an-toan/mat-khau")  # online: the saved copy is renewed
    version = page.locator("script[data-version]").get_attribute("data-version")
    _wait_until(
        page,
        "(name) => caches.keys().then((names) =>"
        " names.filter((n) => n.startsWith('elearn-course:')).join() === name)",
        f"elearn-course:an-toan:{version}",
    )
    renewed = _course_caches(page)
    assert renewed == [f"elearn-course:an-toan:{version}"] and renewed != first

    # Online, the form goes through the service worker to the server as a plain POST.
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")
    page.get_by_role("button", name="Đã học xong – sang bài tiếp").click()
    page.wait_for_url(re.compile(r".*/courses/an-toan/otp$"))
    expect(page.get_by_text("Đã lưu: anh/chị đã học xong bài “Mật khẩu mạnh”.")).to_be_visible()
    assert _counts(app) == (1, 0)

    outage.down()  # the browser still believes it is online: the form is posted, and fails
    page.get_by_role("button", name="Đã học xong – sang bài tiếp").click()
    page.wait_for_url(re.compile(r".*/courses/an-toan/kiem-tra$"))
    expect(page.get_by_text("các câu hỏi sau (bản mới).")).to_be_visible()  # the renewed copy
    expect(page.get_by_text("Đã lưu trên máy – chờ gửi (1)")).to_be_visible()
    expect(page.get_by_text("bài kiểm tra cần có mạng")).to_be_visible()

    outage.up()
    page.reload()
    expect(page.get_by_text("Đã gửi")).to_be_visible()
    assert _counts(app) == (2, 1)

    page.goto(f"{outage.url}/courses/an-toan")
    page.get_by_role("button", name="Xoá: An toàn thông tin").click()
    expect(page.get_by_text("Chưa có khoá học nào được tải về máy này.")).to_be_visible()
    expect(
        page.get_by_role("button", name=re.compile("^Tải về để học khi mất mạng"))
    ).to_be_visible()
    assert _course_caches(page) == []


def _end_sessions(app, username: str) -> None:
    """The session expires on the server while the phone is away."""
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == username))
        db.session.execute(delete(UserSession).where(UserSession.user_id == user_id))
        db.session.commit()


def test_a_queue_waits_for_the_account_that_made_it(app, make_user, outage, phone, tmp_path):
    write_course(tmp_path / "courses")
    with app.app_context():
        sync(tmp_path / "courses")
    make_user("an")
    make_user("binh", full_name="Trần Thị Bình")
    page, context = phone, phone.context
    lesson = f"{outage.url}/courses/an-toan/mat-khau"
    _sign_in(page, outage.url, "an")
    page.goto(lesson)
    _wait_until(page, "() => navigator.serviceWorker.controller !== null")
    expect(page.get_by_text(BANNER)).to_be_hidden()
    context.set_offline(True)
    outage.down()
    expect(page.get_by_text(BANNER)).to_be_visible()  # the live page notices
    page.get_by_role("button", name="Đã học xong – sang bài tiếp").click()
    page.wait_for_url(re.compile(r".*/courses/an-toan/otp$"))  # not saved: the offline page
    expect(page.get_by_role("heading", name="Anh/chị đang không có mạng")).to_be_visible()
    expect(page.get_by_text("Đã lưu trên máy – chờ gửi (1)")).to_be_visible()

    _end_sessions(app, "an")
    outage.up()
    with page.expect_response(f"{outage.url}/api/v1/me/events") as asked:
        context.set_offline(False)
    assert asked.value.status == 401  # signed out: the event stays on the phone
    expect(page.get_by_text("Đã lưu trên máy – chờ gửi (1)")).to_be_visible()

    _sign_in(page, outage.url, "binh")  # someone else on the same phone
    with page.expect_response(f"{outage.url}/api/v1/me/events") as asked:
        page.goto(lesson)
    assert asked.value.json()["account"] == "binh"
    expect(page.locator("#offline-queue")).to_be_hidden()
    assert _counts(app) == (0, 0)

    _end_sessions(app, "binh")
    _sign_in(page, outage.url, "an")
    page.goto(lesson)
    expect(page.get_by_text("Đã gửi")).to_be_visible()
    assert _counts(app) == (1, 1)
    with app.app_context():
        owner = db.session.scalar(
            select(User.username).join(LessonCompletion, LessonCompletion.user_id == User.id)
        )
    assert owner == "an"


def test_learning_works_with_javascript_off(app, make_user, live_server, browser, tmp_path):
    write_course(tmp_path / "courses")
    with app.app_context():
        sync(tmp_path / "courses")
    make_user("an")
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    _sign_in(page, live_server, "an")
    page.goto(f"{live_server}/courses/an-toan")
    expect(page.get_by_role("button", name=re.compile("Tải về để học"))).to_be_hidden()
    page.get_by_role("link", name="Bắt đầu học").click()
    expect(page.get_by_text(BANNER)).to_be_hidden()
    page.get_by_role("button", name="Đã học xong – sang bài tiếp").click()
    page.wait_for_url(re.compile(r".*/courses/an-toan/otp$"))
    expect(page.get_by_text("Đã lưu: anh/chị đã học xong bài “Mật khẩu mạnh”.")).to_be_visible()
    assert _counts(app) == (1, 0)
    context.close()


def test_signing_out_empties_the_device_even_without_the_service_worker(
    app, make_user, live_server, phone
):
    make_user("an")
    page = phone
    _sign_in(page, live_server, "an")  # the home page loads no offline script
    page.evaluate(
        """() => Promise.all([
            caches.open('elearn-course:an-toan:1').then((c) => c.put('/x', new Response('x'))),
            new Promise((done) => { indexedDB.open('elearn', 1).onsuccess = (e) => {
                e.target.result.close(); done(); }; }),
        ])"""
    )
    assert page.evaluate(STORED) == [["elearn-course:an-toan:1"], ["elearn"]]
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r".*/login$"))
    assert page.evaluate(STORED) == [[], []]


def test_signing_out_sends_the_queue_before_emptying_the_device(
    app, make_user, live_server, phone, tmp_path
):
    write_course(tmp_path / "courses")
    with app.app_context():
        sync(tmp_path / "courses")
    make_user("an")
    page = phone
    _sign_in(page, live_server, "an")
    page.goto(f"{live_server}/courses/an-toan/mat-khau")
    _wait_until(page, "() => navigator.serviceWorker.controller !== null")
    # An event left waiting (no page script or background sync around to send it).
    page.evaluate("() => ElearnQueue.add('an-toan', 'mat-khau')")
    page.goto(f"{live_server}/")
    assert _counts(app) == (0, 0)
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r".*/login$"))
    assert _counts(app) == (1, 1)
    assert page.evaluate(STORED) == [[], []]
