"""Sign-in, sign-out, password changes, throttling and sessions."""

from __future__ import annotations

import os
import re
import time

import pytest
from sqlalchemy import func, select

from elearn.auth.passwords import hash_password
from elearn.extensions import db
from elearn.models import AuditEvent, LoginThrottle, User, UserSession
from tests.webkit import STRONG_PASSWORD, csrf_token, login, shows_sign_in


def _flash(page: str) -> str:
    match = re.search(r'<p class="flash[^"]*"[^>]*>(.*?)</p>', page, re.S)
    return match.group(1).strip() if match else ""


def test_official_signs_in_and_sees_vietnamese_home(client, make_user):
    make_user("an", full_name="Nguyễn Văn An")
    response = login(client, "an")
    assert response.status_code == 302 and response.location == "/"
    page = client.get("/").get_data(as_text=True)
    assert 'lang="vi"' in page
    assert "Xin chào, Nguyễn Văn An" in page
    assert "Phường Vũ Ninh" in page


def test_username_is_matched_case_insensitively_and_in_nfc(client, make_user):
    make_user("can.bo")
    assert login(client, "  CAN.BO ").status_code == 302


def test_sign_in_without_csrf_token_is_refused(app, client, make_user):
    make_user("an")
    response = client.post("/login", data={"username": "an", "password": STRONG_PASSWORD})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.get_data(as_text=True)
    assert shows_sign_in(client.get("/"))  # still signed out
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0


def test_unknown_user_and_wrong_password_get_the_same_answer(client, make_user):
    make_user("an")
    unknown = login(client, "khongco", "sai-mat-khau-123")
    wrong = login(client, "an", "sai-mat-khau-123")
    assert unknown.status_code == wrong.status_code == 200
    assert _flash(unknown.get_data(as_text=True)) == _flash(wrong.get_data(as_text=True))
    assert "quản trị viên" in _flash(wrong.get_data(as_text=True))


def _failed_sign_in(client, username: str) -> float:
    """Seconds a sign-in with a wrong password takes to answer."""
    token = csrf_token(client)
    start = time.perf_counter()
    client.post("/login", data={"username": username, "password": "x" * 12, "csrf_token": token})
    return time.perf_counter() - start


def test_unknown_user_costs_as_much_time_as_a_wrong_password(client, make_user):
    make_user("an")

    # Interleaved, and the fastest of each: a burst of load elsewhere slows one try, not a side.
    rounds = [(_failed_sign_in(client, "khongco"), _failed_sign_in(client, "an")) for _ in range(3)]
    unknown, known = min(u for u, _ in rounds), min(k for _, k in rounds)
    # A password hash dominates both; without it, an unknown name answers many times faster.
    assert 0.33 < unknown / known < 3


def test_sign_in_clears_the_old_session_and_starts_a_new_one(app, client, make_user):
    make_user("an")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    cookie_before = client.get_cookie("session").value
    login(client, "an")
    with client.session_transaction() as session:
        assert "planted" not in session
    assert client.get_cookie("session").value != cookie_before


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/password", "/password"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_only_goes_to_a_path_on_this_site(client, make_user, target, expected):
    make_user("an", must_change_password=False)
    token = csrf_token(client)
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"username": "an", "password": STRONG_PASSWORD, "csrf_token": token},
    )
    assert response.location == expected


def test_account_is_locked_after_repeated_failures_even_with_the_right_password(
    app, client, make_user
):
    make_user("an")
    for _ in range(5):
        assert login(client, "an", "sai-mat-khau-123").status_code == 200
    response = login(client, "an")
    assert response.status_code == 429
    assert "quá nhiều lần" in response.get_data(as_text=True)
    assert shows_sign_in(client.get("/"))
    with app.app_context():
        locked = db.session.get(LoginThrottle, "an")
        assert locked is not None and locked.locked_until is not None


def test_unknown_usernames_are_locked_like_real_ones(client, make_user):
    for _ in range(5):
        login(client, "khongco", "sai-mat-khau-123")
    assert login(client, "khongco", "sai-mat-khau-123").status_code == 429


def test_account_lock_is_shared_by_every_app_server(make_app, make_user):
    """Failure counts live in the database, so a second server sees the first one's."""
    make_user("an")
    first, second = make_app().test_client(), make_app().test_client()
    for _ in range(3):
        login(first, "an", "sai-mat-khau-123")
    for _ in range(2):
        login(second, "an", "sai-mat-khau-123")
    assert login(first, "an").status_code == 429


def test_a_success_resets_the_failure_count(app, client, make_user):
    make_user("an")
    for _ in range(4):
        login(client, "an", "sai-mat-khau-123")
    assert login(client, "an").status_code == 302
    with app.app_context():
        assert db.session.get(LoginThrottle, "an") is None


def test_one_address_is_throttled_across_accounts(make_app, make_user):
    make_user("an")
    client = make_app(LOGIN_RATE_LIMIT="3 per 10 minutes").test_client()
    for number in range(3):
        assert login(client, f"khongco{number}", "sai-mat-khau-123").status_code == 200
    response = login(client, "an")
    assert response.status_code == 429
    assert "Thử lại quá nhiều lần" in response.get_data(as_text=True)


def test_an_operators_default_limit_applies_to_every_page(make_app):
    """The app sets no app-wide limit, but ELEARN_RATELIMIT_DEFAULT must still work; another
    app in the same process keeps its own limits."""
    client = make_app(RATELIMIT_DEFAULT="2 per minute").test_client()
    assert [client.get("/healthz").status_code for _ in range(3)] == [200, 200, 429]
    unlimited = make_app().test_client()
    assert {unlimited.get("/healthz").status_code for _ in range(5)} == {200}


def test_address_limit_is_shared_through_redis(make_app, make_user):
    """Two app servers sharing Redis count the same address together."""
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).flushdb()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    make_user("an")
    settings = {"RATELIMIT_STORAGE_URL": url, "LOGIN_RATE_LIMIT": "4 per 10 minutes"}
    first, second = make_app(**settings).test_client(), make_app(**settings).test_client()
    for number in range(2):
        login(first, f"khongco{number}", "sai-mat-khau-123")
        login(second, f"khongco{number}", "sai-mat-khau-123")
    assert login(first, "an").status_code == 429
    redis.Redis.from_url(url).flushdb()


def test_sign_ins_and_failures_are_audited(app, client, make_user):
    user = make_user("an")
    login(client, "an", "sai-mat-khau-123")
    login(client, "an")
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.target) for e in events][-2:] == [
        ("login.failed", "an"),
        ("login.succeeded", "an"),
    ]
    assert events[-1].actor_id == user.id and events[-1].ip == "127.0.0.1"


def test_sign_out_ends_the_session_on_the_server(client, make_user):
    make_user("an")
    login(client, "an")
    stolen = client.get_cookie("session").value
    token = csrf_token(client, "/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    client.set_cookie("session", stolen)  # a copy of the old cookie is worthless now
    assert shows_sign_in(client.get("/"))


def test_sign_out_needs_a_post_with_a_token(client, make_user):
    make_user("an")
    login(client, "an")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_one_time_password_forces_a_change_before_anything_else(app, client, make_user):
    user = make_user("an", password=None)
    with app.app_context():  # the one-time password was printed; set a known one instead
        db.session.get(User, user.id).password_hash = hash_password("mot-lan-duy-nhat-1")
        db.session.commit()
    response = login(client, "an", "mot-lan-duy-nhat-1")
    assert response.location == "/password"
    assert client.get("/").location == "/password"
    token = csrf_token(client, "/password")
    weak = client.post(
        "/password",
        data={
            "current_password": "mot-lan-duy-nhat-1",
            "new_password": "ngan",
            "confirm": "ngan",
            "csrf_token": token,
        },
    )
    assert "ít nhất 12 ký tự" in weak.get_data(as_text=True)
    done = client.post(
        "/password",
        data={
            "current_password": "mot-lan-duy-nhat-1",
            "new_password": STRONG_PASSWORD,
            "confirm": STRONG_PASSWORD,
            "csrf_token": token,
        },
    )
    assert done.location == "/"
    assert client.get("/").status_code == 200
    with app.app_context():
        assert db.session.get(User, user.id).must_change_password is False


def test_changing_the_password_signs_out_other_devices(make_app, make_user):
    make_user("an")
    app = make_app()
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "an")
    login(laptop, "an")
    token = csrf_token(laptop, "/password")
    new = "mot-cau-rat-dai-de-nho-99"
    response = laptop.post(
        "/password",
        data={
            "current_password": STRONG_PASSWORD,
            "new_password": new,
            "confirm": new,
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200
    assert shows_sign_in(phone.get("/"))
    assert login(phone, "an", new).status_code == 302


def test_wrong_current_password_changes_nothing(app, client, make_user):
    user = make_user("an")
    login(client, "an")
    old_hash = user.password_hash
    token = csrf_token(client, "/password")
    response = client.post(
        "/password",
        data={
            "current_password": "khong-phai-mat-khau",
            "new_password": "mot-cau-rat-dai-de-nho-99",
            "confirm": "mot-cau-rat-dai-de-nho-99",
            "csrf_token": token,
        },
    )
    assert "Mật khẩu hiện tại chưa đúng" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user.id).password_hash == old_hash


def test_deactivated_user_is_signed_out_at_the_next_request(app, client, make_user):
    user = make_user("an")
    login(client, "an")
    assert client.get("/").status_code == 200
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    assert shows_sign_in(client.get("/"))
    response = login(client, "an")
    assert "ngừng hoạt động" in response.get_data(as_text=True)


def test_session_cookie_is_httponly_and_lax(client, make_user):
    make_user("an")
    response = login(client, "an")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development over plain http


def test_session_cookie_is_secure_in_production(make_app, make_user):
    make_user("an")
    app = make_app(ENV="production")
    client = app.test_client()
    response = login(client, "an")
    assert "Secure" in response.headers["Set-Cookie"]


def test_a_one_time_password_account_answers_as_slowly_as_an_unknown_name(app, make_user):
    user = make_user("moi", password=None)  # imported: a cheap one-time hash
    with app.app_context():
        stored = db.session.get(User, user.id).password_hash
        assert not stored.startswith("scrypt:")
    client = app.test_client()

    # Interleaved, and the fastest of each: other work on the machine slows both alike.
    pairs = [(_failed_sign_in(client, "moi"), _failed_sign_in(client, "khongco")) for _ in range(7)]
    one_time, unknown = min(p[0] for p in pairs), min(p[1] for p in pairs)
    # Before, the one-time hash answered ten times faster: a list of imported accounts.
    assert 1 / 3 < one_time / unknown < 3


def test_a_copy_of_the_cookie_taken_before_a_password_change_stops_working(make_app, make_user):
    make_user("an")
    app = make_app()
    owner = app.test_client()
    login(owner, "an")
    copy = app.test_client()
    copy.set_cookie("session", owner.get_cookie("session").value)
    assert copy.get("/").status_code == 200  # the copy works while the session lives
    token = csrf_token(owner, "/password")
    new = "mot-cau-rat-dai-de-nho-99"
    response = owner.post(
        "/password",
        data={
            "current_password": STRONG_PASSWORD,
            "new_password": new,
            "confirm": new,
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert owner.get("/").status_code == 200  # the owner carries on, in a new session
    assert shows_sign_in(copy.get("/"))  # the copy is signed out
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UserSession)) == 1
