"""Settings: the app refuses to start on a wrong or missing setting, naming the variable."""

from __future__ import annotations

import logging
import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from elearn import create_app
from elearn.config import MIN_SECRET_BITS, is_strong_secret, settings_table
from elearn.entropy import estimated_bits
from elearn.errors import ConfigError
from elearn.extensions import db
from elearn.paths import PROJECT_DIR


def _config(tmp_path, **values):
    base = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}", "INSTANCE_PATH": str(tmp_path)}
    base.update(values)
    return base


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="ELEARN_SECRET_KEY"):
        create_app(_config(tmp_path, ENV="production"))


@pytest.mark.parametrize(
    "key",
    [
        "secret",
        "changeme" * 5,
        "a" * 64,
        "short-but-random-7f3a",
        "abcdefghijklmnopqrstuvwxyz0123456789ABCDEF",  # passed the length-and-variety rule
        "qwertyuiopasdfghjklzxcvbnm1234567890!@#$",  # a keyboard walk, row by row
        "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p-=[]",  # a keyboard walk, column by column
        "zaq12wsxcde34rfvbgt56yhnmju78ik,.lo9(;p0",
        "Passw0rd!Passw0rd!Passw0rd!Passw0rd!",
    ],
)
def test_production_refuses_a_weak_secret_key(tmp_path, key):
    with pytest.raises(ConfigError, match="ELEARN_SECRET_KEY"):
        create_app(_config(tmp_path, ENV="production", SECRET_KEY=key))


def test_production_starts_with_a_strong_key(tmp_path):
    app = create_app(
        _config(tmp_path, ENV="production", SECRET_KEY="vN3q8pZ-x71LmQw0_tKc9RbYe2HfUa6sJdG4")
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_environment_variables_are_read_at_start(tmp_path, monkeypatch):
    monkeypatch.setenv("ELEARN_ENV", "production")
    monkeypatch.setenv("ELEARN_SECRET_KEY", "vN3q8pZ-x71LmQw0_tKc9RbYe2HfUa6sJdG4")
    monkeypatch.setenv("ELEARN_DATABASE_URL", "postgresql://u@127.0.0.1/elearn")
    monkeypatch.setenv("ELEARN_RATELIMIT_STORAGE_URL", "redis://127.0.0.1:6379/0")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_development_key_is_generated_once_into_the_instance_folder(tmp_path):
    first = create_app(_config(tmp_path, ENV="development"))
    second = create_app(_config(tmp_path, ENV="development"))
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert is_strong_secret(first.config["SECRET_KEY"])


@pytest.mark.parametrize(
    "setting, value, variable",
    [
        ("ENV", "staging", "ELEARN_ENV"),
        ("DATABASE_URL", "not a url", "ELEARN_DATABASE_URL"),
        ("DATABASE_URL", "mysql://u@h/db", "ELEARN_DATABASE_URL"),
        ("RATELIMIT_STORAGE_URL", "127.0.0.1:6379", "ELEARN_RATELIMIT_STORAGE_URL"),
        ("SMTP_URL", "mail.example.org", "ELEARN_SMTP_URL"),
        ("PUBLIC_URL", "hoc.bacninh.gov.vn", "ELEARN_PUBLIC_URL"),
        ("PUBLIC_URL", "javascript:alert(1)", "ELEARN_PUBLIC_URL"),
        ("PUBLIC_URL", "https://hoc.bacninh.gov.vn\r\nBcc: x@y", "ELEARN_PUBLIC_URL"),
        ("PUBLIC_URL", "https://hoc.bacninh.gov.vn/#top", "ELEARN_PUBLIC_URL"),
        ("PUBLIC_URL", "https://me:pw@hoc.bacninh.gov.vn", "ELEARN_PUBLIC_URL"),
        ("TRUSTED_PROXIES", "one", "ELEARN_TRUSTED_PROXIES"),
        ("TRUSTED_PROXIES", "-1", "ELEARN_TRUSTED_PROXIES"),
        ("LOGIN_MAX_FAILURES", "abc", "ELEARN_LOGIN_MAX_FAILURES"),
        ("LOGIN_MAX_FAILURES", "0", "ELEARN_LOGIN_MAX_FAILURES"),
        ("LOGIN_LOCK_MINUTES", "-5", "ELEARN_LOGIN_LOCK_MINUTES"),
        ("LOGIN_LOCK_MINUTES", "1e3", "ELEARN_LOGIN_LOCK_MINUTES"),
        ("LOGIN_RATE_LIMIT", "banana", "ELEARN_LOGIN_RATE_LIMIT"),
        ("LOGIN_RATE_LIMIT", "0 per minute", "ELEARN_LOGIN_RATE_LIMIT"),
        ("SMTP_URL", "smtp://", "ELEARN_SMTP_URL"),
        ("SMTP_URL", "http://mail.example.org", "ELEARN_SMTP_URL"),
        ("RATELIMIT_STORAGE_URL", "redis://", "ELEARN_RATELIMIT_STORAGE_URL"),
        ("COURSES_DIR", "courses\x00", "ELEARN_COURSES_DIR"),
        ("WORKERS", "abc", "ELEARN_WORKERS"),
        ("WORKERS", "0", "ELEARN_WORKERS"),
        ("BIND", "8000", "ELEARN_BIND"),
        ("BIND", "127.0.0.1:http", "ELEARN_BIND"),
        ("BIND", "[::1:8000", "ELEARN_BIND"),
    ],
)
def test_a_wrong_setting_names_its_variable(tmp_path, setting, value, variable):
    with pytest.raises(ConfigError, match=variable):
        create_app(_config(tmp_path, **{"ENV": "development", setting: value}))


def test_a_wrong_setting_in_the_environment_stops_the_app(tmp_path, monkeypatch):
    monkeypatch.setenv("ELEARN_LOGIN_MAX_FAILURES", "abc")
    with pytest.raises(ConfigError, match="ELEARN_LOGIN_MAX_FAILURES must be a whole number"):
        create_app({"INSTANCE_PATH": str(tmp_path), "ENV": "development"})


def test_the_command_line_prints_one_line_naming_the_variable(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ELEARN_")},
        "ELEARN_ENV": "development",
        "ELEARN_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}",
        "ELEARN_LOGIN_LOCK_MINUTES": "-5",
    }
    elearn = Path(sys.executable).parent / "elearn"
    result = subprocess.run(
        [str(elearn), "db", "upgrade"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert result.stderr == "Error: ELEARN_LOGIN_LOCK_MINUTES must be from 1 to 1440, not -5\n"
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "vN3q8pZ-x71LmQw0_tKc9RbYe2HfUa6sJdG4",
        "3f9c1a7e5b2d8046c1e9a3b7d5f20864",  # 128 random bits as hex
        "Zk4_rP9tQm2vXw7-Lb3nHc8sJf6dGy1a",
    ],
)
def test_random_keys_are_strong(key):
    assert estimated_bits(key) >= MIN_SECRET_BITS and is_strong_secret(key)


def test_every_generated_key_is_strong():
    assert all(is_strong_secret(secrets.token_urlsafe(48)) for _ in range(200))


def test_the_readme_lists_every_setting_as_the_app_checks_it():
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    assert settings_table() in readme


def test_production_warns_about_per_worker_limits_and_missing_public_url(tmp_path, caplog):
    strong = "vN3q8pZ-x71LmQw0_tKc9RbYe2HfUa6sJdG4"
    with caplog.at_level(logging.WARNING, logger="elearn.config"):
        create_app(_config(tmp_path, ENV="production", SECRET_KEY=strong))
    assert "memory://: each worker counts" in caplog.text
    assert "ELEARN_PUBLIC_URL is not set" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="elearn.config"):
        create_app(
            _config(
                tmp_path,
                ENV="production",
                SECRET_KEY=strong,
                RATELIMIT_STORAGE_URL="redis://127.0.0.1:6379/0",
                PUBLIC_URL="https://hoc.bacninh.gov.vn",
            )
        )
    assert caplog.text == ""


def test_a_misspelt_variable_is_named_at_start(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("ELEARN_LOGIN_MAX_FAILURE", "3")
    with caplog.at_level(logging.WARNING, logger="elearn.config"):
        create_app(_config(tmp_path, ENV="development"))
    assert "ELEARN_LOGIN_MAX_FAILURE is not an elearn setting" in caplog.text


def test_the_server_settings_are_elearn_settings(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("ELEARN_BIND", "127.0.0.1:8001")  # as elearn@8001 sets it
    monkeypatch.setenv("ELEARN_WORKERS", "2")
    with caplog.at_level(logging.WARNING, logger="elearn.config"):
        create_app(_config(tmp_path, ENV="development"))
    assert "is not an elearn setting" not in caplog.text


def _check_gunicorn_config(tmp_path, **settings: str) -> subprocess.CompletedProcess:
    """`gunicorn --check-config` with the deployment's settings file: it loads the app."""
    (tmp_path / "metrics").mkdir(exist_ok=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ELEARN_")},
        "ELEARN_ENV": "development",
        "ELEARN_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}",
        "ELEARN_SECRET_KEY": "vN3q8pZ-x71LmQw0_tKc9RbYe2HfUa6sJdG4",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        **settings,
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    config = PROJECT_DIR / "deploy" / "gunicorn.conf.py"
    return subprocess.run(
        [str(gunicorn), "--check-config", "-c", str(config), "elearn:create_app()"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_gunicorn_stops_on_a_wrong_server_setting_with_one_line_naming_it(tmp_path):
    result = _check_gunicorn_config(tmp_path, ELEARN_WORKERS="abc")
    assert result.returncode == 2
    assert result.stderr == "Error: ELEARN_WORKERS must be a whole number from 1 to 64, not 'abc'\n"
    assert "Traceback" not in result.stdout + result.stderr
    result = _check_gunicorn_config(tmp_path, ELEARN_BIND="localhost")
    assert result.returncode == 2 and result.stderr.startswith("Error: ELEARN_BIND must be")


def test_gunicorn_accepts_good_server_settings(tmp_path):
    result = _check_gunicorn_config(tmp_path, ELEARN_WORKERS="2", ELEARN_BIND="127.0.0.1:8001")
    assert result.returncode == 0, result.stderr
    result = _check_gunicorn_config(tmp_path)  # the defaults
    assert result.returncode == 0, result.stderr


def test_the_gunicorn_master_does_not_import_elearn():
    """Workers forked after a reload import the new code only if the master holds none."""
    config = PROJECT_DIR / "deploy" / "gunicorn.conf.py"
    script = (
        f"import runpy, sys; settings = runpy.run_path({str(config)!r}); "
        "print(settings['bind'], settings['workers'], 'elearn' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ELEARN_")}
    env["ELEARN_WORKERS"] = "3"
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["127.0.0.1:8000", "3", "False"]


def test_instance_files_are_private(tmp_path):
    instance = tmp_path / "instance"
    app = create_app({"INSTANCE_PATH": str(instance), "ENV": "development"})
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    assert stat.S_IMODE((instance / "secret_key").stat().st_mode) == 0o600
    with app.app_context():
        db.create_all()
        db.session.execute(text("SELECT 1"))
        db.session.commit()
        db.engine.dispose()
    for name in ("elearn.sqlite",):
        assert stat.S_IMODE((instance / name).stat().st_mode) == 0o600
    for extra in instance.glob("elearn.sqlite-*"):  # WAL and shared memory take its mode
        assert stat.S_IMODE(extra.stat().st_mode) == 0o600
