"""`python -m elearn.content DIR`: check course files as publishing would, with no database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from elearn.content.addids import add_ids_in_folder
from elearn.content.loader import load_collection


def _summary(folders: int, courses: int, errors: int, warnings: int) -> str:
    """Say in one line what was found and whether anything must be fixed.

    Every course folder counts, a broken one too: `2 thư mục khoá học, 1 hợp lệ`.
    """
    found = f"{folders} thư mục khoá học, {courses} hợp lệ"
    if errors:
        return f"Có {errors} lỗi và {warnings} cảnh báo; {found}. Hãy sửa các lỗi rồi chạy lại."
    if warnings:
        return f"Không có lỗi, {warnings} cảnh báo nên xem lại; {found}."
    return f"Không có lỗi, không có cảnh báo; {found}."


def main(argv: list[str] | None = None) -> int:
    """Print every problem, then a summary; exit status 1 when anything must be fixed."""
    parser = argparse.ArgumentParser(
        prog="python -m elearn.content",
        description="Kiểm tra các khoá học viết bằng Markdown (không thay đổi cơ sở dữ liệu).",
    )
    parser.add_argument("folder", type=Path, help="thư mục chứa các khoá học, ví dụ: courses")
    parser.add_argument(
        "--add-ids",
        action="store_true",
        help="tự thêm mã {#...} cho các câu hỏi chưa có mã, rồi kiểm tra",
    )
    args = parser.parse_args(argv)
    if sys.stdout.encoding and sys.stdout.encoding.lower().replace("-", "") != "utf8":
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    if args.add_ids:
        for rel, count in add_ids_in_folder(args.folder):
            print(f"{rel}: đã thêm mã cho {count} câu hỏi")
    result = load_collection(args.folder)
    for problem in result.problems:
        print(problem)
    print(_summary(result.folders, len(result.courses), len(result.errors), len(result.warnings)))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
