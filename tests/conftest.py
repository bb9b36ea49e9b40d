"""Fixtures: a migrated database per run (SQLite or PostgreSQL), an app per test, factories.

Choose the database with ELEARN_TEST_DATABASE=sqlite|postgresql (default sqlite). PostgreSQL
runs create and drop their own database on ELEARN_TEST_POSTGRES_URL's server.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import inspect

from elearn import create_app
from elearn.admin.units import import_units
from elearn.auth import passwords
from elearn.extensions import db
from elearn.models import Unit, User
from elearn.people import accounts as users_module
from elearn.people.accounts import create_person
from elearn.people.fields import PersonFields
from elearn.progress import rollup
from tests.dbkit import backend, postgres_database
from tests.webkit import STRONG_PASSWORD, TEST_SECRET, UNITS_CSV


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty database for this test run, upgraded through the real migrations."""
    if backend() == "postgresql":
        with postgres_database("elearn_test") as url:
            _upgrade(url, tmp_path_factory.mktemp("instance"))
            yield url
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        _upgrade(url, tmp_path_factory.mktemp("instance"))
        yield url


def _upgrade(url: str, instance: Path) -> None:
    app = create_app(_test_config(url, instance))
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _test_config(url: str, instance: Path, **overrides: Any) -> dict[str, Any]:
    config = {
        "TESTING": True,
        "ENV": "development",
        "DATABASE_URL": url,
        "SECRET_KEY": TEST_SECRET,
        "RATELIMIT_STORAGE_URL": "memory://",
        "COURSES_DIR": str(instance / "courses"),
        "INSTANCE_PATH": str(instance / "instance"),
    }
    config.update(overrides)
    return config


@pytest.fixture
def make_app(database_url: str, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Build apps on the test database with config overrides; tables are emptied afterwards."""
    apps: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        app = create_app(_test_config(database_url, tmp_path, **overrides))
        apps.append(app)
        return app

    yield factory
    if apps:
        with apps[0].app_context():
            db.session.remove()
            _empty_tables()
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def _empty_tables() -> None:
    """Empty every table the database has (one a test left at an old revision has fewer)."""
    with db.engine.begin() as connection:
        present = set(inspect(connection).get_table_names())
        for table in reversed(db.metadata.sorted_tables):
            if table.name in present:
                connection.execute(table.delete())


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """The app. Requests get their own app context (and `g`, and database session), as in
    production; tests open `with app.app_context():` to look at the database."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def units(app: Flask) -> dict[str, str]:
    """Load the real Bắc Ninh 2023–2024 tree; returns each unit's name by code."""
    with app.app_context():
        import_units(UNITS_CSV)
        db.session.commit()
        return {u.code: u.name for u in db.session.scalars(db.select(Unit))}


@functools.lru_cache(maxsize=64)
def _hash_once(password: str) -> str:
    """Hash each test password once per run: scrypt is slow by design, and a salted hash
    stays valid however many accounts share it."""
    return passwords.hash_password(password)


@pytest.fixture
def make_user(
    app: Flask, units: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., User]:
    """Create users with a known strong password; returns a factory of detached users.

    Officials are cán bộ unless a test says otherwise; managers, authors and admins are of
    category "khác", as provincial and district staff are (reports do not count them)."""
    monkeypatch.setattr(users_module, "hash_password", _hash_once)
    counter = iter(range(1, 10_000))

    def factory(
        username: str | None = None,
        *,
        role: str = "official",
        unit: str = "09163",
        full_name: str = "Nguyễn Văn An",
        password: str | None = STRONG_PASSWORD,
        **fields: Any,
    ) -> User:
        fields.setdefault("category", "can_bo" if role == "official" else "khac")
        with app.app_context():
            user, _ = create_person(
                None,
                PersonFields(username or f"user{next(counter)}", full_name, unit, role=role),
                password=password,
            )
            for key, value in fields.items():
                setattr(user, key, value)
            db.session.flush()
            rollup.rebuild([user.unit_id])  # fields set directly bypass the account services
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return factory
