"""What a phone may keep: content-only copies with private caching, a manifest of what to store,
the service worker and the offline page; personal pages stay out of every cache."""

from __future__ import annotations

import json
import re

from tests.webkit import form_token, login

LESSON_COPY = "/offline/courses/an-toan/mat-khau"


def _version(client) -> str:
    manifest = client.get("/offline/manifests/an-toan").json
    return manifest["version"]


def test_a_lesson_copy_holds_content_only_and_may_be_kept_privately(official):
    copy = official.get(f"{LESSON_COPY}?v={_version(official)}")
    page = copy.get_data(as_text=True)
    assert copy.status_code == 200
    assert copy.headers["Cache-Control"] == "private, max-age=604800"
    assert "Nội dung của bài Mật khẩu mạnh." in page and "Bài 1/3" in page
    assert "Nguyễn Văn An" not in page and "csrf_token" not in page and "Đăng xuất" not in page
    assert "Đang không có mạng – tiến độ sẽ được gửi khi có mạng" in page
    assert 'data-next="/courses/an-toan/otp"' in page
    stale = official.get(f"{LESSON_COPY}?v=000000000000")
    assert stale.headers["Cache-Control"] == "private, no-cache"


def test_a_quiz_copy_says_it_needs_a_connection_and_holds_no_question(official):
    page = official.get("/offline/courses/an-toan/kiem-tra").get_data(as_text=True)
    assert "bài kiểm tra cần có mạng" in page and "Hãy trả lời các câu hỏi sau." in page
    for secret in ("mã OTP, anh/chị làm gì", "VNeID", "Từ chối và báo công an", "Kẻ gian"):
        assert secret not in page
    assert "<form" not in page


def test_personal_pages_stay_out_of_every_cache(official):
    for url in ("/", "/courses/an-toan", "/courses/an-toan/mat-khau", "/api/v1/me/progress"):
        assert official.get(url).headers["Cache-Control"] == "no-store", url


def test_the_manifest_lists_every_page_image_and_asset_of_a_course(official):
    manifest = official.get("/offline/manifests/an-toan")
    assert manifest.headers["Cache-Control"] == "private, no-cache"
    data = manifest.json
    version = data["version"]
    assert [p["url"] for p in data["pages"]] == [
        "/courses/an-toan",
        "/courses/an-toan/mat-khau",
        "/courses/an-toan/otp",
        "/courses/an-toan/kiem-tra",
    ]
    assert data["pages"][1]["copy"] == f"{LESSON_COPY}?v={version}"
    assert [re.sub(r"\?v=\w+", "", f) for f in data["files"]] == [
        "/static/style.css",
        "/static/queue.js",
        "/static/offline.js",
    ]
    assert data["title"] == "An toàn thông tin" and 5_000 < data["size"] < 50_000
    for page in data["pages"]:
        assert official.get(page["copy"]).status_code == 200


def test_copies_and_manifests_need_a_signed_in_learner_and_a_published_course(
    app, official, publish_course
):
    anonymous = app.test_client()
    for url in ("/offline/manifests/an-toan", LESSON_COPY, "/offline/courses/an-toan"):
        assert anonymous.get(url).status_code == 302, url
    assert official.get("/offline/courses/an-toan/khong-co").status_code == 404
    assert official.get("/offline/manifests/khong-co").status_code == 404
    publish_course(status="draft")
    assert official.get(LESSON_COPY).status_code == 404


def test_the_service_worker_and_the_offline_page_are_served_from_the_root(app, official):
    worker = app.test_client().get("/sw.js")
    body = worker.get_data(as_text=True)
    assert worker.mimetype == "text/javascript" and worker.headers["Cache-Control"] == "no-cache"
    config = json.loads(re.match(r"self\.ELEARN = (\{.*\});\n", body).group(1))
    assert config["shell"][0] == "/offline" and config["queue"].startswith("/static/queue.js?v=")
    assert "addEventListener('fetch'" in body
    offline = app.test_client().get("/offline")
    page = offline.get_data(as_text=True)
    assert offline.status_code == 200 and "Anh/chị đang không có mạng" in page
    assert "Chưa có khoá học nào được tải về máy này." in page and "csrf_token" not in page


def test_the_course_page_offers_saving_with_the_size_and_the_lesson_queues(official):
    course = official.get("/courses/an-toan").get_data(as_text=True)
    assert re.search(r"Tải về để học khi mất mạng \(0,\d MB\)", course)
    assert '<section id="offline-save" hidden' in course  # shown by the script only
    lesson = official.get("/courses/an-toan/mat-khau").get_data(as_text=True)
    assert 'id="offline-banner" class="flash flash-offline" role="status" hidden' in lesson
    assert 'data-offline\n  data-course="an-toan" data-item="mat-khau"' in lesson
    assert 'data-account="an"' in lesson


def test_signing_out_tells_the_browser_to_empty_the_device(official):
    page = official.get("/").get_data(as_text=True)
    response = official.post("/logout", data={"csrf_token": form_token(page)})
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_previews_for_authors_carry_no_offline_parts(app, make_user, publish_course):
    publish_course(status="draft")
    make_user("bs", role="author")
    client = app.test_client()
    login(client, "bs")
    page = client.get("/author/preview/an-toan/mat-khau").get_data(as_text=True)
    assert "Mật khẩu mạnh" in page
    assert "offline.js" not in page and "offline-banner" not in page
