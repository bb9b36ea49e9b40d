"""Check image references: inside the course folder, real images, small enough to load."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from elearn.content import messages as msg
from elearn.content.mdext import link_scheme
from elearn.content.model import ImageFile

MAX_IMAGE_BYTES = 300 * 1024
_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WebP"}
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def _has_magic(head: bytes, kind: str) -> bool:
    """Check the first bytes, so a renamed HTML or SVG file is never served as an image."""
    if kind == "PNG":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if kind == "JPEG":
        return head.startswith(b"\xff\xd8\xff")
    if kind == "GIF":
        return head.startswith((b"GIF87a", b"GIF89a"))
    return head.startswith(b"RIFF") and head[8:12] == b"WEBP"


@dataclass(frozen=True, slots=True)
class ImageCheck:
    """The verdict on one `src`: the path to serve (None if refused) and what to report."""

    rel_path: str | None
    errors: tuple[tuple[str, tuple[object, ...]], ...] = ()
    warnings: tuple[tuple[str, tuple[object, ...]], ...] = ()


@dataclass(slots=True)
class CourseImages:
    """Resolve image references of one course folder, remembering every file used."""

    folder: Path
    files: dict[str, ImageFile] = field(default_factory=dict)
    _checked: dict[str, ImageCheck] = field(default_factory=dict)
    _listings: dict[Path, frozenset[str]] = field(default_factory=dict)

    def check(self, src: str) -> ImageCheck:
        """Return the verdict for `src`, computing it once per course."""
        if src not in self._checked:
            self._checked[src] = self._check(src)
        return self._checked[src]

    def _listing(self, directory: Path) -> frozenset[str]:
        """List a directory once; exact names catch case mistakes Windows would forgive."""
        if directory not in self._listings:
            try:
                self._listings[directory] = frozenset(os.listdir(directory))
            except OSError:
                self._listings[directory] = frozenset()
        return self._listings[directory]

    def _check(self, src: str) -> ImageCheck:
        """Apply every rule to one reference, in the order an author would fix them."""
        shown = src.strip()
        if _DRIVE.match(shown) or (shown.startswith(("/", "\\")) and link_scheme(shown) is None):
            return ImageCheck(None, ((msg.IMAGE_ABSOLUTE, (shown,)),))
        if link_scheme(shown) is not None:
            return ImageCheck(None, ((msg.IMAGE_REMOTE, (shown,)),))
        parts = [p for p in PurePosixPath(unquote(shown).replace("\\", "/")).parts if p != "."]
        if ".." in parts:
            return ImageCheck(None, ((msg.IMAGE_PARENT, (shown,)),))
        if not parts or parts[0] == "/":
            return ImageCheck(None, ((msg.IMAGE_ABSOLUTE, (shown,)),))
        kind = _FORMATS.get(PurePosixPath(parts[-1]).suffix.lower())
        if kind is None:
            return ImageCheck(None, ((msg.IMAGE_TYPE, (shown,)),))
        rel = "/".join(parts)
        path = self.folder.joinpath(*parts)
        directory = self.folder
        for part in parts:
            if part not in self._listing(directory):
                return ImageCheck(None, ((msg.IMAGE_MISSING, (shown,)),))
            directory = directory / part
        real_folder = self.folder.resolve()
        real = path.resolve()
        if not real.is_relative_to(real_folder):
            return ImageCheck(None, ((msg.IMAGE_OUTSIDE, (shown,)),))
        if not real.is_file():
            return ImageCheck(None, ((msg.IMAGE_MISSING, (shown,)),))
        with real.open("rb") as handle:
            if not _has_magic(handle.read(16), kind):
                return ImageCheck(None, ((msg.IMAGE_CONTENT, (shown, kind)),))
            handle.seek(0)
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        size = real.stat().st_size
        self.files[rel] = ImageFile(rel, digest, size)
        warnings: tuple[tuple[str, tuple[object, ...]], ...] = ()
        if size > MAX_IMAGE_BYTES:
            warnings = ((msg.IMAGE_BIG, (shown, (size + 1023) // 1024)),)
        return ImageCheck(rel, warnings=warnings)
