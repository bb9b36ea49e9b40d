"""Build small course folders in a temporary directory and load them."""

from __future__ import annotations

import textwrap
from pathlib import Path

from elearn.content.framework import FRAMEWORK_FILE, default_text
from elearn.content.loader import load_collection
from elearn.content.model import LoadResult

COURSE = """\
---
id: khoa-hoc
title: Khoá học thử
---

Giới thiệu khoá học.
"""

LESSON = """\
---
id: bai-mot
title: Bài một
---

Nội dung bài một.
"""

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class Collection:
    """A course collection under construction in a temporary folder."""

    def __init__(self, root: Path, *, framework: bool = True) -> None:
        self.root = root
        if framework:
            root.mkdir(parents=True, exist_ok=True)
            (root / FRAMEWORK_FILE).write_text(default_text(), encoding="utf-8")

    def write(self, rel: str, content: str | bytes, *, dedent: bool = True) -> Path:
        """Write a file (str is dedented and saved as UTF-8) and return its path."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = (textwrap.dedent(content) if dedent else content).encode("utf-8")
        path.write_bytes(content)
        return path

    def course(self, folder: str = "khoa", course_md: str = COURSE, **files: str) -> None:
        """Write a course.md and the given `name=content` files into one folder."""
        self.write(f"{folder}/course.md", course_md)
        for name, content in files.items():
            self.write(f"{folder}/{name.replace('_', '-')}.md", content)

    def load(self) -> LoadResult:
        """Load the whole collection."""
        return load_collection(self.root)

    def messages(self) -> list[str]:
        """Load and return every problem as the CLI prints it."""
        return [str(p) for p in self.load().problems]
