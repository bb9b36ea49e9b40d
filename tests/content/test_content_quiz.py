"""Quizzes: every question form of the format, and every mistake with its message and line."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest

from elearn.content.answers import Grade, grade_question
from elearn.content.model import Quiz
from elearn.content.quiz_build import choice_key, parse_numeric
from tests.content.contentkit import COURSE, LESSON, Collection

Messages = Callable[[str], list[str]]
P = "khoa/02-kiem-tra.md"
HEAD = "---\nid: kiem-tra\ntype: quiz\ntitle: Kiểm tra\n---\n"

EXAMPLE = """\
Hãy đọc kỹ từng câu.

## Khi có người gọi điện tự xưng là công an và yêu cầu đọc mã OTP, anh/chị làm gì? {#otp-cong-an}

- [ ] Đọc mã OTP vì đó là yêu cầu của cơ quan chức năng
  > Chưa đúng. Cơ quan chức năng không bao giờ yêu cầu cung cấp mã OTP qua điện thoại.
- [x] Từ chối và báo cho cơ quan công an nơi gần nhất
- [ ] Gửi mã OTP qua tin nhắn thay vì đọc

## Dấu hiệu nào cho thấy một email có thể là lừa đảo? {#dau-hieu-email points=2}

Chọn tất cả các ý đúng.

- [x] Yêu cầu cung cấp mật khẩu hoặc mã OTP
- [x] Tạo cảm giác khẩn cấp, đe doạ khoá tài khoản
- [ ] Gửi từ hộp thư công vụ của đồng nghiệp, nội dung như thường lệ

Giải thích: Kẻ gian thường giả mạo cơ quan, tạo áp lực thời gian để nạn nhân làm theo.

## Mật khẩu mạnh nên có ít nhất bao nhiêu ký tự? {#do-dai-mat-khau}

Đáp án: 12

## Mật khẩu dài thì an toàn hơn. {#mat-khau-dai}

- [x] Đúng
- [ ] Sai

## Tên giấy tờ điện tử thay thẻ căn cước? {#ten-giay-to}

Đáp án: căn cước điện tử
Đáp án: Thẻ căn cước điện tử
"""


def load_quiz(collection: Collection, body: str) -> Quiz:
    collection.course(**{"01-bai": LESSON})
    collection.write("khoa/02-kiem-tra.md", HEAD + body, dedent=False)
    result = collection.load()
    assert [str(p) for p in result.problems] == []
    quiz = result.courses[0].items[1]
    assert isinstance(quiz, Quiz)
    return quiz


def test_example_from_the_format(collection: Collection) -> None:
    quiz = load_quiz(collection, EXAMPLE)
    assert quiz.intro_html == "<p>Hãy đọc kỹ từng câu.</p>"
    kinds = [(q.id, q.kind, q.points) for q in quiz.questions]
    assert kinds == [
        ("otp-cong-an", "single", 1),
        ("dau-hieu-email", "multiple", 2),
        ("do-dai-mat-khau", "numeric", 1),
        ("mat-khau-dai", "true_false", 1),
        ("ten-giay-to", "short", 1),
    ]
    first = quiz.questions[0]
    assert first.line == 8
    assert first.text_html == (
        "<p>Khi có người gọi điện tự xưng là công an và yêu cầu đọc mã OTP, anh/chị làm gì?</p>"
    )
    wrong, right, _ = first.choices
    assert (wrong.correct, right.correct) == (False, True)
    assert wrong.key == choice_key("Đọc mã OTP vì đó là yêu cầu của cơ quan chức năng")
    assert wrong.line == 10
    assert wrong.feedback_html == (
        "<p>Chưa đúng. Cơ quan chức năng không bao giờ yêu cầu cung cấp mã OTP qua điện thoại.</p>"
    )
    assert right.feedback_html is None
    assert quiz.questions[1].explanation_html == (
        "<p>Kẻ gian thường giả mạo cơ quan, tạo áp lực thời gian để nạn nhân làm theo.</p>"
    )
    assert quiz.questions[2].numeric_answers[0].value == 12
    assert quiz.questions[4].short_answers == ("căn cước điện tử", "Thẻ căn cước điện tử")
    assert quiz.total_points == 6


def test_answers_never_leak_into_question_text(collection: Collection) -> None:
    quiz = load_quiz(collection, EXAMPLE)
    for question in quiz.questions:
        assert "Chưa đúng" not in question.text_html
        assert "Kẻ gian" not in question.text_html
        assert "căn cước điện tử" not in question.text_html


def test_choice_key_is_sha256_prefix_of_nfc_text() -> None:
    expected = hashlib.sha256("Đúng".encode()).hexdigest()[:10]
    assert choice_key("Đúng") == expected
    assert choice_key("Đu\u0301ng") == expected


def test_hashes_follow_content(collection: Collection) -> None:
    before = load_quiz(collection, EXAMPLE).questions
    edited = EXAMPLE.replace("Đáp án: 12", "Đáp án: 15")
    after = load_quiz(collection, edited).questions
    assert before[0].content_hash == after[0].content_hash
    assert before[2].content_hash != after[2].content_hash


def test_reordering_choices_keeps_keys(collection: Collection) -> None:
    body = "## Câu? {#cau}\n\n- [x] Một\n- [ ] Hai\n"
    first = load_quiz(collection, body).questions[0]
    second = load_quiz(collection, "## Câu? {#cau}\n\n- [ ] Hai\n- [x] Một\n").questions[0]
    assert {c.key: c.correct for c in first.choices} == {c.key: c.correct for c in second.choices}


def test_question_text_paragraphs_and_choice_markup(collection: Collection) -> None:
    body = "## Câu **một**? {#cau}\n\nĐọc kỹ:\n\n1. điều một\n\n- [x] Có `mã`\n- [ ] 2. Không\n"
    q = load_quiz(collection, body).questions[0]
    assert q.text_html == (
        "<p>Câu <strong>một</strong>?</p>\n<p>Đọc kỹ:</p>\n<ol>\n<li>điều một</li>\n</ol>"
    )
    assert [c.html for c in q.choices] == ["Có <code>mã</code>", "2. Không"]
    assert [c.text for c in q.choices] == ["Có `mã`", "2. Không"]


@pytest.mark.parametrize("marker", ["- [x]", "* [X]", "+ [x]"])
def test_choice_marker_variants(collection: Collection, marker: str) -> None:
    q = load_quiz(collection, f"## Câu? {{#cau}}\n\n{marker} Có\n- [ ] Không\n").questions[0]
    assert [c.correct for c in q.choices] == [True, False]


def test_feedback_forms(collection: Collection) -> None:
    body = (
        "## Câu? {#cau}\n\n- [ ] A\n> Không thụt đầu dòng.\n> Dòng hai.\n"
        "- [x] B\n    > Thụt bốn dấu cách.\n- [ ] C\n\n  > Sau một dòng trống.\n"
    )
    q = load_quiz(collection, body).questions[0]
    assert [c.feedback_html for c in q.choices] == [
        "<p>Không thụt đầu dòng.\nDòng hai.</p>",
        "<p>Thụt bốn dấu cách.</p>",
        "<p>Sau một dòng trống.</p>",
    ]


def test_long_choice_continues_on_indented_line(collection: Collection) -> None:
    body = "## Câu? {#cau}\n\n- [x] Một lựa chọn\n  rất dài\n- [ ] Hai\n"
    q = load_quiz(collection, body).questions[0]
    assert q.choices[0].text == "Một lựa chọn rất dài"


@pytest.mark.parametrize(
    "line",
    ["Đáp án: 12", "Dap an: 12", "ĐÁP ÁN: 12", "đáp án : 12", "Answer: 12", "**Đáp án:** 12"],
)
def test_answer_keyword_variants(collection: Collection, line: str) -> None:
    q = load_quiz(collection, f"## Câu? {{#cau}}\n\n{line}\n").questions[0]
    assert (q.kind, q.numeric_answers[0].value) == ("numeric", 12)


@pytest.mark.parametrize(
    "line", ["Giải thích: Vì vậy.", "GIAI THICH: Vì vậy.", "Explanation: Vì vậy."]
)
def test_explanation_keyword_variants(collection: Collection, line: str) -> None:
    q = load_quiz(collection, f"## Câu? {{#cau}}\n\nĐáp án: có\n\n{line}\n").questions[0]
    assert q.explanation_html == "<p>Vì vậy.</p>"


def test_explanation_runs_until_next_question(collection: Collection) -> None:
    body = (
        "## Câu? {#cau}\n\nĐáp án: có\n\nGiải thích: Đoạn một.\n\nĐoạn hai.\n\n- ý một\n\n"
        "## Câu hai? {#cau-hai}\n\nĐáp án: không\n"
    )
    q = load_quiz(collection, body).questions[0]
    assert q.explanation_html == "<p>Đoạn một.</p>\n<p>Đoạn hai.</p>\n<ul>\n<li>ý một</li>\n</ul>"


@pytest.mark.parametrize(
    ("line", "value", "tolerance"),
    [
        ("Đáp án: 60", 60, 0),
        ("Đáp án: 1.500.000 ± 5%", 1_500_000, 75_000),
        ("Đáp án: 2,5 ± 0,1", 2.5, 0.1),
        ("Đáp án: 2,5 +/- 0,1", 2.5, 0.1),
        ("Đáp án: -3 ±1", -3, 1),
        ("Đáp án: 1 500 000", 1_500_000, 0),
    ],
)
def test_numeric_answers(collection: Collection, line: str, value: float, tolerance: float) -> None:
    q = load_quiz(collection, f"## Câu? {{#cau}}\n\n{line}\n").questions[0]
    (answer,) = q.numeric_answers
    assert q.kind == "numeric"
    assert answer.value == pytest.approx(value)
    assert answer.tolerance == pytest.approx(tolerance)


def test_parse_numeric_refuses_negative_tolerance() -> None:
    assert parse_numeric("5 ± -1") is None


def test_digits_with_spaces_that_are_not_a_number_stay_text(collection: Collection) -> None:
    q = load_quiz(collection, "## Tổng đài? {#tong-dai}\n\nĐáp án: 1900 1234\n").questions[0]
    assert (q.kind, q.short_answers) == ("short", ("1900 1234",))


def test_number_and_text_answers_together_are_short(collection: Collection) -> None:
    body = "## Số khẩn cấp? {#so}\n\nĐáp án: 113\nĐáp án: một một ba\n"
    q = load_quiz(collection, body).questions[0]
    assert (q.kind, q.short_answers) == ("short", ("113", "một một ba"))


def test_type_multiple_with_one_right_answer(collection: Collection) -> None:
    body = "## Câu? {#cau type=multiple}\n\nChọn tất cả các ý đúng.\n\n- [x] A\n- [ ] B\n"
    assert load_quiz(collection, body).questions[0].kind == "multiple"


MULTIPLE_NO_PROMPT = (
    "cảnh báo: câu hỏi có nhiều đáp án đúng nhưng chưa ghi “Chọn tất cả các ý đúng”; hãy thêm "
    "câu này vào cuối câu hỏi hoặc ở dòng ngay dưới, để học viên biết phải chọn mọi ý đúng"
)


def test_a_multiple_answer_question_says_to_choose_every_right_one(
    quiz_messages: Messages,
) -> None:
    assert quiz_messages("## Câu? {#cau}\n\n- [x] A\n- [x] B\n") == [f"{P}:6: {MULTIPLE_NO_PROMPT}"]
    assert quiz_messages("## Câu? {#cau type=multiple}\n\n- [x] A\n- [ ] B\n") == [
        f"{P}:6: {MULTIPLE_NO_PROMPT}"
    ]


def test_the_prompt_may_end_the_heading_or_follow_it(quiz_messages: Messages) -> None:
    choices = "- [x] A\n- [x] B\n- [ ] C\n"
    assert quiz_messages(f"## Câu nào đúng? Chọn tất cả các ý đúng. {{#cau}}\n\n{choices}") == []
    assert (
        quiz_messages(f"## Câu nào đúng? {{#cau}}\n\n**chọn  tất cả các ý đúng:**\n\n{choices}")
        == []
    )
    assert quiz_messages("## Câu nào đúng? {#cau}\n\n- [x] A\n- [ ] B\n") == []  # one answer


def _quiz_file(quiz_id: str, title: str) -> str:
    return (
        f"---\nid: {quiz_id}\ntype: quiz\ntitle: {title}\n---\n\n## Câu? {{#cau}}\n\nĐáp án: có\n"
    )


def _two_courses(collection: Collection, first: str, second: str) -> list[str]:
    for folder, quiz in (("mot", first), ("hai", second)):
        course_md = COURSE.replace("id: khoa-hoc", f"id: khoa-{folder}")
        collection.course(folder, course_md, **{"01-bai": LESSON, "02-kiem-tra": quiz})
    return collection.messages()


def test_no_two_quizzes_of_the_collection_share_an_id_or_a_title(collection: Collection) -> None:
    quiz = _quiz_file("kiem-tra", "Bài kiểm tra")
    same_id = (
        "cảnh báo: mã bài kiểm tra `kiem-tra` bị trùng với bài kiểm tra của khoá học khác ({0}); "
        "mỗi bài kiểm tra trong toàn bộ các khoá học cần một mã riêng, hãy đổi mã ở một tệp"
    )
    same_title = (
        "cảnh báo: tên bài kiểm tra “Bài kiểm tra” bị trùng với tệp {0}; học viên và người quản "
        "lý phân biệt các bài kiểm tra qua tên, hãy đặt tên riêng, ví dụ: title: Bài kiểm tra: "
        "Tên khoá học"
    )
    assert _two_courses(collection, quiz, quiz) == [
        "hai/02-kiem-tra.md:2: " + same_id.format("mot/02-kiem-tra.md"),
        "hai/02-kiem-tra.md:4: " + same_title.format("mot/02-kiem-tra.md"),
        "mot/02-kiem-tra.md:2: " + same_id.format("hai/02-kiem-tra.md"),
        "mot/02-kiem-tra.md:4: " + same_title.format("hai/02-kiem-tra.md"),
    ]
    assert len(collection.load().courses) == 2  # a warning: both courses still publish


def test_titles_compare_without_case_or_spacing_and_ids_as_written(
    collection: Collection,
) -> None:
    first = _quiz_file("kiem-tra", "Bài kiểm tra: An toàn")
    second = _quiz_file("kiem-tra-2", "bài  kiểm tra: an toàn")
    assert [m.split(": ")[0] for m in _two_courses(collection, first, second)] == [
        "hai/02-kiem-tra.md:4",
        "mot/02-kiem-tra.md:4",
    ]


def test_two_quizzes_of_one_course_may_not_share_a_title(collection: Collection) -> None:
    collection.course(
        **{
            "01-bai": LESSON,
            "02-kiem-tra": _quiz_file("giua-khoa", "Kiểm tra"),
            "03-kiem-tra": _quiz_file("cuoi-khoa", "Kiểm tra"),
        }
    )
    assert [m.split(": ")[0] for m in collection.messages()] == [
        "khoa/02-kiem-tra.md:4",
        "khoa/03-kiem-tra.md:4",
    ]


def test_headings_inside_code_fences_are_not_questions(collection: Collection) -> None:
    body = (
        "## Câu? {#cau}\n\n```\n## không phải câu hỏi\n- [x] không phải lựa chọn\n```\n\n"
        "- [x] A\n- [ ] B\n"
    )
    quiz = load_quiz(collection, body)
    assert [q.id for q in quiz.questions] == ["cau"]


# --- mistakes -------------------------------------------------------------------------------


def test_question_without_id(quiz_messages: Messages) -> None:
    assert quiz_messages("## Mật khẩu mạnh là gì?\n\nĐáp án: dài\n") == [
        f"{P}:6: lỗi: câu hỏi chưa có mã; hãy thêm {{#ma-cau-hoi}} vào cuối dòng tiêu đề, ví "
        "dụ: ## Mật khẩu mạnh là gì? {#mat-khau-manh-la-gi} (có thể tự thêm mã cho mọi câu hỏi "
        "bằng lệnh python -m elearn.content --add-ids THU_MUC)"
    ]


def test_bad_question_id(quiz_messages: Messages) -> None:
    assert quiz_messages("## Câu? {#Câu_1}\n\nĐáp án: có\n") == [
        f"{P}:6: lỗi: mã câu hỏi `Câu_1` không hợp lệ; mã chỉ gồm chữ thường không dấu a-z, chữ "
        "số 0-9 và dấu gạch ngang (-), dài tối đa 64 ký tự, ví dụ: {#cau-1}"
    ]


def test_duplicate_question_id(quiz_messages: Messages) -> None:
    body = "## Một? {#cau}\n\nĐáp án: 1\n\n## Hai? {#cau}\n\nĐáp án: 2\n"
    message = (
        "lỗi: mã câu hỏi `cau` bị trùng (dòng 6 và dòng 10); mỗi câu hỏi cần một mã riêng, hãy "
        "đổi một mã"
    )
    assert quiz_messages(body) == [f"{P}:6: {message}", f"{P}:10: {message}"]


def test_no_right_choice(quiz_messages: Messages) -> None:
    assert quiz_messages("## Câu? {#cau}\n\n- [ ] A\n- [ ] B\n") == [
        f"{P}:6: lỗi: chưa có lựa chọn đúng; hãy đánh dấu lựa chọn đúng bằng [x], ví dụ: "
        "- [x] Từ chối cung cấp mã OTP"
    ]


def test_type_multiple_without_right_choice(quiz_messages: Messages) -> None:
    assert quiz_messages("## Câu? {#cau type=multiple}\n\n- [ ] A\n- [ ] B\n") == [
        f"{P}:6: lỗi: chưa có lựa chọn đúng; hãy đánh dấu lựa chọn đúng bằng [x], ví dụ: "
        "- [x] Từ chối cung cấp mã OTP"
    ]


def test_fewer_than_two_choices(quiz_messages: Messages) -> None:
    assert quiz_messages("## Câu? {#cau}\n\n- [x] A\n") == [
        f"{P}:6: lỗi: câu hỏi chỉ có một lựa chọn; cần ít nhất hai lựa chọn - [ ] / - [x], hoặc "
        "dùng dòng Đáp án: … cho câu trả lời ngắn"
    ]


def test_choice_without_box(quiz_messages: Messages) -> None:
    assert quiz_messages("## Câu? {#cau}\n\n- [x] Có\n- Đúng\n") == [
        f"{P}:9: lỗi: lựa chọn `Đúng` thiếu ô [ ]; hãy viết - [ ] Đúng nếu đây là lựa chọn sai, "
        "hoặc - [x] Đúng nếu đúng"
    ]


@pytest.mark.parametrize("line", ["- [] B", "-[x] B", "- [ x] B", "- [v] B", "- [xx] B"])
def test_malformed_box(quiz_messages: Messages, line: str) -> None:
    assert quiz_messages(f"## Câu? {{#cau}}\n\n- [x] A\n{line}\n") == [
        f"{P}:9: lỗi: ô lựa chọn viết chưa đúng ở dòng `{line}`; hãy viết - [ ] (một dấu cách "
        "trong ngoặc vuông) cho lựa chọn sai và - [x] cho lựa chọn đúng"
    ]


def test_choices_mixed_with_answer(quiz_messages: Messages) -> None:
    assert quiz_messages("## Câu? {#cau}\n\n- [x] A\n- [ ] B\nĐáp án: A\n") == [
        f"{P}:10: lỗi: câu hỏi vừa có lựa chọn (- [ ] / - [x]) vừa có dòng Đáp án:; hãy chỉ "
        "dùng một cách: lựa chọn cho câu trắc nghiệm, hoặc Đáp án: cho câu trả lời ngắn"
    ]


@pytest.mark.parametrize("value", ["1,500,000", "12 ± abc", "2,5 ± 0,1,2", "1.2.3"])
def test_unreadable_number(quiz_messages: Messages, value: str) -> None:
    assert quiz_messages(f"## Câu? {{#cau}}\n\nĐáp án: {value}\n") == [
        f"{P}:8: lỗi: không đọc được số `{value}`; hãy viết số kiểu Việt Nam: dấu chấm ngăn "
        "cách hàng nghìn, dấu phẩy trước phần thập phân, ví dụ: 1.500.000 hoặc 2,5 ± 0,1"
    ]


def test_tolerance_with_text_answer(quiz_messages: Messages) -> None:
    assert quiz_messages("## Câu? {#cau}\n\nĐáp án: 5 ± 1\nĐáp án: năm\n") == [
        f"{P}:6: lỗi: câu hỏi có đáp án kèm sai số (±) và cả đáp án không phải số; hãy dùng "
        "toàn số, hoặc bỏ phần ± để so khớp theo chữ"
    ]


def test_neither_choices_nor_answer(quiz_messages: Messages) -> None:
    assert quiz_messages("## Câu? {#cau}\n\nChỉ có chữ.\n") == [
        f"{P}:6: lỗi: câu hỏi chưa có đáp án; hãy thêm các lựa chọn - [ ] (sai) và - [x] "
        "(đúng), hoặc một dòng Đáp án: …"
    ]


def test_unknown_option_in_braces(quiz_messages: Messages) -> None:
    assert quiz_messages("## Câu? {#cau diem=2}\n\nĐáp án: 1\n") == [
        f"{P}:6: lỗi: tuỳ chọn `diem=2` trong dấu {{…}} không hợp lệ; chỉ dùng được "
        "#ma-cau-hoi, type=multiple, points=2 và lesson=ma-bai-hoc, cách nhau bởi dấu cách"
    ]


def test_bad_type_and_points(quiz_messages: Messages) -> None:
    assert quiz_messages("## Câu? {#cau type=nhieu points=0}\n\n- [x] A\n- [ ] B\n") == [
        f"{P}:6: lỗi: type=`nhieu` không hợp lệ; chỉ dùng type=multiple (chọn nhiều đáp án) "
        "hoặc type=single (chọn một đáp án)",
        f"{P}:6: lỗi: points=`0` không hợp lệ; số điểm là số nguyên từ 1 đến 999, ví dụ: points=2",
    ]


def test_type_single_with_two_right_answers(quiz_messages: Messages) -> None:
    assert quiz_messages("## Câu? {#cau type=single}\n\n- [x] A\n- [x] B\n") == [
        f"{P}:6: lỗi: câu hỏi có type=single nhưng có 2 lựa chọn đúng; hãy chỉ để một [x], "
        "hoặc bỏ type=single để người học chọn mọi đáp án đúng"
    ]


def test_type_on_short_answer(quiz_messages: Messages) -> None:
    assert quiz_messages("## Câu? {#cau type=multiple}\n\nĐáp án: 1\n") == [
        f"{P}:6: lỗi: type=multiple chỉ dùng cho câu hỏi có lựa chọn - [ ] / - [x]; hãy bỏ "
        "type=multiple ở câu này"
    ]


def test_true_false_with_both_marked(quiz_messages: Messages) -> None:
    assert quiz_messages("## Câu? {#cau}\n\n- [x] Đúng\n- [x] Sai\n") == [
        f"{P}:6: lỗi: câu Đúng/Sai chỉ có một đáp án; hãy để [x] ở Đúng hoặc ở Sai, không phải "
        "cả hai"
    ]


def test_duplicate_choice_text(quiz_messages: Messages) -> None:
    assert quiz_messages("## Câu? {#cau}\n\n- [x] Có\n- [ ] Không\n- [ ]  Có\n") == [
        f"{P}:10: lỗi: lựa chọn `Có` bị lặp lại (đã có ở dòng 8); hãy xoá hoặc sửa một trong "
        "hai lựa chọn"
    ]


def test_empty_choice_and_empty_answer(quiz_messages: Messages) -> None:
    assert quiz_messages("## Một? {#mot}\n\n- [x]\n- [ ] B\n\n## Hai? {#hai}\n\nĐáp án:\n") == [
        f"{P}:8: lỗi: lựa chọn chưa có nội dung; hãy viết nội dung sau ô [ ], ví dụ: - [ ] "
        "Dùng mật khẩu 123456",
        f"{P}:13: lỗi: dòng Đáp án: chưa có nội dung; hãy viết đáp án sau dấu hai chấm, ví dụ: "
        "Đáp án: 12",
    ]


def test_stray_text_after_choices(quiz_messages: Messages) -> None:
    assert quiz_messages("## Câu? {#cau}\n\n- [x] A\n- [ ] B\n\nThêm một câu.\n") == [
        f"{P}:11: lỗi: dòng này nằm sau các lựa chọn hoặc đáp án nhưng không phải lựa chọn "
        "(- [ ] …), góp ý (> … ngay dưới lựa chọn) hay Giải thích:; hãy chuyển nội dung này "
        "lên trên phần lựa chọn, hoặc viết sau Giải thích:"
    ]


def test_choice_after_explanation(quiz_messages: Messages) -> None:
    assert quiz_messages("## Câu? {#cau}\n\n- [x] A\nGiải thích: vì A.\n- [ ] B\n") == [
        f"{P}:10: lỗi: lựa chọn hoặc dòng Đáp án: nằm sau Giải thích:; hãy chuyển dòng Giải "
        "thích: xuống cuối câu hỏi, sau mọi lựa chọn và đáp án"
    ]


def test_choice_before_first_question(quiz_messages: Messages) -> None:
    assert quiz_messages("Giới thiệu.\n- [x] A\n\n## Câu? {#cau}\n\nĐáp án: 1\n") == [
        f"{P}:7: lỗi: lựa chọn hoặc dòng Đáp án: nằm trước câu hỏi đầu tiên; hãy thêm dòng "
        "tiêu đề câu hỏi phía trên, ví dụ: ## Mật khẩu mạnh là gì? {#mat-khau-manh}"
    ]


def test_heading_without_space(quiz_messages: Messages) -> None:
    assert quiz_messages("##Câu? {#cau}\n\nĐáp án: 1\n") == [
        f"{P}:1: lỗi: bài kiểm tra chưa có câu hỏi nào; mỗi câu hỏi bắt đầu bằng một dòng tiêu "
        "đề, ví dụ: ## Mật khẩu mạnh là gì? {#mat-khau-manh}",
        f"{P}:6: lỗi: thiếu dấu cách sau ##; hãy viết ## rồi một dấu cách, ví dụ: ## Mật khẩu "
        "mạnh là gì? {#mat-khau-manh}",
        f"{P}:8: lỗi: lựa chọn hoặc dòng Đáp án: nằm trước câu hỏi đầu tiên; hãy thêm dòng "
        "tiêu đề câu hỏi phía trên, ví dụ: ## Mật khẩu mạnh là gì? {#mat-khau-manh}",
    ]


def test_empty_heading(quiz_messages: Messages) -> None:
    assert quiz_messages("## {#cau}\n\nĐáp án: 1\n") == [
        f"{P}:6: lỗi: tiêu đề câu hỏi trống; hãy viết nội dung câu hỏi sau ##, ví dụ: ## Mật "
        "khẩu mạnh là gì? {#mat-khau-manh}"
    ]


def test_quiz_without_questions(quiz_messages: Messages) -> None:
    assert quiz_messages("Chỉ có lời giới thiệu.\n") == [
        f"{P}:1: lỗi: bài kiểm tra chưa có câu hỏi nào; mỗi câu hỏi bắt đầu bằng một dòng tiêu "
        "đề, ví dụ: ## Mật khẩu mạnh là gì? {#mat-khau-manh}"
    ]


def test_every_mistake_in_a_quiz_is_reported(quiz_messages: Messages) -> None:
    body = (
        "## Không mã\n\nĐáp án: 1\n\n"
        "## Hai? {#hai}\n\n- [ ] A\n- [ ] B\n\n"
        "## Ba? {#ba}\n\nĐáp án: 1,2,3\n"
    )
    lines = [m.split(": lỗi")[0] for m in quiz_messages(body)]
    assert lines == [f"{P}:6", f"{P}:10", f"{P}:17"]


def test_loaded_questions_grade_end_to_end(collection: Collection) -> None:
    quiz = load_quiz(collection, EXAMPLE)
    otp, email, length, true_false, short = quiz.questions
    right = next(c.key for c in otp.choices if c.correct)
    assert grade_question(otp, right).correct
    keys = tuple(c.key for c in email.choices if c.correct)
    assert grade_question(email, keys) == Grade(True, 2, 2)
    assert grade_question(length, "12,0").correct
    assert grade_question(true_false, choice_key("Đúng")).correct
    assert grade_question(short, "  CĂN CƯỚC ĐIỆN TỬ ").correct
    assert grade_question(short, "can cuoc dien tu").correct  # typed without diacritics
    assert not grade_question(short, "cân cuoc dien tu").correct


@pytest.mark.parametrize("line", ["1. [ ] B", "2) [x] B", "[x] B", "[ ] B"])
def test_box_without_dash_is_pointed_out(quiz_messages: Messages, line: str) -> None:
    assert quiz_messages(f"## Câu? {{#cau}}\n\n- [x] A\n{line}\n") == [
        f"{P}:9: lỗi: ô lựa chọn viết chưa đúng ở dòng `{line}`; hãy viết - [ ] (một dấu cách "
        "trong ngoặc vuông) cho lựa chọn sai và - [x] cho lựa chọn đúng"
    ]


def test_citation_brackets_in_question_text_are_fine(collection: Collection) -> None:
    body = "## Câu? {#cau}\n\n[1] Theo Luật An ninh mạng.\n\n- [x] A\n- [ ] B\n"
    assert load_quiz(collection, body).questions[0].kind == "single"


def test_nesting_limit_applies_to_quizzes(quiz_messages: Messages) -> None:
    body = "## Câu? {#cau}\n\n" + "> " * 20 + "sâu\n\n- [x] A\n- [ ] B\n"
    assert quiz_messages(body) == [
        f"{P}:8: lỗi: nội dung lồng nhau quá sâu (20 tầng, tối đa 12); hãy bớt các dấu > hoặc "
        "bớt các mức thụt đầu dòng của danh sách"
    ]
