"""The competency framework: the domains a course may name in `competencies:`.

One Markdown file beside the course folders, `khung-nang-luc.md`, that an author edits in
Notepad: every line starting with `- ` is a domain, `- mã: Tên lĩnh vực`, in the order
learners and managers will see them; every other line is a note for people. The file is
required: passports and per-domain reports count against a fixed list, and a misspelt tag
must be an error, not a new domain.
"""

from __future__ import annotations

import re
from pathlib import Path

from elearn.content.fences import fenced_indexes
from elearn.content.frontmatter import check_id
from elearn.content.model import Domain, Framework, Problem
from elearn.content.sourcefile import read_source

FRAMEWORK_FILE = "khung-nang-luc.md"
MAX_DOMAINS = 100
MAX_NAME = 200
_ITEM = re.compile(r"^[-*+][ \t]")
_DOMAIN = re.compile(r"^[-*+][ \t]+(?P<id>[^:]*?)[ \t]*:[ \t]*(?P<name>.*?)[ \t]*$")

DEFAULT_DOMAINS = (
    ("du-lieu-thong-tin", "Khai thác dữ liệu và thông tin"),
    ("giao-tiep-hop-tac", "Giao tiếp và hợp tác trong môi trường số"),
    ("sang-tao-noi-dung", "Sáng tạo nội dung số"),
    ("an-toan", "An toàn"),
    ("giai-quyet-van-de", "Giải quyết vấn đề"),
    ("tri-tue-nhan-tao", "Ứng dụng trí tuệ nhân tạo"),
)
_EXAMPLE = "; ".join(f"- {slug}: {name}" for slug, name in DEFAULT_DOMAINS[:2])

MSG_MISSING = (
    "chưa có tệp khung năng lực {path}; hãy tạo tệp này cạnh các thư mục khoá học, mỗi lĩnh vực "
    "một dòng dạng - mã: Tên lĩnh vực, ví dụ: " + _EXAMPLE + " (tệp mẫu có sẵn trong thư mục "
    "courses/ của phần mềm)"
)
MSG_BAD_LINE = (
    "dòng `{line}` bắt đầu bằng dấu - nên phải là một lĩnh vực dạng - mã: Tên lĩnh vực, ví dụ: "
    "- an-toan: An toàn; nếu là ghi chú, hãy viết thành câu không có dấu - ở đầu"
)
MSG_NO_NAME = (
    "lĩnh vực `{id}` chưa có tên; hãy viết tên sau dấu hai chấm, ví dụ: - an-toan: An toàn"
)
MSG_LONG_NAME = "tên lĩnh vực `{id}` dài {length} ký tự, tối đa {limit}; hãy viết ngắn lại"
MSG_DUPLICATE = (
    "mã lĩnh vực `{id}` bị trùng (dòng {first} và dòng {second}); mỗi lĩnh vực cần một mã riêng"
)
MSG_EMPTY = (
    "tệp khung năng lực chưa có lĩnh vực nào; hãy thêm mỗi lĩnh vực một dòng dạng - mã: Tên lĩnh "
    "vực, ví dụ: " + _EXAMPLE
)
MSG_TOO_MANY = "tệp khung năng lực có {count} lĩnh vực, tối đa {limit}; hãy gộp bớt"


def default_text() -> str:
    """The framework file a new collection starts from: the six national domains."""
    lines = [f"- {slug}: {name}" for slug, name in DEFAULT_DOMAINS]
    return "# Khung năng lực số\n\n" + "\n".join(lines) + "\n"


def load_framework(base: Path) -> tuple[Framework | None, list[Problem]]:
    """Read the framework beside the course folders; None when it is missing or wrong."""
    path = base / FRAMEWORK_FILE
    rel = FRAMEWORK_FILE
    if not path.exists() and not path.is_symlink():
        return None, [Problem(rel, 1, "error", MSG_MISSING.format(path=rel))]
    text, problems = read_source(path, rel)
    if text is None:
        return None, problems
    domains: list[Domain] = []
    seen: dict[str, int] = {}
    fenced = fenced_indexes(text.lines)
    for index, line in enumerate(text.lines):
        number = index + 1
        if index in fenced or not _ITEM.match(line):
            continue
        match = _DOMAIN.match(line)
        if match is None or not match.group("id"):
            problems.append(Problem(rel, number, "error", MSG_BAD_LINE.format(line=line.strip())))
            continue
        slug, name = match.group("id"), match.group("name")
        found = check_id(slug, rel, number)
        if found:
            problems += found
            continue
        if not name:
            problems.append(Problem(rel, number, "error", MSG_NO_NAME.format(id=slug)))
        elif len(name) > MAX_NAME:
            message = MSG_LONG_NAME.format(id=slug, length=len(name), limit=MAX_NAME)
            problems.append(Problem(rel, number, "error", message))
        if slug in seen:
            message = MSG_DUPLICATE.format(id=slug, first=seen[slug], second=number)
            problems.append(Problem(rel, seen[slug], "error", message))
            problems.append(Problem(rel, number, "error", message))
            continue
        seen[slug] = number
        domains.append(Domain(slug, name, len(domains) + 1, number))
    if not domains and not problems:
        problems.append(Problem(rel, 1, "error", MSG_EMPTY))
    if len(domains) > MAX_DOMAINS:
        message = MSG_TOO_MANY.format(count=len(domains), limit=MAX_DOMAINS)
        problems.append(Problem(rel, domains[MAX_DOMAINS].line, "error", message))
    if any(p.severity == "error" for p in problems):
        return None, problems
    return Framework(rel, tuple(domains)), problems
