"""Settings: defaults here, then ELEARN_* environment variables, then test overrides.

Every ELEARN_* setting is in one table (SETTINGS) with its type, range and meaning: the app
parses each at start and refuses a wrong one, and the README's table is built from it.
Nothing is read at import time; `load_config` runs inside `create_app`.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from limits import parse_many
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from elearn.entropy import estimated_bits
from elearn.errors import ConfigError
from elearn.paths import private_dir, write_private
from elearn.text import clean

log = logging.getLogger(__name__)

ENVIRONMENTS = ("development", "production")
RATELIMIT_SCHEMES = ("memory", "redis", "rediss", "redis+sentinel", "redis+cluster")
SMTP_SCHEMES = ("smtp", "smtps", "smtp+insecure")
PLACEHOLDER_WORDS = ("changeme", "change-me", "secret", "password", "example", "elearn")
MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 112  # by elearn.entropy's estimate; NIST SP 800-57's minimum strength


@dataclass(frozen=True)
class Setting:
    """One ELEARN_* variable: how it is read and checked, and how the README describes it."""

    name: str  # without the ELEARN_ prefix
    kind: str
    allowed: str
    default: Any
    shown_default: str
    meaning: str
    parse: Callable[[Any], Any]  # raises ValueError saying what the value must be


def _text(value: Any) -> str:
    text = str(value).strip()
    if any(c == "\x00" or (c.isspace() and c != " ") or not c.isprintable() for c in text):
        raise ValueError("must be printable text on one line")
    return text


def _choice(*choices: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}, not {value!r}")
        return value

    return parse


def _whole(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        text = str(value).strip()
        if isinstance(value, bool) or not text.lstrip("-").isdigit():
            raise ValueError(f"must be a whole number from {low} to {high}, not {value!r}")
        number = int(text)
        if not low <= number <= high:
            raise ValueError(f"must be from {low} to {high}, not {number}")
        return number

    return parse


def _database_url(value: Any) -> str:
    try:
        parsed = make_url(_text(value))
    except (ArgumentError, ValueError):
        raise ValueError(
            "is not a database URL; use e.g. postgresql+psycopg://user@host/elearn or "
            "sqlite:////path/elearn.sqlite"
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValueError("must point to SQLite or PostgreSQL")
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return str(value)


def _url_with_scheme(schemes: tuple[str, ...], example: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _text(value)
        parts = urlsplit(text)
        if parts.scheme not in schemes or ("://" not in text):
            raise ValueError(f"must start with {'://, '.join(schemes)}://, e.g. {example}")
        if parts.scheme != "memory" and not parts.hostname:
            raise ValueError(f"must name a host, e.g. {example}")
        return text

    return parse


def _public_url(value: Any) -> str:
    text = str(value)
    parts = urlsplit(text)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.query
        or parts.fragment
        or any(c.isspace() or not c.isprintable() for c in text)
    ):
        raise ValueError("must be the site's address, e.g. https://hoc.bacninh.gov.vn")
    return text.rstrip("/")


def _rate_limit(value: Any) -> str:
    text = _text(value)
    try:
        items = parse_many(text)
    except ValueError:
        items = []
    if not items or any(item.amount < 1 for item in items):
        raise ValueError(f"must be a rate such as '20 per 10 minutes', not {text!r}")
    return text


ISSUER_MAX = 200


def _issuer(value: Any) -> str:
    """The issuing body printed on certificates: one line of text, stored NFC."""
    text = clean(str(value))  # line breaks and runs of spaces become one space
    if not text or len(text) > ISSUER_MAX or not text.isprintable():
        raise ValueError(
            f"must be the name of the issuing body on one line, at most {ISSUER_MAX} "
            'characters, e.g. "Sở Nội vụ tỉnh Bắc Ninh"'
        )
    return text


def _metrics_token(value: Any) -> str:
    text = _text(value)
    if len(text) < 24:
        raise ValueError("must be at least 24 random characters")
    return text


def _networks(value: Any) -> str:
    text = _text(value)
    try:
        for part in text.split(","):
            if part.strip():
                ipaddress.ip_network(part.strip(), strict=False)
    except ValueError:
        raise ValueError(
            "must be addresses or networks separated by commas, e.g. 127.0.0.1,10.0.0.0/24"
        ) from None
    return text


def _bind(value: Any) -> str:
    """Where gunicorn listens: HOST:PORT (an IPv6 host in brackets) or unix:PATH."""
    text = _text(value)
    if text.startswith("unix:") and len(text) > len("unix:"):
        return text
    host, _, port = text.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            host = ""
    elif ":" in host or " " in host:
        host = ""
    if not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError(
            f"must be HOST:PORT (port 1–65535) or unix:PATH, e.g. 127.0.0.1:8000, not {text!r}"
        )
    return text


def _path(value: Any) -> str:
    text = _text(value)
    if not text:
        raise ValueError("must name a folder")
    return text


# The one list of settings: load_config checks each, and the README's table is built from it.
SETTINGS = (
    Setting(
        "ENV",
        "choice",
        "`development`, `production`",
        "production",
        "`production`",
        "`development` relaxes the secret-key rule and the Secure cookie flag; `make run` sets it",
        _choice(*ENVIRONMENTS),
    ),
    Setting(
        "DATABASE_URL",
        "URL",
        "`sqlite:///…`, `postgresql+psycopg://…`",
        None,
        "SQLite file in `instance/`",
        "any SQLAlchemy URL; `postgresql+psycopg://user@host/elearn` in production",
        _database_url,
    ),
    Setting(
        "SECRET_KEY",
        "text",
        f"≥ {MIN_SECRET_LENGTH} characters, ≥ {MIN_SECRET_BITS} bits",
        None,
        "generated once into `instance/` in development",
        "required in production: random, judged by its estimated entropy (see Production)",
        _text,
    ),
    Setting(
        "COURSES_DIR",
        "path",
        "a folder",
        "courses",
        "`courses`",
        "where course commands look by default",
        _path,
    ),
    Setting(
        "RATELIMIT_STORAGE_URL",
        "URL",
        "`memory://`, `redis://host:port/db` (also `rediss`, `redis+sentinel`, `redis+cluster`)",
        "memory://",
        "`memory://`",
        "shared rate-limit storage; use Redis in production (`memory://` counts per worker)",
        _url_with_scheme(RATELIMIT_SCHEMES, "redis://127.0.0.1:6379/0"),
    ),
    Setting(
        "SMTP_URL",
        "URL",
        "`smtp://`, `smtps://`, `smtp+insecure://`",
        None,
        "unset",
        "e-mail for reminders, e.g. `smtp://user:pass@host:587` (STARTTLS required)",
        _url_with_scheme(SMTP_SCHEMES, "smtp://user:pass@mail.example.org:587"),
    ),
    Setting(
        "PUBLIC_URL",
        "URL",
        "`http://…` or `https://…` address",
        None,
        "unset",
        "the address officials open, e.g. `https://hoc.bacninh.gov.vn`; links in e-mails and "
        "spreadsheets, certificates' QR code and verification link (without it they print "
        "the code and the path), and HSTS when https",
        _public_url,
    ),
    Setting(
        "ISSUER",
        "text",
        f"one line, ≤ {ISSUER_MAX} characters",
        None,
        "unset",
        "the body that issues certificates, e.g. `Sở Nội vụ tỉnh Bắc Ninh`, on the PDF and "
        "the verification page",
        _issuer,
    ),
    Setting(
        "TRUSTED_PROXIES",
        "whole number",
        "0–5",
        0,
        "`0`",
        "number of reverse proxies in front of the app that set `X-Forwarded-For`",
        _whole(0, 5),
    ),
    Setting(
        "LOGIN_MAX_FAILURES",
        "whole number",
        "1–100",
        5,
        "`5`",
        "failed sign-ins per account before a lock",
        _whole(1, 100),
    ),
    Setting(
        "LOGIN_LOCK_MINUTES",
        "whole number",
        "1–1440",
        15,
        "`15`",
        "how long a locked account stays locked, in minutes",
        _whole(1, 1440),
    ),
    Setting(
        "LOGIN_RATE_LIMIT",
        "rate limit",
        "`N per [M] minute` (or second, hour, day)",
        "20 per 10 minutes",
        "`20 per 10 minutes`",
        "failed sign-ins per client address",
        _rate_limit,
    ),
)


SETTINGS += (
    Setting(
        "LOG_FORMAT",
        "choice",
        "`text`, `json`",
        "text",
        "`text`",
        "one line per request; `json` for a log collector",
        _choice("text", "json"),
    ),
    Setting(
        "METRICS_TOKEN",
        "text",
        "≥ 24 characters",
        None,
        "unset",
        "`/metrics` answers a request bearing `Authorization: Bearer <token>`",
        _metrics_token,
    ),
    Setting(
        "METRICS_ALLOW",
        "addresses",
        "addresses or networks, comma-separated",
        "",
        "unset",
        "`/metrics` also answers these client addresses, e.g. `127.0.0.1,10.0.0.0/24`",
        _networks,
    ),
    Setting(
        "SQLITE_BUSY_TIMEOUT",
        "whole number",
        "1–600000",
        5000,
        "`5000`",
        "milliseconds a SQLite writer waits for a lock before the request answers 503",
        _whole(1, 600_000),
    ),
    # gunicorn's own: deploy/gunicorn.conf.py reads them through elearn.console.server_settings.
    Setting(
        "BIND",
        "address",
        "`HOST:PORT` or `unix:PATH`",
        "127.0.0.1:8000",
        "`127.0.0.1:8000`",
        "where gunicorn (`deploy/gunicorn.conf.py`) listens; `elearn@PORT` sets "
        "`127.0.0.1:PORT`, and gunicorn's `--bind` overrides it. Per server, so never in "
        "`elearn.env` (systemd lets that file override the unit, and every instance would take "
        "one address): set it in a drop-in, as step 12 shows",
        _bind,
    ),
    Setting(
        "WORKERS",
        "whole number",
        "1–64",
        4,
        "`4`",
        "gunicorn worker processes (`deploy/gunicorn.conf.py`): about two per core",
        _whole(1, 64),
    ),
)


def settings_table() -> str:
    """The settings as the README's Markdown table shows them."""
    lines = ["| variable | type | allowed | default | meaning |", "|---|---|---|---|---|"]
    for s in SETTINGS:
        lines.append(
            f"| `ELEARN_{s.name}` | {s.kind} | {s.allowed} | {s.shown_default} | {s.meaning} |"
        )
    return "\n".join(lines)


class Defaults:
    """Values used when neither the environment nor the caller sets them."""

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    COMPRESS_ALGORITHM = ["br", "gzip"]  # brotli where the browser takes it, else gzip
    # Levels by `python -m benchmarks.compression` (2-core Xeon, median of 300): a 9.9 KB lesson
    # page gives brotli 2: 4,478 B in 0.08 ms; brotli 4 (the default): 4,177 B in 0.26 ms;
    # brotli 5: 3,905 B in 0.28 ms; brotli 11: 3,574 B in 14 ms; gzip 6: 4,101 B in 0.22 ms.
    # Brotli 2 costs a third of the default's time for 300 more bytes (6 ms at 50 KB/s).
    # Gzip, for the few browsers without brotli, stays at 6: level 4 saves 0.06 ms and
    # the largest lesson would go over its 5 KB budget.
    COMPRESS_BR_LEVEL = 2
    COMPRESS_LEVEL = 6
    COMPRESS_ALGORITHM_STREAMING = ["br", "gzip"]  # static files are sent as streams
    COMPRESS_MIN_SIZE = 500
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "application/json",
        "application/javascript",
        "text/javascript",
        "image/svg+xml",
    ]
    # No test query before each request (a round trip on PostgreSQL): a connection the database
    # dropped is found when it fails, the pool is emptied, and the request is tried once more
    # when that cannot do anything twice (elearn.errors._may_retry).
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": False}
    # Redis down: count sign-in failures in each worker's memory and say so in the log, then
    # go back to the shared counters when Redis answers again.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS: dict[str, Any] = {"socket_timeout": 1, "socket_connect_timeout": 1}


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill app.config from defaults, the ELEARN_* environment and test_config, then parse
    every setting with its type and range; a wrong one raises ConfigError naming it."""
    app.config.from_object(Defaults)
    for setting in SETTINGS:
        app.config[setting.name] = os.environ.get(f"ELEARN_{setting.name}", setting.default)
    if test_config:
        app.config.update(test_config)
    for setting in SETTINGS:
        app.config[setting.name] = _checked(setting, app.config[setting.name])
    _set_database(app)
    _set_secret_key(app)
    app.config["METRICS_NETWORKS"] = [
        ipaddress.ip_network(part.strip(), strict=False)
        for part in str(app.config["METRICS_ALLOW"] or "").split(",")
        if part.strip()
    ]
    production = app.config["ENV"] == "production"
    app.config["SESSION_COOKIE_SECURE"] = production
    app.config["RATELIMIT_STORAGE_URI"] = app.config["RATELIMIT_STORAGE_URL"]
    app.config["RATELIMIT_HEADERS_ENABLED"] = False
    _warn(app, production)


def _checked(setting: Setting, value: Any) -> Any:
    """A setting's value parsed with its type and range (unset or empty: its default)."""
    if value is None or value == "":
        return setting.default
    try:
        return setting.parse(value)
    except ValueError as error:
        raise ConfigError(f"ELEARN_{setting.name} {error}") from None


def environment_setting(name: str) -> Any:
    """One setting read from the environment and checked as at the app's start, for a program
    that needs it before the app exists (gunicorn's settings); raises ConfigError naming it."""
    (setting,) = (s for s in SETTINGS if s.name == name)
    return _checked(setting, os.environ.get(f"ELEARN_{name}"))


def _warn(app: Flask, production: bool) -> None:
    """Say at start what works, but not as an operator would expect."""
    known = {f"ELEARN_{s.name}" for s in SETTINGS}
    for name in sorted(os.environ):
        if name.startswith("ELEARN_") and name not in known and not name.startswith("ELEARN_TEST_"):
            log.warning("%s is not an elearn setting and is ignored (a misspelling?)", name)
    if not production:
        return
    if app.config["RATELIMIT_STORAGE_URL"].startswith("memory://"):
        log.warning(
            "ELEARN_RATELIMIT_STORAGE_URL is memory://: each worker counts sign-in attempts "
            "on its own, so the per-address limit is multiplied by the number of workers; "
            "use redis://host:port/db"
        )
    if not app.config["PUBLIC_URL"]:
        log.warning(
            "ELEARN_PUBLIC_URL is not set: certificates print only their verification path "
            "and e-mails carry no links; set it to the site's https:// address"
        )


# Seconds to wait for PostgreSQL to accept a connection. A host that drops packets silently
# would otherwise hold a request for the system's TCP timeout (minutes), past gunicorn's 30 s,
# and the official would get a proxy error instead of "Hệ thống đang bận" (503, try again).
POSTGRESQL_CONNECT_TIMEOUT = 5


def _set_database(app: Flask) -> None:
    """Default to a SQLite file in the instance folder, created private (0600); give
    PostgreSQL connections a connect timeout unless the URL sets one."""
    url = app.config["DATABASE_URL"]
    if not url:
        instance = private_dir(Path(app.instance_path))
        url = f"sqlite:///{instance / 'elearn.sqlite'}"
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        database = Path(parsed.database)
        if not database.exists() and database.parent.is_dir():
            # SQLite would create it 0644; its -wal and -shm files copy the file's mode.
            os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {
            **options.get("connect_args", {}),
            "connect_timeout": POSTGRESQL_CONNECT_TIMEOUT,
        }
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    app.config["SQLALCHEMY_DATABASE_URI"] = url


def _set_secret_key(app: Flask) -> None:
    key = app.config.get("SECRET_KEY")
    if app.config["ENV"] == "production":
        if not key or not is_strong_secret(str(key)):
            raise ConfigError(
                "ELEARN_SECRET_KEY is missing or weak: production needs a random value of at "
                f"least {MIN_SECRET_LENGTH} characters and {MIN_SECRET_BITS} bits (patterns "
                "such as abcdef…, qwerty… or repeats count for nothing), e.g. from "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
            )
        return
    if not key:
        app.config["SECRET_KEY"] = _development_secret(Path(app.instance_path))


def is_strong_secret(key: str) -> bool:
    """Tell whether a secret key is long and unpredictable enough to sign sessions."""
    return (
        len(key) >= MIN_SECRET_LENGTH
        and estimated_bits(key) >= MIN_SECRET_BITS
        and not any(word in key.lower() for word in PLACEHOLDER_WORDS)
    )


def _development_secret(instance: Path) -> str:
    """Generate a key once into the instance folder so development sessions survive restarts."""
    path = private_dir(instance) / "secret_key"
    if not path.exists():
        write_private(path, secrets.token_urlsafe(48).encode("ascii"))
    return path.read_text(encoding="ascii").strip()
