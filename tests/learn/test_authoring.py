"""Authors' view: publishing status, errors with path:line, previews of draft courses."""

from __future__ import annotations

from tests.coursekit import sync, write_course
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
    assert "Học viên đang học được: 1 khoá học, 3 bài" in page
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
    assert 'type="radio"' in quiz and "Nộp bài" not in quiz
    assert client.get("/courses/an-toan").status_code == 404  # learners don't see drafts


def test_a_quiz_preview_shows_the_learners_start_page_then_an_authors_panel(
    app, client, make_user, publish_course
):
    publish_course(status="draft", max_attempts=3)
    make_user("tac-gia", role="author")
    login(client, "tac-gia")
    quiz = client.get("/author/preview/an-toan/kiem-tra").get_data(as_text=True)
    learner_part, author_part = quiz.split('class="author-panel"')
    # The learner's start page: where am I, the introduction, pass mark, attempts, navigation.
    assert "Bài 3/3" in learner_part and "Hãy trả lời các câu hỏi sau." in learner_part
    assert "Điểm đạt: 80%" in learner_part and "Số lần làm còn lại: 3" in learner_part
    assert "Số câu hỏi: 5" in learner_part and ">Làm bài kiểm tra</a>" in learner_part
    assert 'rel="prev" href="/author/preview/an-toan/otp"' in learner_part
    # Nothing of the key leaks into what learners see …
    assert "✓ đáp án đúng" not in learner_part and "Kẻ gian tạo" not in learner_part
    assert "Không ai được hỏi mã OTP" not in learner_part
    # … and the authors' panel has every key, the choice feedback and the explanations.
    assert author_part.count("✓ đáp án đúng") == 4  # otp 1, dau-hieu 2, mat-khau-dai 1
    assert "Không ai được hỏi mã OTP" in author_part and "Kẻ gian tạo áp lực" in author_part
    assert "VNeID" in author_part and "<strong>15</strong>" in author_part


def test_the_authors_panel_names_the_lesson_each_question_checks(
    app, client, make_user, course_root
):
    write_course(course_root, question_lessons={"otp": "otp", "do-dai": "mat-khau"})
    with app.app_context():
        sync(course_root)
    make_user("tac-gia", role="author")
    login(client, "tac-gia")
    author_part = client.get("/author/preview/an-toan/kiem-tra").text.split("author-panel")[1]
    questions = author_part.split("<h3>")[1:]
    assert "Kiểm tra bài 2: Mã OTP" in questions[0]  # otp
    assert "Kiểm tra bài" not in questions[1]  # dau-hieu names no lesson
    assert "Kiểm tra bài 1: Mật khẩu mạnh" in questions[4]  # do-dai


def test_learners_cannot_open_a_preview(app, client, make_user, publish_course):
    publish_course(status="draft")
    make_user("an")
    login(client, "an")
    assert client.get("/author/preview/an-toan/kiem-tra").status_code == 403
