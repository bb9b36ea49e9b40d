"""Front matter: flat key/value text, every rule with its exact message and line."""

from __future__ import annotations

import pytest

from tests.content.contentkit import COURSE, LESSON, Collection

QUIZ_HEAD = (
    "---\nid: kiem-tra\ntype: quiz\ntitle: Kiểm tra\n{extra}---\n\n## Câu? {{#cau}}\n\nĐáp án: 1\n"
)


def lesson_messages(collection: Collection, text: str) -> list[str]:
    collection.course(**{"01-bai": text})
    return collection.messages()


def course_messages(collection: Collection, extra: str) -> list[str]:
    collection.course(course_md=COURSE.replace("---\n\n", f"{extra}---\n\n"), **{"01-bai": LESSON})
    return collection.messages()


def quiz_messages(collection: Collection, extra: str) -> list[str]:
    collection.course(**{"01-kiem-tra": QUIZ_HEAD.format(extra=extra)})
    return collection.messages()


def test_values_stay_text(collection: Collection) -> None:
    collection.course(
        course_md=COURSE.replace("title: Khoá học thử", 'title: "Bài 1: Giới thiệu"'),
        **{"01-bai": LESSON.replace("id: bai-mot", "id: 010")},
    )
    result = collection.load()
    assert result.problems == ()
    assert result.courses[0].title == "Bài 1: Giới thiệu"
    assert result.courses[0].items[0].id == "010"


def test_defaults(collection: Collection) -> None:
    collection.course(**{"01-kiem-tra": QUIZ_HEAD.format(extra="")})
    course = collection.load().courses[0]
    assert (course.required, course.status, course.language) == (False, "published", "vi")
    assert (course.minutes, course.competencies, course.description) == (None, (), "")
    quiz = course.items[0]
    assert (quiz.kind, quiz.pass_mark, quiz.max_attempts, quiz.shuffle) == ("quiz", 80, 0, False)


def test_all_course_keys(collection: Collection) -> None:
    extra = (
        "description: Mô tả ngắn.\nminutes: 25\nrequired: có\nstatus: draft\n"
        "competencies: an-toan, giao-tiep-hop-tac, an-toan\nlanguage: vi\n"
    )
    assert course_messages(collection, extra) == []
    course = collection.load().courses[0]
    assert course.description == "Mô tả ngắn."
    assert (course.minutes, course.required, course.status) == (25, True, "draft")
    assert course.competencies == ("an-toan", "giao-tiep-hop-tac")


@pytest.mark.parametrize(
    ("word", "value"),
    [("yes", True), ("Có", True), ("co", True), ("true", True), ("no", False), ("KHÔNG", False)],
)
def test_yes_no_words(collection: Collection, word: str, value: bool) -> None:
    assert quiz_messages(collection, f"shuffle: {word}\n") == []
    assert collection.load().courses[0].items[0].shuffle is value


def test_quiz_options(collection: Collection) -> None:
    assert quiz_messages(collection, "pass_mark: 70%\nmax_attempts: 3\n") == []
    quiz = collection.load().courses[0].items[0]
    assert (quiz.pass_mark, quiz.max_attempts) == (70, 3)


def test_missing_front_matter(collection: Collection) -> None:
    assert lesson_messages(collection, "# Bài một\n\nNội dung.\n") == [
        "khoa/01-bai.md:1: lỗi: tệp chưa có phần thông tin đầu tệp; dòng đầu tiên phải là ---, "
        "tiếp theo là các dòng khoá: giá trị (ví dụ id: mat-khau-manh và title: Mật khẩu mạnh), "
        "rồi một dòng --- nữa"
    ]


def test_unclosed_front_matter(collection: Collection) -> None:
    assert lesson_messages(collection, "---\nid: bai\ntitle: Bài\n\nNội dung.\n") == [
        "khoa/01-bai.md:1: lỗi: phần thông tin đầu tệp chưa được đóng; hãy thêm một dòng chỉ có "
        "--- ngay sau dòng khoá: giá trị cuối cùng"
    ]


def test_line_without_colon(collection: Collection) -> None:
    text = "---\nid: bai\ntitle: Bài\nthời lượng 5 phút\n---\n\nNội dung.\n"
    assert lesson_messages(collection, text) == [
        "khoa/01-bai.md:4: lỗi: dòng `thời lượng 5 phút` thiếu dấu hai chấm; mỗi dòng ở phần "
        "đầu tệp phải có dạng khoá: giá trị, ví dụ: title: Mật khẩu mạnh"
    ]


def test_duplicate_key(collection: Collection) -> None:
    text = "---\nid: bai\ntitle: Bài\ntitle: Bài khác\n---\n\nNội dung.\n"
    assert lesson_messages(collection, text) == [
        "khoa/01-bai.md:4: lỗi: khoá `title` được viết hai lần (dòng 3 và dòng 4); hãy xoá một dòng"
    ]


def test_missing_required_key(collection: Collection) -> None:
    assert lesson_messages(collection, "---\ntitle: Bài\n---\n\nNội dung.\n") == [
        "khoa/01-bai.md:1: lỗi: thiếu khoá bắt buộc `id`; hãy thêm dòng `id: mat-khau-manh` vào "
        "phần đầu tệp (giữa hai dòng ---)"
    ]


def test_quiz_needs_type(collection: Collection) -> None:
    collection.course(**{"01-bai": LESSON.replace("title: Bài một", "title: Bài\ntype: video")})
    assert collection.messages() == [
        "khoa/01-bai.md:4: lỗi: type `video` không hợp lệ; bài kiểm tra ghi type: quiz, còn bài "
        "học thì bỏ dòng type đi"
    ]


def test_lesson_may_say_type_lesson(collection: Collection) -> None:
    collection.course(**{"01-bai": LESSON.replace("title: Bài một", "title: Bài\ntype: lesson")})
    assert collection.messages() == []


def test_empty_required_value(collection: Collection) -> None:
    assert lesson_messages(collection, "---\nid: bai\ntitle:\n---\n\nNội dung.\n") == [
        "khoa/01-bai.md:3: lỗi: khoá `title` chưa có giá trị; hãy viết giá trị sau dấu hai "
        "chấm, ví dụ: title: Mật khẩu mạnh"
    ]


def test_unknown_key_is_a_warning_with_suggestion(collection: Collection) -> None:
    text = "---\nid: bai\ntitle: Bài\nminute: 5\ntac-gia: An\n---\n\nNội dung.\n"
    assert lesson_messages(collection, text) == [
        "khoa/01-bai.md:4: cảnh báo: khoá `minute` không được dùng nên bị bỏ qua (có phải ý "
        "anh/chị là `minutes`?); các khoá dùng được ở bài học: id, title, minutes",
        "khoa/01-bai.md:5: cảnh báo: khoá `tac-gia` không được dùng nên bị bỏ qua; các khoá "
        "dùng được ở bài học: id, title, minutes",
    ]
    assert collection.load().ok


@pytest.mark.parametrize(
    ("value", "example"),
    [("Bài 1", "bai-1"), ("mật-khẩu", "mat-khau"), ("a_b", "a-b"), ("x" * 65, "x" * 64)],
)
def test_bad_id(collection: Collection, value: str, example: str) -> None:
    text = LESSON.replace("id: bai-mot", f"id: {value}")
    assert lesson_messages(collection, text) == [
        f"khoa/01-bai.md:2: lỗi: mã `{value}` không hợp lệ; mã chỉ gồm chữ thường không dấu "
        "a-z, chữ số 0-9 và dấu gạch ngang (-), dài tối đa 64 ký tự, ví dụ: " + example
    ]


def test_bad_minutes(collection: Collection) -> None:
    text = LESSON.replace("title: Bài một", "title: Bài\nminutes: 0")
    assert lesson_messages(collection, text) == [
        "khoa/01-bai.md:4: lỗi: `minutes` phải là số phút, một số nguyên lớn hơn 0, ví dụ: "
        "minutes: 15; hiện đang là `0`"
    ]


def test_bad_required(collection: Collection) -> None:
    assert course_messages(collection, "required: bắt buộc\n") == [
        "khoa/course.md:4: lỗi: giá trị `bắt buộc` của `required` không hợp lệ; hãy viết yes "
        "hoặc no (hoặc có/không)"
    ]


def test_bad_status(collection: Collection) -> None:
    assert course_messages(collection, "status: nháp\n") == [
        "khoa/course.md:4: lỗi: status `nháp` không hợp lệ; hãy viết status: published (cho học "
        "viên thấy) hoặc status: draft (bản nháp, chưa cho học viên thấy)"
    ]


def test_bad_language(collection: Collection) -> None:
    assert course_messages(collection, "language: Tiếng Việt\n") == [
        "khoa/course.md:4: lỗi: language `Tiếng Việt` không hợp lệ; hãy viết mã ngôn ngữ như vi "
        "hoặc en"
    ]


def test_bad_competency(collection: Collection) -> None:
    assert course_messages(collection, "competencies: An toàn, giai-quyet-van-de\n") == [
        "khoa/course.md:4: lỗi: năng lực `An toàn` không hợp lệ; mỗi năng lực viết bằng chữ "
        "thường không dấu, chữ số và dấu gạch ngang, các năng lực cách nhau bởi dấu phẩy, ví "
        "dụ: competencies: an-toan, giai-quyet-van-de"
    ]


@pytest.mark.parametrize("value", ["101", "-1", "tám mươi"])
def test_pass_mark_outside_0_to_100(collection: Collection, value: str) -> None:
    assert quiz_messages(collection, f"pass_mark: {value}\n") == [
        "khoa/01-kiem-tra.md:5: lỗi: `pass_mark` phải là số nguyên từ 0 đến 100 (phần trăm điểm "
        f"cần đạt), ví dụ: pass_mark: 80; hiện đang là `{value}`"
    ]


def test_bad_max_attempts(collection: Collection) -> None:
    assert quiz_messages(collection, "max_attempts: -2\n") == [
        "khoa/01-kiem-tra.md:5: lỗi: `max_attempts` phải là số nguyên từ 0 trở lên (0 là không "
        "giới hạn số lần làm bài), ví dụ: max_attempts: 3; hiện đang là `-2`"
    ]


def test_bad_shuffle(collection: Collection) -> None:
    assert quiz_messages(collection, "shuffle: random\n") == [
        "khoa/01-kiem-tra.md:5: lỗi: giá trị `random` của `shuffle` không hợp lệ; hãy viết yes "
        "hoặc no (hoặc có/không)"
    ]


def test_quiz_unknown_key_lists_quiz_keys(collection: Collection) -> None:
    assert quiz_messages(collection, "minutes: 10\n") == [
        "khoa/01-kiem-tra.md:5: cảnh báo: khoá `minutes` không được dùng nên bị bỏ qua; các "
        "khoá dùng được ở bài kiểm tra: id, type, title, pass_mark, max_attempts, shuffle"
    ]
