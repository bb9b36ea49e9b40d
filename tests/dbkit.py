"""The database a test run uses: SQLite or PostgreSQL (ELEARN_TEST_DATABASE), and throwaway
PostgreSQL databases on ELEARN_TEST_POSTGRES_URL's server. Plain functions; the fixtures
that use them live in the conftest.py files and the tests."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_ADMIN_URL = os.environ.get(
    "ELEARN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def backend() -> str:
    """`sqlite` (the default) or `postgresql`."""
    return os.environ.get("ELEARN_TEST_DATABASE", "sqlite")


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A new empty PostgreSQL database named `prefix` plus a random suffix, dropped after."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
