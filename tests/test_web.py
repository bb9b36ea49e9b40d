"""Headers, error pages, the health check and the language switch."""

from __future__ import annotations

import base64
import hashlib
import re

from flask import url_for

from elearn import create_app, web
from tests.webkit import STRONG_PASSWORD, TEST_SECRET, csrf_token, form_token, login


def test_every_page_carries_the_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_and_only_the_first_screen_style_allowed_by_hash(
    client, make_user
):
    make_user("an")
    for path in ("/login", "/", "/password"):
        if path == "/":
            login(client, "an")
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "<script" not in page and "style=" not in page
        styles = re.findall(r"<style>(.*?)</style>", page, re.S)
        assert len(styles) == 1 and page.count("<style") == 1
        digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
        csp = response.headers["Content-Security-Policy"]
        assert f"style-src 'self' 'sha256-{digest}';" in csp and "unsafe" not in csp


def test_personal_pages_are_never_cached(client, make_user):
    make_user("an")
    login(client, "an")
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_static_files_are_fingerprinted_and_cached_for_a_year(client):
    page = client.get("/login").get_data(as_text=True)
    href = re.search(r'href="(/static/style.css\?v=[0-9a-f]{12})"', page)
    assert href, "the stylesheet URL carries a content hash"
    response = client.get(href.group(1))
    response.close()
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]


def test_pages_need_sign_in(client):
    response = client.get("/courses/an-toan")
    assert response.status_code == 302
    assert response.location == "/login?next=%2Fcourses%2Fan-toan"
    assert "Anh/chị hãy đăng nhập để tiếp tục." in client.get(response.location).text


def test_the_home_page_shows_the_sign_in_form_to_a_signed_out_visitor(client, make_user):
    """One round trip on a slow link: the form itself, no redirect, posting to /login."""
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert '<form method="post" action="/login"' in page and 'name="csrf_token"' in page
    make_user("an")
    signed_in = client.post(
        "/login",
        data={"username": "an", "password": STRONG_PASSWORD, "csrf_token": form_token(page)},
    )
    assert signed_in.status_code == 302 and signed_in.location == "/"


def test_not_found_page_is_in_vietnamese(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Không tìm thấy trang" in page and 'lang="vi"' in page


def test_a_crash_shows_a_generic_vietnamese_page(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = client.get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Có lỗi xảy ra" in page and "secret detail" not in page


def test_health_check_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_health_check_answers_503_when_the_database_is_down(tmp_path):
    app = create_app(
        {
            "ENV": "development",
            "SECRET_KEY": TEST_SECRET,
            "TESTING": True,
            "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.headers["Retry-After"]


def test_a_database_outage_on_a_page_is_a_503_not_a_500(tmp_path):
    app = create_app(
        {
            "ENV": "development",
            "SECRET_KEY": TEST_SECRET,
            "TESTING": True,
            "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
        }
    )
    client = app.test_client()
    token = csrf_token(client)
    response = client.post(
        "/login", data={"username": "an", "password": "x" * 12, "csrf_token": token}
    )
    assert response.status_code == 503
    assert "Hệ thống đang bận" in response.get_data(as_text=True)


def test_language_switch_shows_english_and_back(client):
    token = csrf_token(client)
    response = client.post("/language", data={"lang": "en", "next": "/login", "csrf_token": token})
    assert response.location == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in page and "Sign in" in page
    token = csrf_token(client)
    client.post("/language", data={"lang": "vi", "csrf_token": token})
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)


def test_language_switch_needs_a_csrf_token(client):
    assert client.post("/language", data={"lang": "en"}).status_code == 400


def test_odd_input_is_a_400_or_404_never_a_500(client, make_user):
    make_user("an")
    token = csrf_token(client)
    assert (
        client.post(
            "/login", data={"username": "a\x00b", "password": "x" * 12, "csrf_token": token}
        ).status_code
        == 400
    )
    assert client.get("/certificates/AB%00C").status_code == 400
    login(client, "an")
    assert client.get("/attempts/99999999999999999999999").status_code == 404
    assert client.get("/courses/x?q=%00").status_code == 400


def test_the_site_icons_answer_and_are_kept_a_year(client):
    page = client.get("/login").get_data(as_text=True)
    svg = client.get(re.search(r'<link rel="icon" href="([^"]+)"', page).group(1))
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert "max-age=31536000" in svg.headers["Cache-Control"]
    ico = client.get("/favicon.ico")
    assert ico.status_code == 200 and "max-age=31536000" in ico.headers["Cache-Control"]
    svg.close()
    ico.close()


def test_static_files_and_the_health_check_skip_the_session(client, make_user):
    """They need no user: the cookie is not read, none is set, a missing file is a plain 404."""
    make_user("an")
    login(client, "an")
    health = client.get("/healthz")
    assert health.status_code == 200 and "Set-Cookie" not in health.headers
    missing = client.get("/static/nope.css")
    assert missing.status_code == 404 and "Không tìm thấy trang" in missing.text
    assert client.get("/").status_code == 200  # the session itself is untouched


def test_template_links_are_built_once_and_match_url_for(app):
    """Templates build each distinct link once per worker; the link is url_for's."""
    with app.test_request_context("/"):
        first = web.template_url_for("learn.item", slug="an-toan", item_slug="otp")
        assert first == url_for("learn.item", slug="an-toan", item_slug="otp")
        assert web.template_url_for("learn.item", slug="an-toan", item_slug="otp") is first
        assert web.template_url_for("static", filename="style.css") == url_for(
            "static", filename="style.css"
        )
        assert web.template_url_for("learn.home", _anchor="x") == "/#x"
    with app.test_request_context("/", base_url="http://localhost/hoc/"):
        assert web.template_url_for("learn.home") == "/hoc/"  # a site under a prefix
    app.config["SERVER_NAME"] = "hoc.example"
    with app.app_context():
        assert web.template_url_for("learn.home") == url_for("learn.home")  # no request
