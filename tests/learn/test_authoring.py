"""Authors' view: publishing status, errors with path:line, previews of draft courses."""

from __future__ import annotations

from tests.coursekit import write_course
from tests.webkit import login


def test_learners_and_managers_cannot_open_the_authors_pages(
    app, client, make_user, publish_course
):
    publish_course(status="draft")
    for role in ("official", "manager"):
        make_user(role, role=role)
        login(client, role)
        assert client.get("/author/").status_code == 403
        assert client.get("/author/preview/an-toan").status_code == 403
        client.delete_cookie("session")


def test_status_page_shows_the_last_sync_and_the_last_failure(
    app, client, make_user, runner, course_root
):
    write_course(course_root)
    assert runner.invoke(args=["courses", "sync", str(course_root)]).exit_code == 0
    make_user("tac-gia", role="author")
    login(client, "tac-gia")
    page = client.get("/author/").get_data(as_text=True)
    assert "Lần xuất bản gần nhất" in page and "Thêm: 1 khoá học, 3 bài" in page
    assert "có lỗi" not in page
    (course_root / "an-toan" / "01-mat-khau.md").write_text(
        "---\nid: Mat Khau\ntitle: Sai mã\n---\n<script>alert(1)</script>\n", encoding="utf-8"
    )
    result = runner.invoke(args=["courses", "validate", str(course_root)])
    assert result.exit_code == 1
    page = client.get("/author/").get_data(as_text=True)
    assert "Lần kiểm tra gần nhất có lỗi" in page
    assert "an-toan/01-mat-khau.md:2: lỗi:" in page
    assert "<script>alert(1)" not in page


def test_authors_preview_a_draft_exactly_as_learners_will_see_it(
    app, client, make_user, publish_course
):
    publish_course(status="draft")
    make_user("tac-gia", role="author")
    login(client, "tac-gia")
    course = client.get("/author/preview/an-toan").get_data(as_text=True)
    assert "Xem trước" in course and "Mật khẩu mạnh" in course
    lesson = client.get("/author/preview/an-toan/mat-khau").get_data(as_text=True)
    assert "Nội dung của bài Mật khẩu mạnh" in lesson and "Bài 1/3" in lesson
    quiz = client.get("/author/preview/an-toan/kiem-tra").get_data(as_text=True)
    assert 'type="radio"' in quiz and "Nộp bài" not in quiz and "Chưa đúng" not in quiz
    assert client.get("/courses/an-toan").status_code == 404  # learners don't see drafts
