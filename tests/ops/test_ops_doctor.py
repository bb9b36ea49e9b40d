"""`elearn doctor` checks what a deployment depends on and names whatever is wrong."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller
from flask_migrate import upgrade

from elearn import console
from tests.coursekit import sync, write_course
from tests.opskit import free_port


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
