"""`elearn backup` while officials learn, `elearn restore` (SQLite) or pg_restore (PostgreSQL)
into a fresh instance: every completion acknowledged before the backup is there."""

from __future__ import annotations

import os
import stat
import subprocess
import threading
import time
import uuid

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from benchmarks import load
from elearn.extensions import db
from elearn.models import CourseItem, LessonCompletion, User
from elearn.progress import recording
from tests.coursekit import sync, write_course

LESSONS = tuple((f"bai-{n:02d}", f"Bài {n}") for n in range(1, 31))


@pytest.fixture
def open_umask():
    """The usual umask, under which files are created readable by everyone (0644)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _learning(app, make_user, tmp_path) -> list[tuple[int, int]]:
    """A course of 30 lessons and four officials; returns every (user id, lesson id) pair."""
    write_course(tmp_path / "courses", lessons=LESSONS)
    with app.app_context():
        sync(tmp_path / "courses")
    ids = [make_user(f"hv{n}", category="can_bo").id for n in range(4)]
    with app.app_context():
        lessons = db.session.scalars(select(CourseItem.id).where(CourseItem.kind == "lesson"))
        return [(user, lesson) for lesson in lessons for user in ids]


def _write_while(app, pairs, acknowledged: list, stop: threading.Event) -> threading.Thread:
    """Record completions one by one (each committed) until told to stop."""

    def write() -> None:
        with app.app_context():
            for user_id, item_id in pairs:
                if stop.is_set():
                    return
                user, item = db.session.get(User, user_id), db.session.get(CourseItem, item_id)
                recording.complete_lesson(user, item)
                db.session.commit()
                acknowledged.append((user_id, item_id))
                time.sleep(0.002)

    thread = threading.Thread(target=write)
    thread.start()
    return thread


def _backup_during_writes(app, runner, make_user, tmp_path):
    pairs = _learning(app, make_user, tmp_path)
    acknowledged: list[tuple[int, int]] = []
    stop = threading.Event()
    writer = _write_while(app, pairs, acknowledged, stop)
    try:
        while len(acknowledged) < 20:
            time.sleep(0.01)
        before = list(acknowledged)
        result = runner.invoke(args=["backup", str(tmp_path / "elearn.backup")])
        time.sleep(0.1)
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output
    assert _mode(tmp_path / "elearn.backup") == 0o600, "password hashes and personal data"
    assert len(acknowledged) > len(before), "officials went on learning meanwhile"
    return tmp_path / "elearn.backup", before


def _stored(engine) -> set[tuple[int, int]]:
    with engine.connect() as connection:
        return set(connection.execute(select(LessonCompletion.user_id, LessonCompletion.item_id)))


def test_sqlite_backup_while_learning_restores_every_completion(
    sqlite_only, open_umask, app, runner, make_app, make_user, tmp_path
):
    backup, before = _backup_during_writes(app, runner, make_user, tmp_path)
    fresh = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'fresh' / 'elearn.sqlite'}")
    result = fresh.test_cli_runner().invoke(args=["restore", str(backup)])
    assert result.exit_code == 0, result.output
    with fresh.app_context():
        assert set(before) <= _stored(db.engine)
        assert db.session.execute(text("PRAGMA foreign_key_check")).all() == []
        assert load.check_rollups() == []


def test_a_backup_replacing_a_readable_file_or_partial_copy_is_private(
    sqlite_only, open_umask, runner, make_user, tmp_path
):
    make_user("an")
    backup = tmp_path / "elearn.backup"
    for left_behind in (backup, tmp_path / "elearn.backup.partial"):
        left_behind.write_bytes(b"an earlier copy")
        left_behind.chmod(0o644)
    result = runner.invoke(args=["backup", str(backup)])
    assert result.exit_code == 0, result.output
    assert _mode(backup) == 0o600
    assert not (tmp_path / "elearn.backup.partial").exists()


def test_restore_refuses_to_overwrite_accounts_or_to_read_a_stranger(
    sqlite_only, app, runner, make_user, tmp_path
):
    make_user("an")
    backup = tmp_path / "elearn.backup"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    refused = runner.invoke(args=["restore", str(backup)])
    assert refused.exit_code == 1 and "--yes" in refused.output
    stranger = tmp_path / "notes.txt"
    stranger.write_text("not a database", encoding="utf-8")
    result = runner.invoke(args=["restore", "--yes", str(stranger)])
    assert result.exit_code == 1 and "is not a SQLite database" in result.output


def test_postgresql_backup_while_learning_restores_every_completion_with_pg_restore(
    postgresql_only, open_umask, app, runner, make_user, tmp_path
):
    backup, before = _backup_during_writes(app, runner, make_user, tmp_path)
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    name = f"elearn_restored_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    restored = create_engine(url.set(database=name))
    try:
        libpq = url.set(drivername="postgresql", database=name).render_as_string(False)
        subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={libpq}", str(backup)],
            check=True,
            capture_output=True,
        )
        assert set(before) <= _stored(restored)
    finally:
        restored.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_postgresql_backup_without_pg_dump_says_how(
    postgresql_only, app, runner, tmp_path, monkeypatch
):
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without the PostgreSQL client
    result = runner.invoke(args=["backup", str(tmp_path / "x.backup")])
    assert result.exit_code == 1 and "pg_dump was not found" in result.output
