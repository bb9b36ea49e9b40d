"""`elearn doctor` checks what a deployment depends on and names whatever is wrong."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask_migrate import upgrade

from elearn import console
from elearn.config import POSTGRESQL_CONNECT_TIMEOUT
from tests.coursekit import sync, write_course
from tests.opskit import free_port
from tests.webkit import TEST_SECRET


class _Accept:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


@pytest.fixture
def published(app, tmp_path) -> None:
    write_course(tmp_path / "courses")
    with app.app_context():
        sync(tmp_path / "courses")


def test_a_sound_instance_passes_every_check(app, published):
    port = free_port()
    smtp = Controller(_Accept(), hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
        result = app.test_cli_runner().invoke(args=["doctor"])
    finally:
        smtp.stop()
    assert result.exit_code == 0, result.output
    for check in ("database", "migrations", "content", "e-mail", "rate limits"):
        assert f"ok    {check}:" in result.output
    assert "Everything checked is in order." in result.output


def test_no_published_course_is_named(runner):
    result = runner.invoke(args=["doctor"])
    assert result.exit_code == 1
    assert "FAIL  content: no course is published: run `elearn courses sync`" in result.output


def test_unreachable_smtp_and_rate_limit_storage_are_named(make_app, published):
    broken = make_app(
        SMTP_URL=f"smtp://127.0.0.1:{free_port()}",
        RATELIMIT_STORAGE_URL=f"redis://127.0.0.1:{free_port()}/0",
    )
    result = broken.test_cli_runner().invoke(args=["doctor"])
    assert result.exit_code == 1
    assert "FAIL  e-mail:" in result.output and "ELEARN_SMTP_URL" in result.output
    assert "FAIL  rate limits: ELEARN_RATELIMIT_STORAGE_URL" in result.output
    assert "Problems: e-mail, rate limits." in result.output


@pytest.mark.parametrize(
    ("unreachable", "named"),
    [
        (
            lambda folder: f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/elearn",
            "PostgreSQL",
        ),
        (lambda folder: f"sqlite:///{folder / 'missing' / 'elearn.sqlite'}", "SQLite"),
    ],
    ids=["postgresql-closed-port", "sqlite-missing-folder"],
)
def test_an_unreachable_database_is_named_and_the_checks_needing_it_are_skipped(
    app, make_app, tmp_path, unreachable, named
):
    url = unreachable(tmp_path)
    broken = make_app(DATABASE_URL=url)  # `app` came first: the tables emptied are the test's
    result = broken.test_cli_runner().invoke(args=["doctor"])
    assert result.exit_code == 1
    assert (
        f"FAIL  database: the {named} database at {url} (ELEARN_DATABASE_URL) cannot be reached: "
        in result.output
    )
    assert "migrations:" not in result.output and "content:" not in result.output
    assert "ok    rate limits:" in result.output, "the checks that need no database still run"
    assert "Problems: database." in result.output and "Traceback" not in result.output


def test_a_database_behind_the_code_is_named(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'old.sqlite'}")
    with app.app_context():
        upgrade(revision="0005")
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert result.exit_code == 1
    assert "the database is at 0005" in result.output and "elearn db upgrade" in result.output


def test_a_wrong_setting_is_named_without_a_traceback(monkeypatch, capsys):
    monkeypatch.setenv("ELEARN_ENV", "staging")
    monkeypatch.setattr("sys.argv", ["elearn", "doctor"])
    with pytest.raises(SystemExit) as stopped:
        console.main()
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert "Error: ELEARN_ENV must be one of" in error and "Traceback" not in error


def test_a_database_host_that_never_answers_is_given_up_on(tmp_path):
    """A PostgreSQL address that takes the connection and then says nothing (a hung server,
    or a host dropping packets) must not hold `doctor` — or a request — for minutes."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # connections wait in the backlog; nothing ever answers them
        port = silent.getsockname()[1]
        env = {
            **os.environ,
            "ELEARN_DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:{port}/elearn",
            "ELEARN_SECRET_KEY": TEST_SECRET,
        }
        started = time.monotonic()
        done = subprocess.run(
            [str(Path(sys.executable).parent / "elearn"), "doctor"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL  database:" in done.stdout and "cannot be reached" in done.stdout
    assert elapsed < POSTGRESQL_CONNECT_TIMEOUT + 15
