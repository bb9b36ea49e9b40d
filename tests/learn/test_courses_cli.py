"""`elearn courses validate/sync/add-ids` as an author runs them."""

from __future__ import annotations

from tests.coursekit import write_course

NO_ID_QUIZ = "\ufeff" + "\r\n".join(
    [
        "---",
        "id: kt",
        "type: quiz",
        "title: Kiểm tra",
        "---",
        "",
        "## Mật khẩu mạnh là gì?",
        "",
        "Đáp án: dài",
        "",
    ]
)


def test_validate_reports_path_and_line_and_exits_1(runner, course_root):
    write_course(course_root)
    assert runner.invoke(args=["courses", "validate", str(course_root)]).exit_code == 0
    lesson = course_root / "an-toan" / "02-otp.md"
    lesson.write_text("---\nid: otp\n---\n\nNội dung.\n", encoding="utf-8")
    result = runner.invoke(args=["courses", "validate", str(course_root)])
    assert result.exit_code == 1
    assert "an-toan/02-otp.md:1: lỗi:" in result.output and "title" in result.output


def test_sync_prints_what_changed(runner, course_root):
    write_course(course_root)
    first = runner.invoke(args=["courses", "sync", str(course_root)])
    assert first.exit_code == 0
    assert "added: 1 course(s), 3 item(s): an-toan, an-toan/mat-khau" in first.output
    second = runner.invoke(args=["courses", "sync", str(course_root)])
    assert "added: 0 course(s), 0 item(s)\n" in second.output
    assert "unchanged: 1 course(s), 3 item(s)" in second.output


def test_add_ids_writes_ids_and_keeps_every_other_byte(runner, course_root):
    write_course(course_root)
    quiz = course_root / "an-toan" / "09-kt.md"
    quiz.write_bytes(NO_ID_QUIZ.encode("utf-8"))
    before = quiz.read_bytes()
    result = runner.invoke(args=["courses", "add-ids", str(course_root)])
    assert result.exit_code == 0 and "1 question id(s) added" in result.output
    after = quiz.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf---\r\n") and b"{#mat-khau-manh-la-gi}" in after
    assert after.replace(b" {#mat-khau-manh-la-gi}", b"") == before
