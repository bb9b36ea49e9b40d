"""Read author files safely: size limit, encoding detection, one text form (NFC, LF)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

from elearn.content.model import Problem
from elearn.content.vntext import nfc

MAX_SOURCE_BYTES = 200 * 1024
UTF8_BOM = b"\xef\xbb\xbf"

MSG_TOO_BIG = (
    "tệp quá lớn ({size} KB), giới hạn là 200 KB; hãy chia nội dung thành nhiều bài ngắn hơn "
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


def read_source(path: Path, rel: str) -> tuple[SourceText | None, list[Problem]]:
    """Read one Markdown file within the size limit, reporting why it cannot be used."""
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            kb = (size + 1023) // 1024
            return None, [Problem(rel, 1, "error", MSG_TOO_BIG.format(size=kb))]
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(rel, 1, "error", MSG_UNREADABLE.format(reason=exc.strerror))]
    text, problems = decode_source(data, rel)
    if text is None:
        return None, problems
    return normalise_source(text), []


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
