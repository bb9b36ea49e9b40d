"""Files a lesson links for download (XLSX, DOCX, PDF): checked like images, typed by content.

`[Tải tệp thực hành](files/so-lieu.xlsx)` must name a real file of the course folder; its
type is read from its bytes (a renamed page or program is refused, and so are Office files
with macros), and it is published by content hash, so its URL changes whenever it does.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import quote

from elearn.content import messages as msg
from elearn.content.folder import CourseFolder, split_reference
from elearn.content.model import CourseFile
from elearn.content.sourcefile import FileTooBig, IsALinkError, read_bytes_no_symlink
from elearn.formatting import format_number

# Officials open these on phones over weak links: 1 MB is ~10 s on a slow 3G connection.
# The hard limit keeps one file's bytes well inside a web worker's memory budget.
MAX_FILE_BYTES = 5 * 1024 * 1024
WARN_FILE_BYTES = 1024 * 1024

# Kind → (file name ending, MIME type served).
FILE_TYPES = {
    "XLSX": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "DOCX": (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "PDF": (".pdf", "application/pdf"),
}
_KIND_BY_SUFFIX = {suffix: kind for kind, (suffix, _) in FILE_TYPES.items()}
_OLD_OFFICE = {".xls": ".xlsx", ".doc": ".docx"}
_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "XLSX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "DOCX",
}
_CONTENT_TYPE = re.compile(rb'ContentType="([^"]{1,200})"')
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_ZIP_ENTRIES = 10_000
_MAX_CONTENT_TYPES_BYTES = 256 * 1024

Message = tuple[str, tuple[object, ...]]


def media_url(sha256: str, name: str) -> str:
    """The long-cached URL of a published image or file: it changes whenever the bytes do."""
    return f"/media/{sha256}/{quote(name)}"


def size_label(size: int) -> str:
    """Say how big a download is the way the page shows it: `10 KB`, `1,2 MB`."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{format_number(size / (1024 * 1024), 1)} MB"


def sniff(data: bytes) -> str | None:
    """Name the kind of document the bytes hold: XLSX, DOCX, PDF, OLD, MACRO or None."""
    if data.startswith(b"%PDF-"):
        return "PDF"
    if data.startswith(_OLE_MAGIC):
        return "OLD"
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > _MAX_ZIP_ENTRIES:
                return None
            names = {entry.filename.lower() for entry in entries}
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _MAX_CONTENT_TYPES_BYTES:
                return None
            with archive.open(info) as handle:
                types = handle.read(_MAX_CONTENT_TYPES_BYTES + 1)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, ValueError):
        return None
    declared = {value.decode("ascii", "replace") for value in _CONTENT_TYPE.findall(types)}
    if any("macroenabled" in value.lower() for value in declared) or any(
        name.endswith("vbaproject.bin") for name in names
    ):
        return "MACRO"
    kinds = {_MAIN_PARTS[value] for value in declared if value in _MAIN_PARTS}
    return kinds.pop() if len(kinds) == 1 else None


@dataclass(frozen=True, slots=True)
class FileCheck:
    """The verdict on one link: the file to publish (None if refused) and what to report."""

    file: CourseFile | None
    errors: tuple[Message, ...] = ()
    warnings: tuple[Message, ...] = ()

    @property
    def url(self) -> str:
        """Where the lesson links: the content-hash URL, named after the file."""
        assert self.file is not None
        return media_url(self.file.sha256, PurePosixPath(self.file.rel_path).name)

    @property
    def label(self) -> str:
        """What the link says after its text, e.g. `XLSX, 10 KB`."""
        assert self.file is not None
        return f"{self.file.kind}, {size_label(self.file.size)}"


_REFUSALS = {
    "absolute": msg.FILE_ABSOLUTE,
    "remote": msg.FILE_ABSOLUTE,
    "parent": msg.FILE_PARENT,
    "missing": msg.FILE_MISSING,
    "symlink": msg.FILE_SYMLINK,
}


@dataclass(slots=True)
class CourseFiles:
    """Resolve the file links of one course folder, remembering every file used."""

    folder: CourseFolder
    files: dict[str, CourseFile] = field(default_factory=dict)
    _checked: dict[str, FileCheck] = field(default_factory=dict)

    def check(self, href: str) -> FileCheck:
        """Return the verdict for a link, computing it once per course."""
        if href not in self._checked:
            self._checked[href] = self._check(href)
        return self._checked[href]

    def _check(self, href: str) -> FileCheck:
        """Apply every rule to one link, in the order an author would fix them."""
        shown = href.strip()
        parts, refusal = split_reference(shown)
        if refusal is not None:
            return FileCheck(None, ((_REFUSALS[refusal], (shown,)),))
        suffix = PurePosixPath(parts[-1]).suffix.lower()
        if suffix in _OLD_OFFICE:
            return FileCheck(None, ((msg.FILE_OLD, (shown, _OLD_OFFICE[suffix])),))
        expected = _KIND_BY_SUFFIX.get(suffix)
        if expected is None:
            return FileCheck(None, ((msg.FILE_TYPE, (shown,)),))
        path, refusal = self.folder.locate(parts)
        if path is None:
            return FileCheck(None, ((_REFUSALS[refusal or "missing"], (shown,)),))
        try:
            data = read_bytes_no_symlink(path, MAX_FILE_BYTES)
        except IsALinkError:
            return FileCheck(None, ((msg.FILE_SYMLINK, (shown,)),))
        except FileTooBig as exc:
            return FileCheck(None, ((msg.FILE_TOO_BIG, (shown, size_label(exc.size))),))
        except OSError:
            return FileCheck(None, ((msg.FILE_MISSING, (shown,)),))
        return self._typed(shown, parts, data, expected)

    def _typed(self, shown: str, parts: list[str], data: bytes, expected: str) -> FileCheck:
        """Accept the bytes when they are the kind of document the name promises."""
        found = sniff(data)
        if found == "MACRO":
            return FileCheck(None, ((msg.FILE_MACRO, (shown, FILE_TYPES[expected][0])),))
        if found == "OLD":
            suffix = FILE_TYPES[expected][0]
            return FileCheck(None, ((msg.FILE_OLD, (shown, suffix)),))
        if found != expected:
            return FileCheck(None, ((msg.FILE_CONTENT, (shown, expected)),))
        rel = "/".join(parts)
        mime = FILE_TYPES[expected][1]
        course_file = CourseFile(rel, hashlib.sha256(data).hexdigest(), len(data), expected, mime)
        self.files[rel] = course_file
        warnings: tuple[Message, ...] = ()
        if len(data) > WARN_FILE_BYTES:
            warnings = ((msg.FILE_BIG, (shown, size_label(len(data)))),)
        return FileCheck(course_file, warnings=warnings)
