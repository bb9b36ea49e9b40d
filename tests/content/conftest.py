"""Fixtures that write small course folders to tmp_path and load them, no app or database."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.content.contentkit import LESSON, Collection


@pytest.fixture
def collection(tmp_path: Path) -> Collection:
    """An empty collection folder."""
    root = tmp_path / "courses"
    root.mkdir()
    return Collection(root)


@pytest.fixture
def quiz_messages(collection: Collection) -> Callable[[str], list[str]]:
    """Load one quiz body (front matter added) and return the problems in its file."""

    def run(body: str) -> list[str]:
        head = "---\nid: kiem-tra\ntype: quiz\ntitle: Kiểm tra\n---\n"
        collection.course(**{"01-bai": LESSON})
        collection.write("khoa/02-kiem-tra.md", head + textwrap.dedent(body), dedent=False)
        return [m for m in collection.messages() if "02-kiem-tra.md" in m]

    return run
