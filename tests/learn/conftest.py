"""Fixtures for the learning pages: a published course and a signed-in official."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.coursekit import sync, write_course
from tests.webkit import login


@pytest.fixture
def course_root(tmp_path: Path) -> Path:
    root = tmp_path / "courses"
    root.mkdir()
    return root


@pytest.fixture
def publish_course(app, course_root):
    """Write and publish a test course; keyword arguments go to write_course."""

    def factory(**options):
        write_course(course_root, **options)
        with app.app_context():
            return sync(course_root)

    return factory


@pytest.fixture
def official(app, client, make_user, publish_course) -> FlaskClient:
    """A signed-in official with the standard test course published."""
    publish_course()
    make_user("an", full_name="Nguyễn Văn An")
    login(client, "an")
    return client
