"""An official's journey through the pages: lessons, quiz attempts, results, certificate."""

from __future__ import annotations

import re
import subprocess

from sqlalchemy import event, func, select

from elearn.extensions import db
from elearn.models import CourseItem, CourseProgress, LessonCompletion, QuizAttempt
from tests.coursekit import RIGHT_ANSWERS_TEXT, sync, write_course
from tests.webkit import attempt_form, form_token, login


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def _answer_key(app) -> dict[str, list[str]]:
    """The right choice keys per question field, read from the server side only."""
    with app.app_context():
        quiz = db.session.scalar(select(CourseItem).where(CourseItem.kind == "quiz"))
        return {
            f"q-{q.slug}": [c["key"] for c in q.answer_key["choices"] if c["correct"]]
            for q in quiz.questions
        }


def _start_attempt(client) -> tuple[str, str]:
    page = client.get("/courses/an-toan/kiem-tra").get_data(as_text=True)
    response = client.post("/courses/an-toan/kiem-tra/start", data={"csrf_token": form_token(page)})
    assert response.status_code == 302
    url = response.location
    return url, client.get(url).get_data(as_text=True)


def _submit(client, url: str, page: str, answers: dict[str, list[str] | str], **extra):
    token = re.search(r'name="attempt_token" value="([^"]+)"', page).group(1)
    data = {"csrf_token": form_token(page), "attempt_token": token, **answers, **extra}
    return client.post(url, data=data)


def _right(app) -> dict:
    answers: dict = {k: v for k, v in _answer_key(app).items() if v}
    answers.update({f"q-{k}": v for k, v in RIGHT_ANSWERS_TEXT.items()})
    return answers


def _wrong(app) -> dict:
    return {"q-ten-ung-dung": "Zalo", "q-do-dai": "6"}


def test_home_puts_the_required_course_first_with_one_button_to_start(official):
    page = official.get("/").get_data(as_text=True)
    assert "Bắt buộc" in page and "An toàn thông tin" in page
    # Nothing begun yet: the button says "start", not "carry on".
    assert 'href="/courses/an-toan/mat-khau">Bắt đầu học' in page
    assert "Tiếp tục học" not in page
    assert "<progress" in page


def test_reading_a_lesson_and_moving_on(app, official):
    page = official.get("/courses/an-toan/mat-khau").get_data(as_text=True)
    assert "Bài 1/3" in page and "Đã học xong – sang bài tiếp" in page
    response = official.post(
        "/courses/an-toan/mat-khau/complete", data={"csrf_token": form_token(page)}
    )
    assert response.location == "/courses/an-toan/otp"
    assert "Đã lưu" in official.get(response.location).get_data(as_text=True)
    course = official.get("/courses/an-toan").get_data(as_text=True)
    assert "1/3 phần" in course and "✓" in course
    assert 'href="/courses/an-toan/otp">Tiếp tục học' in official.get("/").get_data(as_text=True)


def test_a_lesson_page_reads_the_database_twice_and_shows_what_is_done(app, official):
    """The signed-in user, then the course, the learner's progress and finished items in one
    query: the same two statements before and after progress."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    page = official.get("/courses/an-toan/mat-khau").get_data(as_text=True)
    official.post("/courses/an-toan/mat-khau/complete", data={"csrf_token": form_token(page)})
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    try:
        page = official.get("/courses/an-toan/mat-khau").get_data(as_text=True)
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", count)
    assert "Anh/chị đã học xong bài này." in page
    assert len(seen) == 2, seen


def test_every_form_of_a_page_carries_the_same_token(official):
    """One CSRF token per page (signed once), whatever the number of forms: sign-out,
    "Đã học xong" and the language switch."""
    page = official.get("/courses/an-toan/mat-khau").get_data(as_text=True)
    tokens = re.findall(r'name="csrf_token" value="([^"]+)"', page)
    assert len(tokens) == 3 and len(set(tokens)) == 1


def test_completing_a_lesson_twice_records_it_once(app, official):
    page = official.get("/courses/an-toan/mat-khau").get_data(as_text=True)
    for _ in range(2):
        official.post("/courses/an-toan/mat-khau/complete", data={"csrf_token": form_token(page)})
    assert _count(app, LessonCompletion) == 1


def test_get_never_changes_state_and_posts_need_a_token(app, official):
    assert official.get("/courses/an-toan/mat-khau/complete").status_code == 405
    assert official.post("/courses/an-toan/mat-khau/complete").status_code == 400
    assert official.post("/courses/an-toan/kiem-tra/start").status_code == 400
    assert _count(app, LessonCompletion) == 0 and _count(app, QuizAttempt) == 0


def test_the_quiz_page_reveals_no_answer(app, official):
    _, page = _start_attempt(official)
    fields = attempt_form(page)
    assert set(fields) == {"q-otp", "q-dau-hieu", "q-mat-khau-dai", "q-ten-ung-dung", "q-do-dai"}
    for secret in ("Chưa đúng", "Kẻ gian", "VNeID", "correct", "Giải thích", "feedback"):
        assert secret not in page
    inputs = set(re.findall(r'<input type="(?:radio|checkbox|text)" id="([^"]+)"', page))
    labels = set(re.findall(r'<label for="([^"]+)"', page))
    assert len(inputs) == 10 and inputs <= labels  # every input has its label
    assert 'type="checkbox"' in page and 'type="radio"' in page


def test_failing_then_passing_the_quiz_completes_the_course(app, official):
    for lesson in ("mat-khau", "otp"):
        page = official.get(f"/courses/an-toan/{lesson}").get_data(as_text=True)
        official.post(f"/courses/an-toan/{lesson}/complete", data={"csrf_token": form_token(page)})
    url, page = _start_attempt(official)
    failed = official.get(_submit(official, url, page, _wrong(app)).location)
    result = failed.get_data(as_text=True)
    assert "Chưa đạt" in result and "Điểm đạt: 80%" in result and "0,0%" in result
    # Attempts are left: the right answers and explanations wait until the quiz is passed.
    assert "Kẻ gian tạo áp lực thời gian" not in result and "đáp án đúng" not in result
    assert "VNeID" not in result.split("Từng câu hỏi")[1]
    assert "Làm lại bài kiểm tra" in result
    url, page = _start_attempt(official)
    assert url != failed.request.path
    passed = official.get(_submit(official, url, page, _right(app)).location)
    assert "100,0%" in passed.get_data(as_text=True)
    assert "Kẻ gian tạo áp lực thời gian" in passed.get_data(as_text=True)
    course = official.get("/courses/an-toan").get_data(as_text=True)
    assert "Anh/chị đã hoàn thành khoá học" in course and "Xem chứng chỉ" in course
    with app.app_context():
        progress = db.session.scalar(select(CourseProgress))
        assert progress.completed_at is not None and progress.best_score == 100.0
    # Once passed, the earlier failed attempt hides nothing and promises nothing.
    earlier = official.get(failed.request.path).get_data(as_text=True)
    assert "Kẻ gian tạo áp lực thời gian" in earlier and "đáp án đúng" in earlier
    assert "khi anh/chị đạt" not in earlier and "Làm lại bài kiểm tra" not in earlier
    assert f'href="/certificates/{progress.certificate_code}">Xem chứng chỉ' in earlier
    # The quiz page leads on to the certificate instead of offering the quiz again.
    quiz = official.get("/courses/an-toan/kiem-tra").get_data(as_text=True)
    assert "Làm bài kiểm tra" not in quiz
    assert f'href="/certificates/{progress.certificate_code}">Xem chứng chỉ' in quiz


def test_a_passed_quiz_leads_on_to_the_lesson_still_to_read(app, official):
    url, page = _start_attempt(official)
    official.get(_submit(official, url, page, _right(app)).location)
    quiz = official.get("/courses/an-toan/kiem-tra").get_data(as_text=True)
    assert "Làm bài kiểm tra" not in quiz
    assert 'href="/courses/an-toan/mat-khau">Tiếp tục học' in quiz


def test_true_false_reads_true_then_false_on_the_form_and_the_result(
    app, client, make_user, publish_course, course_root
):
    publish_course(shuffle="yes")
    quiz_file = course_root / "an-toan" / "03-kiem-tra.md"
    text = quiz_file.read_text(encoding="utf-8")  # the author wrote "Sai" first
    quiz_file.write_text(text.replace("- [x] Đúng\n- [ ] Sai", "- [ ] Sai\n- [x] Đúng"), "utf-8")
    with app.app_context():
        sync(course_root)
    make_user("an")
    login(client, "an")
    for _ in range(3):  # shuffled quizzes too: whatever the draw, one order
        url, page = _start_attempt(client)
        form = page.split('id="q-mat-khau-dai"')[1].split("</fieldset>")[0]
        assert form.index(">Đúng</label>") < form.index(">Sai</label>")
        result = client.get(_submit(client, url, page, {}).location).get_data(as_text=True)
        block = result.split("Mật khẩu dài thì an toàn hơn.")[1].split("</section>")[0]
        assert block.index("<li>Đúng") < block.index("<li>Sai")


def test_a_double_submit_records_one_attempt(app, official):
    url, page = _start_attempt(official)
    first = _submit(official, url, page, _wrong(app))
    second = _submit(official, url, page, _right(app))
    assert first.location == second.location == url
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt))
        assert attempt.score == 0.0 and _count(app, QuizAttempt) == 1


def test_max_attempts_is_enforced(app, client, make_user, publish_course):
    publish_course(max_attempts=1)
    make_user("an")
    login(client, "an")
    url, page = _start_attempt(client)
    again_url, _ = _start_attempt(client)
    assert again_url == url  # an open attempt is resumed, not duplicated
    _submit(client, url, page, _wrong(app))
    page = client.get("/courses/an-toan/kiem-tra").get_data(as_text=True)
    assert "đã dùng hết số lần" in page
    response = client.post("/courses/an-toan/kiem-tra/start", data={"csrf_token": form_token(page)})
    assert response.location == "/courses/an-toan/kiem-tra"
    assert _count(app, QuizAttempt) == 1


def test_shuffled_choices_keep_their_order_within_an_attempt(
    app, client, make_user, publish_course
):
    publish_course(shuffle="yes")
    make_user("an")
    login(client, "an")
    url, page = _start_attempt(client)
    assert attempt_form(client.get(url).get_data(as_text=True)) == attempt_form(page)


def test_bad_submissions_are_refused_and_store_nothing(app, official):
    url, page = _start_attempt(official)
    key = _answer_key(app)
    other_question_choice = {"q-otp": key["q-dau-hieu"][0]}
    for answers, extra in (
        (other_question_choice, {}),
        ({"q-khong-co": "x"}, {}),
        ({"q-otp": "khong-co-lua-chon"}, {}),
        ({"q-otp": [*key["q-otp"], *attempt_form(page)["q-otp"][:1]]}, {}),
        (_right(app), {"score": "100"}),
        ({"q-do-dai": "x" * 70_000}, {}),
    ):
        response = _submit(official, url, page, answers, **extra)
        assert response.status_code == 400
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt))
        assert attempt.submitted_at is None and attempt.responses == []


def test_a_wrong_attempt_token_is_refused(app, official):
    url, page = _start_attempt(official)
    page = page.replace(re.search(r'name="attempt_token" value="([^"]+)"', page).group(1), "x")
    assert _submit(official, url, page, _right(app)).status_code == 400


def test_another_officials_attempt_is_not_found(app, official, make_user):
    url, page = _start_attempt(official)
    make_user("binh")
    other = app.test_client()
    login(other, "binh")
    assert other.get(url).status_code == 404
    token = re.search(r'name="attempt_token" value="([^"]+)"', page).group(1)
    response = other.post(
        url,
        data={
            "csrf_token": form_token(other.get("/").get_data(as_text=True)),
            "attempt_token": token,
        },
    )
    assert response.status_code == 404
    assert _count(app, QuizAttempt) == 1


def test_a_retired_lesson_says_so(app, official, publish_course):
    publish_course(lessons=(("otp", "Mã OTP"),))
    response = official.get("/courses/an-toan/mat-khau")
    assert response.status_code == 410
    assert "đã được thay thế" in response.get_data(as_text=True)


def test_drafts_and_unknown_courses_are_not_found(official, publish_course):
    publish_course(course_id="nhap", title="Bản nháp", status="draft")
    assert official.get("/courses/nhap").status_code == 404
    assert official.get("/courses/khong-co").status_code == 404
    assert official.get("/courses/an-toan/khong-co").status_code == 404


def _complete_course(app, client) -> str:
    for lesson in ("mat-khau", "otp"):
        page = client.get(f"/courses/an-toan/{lesson}").get_data(as_text=True)
        client.post(f"/courses/an-toan/{lesson}/complete", data={"csrf_token": form_token(page)})
    url, page = _start_attempt(client)
    _submit(client, url, page, _right(app))
    course = client.get("/courses/an-toan").get_data(as_text=True)
    return re.search(r'href="/certificates/([A-Z0-9-]+)"', course).group(1)


def test_certificate_is_public_to_verify_but_the_pdf_is_private(app, official, make_user, tmp_path):
    code = _complete_course(app, official)
    public = app.test_client().get(f"/certificates/{code}")
    page = public.get_data(as_text=True)
    assert public.status_code == 200
    assert "Nguyễn Văn An" in page and "An toàn thông tin" in page
    assert ">an<" not in page  # the username stays private
    assert app.test_client().get("/certificates/XXXX-XXXX-XXXX").status_code == 404
    assert app.test_client().get(f"/certificates/{code}.pdf").status_code == 302
    make_user("binh")
    other = app.test_client()
    login(other, "binh")
    assert other.get(f"/certificates/{code}.pdf").status_code == 404
    pdf = official.get(f"/certificates/{code}.pdf")
    assert pdf.mimetype == "application/pdf"
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf.data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Nguyễn Văn An" in text and "An toàn thông tin" in text and code in text


def _pdf_text(response, tmp_path) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(response.data)
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_certificate_link_never_comes_from_the_host_header(app, make_app, official, tmp_path):
    code = _complete_course(app, official)
    session = official.get_cookie("session").value
    official.set_cookie("session", session, domain="evil.example")
    forged = official.get(f"/certificates/{code}.pdf", base_url="http://evil.example")
    assert forged.mimetype == "application/pdf"
    text = _pdf_text(forged, tmp_path)
    assert "evil.example" not in text
    assert f"/certificates/{code}" in text  # without ELEARN_PUBLIC_URL: the code and path
    public = make_app(PUBLIC_URL="https://hoc.bacninh.gov.vn/").test_client()
    login(public, "an")
    public.set_cookie("session", public.get_cookie("session").value, domain="evil.example")
    pdf = public.get(f"/certificates/{code}.pdf", base_url="http://evil.example")
    assert f"https://hoc.bacninh.gov.vn/certificates/{code}" in _pdf_text(pdf, tmp_path)


def test_my_progress_api(app, official):
    page = official.get("/courses/an-toan/mat-khau").get_data(as_text=True)
    official.post("/courses/an-toan/mat-khau/complete", data={"csrf_token": form_token(page)})
    data = official.get("/api/v1/me/progress").json
    course = data["courses"][0]
    assert course["course"] == {
        "id": "an-toan",
        "title": "An toàn thông tin",
        "required": True,
        "version": 1,
    }
    assert (course["status"], course["lessons_done"], course["lessons_total"]) == (
        "in_progress",
        1,
        2,
    )
    response = app.test_client().get("/api/v1/me/progress")
    assert response.status_code == 401 and response.json == {"error": "authentication required"}


def test_home_and_the_api_list_courses_in_the_same_order(app, client, make_user, course_root):
    """Required before optional, begun before not begun, then by title: the same list on the
    page and in `/api/v1/me/progress`."""
    for slug, title, required in [
        ("an-toan", "An toàn thông tin", "no"),
        ("dao-duc", "Đạo đức công vụ", "yes"),
        ("du-lieu", "Dữ liệu mở", "yes"),
        ("an-uong", "Ăn uống lành mạnh", "no"),
        ("bang-tinh", "Bảng tính", "no"),
    ]:
        write_course(course_root, slug, title=title, required=required)
    with app.app_context():
        sync(course_root)
    make_user("an")
    login(client, "an")
    page = client.get("/courses/du-lieu/mat-khau").text
    client.post("/courses/du-lieu/mat-khau/complete", data={"csrf_token": form_token(page)})
    page = client.get("/courses/bang-tinh/mat-khau").text
    client.post("/courses/bang-tinh/mat-khau/complete", data={"csrf_token": form_token(page)})
    home = client.get("/").text
    on_home = list(dict.fromkeys(re.findall(r'href="/courses/([a-z-]+)"', home)))
    in_api = [c["course"]["id"] for c in client.get("/api/v1/me/progress").json["courses"]]
    assert in_api == ["du-lieu", "dao-duc", "bang-tinh", "an-toan", "an-uong"]
    assert on_home == in_api


def test_answers_are_revealed_when_no_attempt_is_left(app, client, make_user, publish_course):
    publish_course(max_attempts=1)
    make_user("an")
    login(client, "an")
    url, page = _start_attempt(client)
    result = client.get(_submit(client, url, page, _wrong(app)).location).get_data(as_text=True)
    assert "Kẻ gian tạo áp lực thời gian" in result and "đáp án đúng" in result
    assert "VNeID" in result


def test_a_result_shows_the_question_as_it_was_graded(app, official, course_root):
    url, page = _start_attempt(official)
    _submit(official, url, page, _right(app))
    quiz_file = course_root / "an-toan" / "03-kiem-tra.md"
    quiz_file.write_text(
        quiz_file.read_text(encoding="utf-8").replace(
            "Kẻ gian tạo áp lực thời gian.", "Giải thích đã sửa."
        ),
        encoding="utf-8",
    )
    with app.app_context():
        sync(course_root)
    result = official.get(url).get_data(as_text=True)
    assert "Kẻ gian tạo áp lực thời gian" in result and "Giải thích đã sửa" not in result
