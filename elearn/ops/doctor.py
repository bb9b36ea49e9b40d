"""`elearn doctor`: check what a deployment depends on and name whatever is wrong."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from limits.storage import storage_from_string
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from elearn.errors import ElearnError, database_failure_reason
from elearn.extensions import db
from elearn.models import ContentSync, Course
from elearn.paths import MIGRATIONS_DIR
from elearn.plans.mailer import Mailer
from elearn.plans.wording import SITE_NAME

OK, WARN, FAIL = "ok", "warn", "FAIL"


@dataclass(frozen=True)
class Finding:
    """The outcome of one check: ok, a warning (works, but look), or a failure."""

    check: str
    level: str
    detail: str


def examine(app: Flask) -> Iterator[Finding]:
    """Run every check in order; a failing database skips the checks that need it."""
    yield from _settings(app)
    database = _guard("database", _database)
    yield database
    if database.level != FAIL:
        migrations = _guard("migrations", _migrations)
        yield migrations
        if migrations.level != FAIL:
            yield _guard("content", _content)
    yield _guard("e-mail", lambda: _smtp(app))
    yield _guard("rate limits", lambda: _rate_limit_storage(app))


def _guard(check: str, run: Callable[[], Finding]) -> Finding:
    """A check that raises is a failure that names the check, not a traceback."""
    try:
        return run()
    except (SQLAlchemyError, ElearnError, OSError) as error:
        db.session.rollback()
        return Finding(check, FAIL, str(error).strip().splitlines()[0])


def _settings(app: Flask) -> Iterator[Finding]:
    config = app.config
    production = config["ENV"] == "production"
    yield Finding("settings", OK, f"ELEARN_ENV={config['ENV']}; the settings were accepted")
    if production and str(config["RATELIMIT_STORAGE_URL"]).startswith("memory"):
        yield Finding(
            "settings",
            WARN,
            "ELEARN_RATELIMIT_STORAGE_URL is memory://: each worker counts failed sign-ins on "
            "its own; set redis://127.0.0.1:6379/0",
        )
    if production and not config.get("PUBLIC_URL"):
        yield Finding("settings", WARN, "ELEARN_PUBLIC_URL is not set: e-mails carry no links")
    if not config.get("METRICS_TOKEN") and not config["METRICS_NETWORKS"]:
        yield Finding(
            "settings",
            WARN,
            "neither ELEARN_METRICS_TOKEN nor ELEARN_METRICS_ALLOW is set: /metrics is closed",
        )


def _database() -> Finding:
    """Name the database that does not answer and where it is set, not the driver's class."""
    sqlite = db.engine.dialect.name == "sqlite"
    where = db.engine.url.render_as_string(hide_password=True)
    name = "SQLite" if sqlite else "PostgreSQL"
    try:
        version = db.session.execute(
            text("SELECT sqlite_version()" if sqlite else "SHOW server_version")
        ).scalar_one()
    except DBAPIError as error:
        db.session.rollback()
        reason = database_failure_reason(error)
        return Finding(
            "database",
            FAIL,
            f"the {name} database at {where} (ELEARN_DATABASE_URL) cannot be reached: {reason}",
        )
    return Finding("database", OK, f"{name} {version} answers at {where}")


def _migrations() -> Finding:
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current != head:
        return Finding(
            "migrations",
            FAIL,
            f"the database is at {current or 'no revision'}, the code at {head}: "
            "run `elearn db upgrade`",
        )
    return Finding("migrations", OK, f"at the latest revision, {head}")


def _content() -> Finding:
    published = db.session.scalar(
        select(func.count()).select_from(Course).where(Course.status == "published")
    )
    last = db.session.scalar(
        select(ContentSync).where(ContentSync.action == "sync").order_by(ContentSync.id.desc())
    )
    if not published:
        return Finding("content", FAIL, "no course is published: run `elearn courses sync`")
    if last is not None and not last.ok:
        return Finding(
            "content",
            WARN,
            f"{published} course(s) published, but the last sync failed with "
            f"{len(last.problems)} error(s): see /author/ or run `elearn courses validate`",
        )
    return Finding("content", OK, f"{published} course(s) published")


def _smtp(app: Flask) -> Finding:
    url = app.config.get("SMTP_URL")
    if not url:
        return Finding("e-mail", OK, "ELEARN_SMTP_URL is not set: reminders are in-app notices")
    with Mailer(url, SITE_NAME) as mailer:
        where = f"{mailer.host}:{mailer.port}"
    return Finding("e-mail", OK, f"the SMTP server at {where} accepted the connection")


def _rate_limit_storage(app: Flask) -> Finding:
    url = str(app.config["RATELIMIT_STORAGE_URL"])
    if url.startswith("memory"):
        return Finding("rate limits", OK, "kept in each worker's memory")
    storage = storage_from_string(url, **app.config["RATELIMIT_STORAGE_OPTIONS"])
    shown = make_url(url).render_as_string(hide_password=True)
    if not storage.check():
        return Finding(
            "rate limits",
            FAIL,
            f"ELEARN_RATELIMIT_STORAGE_URL ({shown}) does not answer: sign-ins fall back to "
            "per-worker counters until it does",
        )
    return Finding("rate limits", OK, f"{shown} answers")
