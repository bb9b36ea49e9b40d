"""Check image references: inside the course folder, real images, small enough to load."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from elearn.content import messages as msg
from elearn.content.folder import CourseFolder, split_reference
from elearn.content.model import ImageFile
from elearn.content.sourcefile import FileTooBig, IsALinkError, read_bytes_no_symlink

MAX_IMAGE_BYTES = 300 * 1024  # a warning: slow on a weak connection
MAX_IMAGE_READ = 5 * 1024 * 1024  # an error: no lesson picture needs more
_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WebP"}


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


_REFUSALS = {
    "absolute": msg.IMAGE_ABSOLUTE,
    "remote": msg.IMAGE_REMOTE,
    "parent": msg.IMAGE_PARENT,
    "missing": msg.IMAGE_MISSING,
    "symlink": msg.IMAGE_SYMLINK,
}


@dataclass(slots=True)
class CourseImages:
    """Resolve image references of one course folder, remembering every file used."""

    folder: CourseFolder
    files: dict[str, ImageFile] = field(default_factory=dict)
    _checked: dict[str, ImageCheck] = field(default_factory=dict)

    def check(self, src: str) -> ImageCheck:
        """Return the verdict for `src`, computing it once per course."""
        if src not in self._checked:
            self._checked[src] = self._check(src)
        return self._checked[src]

    def _check(self, src: str) -> ImageCheck:
        """Apply every rule to one reference, in the order an author would fix them."""
        shown = src.strip()
        parts, refusal = split_reference(shown)
        if refusal is not None:
            return ImageCheck(None, ((_REFUSALS[refusal], (shown,)),))
        kind = _FORMATS.get(PurePosixPath(parts[-1]).suffix.lower())
        if kind is None:
            return ImageCheck(None, ((msg.IMAGE_TYPE, (shown,)),))
        path, refusal = self.folder.locate(parts)
        if path is None:
            return ImageCheck(None, ((_REFUSALS[refusal or "missing"], (shown,)),))
        try:
            data = read_bytes_no_symlink(path, MAX_IMAGE_READ)
        except IsALinkError:
            return ImageCheck(None, ((msg.IMAGE_SYMLINK, (shown,)),))
        except FileTooBig as exc:
            return ImageCheck(None, ((msg.IMAGE_TOO_BIG, (shown, (exc.size + 1023) // 1024)),))
        except OSError:
            return ImageCheck(None, ((msg.IMAGE_MISSING, (shown,)),))
        if not _has_magic(data[:16], kind):
            return ImageCheck(None, ((msg.IMAGE_CONTENT, (shown, kind)),))
        rel = "/".join(parts)
        self.files[rel] = ImageFile(rel, hashlib.sha256(data).hexdigest(), len(data))
        warnings: tuple[tuple[str, tuple[object, ...]], ...] = ()
        if len(data) > MAX_IMAGE_BYTES:
            warnings = ((msg.IMAGE_BIG, (shown, (len(data) + 1023) // 1024)),)
        return ImageCheck(rel, warnings=warnings)
