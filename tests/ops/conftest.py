"""Fixtures for operations tests: servers and disks of the test's own, stopped afterwards."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest

from tests.opskit import OwnPostgres, OwnRedis, Tmpfs


def _unavailable(reason: str) -> None:
    """Outside CI a missing tool skips the test; CI installs every tool, so there it fails."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def own_postgres() -> Iterator[OwnPostgres]:
    """A PostgreSQL server for this test alone, which it may stop and start."""
    try:
        server = OwnPostgres()
    except (FileNotFoundError, subprocess.CalledProcessError) as error:
        _unavailable(f"cannot start a PostgreSQL server of the test's own: {error}")
    yield server
    server.close()


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    """A Redis server for this test alone, which it may stop and start."""
    try:
        server = OwnRedis()
    except (FileNotFoundError, TimeoutError) as error:
        _unavailable(f"cannot start a Redis server of the test's own: {error}")
    yield server
    server.stop()


@pytest.fixture
def tmpfs() -> Iterator[Tmpfs]:
    """An 8 MB RAM disk (mounting needs root, as in CI)."""
    try:
        disk = Tmpfs()
    except (subprocess.CalledProcessError, FileNotFoundError) as error:
        _unavailable(f"cannot mount a tmpfs (root needed): {error}")
    yield disk
    disk.close()


@pytest.fixture
def sqlite_only() -> None:
    """Tests of SQLite's own behaviour run once, in the SQLite run of the suite."""
    if os.environ.get("ELEARN_TEST_DATABASE", "sqlite") != "sqlite":
        pytest.skip("about SQLite; it runs in the SQLite run")


@pytest.fixture
def postgresql_only() -> None:
    """Tests with a PostgreSQL server of their own run once, in the PostgreSQL run."""
    if os.environ.get("ELEARN_TEST_DATABASE", "sqlite") != "postgresql":
        pytest.skip("needs PostgreSQL; it runs in the PostgreSQL run")
