"""`python -m elearn.content DIR`: every problem, one summary line, exit status 1 on errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from elearn.content.__main__ import main
from tests.content.contentkit import LESSON, Collection


def test_clean_collection(collection: Collection, capsys: pytest.CaptureFixture[str]) -> None:
    collection.course(**{"01-bai": LESSON})
    assert main([str(collection.root)]) == 0
    assert capsys.readouterr().out == (
        "Không có lỗi, không có cảnh báo; 1 thư mục khoá học, 1 hợp lệ.\n"
    )


def test_warnings_do_not_fail(collection: Collection, capsys: pytest.CaptureFixture[str]) -> None:
    collection.course(**{"01-bai": LESSON.replace("title: Bài một", "title: Bài\nx: y")})
    assert main([str(collection.root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("khoa/01-bai.md:4: cảnh báo: khoá `x` không được dùng")
    assert out[1] == "Không có lỗi, 1 cảnh báo nên xem lại; 1 thư mục khoá học, 1 hợp lệ."


def test_errors_fail(collection: Collection, capsys: pytest.CaptureFixture[str]) -> None:
    collection.course(**{"01-bai": LESSON.replace("id: bai-mot", "id: Bai Mot")})
    collection.course("hai", **{"01-bai": "không có phần đầu"})
    assert main([str(collection.root)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[0] for line in out[:-1]] == [
        "hai/01-bai.md:1",
        "hai/course.md:2",
        "khoa/01-bai.md:2",
        "khoa/course.md:2",
    ]
    assert out[-1] == (
        "Có 4 lỗi và 0 cảnh báo; 2 thư mục khoá học, 0 hợp lệ. Hãy sửa các lỗi rồi chạy lại."
    )


def test_add_ids_option(collection: Collection, capsys: pytest.CaptureFixture[str]) -> None:
    quiz = "---\nid: kt\ntype: quiz\ntitle: K\n---\n\n## Câu một\n\nĐáp án: 1\n"
    collection.course(**{"01-kt": quiz})
    assert main([str(collection.root)]) == 1
    capsys.readouterr()
    assert main(["--add-ids", str(collection.root)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "khoa/01-kt.md: đã thêm mã cho 1 câu hỏi",
        "Không có lỗi, không có cảnh báo; 1 thư mục khoá học, 1 hợp lệ.",
    ]
    assert "## Câu một {#cau-mot}" in (collection.root / "khoa" / "01-kt.md").read_text("utf-8")


def test_runs_as_a_module(collection: Collection) -> None:
    collection.course(**{"01-bai": LESSON.replace("id: bai-mot", "id: Bai")})
    done = subprocess.run(
        [sys.executable, "-m", "elearn.content", str(collection.root)],
        capture_output=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert done.returncode == 1
    out = done.stdout.decode("utf-8").splitlines()
    assert out[0].startswith("khoa/01-bai.md:2: lỗi: mã `Bai` không hợp lệ")
