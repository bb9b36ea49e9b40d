"""Resolve a path written in a lesson to a real file of its course folder, or say why not.

Images and linked files follow one rule: a relative path, no `..`, no absolute path, no
symlink anywhere on the way (a link could be re-pointed between checking and publishing, and
Windows checkouts turn links into text files), names matched exactly as Linux will serve them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal
from urllib.parse import unquote

from elearn.content.mdext import DRIVE, link_scheme

Refusal = Literal["absolute", "remote", "parent", "missing", "symlink"]


def split_reference(src: str) -> tuple[list[str], Refusal | None]:
    """Split a written path into its parts, or refuse it before touching the disk."""
    shown = src.strip()
    if DRIVE.match(shown) or (shown.startswith(("/", "\\")) and link_scheme(shown) is None):
        return [], "absolute"
    if link_scheme(shown) is not None:
        return [], "remote"
    parts = [p for p in PurePosixPath(unquote(shown).replace("\\", "/")).parts if p != "."]
    if ".." in parts:
        return [], "parent"
    if not parts or parts[0] == "/":
        return [], "absolute"
    return parts, None


@dataclass(slots=True)
class CourseFolder:
    """One course folder on disk, each directory listed once however many files it holds."""

    root: Path
    _listings: dict[Path, frozenset[str]] = field(default_factory=dict)

    def _listing(self, directory: Path) -> frozenset[str]:
        """List a directory once; exact names catch case mistakes Windows would forgive."""
        if directory not in self._listings:
            try:
                self._listings[directory] = frozenset(os.listdir(directory))
            except OSError:
                self._listings[directory] = frozenset()
        return self._listings[directory]

    def locate(self, parts: list[str]) -> tuple[Path | None, Refusal | None]:
        """Return the regular file the parts name, or why there is none to use."""
        path = self.root
        for part in parts:
            if part not in self._listing(path):
                return None, "missing"
            path = path / part
            if path.is_symlink():
                return None, "symlink"
        if not path.is_file():
            return None, "missing"
        return path, None
