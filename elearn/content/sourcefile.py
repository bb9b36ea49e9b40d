"""Read author files safely: size limit, encoding detection, one text form (NFC, LF)."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

from elearn.content.model import Problem
from elearn.content.vntext import nfc

# Ten times the longest shipped lesson, and the bound that keeps validating any one file under a
# second: every step is linear, but Python-Markdown spends ~10 µs a character on hostile input.
MAX_SOURCE_BYTES = 100 * 1024
UTF8_BOM = b"\xef\xbb\xbf"

MSG_TOO_BIG = (
    "tệp quá lớn ({size} KB), giới hạn là 100 KB; hãy chia nội dung thành nhiều bài ngắn hơn "
    "và đưa ảnh ra tệp riêng trong thư mục images/"
)
MSG_UTF16 = (
    "tệp được lưu dạng UTF-16; hãy lưu lại dạng UTF-8: trong Notepad chọn Tệp > Lưu thành "
    "(File > Save As), ở ô Mã hoá (Encoding) chọn UTF-8 rồi bấm Lưu"
)
MSG_LEGACY = (
    "tệp không phải UTF-8 (có thể đang dùng bảng mã cũ TCVN3, VNI hoặc Windows-1258); "
    "hãy chuyển sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey) rồi lưu lại dạng "
    "UTF-8: trong Notepad chọn Tệp > Lưu thành (File > Save As), ở ô Mã hoá (Encoding) chọn "
    "UTF-8 rồi bấm Lưu"
)
MSG_UNREADABLE = "không đọc được tệp ({reason}); hãy kiểm tra quyền truy cập của tệp"
MSG_SYMLINK = (
    "tệp là liên kết (symlink), không phải tệp thật; hãy chép tệp thật vào thư mục khoá học "
    "thay cho liên kết"
)
MSG_CONTROL = (
    "dòng có ký tự điều khiển {code} ở cột {column} (thường do chép từ Word, PDF hoặc một tệp "
    "hỏng); hãy xoá ký tự này: mở tệp bằng Notepad++, chọn Xem > Hiện ký hiệu > Hiện mọi ký tự "
    "(View > Show Symbol > Show All Characters) rồi xoá ký tự lạ trên dòng"
)
MSG_MORE_CONTROL = "còn {count} dòng khác có ký tự điều khiển; hãy xoá chúng như ở các dòng trên"
# Tab, line feed and carriage return are text; every other C0 control is not (NUL breaks
# PostgreSQL text columns, the rest are invisible in an editor and in the browser).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_CONTROL_REPORTS = 10


@dataclass(frozen=True, slots=True)
class SourceText:
    """A decoded author file: NFC text with LF line endings, split into lines."""

    text: str
    lines: tuple[str, ...]


def looks_like_utf16(data: bytes) -> bool:
    """Spot UTF-16 by its byte-order mark or by the NUL bytes every ASCII letter carries."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = data[:4096]
    return len(sample) >= 2 and sample.count(0) * 4 >= len(sample)


def decode_source(data: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 (BOM optional) or explain which encoding to resave as."""
    if looks_like_utf16(data):
        return None, [Problem(rel, 1, "error", MSG_UTF16)]
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [Problem(rel, line, "error", MSG_LEGACY)]
    return text, []


def normalise_source(text: str) -> SourceText:
    """Turn CRLF/CR into LF and compose to NFC so offsets and hashes never depend on editors."""
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    return SourceText(text=text, lines=tuple(text.split("\n")))


def control_characters(text: SourceText, rel: str) -> list[Problem]:
    """Report control characters by line and column; each character is looked at once."""
    problems: list[Problem] = []
    whole = text.text
    pos, line, extra, last_line = 0, 1, 0, 1
    while match := _CONTROL.search(whole, pos):
        at = match.start()
        line += whole.count("\n", pos, at)
        newline = whole.rfind("\n", pos, at)
        line_start = newline + 1 if newline >= 0 else pos
        last_line = line
        if len(problems) < MAX_CONTROL_REPORTS:
            code, column = f"U+{ord(match.group()):04X}", at - line_start + 1
            message = MSG_CONTROL.format(code=code, column=column)
            problems.append(Problem(rel, line, "error", message))
        else:
            extra += 1
        end = whole.find("\n", at)  # one report per line: go on from the next line
        if end < 0:
            break
        pos, line = end + 1, line + 1
    if extra:
        problems.append(Problem(rel, last_line, "error", MSG_MORE_CONTROL.format(count=extra)))
    return problems


def read_bytes_no_symlink(path: Path, limit: int) -> bytes:
    """Read a regular file, refusing a symlink even if it is swapped in after a check.

    Raises IsALinkError for a symlink, FileTooBig past `limit` bytes, OSError otherwise.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    if path.is_symlink():
        raise IsALinkError(path)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if path.is_symlink():  # O_NOFOLLOW answers ELOOP for a link made after the check
            raise IsALinkError(path) from exc
        raise
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(21, "not a regular file")
        if info.st_size > limit:
            raise FileTooBig(info.st_size)
        return handle.read(limit + 1)


class IsALinkError(OSError):
    """A course file is a symlink: course folders hold real files only."""


class FileTooBig(OSError):
    """A file is over its size limit; `size` says by how much."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size


def read_source(path: Path, rel: str) -> tuple[SourceText | None, list[Problem]]:
    """Read one Markdown file within the size limit, reporting why it cannot be used."""
    try:
        data = read_bytes_no_symlink(path, MAX_SOURCE_BYTES)
    except IsALinkError:
        return None, [Problem(rel, 1, "error", MSG_SYMLINK)]
    except FileTooBig as exc:
        kb = (exc.size + 1023) // 1024
        return None, [Problem(rel, 1, "error", MSG_TOO_BIG.format(size=kb))]
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return None, [Problem(rel, 1, "error", MSG_UNREADABLE.format(reason=reason))]
    if len(data) > MAX_SOURCE_BYTES:  # grew between fstat and read
        kb = (len(data) + 1023) // 1024
        return None, [Problem(rel, 1, "error", MSG_TOO_BIG.format(size=kb))]
    text, problems = decode_source(data, rel)
    if text is None:
        return None, problems
    source = normalise_source(text)
    return source, control_characters(source, rel)


def trim_blank(lines: Iterable[str]) -> list[str]:
    """Drop blank lines at both ends, keeping the inside as written."""
    kept = list(lines)
    start, end = 0, len(kept)
    while start < end and not kept[start].strip():
        start += 1
    while end > start and not kept[end - 1].strip():
        end -= 1
    return kept[start:end]


def content_hash(*parts: str | Iterable[str]) -> str:
    """Hash text so trailing spaces and blank edges never count as a change."""
    digest = hashlib.sha256()
    for part in parts:
        lines = part.split("\n") if isinstance(part, str) else part
        normalised = "\n".join(line.rstrip() for line in trim_blank(lines))
        digest.update(normalised.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def collection_path(path: PurePath, base: PurePath) -> str:
    """Path relative to the collection, with forward slashes and NFC like all other text."""
    return nfc(path.relative_to(base).as_posix())
