"""Settings: defaults here, then ELEARN_* environment variables, then test overrides.

Nothing is read at import time; `load_config` runs inside `create_app`.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from elearn.errors import ConfigError

ENVIRONMENTS = ("development", "production")
RATELIMIT_SCHEMES = ("memory", "redis", "rediss", "redis+sentinel", "redis+cluster")
WEAK_KEYS = {"dev", "secret", "changeme", "change-me", "password", "elearn", "development"}
MIN_SECRET_LENGTH = 32


class Defaults:
    """Values used when neither the environment nor the caller sets them."""

    ENV = "production"  # secure unless a developer says otherwise
    DATABASE_URL: str | None = None  # SQLite file in the instance folder
    SECRET_KEY: str | None = None
    COURSES_DIR = "courses"
    RATELIMIT_STORAGE_URL = "memory://"
    SMTP_URL: str | None = None
    PUBLIC_URL: str | None = None  # the address officials open, for links in e-mails
    TRUSTED_PROXIES = 0  # how many reverse proxies set X-Forwarded-For in front of the app
    LOGIN_MAX_FAILURES = 5  # per account, before a lock-out
    LOGIN_LOCK_MINUTES = 15
    LOGIN_RATE_LIMIT = "20 per 10 minutes"  # per client address, failed attempts only
    LOG_FORMAT = "text"  # or "json": one JSON object per line, for a log collector
    METRICS_TOKEN: str | None = None  # /metrics answers a request bearing this token
    METRICS_ALLOW = ""  # …or one from these addresses/networks, comma-separated
    SQLITE_BUSY_TIMEOUT = 5000  # milliseconds a SQLite writer waits for a lock before a 503
    # Redis down: count sign-in failures in each worker's memory and say so in the log, then
    # go back to the shared counters when Redis answers again.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS: dict[str, Any] = {"socket_timeout": 1, "socket_connect_timeout": 1}
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    COMPRESS_ALGORITHM = ["br", "gzip"]  # brotli where the browser takes it, else gzip
    COMPRESS_ALGORITHM_STREAMING = ["br", "gzip"]  # static files are sent as streams
    COMPRESS_MIN_SIZE = 500
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "application/json",
        "application/javascript",
        "image/svg+xml",
    ]
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill app.config from defaults, the environment and test_config, then check it."""
    app.config.from_object(Defaults)
    app.config.from_prefixed_env("ELEARN", loads=_keep_text)
    if test_config:
        app.config.update(test_config)
    _check_environment(app)
    _set_database(app)
    _set_secret_key(app)
    _check_ratelimit_storage(app)
    _check_smtp(app)
    _check_public_url(app)
    _check_operations(app)
    production = app.config["ENV"] == "production"
    app.config["SESSION_COOKIE_SECURE"] = production
    app.config["RATELIMIT_STORAGE_URI"] = app.config["RATELIMIT_STORAGE_URL"]
    app.config["RATELIMIT_HEADERS_ENABLED"] = False


def _keep_text(value: str) -> Any:
    """Read integers as numbers and everything else as plain text (URLs contain colons)."""
    return int(value) if value.isdigit() else value


def _check_environment(app: Flask) -> None:
    if app.config["ENV"] not in ENVIRONMENTS:
        raise ConfigError(
            f"ELEARN_ENV must be one of {', '.join(ENVIRONMENTS)}, not {app.config['ENV']!r}"
        )
    try:
        app.config["TRUSTED_PROXIES"] = int(app.config["TRUSTED_PROXIES"])
    except (TypeError, ValueError):
        raise ConfigError("ELEARN_TRUSTED_PROXIES must be a whole number (0 = no proxy)") from None


def _set_database(app: Flask) -> None:
    url = app.config.get("DATABASE_URL")
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{Path(app.instance_path) / 'elearn.sqlite'}"
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            "ELEARN_DATABASE_URL is not a database URL; use e.g. "
            "postgresql+psycopg://user@host/elearn or sqlite:////path/elearn.sqlite"
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError("ELEARN_DATABASE_URL must point to SQLite or PostgreSQL")
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    app.config["SQLALCHEMY_DATABASE_URI"] = url


def _set_secret_key(app: Flask) -> None:
    key = app.config.get("SECRET_KEY")
    if app.config["ENV"] == "production":
        if not key or not is_strong_secret(str(key)):
            raise ConfigError(
                "ELEARN_SECRET_KEY is missing or weak: production needs a random value of at "
                f"least {MIN_SECRET_LENGTH} characters, e.g. from "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
            )
        return
    if not key:
        app.config["SECRET_KEY"] = _development_secret(Path(app.instance_path))


def is_strong_secret(key: str) -> bool:
    """Tell whether a secret key is long and varied enough to sign sessions in production."""
    return (
        len(key) >= MIN_SECRET_LENGTH
        and len(set(key)) >= 12
        and key.lower() not in WEAK_KEYS
        and not any(weak in key.lower() for weak in ("changeme", "secret-key", "dev-key"))
    )


def _development_secret(instance: Path) -> str:
    """Generate a key once into the instance folder so development sessions survive restarts."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48), encoding="ascii")
        os.chmod(path, 0o600)
    return path.read_text(encoding="ascii").strip()


def _check_ratelimit_storage(app: Flask) -> None:
    url = str(app.config["RATELIMIT_STORAGE_URL"])
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in RATELIMIT_SCHEMES:
        raise ConfigError(
            f"ELEARN_RATELIMIT_STORAGE_URL must be memory:// or redis://host:port/db, not {url!r}"
        )


def _check_public_url(app: Flask) -> None:
    url = app.config.get("PUBLIC_URL")
    if not url:
        return
    text = str(url)
    parts = urlsplit(text)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.query
        or parts.fragment
        or any(c.isspace() or not c.isprintable() for c in text)
    ):
        raise ConfigError(
            "ELEARN_PUBLIC_URL must be the site's address, e.g. https://hoc.bacninh.gov.vn"
        )
    app.config["PUBLIC_URL"] = str(url).rstrip("/")


def _check_operations(app: Flask) -> None:
    """Log format, /metrics access and the SQLite lock wait."""
    if app.config["LOG_FORMAT"] not in ("text", "json"):
        raise ConfigError("ELEARN_LOG_FORMAT must be text or json")
    token = app.config.get("METRICS_TOKEN")
    if token and len(str(token)) < 24:
        raise ConfigError("ELEARN_METRICS_TOKEN must be at least 24 random characters")
    allowed = str(app.config.get("METRICS_ALLOW") or "")
    try:
        app.config["METRICS_NETWORKS"] = [
            ipaddress.ip_network(part.strip(), strict=False)
            for part in allowed.split(",")
            if part.strip()
        ]
    except ValueError:
        raise ConfigError(
            "ELEARN_METRICS_ALLOW must be addresses or networks separated by commas, "
            "e.g. 127.0.0.1,10.0.0.0/24"
        ) from None
    timeout = app.config["SQLITE_BUSY_TIMEOUT"]
    if not isinstance(timeout, int) or not 0 < timeout <= 600_000:
        raise ConfigError("ELEARN_SQLITE_BUSY_TIMEOUT must be milliseconds, from 1 to 600000")


def _check_smtp(app: Flask) -> None:
    url = app.config.get("SMTP_URL")
    if url and not str(url).startswith(("smtp://", "smtps://")):
        raise ConfigError("ELEARN_SMTP_URL must start with smtp:// or smtps://")
