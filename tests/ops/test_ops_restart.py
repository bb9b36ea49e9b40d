"""PostgreSQL restarted under load (a server of the test's own, never the shared one): requests
in the gap get "try again" (503 with Retry-After; JSON on the API), never a 500 or a
traceback, service is back within 5 s of the database, and nothing acknowledged is lost."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from flask import request
from flask_migrate import upgrade
from sqlalchemy import func, select, text

from benchmarks import load, officials
from elearn import create_app
from elearn.auth.passwords import verify_password
from elearn.extensions import db
from elearn.models import AuditEvent, User
from tests.opskit import crashes_in
from tests.webkit import TEST_SECRET, login

NEW_PASSWORD = "Mật-khẩu-mới-2026!"
BACK_WITHIN = 5.0  # seconds after the database accepts connections again


@pytest.fixture
def site(own_postgres, tmp_path):
    """The app on the test's own PostgreSQL, migrated, with courses and officials."""
    app = create_app(
        {
            "ENV": "development",
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET,
            "DATABASE_URL": own_postgres.url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    with app.app_context():
        upgrade()
    usernames = load.prepare(app, 10)
    yield app, usernames
    with app.app_context():
        db.engine.dispose()


def test_a_page_and_the_api_say_try_again_while_the_database_is_down(
    postgresql_only, site, own_postgres
):
    """In the app itself: the signed-in official's user cannot be loaded, and the error page
    must not try again (the crash inside the error path that gunicorn logged)."""
    app, usernames = site
    client = app.test_client()
    login(client, usernames[0], officials.PASSWORD)
    assert client.get("/").status_code == 200
    own_postgres.stop()
    page = client.get("/")
    assert page.status_code == 503 and page.headers["Retry-After"]
    assert "Hệ thống đang bận" in page.get_data(as_text=True)
    api = client.get("/api/v1/me/progress")
    assert api.status_code == 503 and api.headers["Retry-After"] and "error" in api.json
    own_postgres.start()
    assert client.get("/").status_code == 200


def _change_password(client, token: str):
    """Post a valid change of the official's password to NEW_PASSWORD."""
    return client.post(
        "/password",
        data={
            "csrf_token": token,
            "current_password": officials.PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )


def test_a_read_on_a_connection_lost_in_a_restart_is_answered_on_a_new_one(
    postgresql_only, site, own_postgres
):
    """No test query before each request: the pooled connection a restart killed fails at
    the first statement, and the request — a GET, or a POST of which the database holds
    nothing yet — is answered on a new connection, not with a 503."""
    app, usernames = site
    client = app.test_client()
    login(client, usernames[0], officials.PASSWORD)
    assert client.get("/").status_code == 200  # the pool now holds a connection
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is False
    own_postgres.stop()
    own_postgres.start()
    assert client.get("/").status_code == 200
    own_postgres.stop()
    own_postgres.start()
    token = officials.CSRF.search(client.get("/password").text).group(1)
    own_postgres.stop()
    own_postgres.start()
    changed = _change_password(client, token)
    assert changed.status_code == 302  # the user's lookup failed, then it all ran once
    assert client.get("/").status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == usernames[0]))
        assert verify_password(user.password_hash, NEW_PASSWORD)
        changes = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.actor_id == user.id, AuditEvent.action == "password.changed")
        )
        assert changes == 1


def test_a_post_is_not_run_again_once_the_database_answered_part_of_it(
    postgresql_only, site, own_postgres
):
    """A connection lost after a statement of a POST was answered: 503, not a second run."""
    app, usernames = site
    runs: list[str] = []

    @app.before_request
    def _read_then_lose_the_database():
        if request.method == "POST" and request.path == "/password":
            runs.append(request.path)
            db.session.execute(text("SELECT 1"))  # answered: part of the request has run
            if len(runs) == 1:
                own_postgres.stop()
                own_postgres.start()

    client = app.test_client()
    login(client, usernames[0], officials.PASSWORD)
    token = officials.CSRF.search(client.get("/password").text).group(1)
    refused = _change_password(client, token)
    assert refused.status_code == 503 and refused.headers["Retry-After"]
    assert runs == ["/password"], "the request was not run a second time"
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == usernames[0]))
        assert verify_password(user.password_hash, officials.PASSWORD)  # nothing changed


def _until_ok(base: str, cookies: httpx.Cookies, limit: float) -> float:
    """Seconds until a signed-in home page answers 200 again (or `limit`)."""
    started = time.monotonic()
    with httpx.Client(base_url=base, cookies=cookies, timeout=limit) as client:
        while time.monotonic() - started < limit:
            try:
                if client.get("/").status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
    return limit


def test_postgresql_restarted_under_load(postgresql_only, site, own_postgres, tmp_path):
    app, usernames = site
    port = load.free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "gunicorn.log"
    server = load.serve(own_postgres.url, port, workers=4, log=log)
    watcher = httpx.Client(base_url=base, timeout=30)
    token = officials.CSRF.search(watcher.get("/login").text).group(1)
    signed_in = {"username": usernames[-1], "password": officials.PASSWORD, "csrf_token": token}
    assert watcher.post("/login", data=signed_in).status_code == 302
    results = officials.Results()
    courses = load.published_courses(app)
    learners = threading.Thread(
        target=officials.drive,
        args=(base, usernames[:-1], courses, 12),
        kwargs={"think": 0.05, "results": results},
    )
    try:
        learners.start()
        deadline = time.monotonic() + 60
        while len(results.completions) < 5 and time.monotonic() < deadline:
            time.sleep(0.1)  # the officials are signed in and learning
        before = len(results.completions)
        own_postgres.stop()
        gap = [watcher.get("/"), watcher.get("/api/v1/me/progress")]
        own_postgres.start()
        back_after = _until_ok(base, watcher.cookies, limit=15)
        learners.join(timeout=120)
    finally:
        watcher.close()
        load.stop(server)
    page, api = gap
    assert page.status_code == 503 and page.headers["Retry-After"]
    assert "Hệ thống đang bận" in page.text
    assert api.status_code == 503 and api.headers["Retry-After"]
    assert api.headers["Content-Type"].startswith("application/json")
    assert back_after <= BACK_WITHIN
    assert len(results.failures) == results.unavailable, results.failures  # 503s, no 500
    assert before >= 5 and len(results.completions) > before, "learning went on afterwards"
    assert load.check_database(app, results, outage=True) == []
    assert crashes_in(log) == []
