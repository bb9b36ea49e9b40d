"""Faults an official must meet as "try again" (503 with Retry-After), never as a crash: SQLite
locked past its busy timeout, a full or read-only disk; and Redis stopping under the rate
limits, which sign-in rides out on each worker's memory."""

from __future__ import annotations

import itertools
import logging
import sqlite3
import time
from pathlib import Path

import redis
from prometheus_client import REGISTRY
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from elearn.admin.units import import_units
from elearn.extensions import db
from elearn.models import LessonCompletion
from elearn.ops.backup import backup_sqlite
from elearn.people.accounts import create_person
from elearn.people.fields import PersonFields
from tests.coursekit import sync, write_course
from tests.webkit import STRONG_PASSWORD, UNITS_CSV, csrf_token, login

LESSON = "/courses/an-toan/mat-khau"


def _completions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(LessonCompletion))


def _press_done(client, token: str):
    return client.post(f"{LESSON}/complete", data={"csrf_token": token})


def _learner(app, tmp_path) -> None:
    """A published course and the official `an` (with the units), in the app's database."""
    write_course(tmp_path / "courses")
    with app.app_context():
        import_units(UNITS_CSV)
        create_person(None, PersonFields("an", "Nguyễn Văn An", "09163"), password=STRONG_PASSWORD)
        db.session.commit()
        sync(tmp_path / "courses")


def _assert_try_again(response) -> None:
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "Hệ thống đang bận" in response.get_data(as_text=True)


def test_sqlite_locked_past_its_busy_timeout_is_a_503_then_records_once(
    sqlite_only, make_app, tmp_path, caplog
):
    app = make_app(SQLITE_BUSY_TIMEOUT=300)
    _learner(app, tmp_path)
    client = app.test_client()
    login(client, "an")
    token = csrf_token(client, LESSON)
    locked_before = REGISTRY.get_sample_value("elearn_database_errors_total", {"kind": "locked"})
    holder = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock, longer than 300 ms
    try:
        started = time.monotonic()
        with caplog.at_level(logging.ERROR, logger="elearn.errors"):
            response = _press_done(client, token)
        waited = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
    _assert_try_again(response)
    assert waited >= 0.3, "the request waited for the lock as long as the busy timeout says"
    assert any("database locked" in r.getMessage() for r in caplog.records)
    locked = REGISTRY.get_sample_value("elearn_database_errors_total", {"kind": "locked"})
    assert locked == (locked_before or 0) + 1
    assert _completions(app) == 0
    assert _press_done(client, token).status_code == 302  # pressed again, once the lock is gone
    assert _press_done(client, token).status_code == 302
    assert _completions(app) == 1


def test_sign_ins_refused_while_the_database_is_locked_do_not_count_against_the_address(
    sqlite_only, make_app, make_user
):
    make_user("an")
    client = make_app(SQLITE_BUSY_TIMEOUT=100, LOGIN_RATE_LIMIT="2 per 10 minutes").test_client()
    holder = sqlite3.connect(
        client.application.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    )
    holder.execute("BEGIN IMMEDIATE")
    try:
        outage = [login(client, "an", "sai-mat-khau-123").status_code for _ in range(3)]
    finally:
        holder.rollback()
        holder.close()
    assert outage == [503, 503, 503]
    assert login(client, "an").status_code == 302, "the outage cost the office nothing"


def _app_on(make_app, database_url: str, folder):
    """An app whose database (a copy of the migrated, empty test database) lives in folder."""
    backup_sqlite(Path(make_url(database_url).database), folder / "elearn.sqlite")
    return make_app(DATABASE_URL=f"sqlite:///{folder / 'elearn.sqlite'}")


def test_a_full_disk_is_a_503_and_a_logged_error(
    sqlite_only, tmpfs, make_app, database_url, tmp_path, caplog
):
    app = _app_on(make_app, database_url, tmpfs.path)
    _learner(app, tmp_path)
    client = app.test_client()
    login(client, "an")
    token = csrf_token(client, LESSON)
    with app.app_context():  # the next write must grow the write-ahead log on the full disk
        db.session.execute(db.text("PRAGMA wal_checkpoint(TRUNCATE)"))
    filler = tmpfs.fill()
    with caplog.at_level(logging.ERROR, logger="elearn.errors"):
        response = _press_done(client, token)
    _assert_try_again(response)
    assert any("database disk-full" in r.getMessage() for r in caplog.records)
    filler.unlink()
    assert _press_done(client, token).status_code == 302
    assert _completions(app) == 1


def test_a_read_only_disk_is_a_503_and_a_logged_error(
    sqlite_only, tmpfs, make_app, database_url, tmp_path, caplog
):
    writable = _app_on(make_app, database_url, tmpfs.path)
    _learner(writable, tmp_path)
    client = writable.test_client()
    login(client, "an")
    token = csrf_token(client, LESSON)
    read_only = make_app(DATABASE_URL=f"sqlite:///{tmpfs.read_only_view() / 'elearn.sqlite'}")
    reader = read_only.test_client()
    reader.set_cookie("session", client.get_cookie("session").value)
    with caplog.at_level(logging.ERROR, logger="elearn.errors"):
        response = _press_done(reader, token)
    _assert_try_again(response)
    assert any(r.getMessage().startswith("database ") for r in caplog.records)
    assert _completions(writable) == 0


def test_sign_in_rides_out_a_redis_outage_and_the_shared_limits_return(
    make_app, make_user, own_redis, caplog
):
    """Two app servers share the failed-sign-in counts in Redis; with Redis stopped each
    counts in its own memory (and says so in the log); when Redis is back, they share again."""
    make_user("an")
    settings = {"RATELIMIT_STORAGE_URL": own_redis.url, "LOGIN_RATE_LIMIT": "3 per 10 minutes"}
    first, second = make_app(**settings).test_client(), make_app(**settings).test_client()

    strangers = (f"khach{n}" for n in itertools.count())  # no account is locked out

    def fail(client) -> int:
        return login(client, next(strangers), "sai-mat-khau-123").status_code

    assert [fail(first), fail(second), fail(first)] == [200, 200, 200]
    assert fail(second) == 429, "the three failures were counted together, in Redis"

    own_redis.stop()
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        assert login(first, "an").status_code == 302, "signing in works without Redis"
    assert any("falling back to in-memory" in r.getMessage() for r in caplog.records)
    first.post("/logout", data={"csrf_token": csrf_token(first, "/")})
    assert [fail(first) for _ in range(3)] == [200, 200, 200]
    assert fail(first) == 429, "failures are still limited, in this server's memory"

    own_redis.start()  # empty: nothing was kept on disk
    store = redis.Redis.from_url(own_redis.url)
    deadline = time.monotonic() + 60  # the limiter looks for Redis again after 1, 2, 4… s
    while not store.keys("*") and time.monotonic() < deadline:
        fail(first)  # 429 from memory until the first server finds Redis again
        time.sleep(0.5)
    assert store.keys("*"), "the first server counts in Redis again"
    assert [fail(second), fail(second), fail(first)] == [200, 200, 429], "shared again"
