"""Settings: the app refuses to start on a wrong or missing setting, naming the variable."""

from __future__ import annotations

import pytest

from elearn import create_app
from elearn.config import is_strong_secret
from elearn.errors import ConfigError


def _config(tmp_path, **values):
    base = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}", "INSTANCE_PATH": str(tmp_path)}
    base.update(values)
    return base


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="ELEARN_SECRET_KEY"):
        create_app(_config(tmp_path, ENV="production"))


@pytest.mark.parametrize("key", ["secret", "changeme" * 5, "a" * 64, "short-but-random-7f3a"])
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
    ],
)
def test_a_wrong_setting_names_its_variable(tmp_path, setting, value, variable):
    with pytest.raises(ConfigError, match=variable):
        create_app(_config(tmp_path, **{"ENV": "development", setting: value}))
