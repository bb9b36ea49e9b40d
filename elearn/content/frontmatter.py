"""Flat `key: value` front matter: no YAML typing, so `Bài 1: Giới thiệu` and `010` stay text."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from elearn.content.model import Problem
from elearn.content.vntext import fold_keyword, slugify

ID_RE = re.compile(r"^[a-z0-9-]{1,64}$")
_FENCE = "---"
_TRUE = frozenset({"yes", "co", "true", "y", "1"})
_FALSE = frozenset({"no", "khong", "false", "n", "0"})
_EXAMPLES = {
    "id": "id: mat-khau-manh",
    "title": "title: Mật khẩu mạnh",
    "type": "type: quiz",
}

MSG_NO_FRONT_MATTER = (
    "tệp chưa có phần thông tin đầu tệp; dòng đầu tiên phải là ---, tiếp theo là các dòng "
    "khoá: giá trị (ví dụ id: mat-khau-manh và title: Mật khẩu mạnh), rồi một dòng --- nữa"
)
MSG_UNCLOSED = (
    "phần thông tin đầu tệp chưa được đóng; hãy thêm một dòng chỉ có --- ngay sau dòng "
    "khoá: giá trị cuối cùng"
)
MSG_NO_COLON = (
    "dòng `{line}` thiếu dấu hai chấm; mỗi dòng ở phần đầu tệp phải có dạng khoá: giá trị, "
    "ví dụ: title: Mật khẩu mạnh"
)
MSG_DUPLICATE_KEY = (
    "khoá `{key}` được viết hai lần (dòng {first} và dòng {second}); hãy xoá một dòng"
)
MSG_MISSING = (
    "thiếu khoá bắt buộc `{key}`; hãy thêm dòng `{example}` vào phần đầu tệp (giữa hai dòng ---)"
)
MSG_EMPTY = "khoá `{key}` chưa có giá trị; hãy viết giá trị sau dấu hai chấm, ví dụ: {example}"
MSG_UNKNOWN = (
    "khoá `{key}` không được dùng nên bị bỏ qua{hint}; các khoá dùng được ở {where}: {allowed}"
)
MSG_BAD_ID = (
    "mã `{value}` không hợp lệ; mã chỉ gồm chữ thường không dấu a-z, chữ số 0-9 và dấu gạch "
    "ngang (-), dài tối đa 64 ký tự, ví dụ: {example}"
)
MSG_BAD_BOOL = "giá trị `{value}` của `{key}` không hợp lệ; hãy viết yes hoặc no (hoặc có/không)"


@dataclass(slots=True)
class FrontMatter:
    """The key/value lines of one file, each with the line it came from."""

    fields: dict[str, tuple[str, int]] = field(default_factory=dict)
    start_line: int = 1
    body_index: int = 0

    def line_of(self, key: str) -> int:
        """Return the line of `key`, or the opening `---` line when the key is absent."""
        return self.fields[key][1] if key in self.fields else self.start_line

    def raw(self, key: str) -> str | None:
        """Return the text value of `key`, or None when absent."""
        return self.fields[key][0] if key in self.fields else None


def _unquote(value: str) -> str:
    """Drop one pair of matching quotes, a habit carried over from YAML."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def split_front_matter(
    lines: tuple[str, ...], rel: str
) -> tuple[FrontMatter | None, list[Problem]]:
    """Read the `---` block at the top of a file and say where the body starts."""
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or lines[start].strip() != _FENCE:
        return None, [Problem(rel, 1, "error", MSG_NO_FRONT_MATTER)]
    fm = FrontMatter(start_line=start + 1)
    problems: list[Problem] = []
    for index in range(start + 1, len(lines)):
        text = lines[index].strip()
        lineno = index + 1
        if text == _FENCE:
            fm.body_index = index + 1
            return fm, problems
        if not text:
            continue
        key, colon, value = text.partition(":")
        key = key.strip().lower()
        if not colon or not key:
            problems.append(Problem(rel, lineno, "error", MSG_NO_COLON.format(line=text)))
            continue
        if key in fm.fields:
            msg = MSG_DUPLICATE_KEY.format(key=key, first=fm.fields[key][1], second=lineno)
            problems.append(Problem(rel, lineno, "error", msg))
            continue
        fm.fields[key] = (_unquote(value.strip()), lineno)
    return None, [Problem(rel, start + 1, "error", MSG_UNCLOSED)]


def check_keys(
    fm: FrontMatter, rel: str, required: tuple[str, ...], optional: tuple[str, ...], where: str
) -> list[Problem]:
    """Warn about unknown keys and report missing or empty required ones."""
    problems: list[Problem] = []
    allowed = required + optional
    for key, (_, lineno) in fm.fields.items():
        if key in allowed:
            continue
        close = difflib.get_close_matches(key.replace(" ", "_"), allowed, n=1, cutoff=0.6)
        hint = f" (có phải ý anh/chị là `{close[0]}`?)" if close else ""
        msg = MSG_UNKNOWN.format(key=key, hint=hint, where=where, allowed=", ".join(allowed))
        problems.append(Problem(rel, lineno, "warning", msg))
    for key in required:
        example = _EXAMPLES.get(key, f"{key}: …")
        if key not in fm.fields:
            msg = MSG_MISSING.format(key=key, example=example)
            problems.append(Problem(rel, fm.start_line, "error", msg))
        elif not fm.fields[key][0]:
            msg = MSG_EMPTY.format(key=key, example=example)
            problems.append(Problem(rel, fm.fields[key][1], "error", msg))
    return problems


def check_id(value: str, rel: str, line: int) -> list[Problem]:
    """Check an author-written id, suggesting a valid one built from the value."""
    if ID_RE.fullmatch(value):
        return []
    example = slugify(value, 64) or "mat-khau-manh"
    return [Problem(rel, line, "error", MSG_BAD_ID.format(value=value, example=example))]


def parse_bool(fm: FrontMatter, key: str, default: bool, rel: str) -> tuple[bool, list[Problem]]:
    """Read yes/no (also có/không, true/false); anything else is an error."""
    value = fm.raw(key)
    if value is None or not value:
        return default, []
    folded = fold_keyword(value)
    if folded in _TRUE:
        return True, []
    if folded in _FALSE:
        return False, []
    msg = MSG_BAD_BOOL.format(value=value, key=key)
    return default, [Problem(rel, fm.line_of(key), "error", msg)]


def parse_int(
    fm: FrontMatter, key: str, rel: str, *, low: int, high: int | None, message: str
) -> tuple[int | None, list[Problem]]:
    """Read a whole number within bounds; `message` explains the rule when it is broken."""
    value = fm.raw(key)
    if value is None:
        return None, []
    text = value.strip().rstrip("%").strip() if key == "pass_mark" else value.strip()
    if re.fullmatch(r"[+-]?\d{1,9}", text):
        number = int(text)
        if number >= low and (high is None or number <= high):
            return number, []
    msg = f"{message}; hiện đang là `{value}`"
    return None, [Problem(rel, fm.line_of(key), "error", msg)]
