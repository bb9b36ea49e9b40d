"""The competency framework file and `test_out`: every mistake reported at its path:line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from elearn.content.framework import DEFAULT_DOMAINS, FRAMEWORK_FILE
from elearn.content.loader import load_collection
from tests.content.contentkit import LESSON, Collection

SHIPPED = Path(__file__).resolve().parents[2] / "courses"
QUIZ = "---\nid: kt\ntype: quiz\ntitle: Kiểm tra\n---\n\n## Câu? {#cau}\n\n- [x] Có\n- [ ] Không\n"


def course_md(extra: str) -> str:
    return f"---\nid: khoa-hoc\ntitle: Khoá học thử\n{extra}---\n\nGiới thiệu.\n"


def framework_messages(collection: Collection, text: str) -> list[str]:
    (collection.root / FRAMEWORK_FILE).write_text(text, encoding="utf-8")
    collection.course(**{"01-bai": LESSON})
    return collection.messages()


def test_the_shipped_framework_is_the_six_national_domains() -> None:
    result = load_collection(SHIPPED)
    assert result.framework is not None
    assert [(d.id, d.name, d.position) for d in result.framework.domains] == [
        (slug, name, n) for n, (slug, name) in enumerate(DEFAULT_DOMAINS, start=1)
    ]
    assert [d.id for d in result.framework.domains] == [
        "du-lieu-thong-tin",
        "giao-tiep-hop-tac",
        "sang-tao-noi-dung",
        "an-toan",
        "giai-quyet-van-de",
        "tri-tue-nhan-tao",
    ]


def test_the_shipped_collection_validates_without_any_problem() -> None:
    result = load_collection(SHIPPED)
    assert [str(p) for p in result.problems] == []
    assert (len(result.courses), result.folders) == (12, 12)


def test_notes_headings_and_order_are_the_author_s(collection: Collection) -> None:
    text = (
        "# Khung năng lực\n\nGhi chú cho người soạn: thứ tự dưới đây là thứ tự hiển thị.\n\n"
        "* an-toan: An toàn\n- du-lieu-thong-tin:   Khai thác dữ liệu  \n"
    )
    assert framework_messages(collection, text) == []
    framework = collection.load().framework
    assert [(d.id, d.name, d.position, d.line) for d in framework.domains] == [
        ("an-toan", "An toàn", 1, 5),
        ("du-lieu-thong-tin", "Khai thác dữ liệu", 2, 6),
    ]


def test_a_collection_without_the_file_is_refused(tmp_path: Path) -> None:
    collection = Collection(tmp_path / "courses", framework=False)
    collection.course(**{"01-bai": LESSON})
    result = collection.load()
    assert [str(p) for p in result.problems] == [
        "khung-nang-luc.md:1: lỗi: chưa có tệp khung năng lực khung-nang-luc.md; hãy tạo tệp "
        "này cạnh các thư mục khoá học, mỗi lĩnh vực một dòng dạng - mã: Tên lĩnh vực, ví dụ: "
        "- du-lieu-thong-tin: Khai thác dữ liệu và thông tin; - giao-tiep-hop-tac: Giao tiếp và "
        "hợp tác trong môi trường số (tệp mẫu có sẵn trong thư mục courses/ của phần mềm)"
    ]
    assert not result.ok


def test_one_course_folder_is_checked_against_its_collection_s_file(
    collection: Collection,
) -> None:
    collection.course(course_md=course_md("competencies: an-toan\n"), **{"01-bai": LESSON})
    result = load_collection(collection.root / "khoa")
    assert result.problems == () and result.framework is not None


def test_mistakes_in_the_file_are_reported_on_their_lines(collection: Collection) -> None:
    text = (
        "- an-toan: An toàn\n"
        "- An Toàn Số: An toàn số\n"
        "- thieu-ten:\n"
        "- khong co hai cham\n"
        "- an-toan: Lặp lại\n"
        f"- dai-qua: {'x' * 201}\n"
    )
    assert [m.split(": lỗi: ")[0] for m in framework_messages(collection, text)] == [
        "khung-nang-luc.md:1",
        "khung-nang-luc.md:2",
        "khung-nang-luc.md:3",
        "khung-nang-luc.md:4",
        "khung-nang-luc.md:5",
        "khung-nang-luc.md:6",
    ]
    messages = collection.messages()
    assert "mã `An Toàn Số` không hợp lệ" in messages[1] and "an-toan-so" in messages[1]
    assert messages[2].endswith(
        "lĩnh vực `thieu-ten` chưa có tên; hãy viết tên sau dấu hai chấm, ví dụ: - an-toan: An toàn"
    )
    assert "dòng `- khong co hai cham` bắt đầu bằng dấu -" in messages[3]
    assert messages[4].endswith(
        "mã lĩnh vực `an-toan` bị trùng (dòng 1 và dòng 5); mỗi lĩnh vực cần một mã riêng"
    )


def test_a_file_without_domains_is_refused(collection: Collection) -> None:
    assert framework_messages(collection, "# Khung năng lực\n\nChưa có gì.\n") == [
        "khung-nang-luc.md:1: lỗi: tệp khung năng lực chưa có lĩnh vực nào; hãy thêm mỗi lĩnh "
        "vực một dòng dạng - mã: Tên lĩnh vực, ví dụ: - du-lieu-thong-tin: Khai thác dữ liệu và "
        "thông tin; - giao-tiep-hop-tac: Giao tiếp và hợp tác trong môi trường số"
    ]


def test_a_symlinked_framework_file_is_refused(collection: Collection, tmp_path: Path) -> None:
    outside = tmp_path / "khung.md"
    outside.write_text("- an-toan: An toàn\n", encoding="utf-8")
    (collection.root / FRAMEWORK_FILE).unlink()
    os.symlink(outside, collection.root / FRAMEWORK_FILE)
    collection.course(**{"01-bai": LESSON})
    assert collection.messages() == [
        "khung-nang-luc.md:1: lỗi: tệp là liên kết (symlink), không phải tệp thật; hãy chép tệp "
        "thật vào thư mục khoá học thay cho liên kết"
    ]


def test_unknown_competency_is_an_error_on_its_line(collection: Collection) -> None:
    collection.course(
        course_md=course_md("competencies: an-toan, dich-vu-cong\n"), **{"01-bai": LESSON}
    )
    assert collection.messages() == [
        "khoa/course.md:4: lỗi: năng lực `dich-vu-cong` không có trong khung năng lực "
        "khung-nang-luc.md; hãy dùng một trong các mã: du-lieu-thong-tin, giao-tiep-hop-tac, "
        "sang-tao-noi-dung, an-toan, giai-quyet-van-de, tri-tue-nhan-tao (hoặc thêm lĩnh vực mới "
        "vào tệp khung-nang-luc.md)"
    ]


def test_test_out_with_a_final_quiz(collection: Collection) -> None:
    quiz = QUIZ.replace("{#cau}", "{#cau lesson=bai-mot}")
    collection.course(course_md=course_md("test_out: yes\n"), **{"01-bai": LESSON, "02-kt": quiz})
    result = collection.load()
    assert result.problems == ()
    course = result.courses[0]
    assert course.test_out is True and course.final_quiz is course.items[-1]
    assert course.final_quiz.questions[0].lesson == "bai-mot"


def test_a_test_out_question_without_its_lesson_is_a_warning(collection: Collection) -> None:
    """The course still publishes (the order rule guesses), but the author is told where."""
    collection.course(course_md=course_md("test_out: yes\n"), **{"01-bai": LESSON, "02-kt": QUIZ})
    result = collection.load()
    assert result.ok and [str(p) for p in result.problems] == [
        "khoa/02-kt.md:7: cảnh báo: khoá học cho phép làm bài kiểm tra đầu vào (test_out: yes), "
        "nhưng câu hỏi `cau` chưa ghi bài học mà nó kiểm tra; khi học viên làm sai câu này, hệ "
        "thống chỉ đoán được bài cần xem lại theo thứ tự. Hãy thêm lesson=ma-bai-hoc vào dấu "
        "{…} của câu hỏi, ví dụ: {#cau lesson=bai-mot}"
    ]


def test_a_question_naming_a_lesson_the_course_lacks_is_an_error(collection: Collection) -> None:
    quiz = QUIZ.replace("{#cau}", "{#cau lesson=bai-hai}")
    collection.course(**{"01-bai": LESSON, "02-kt": quiz})
    assert collection.messages() == [
        "khoa/02-kt.md:7: lỗi: lesson=`bai-hai`: khoá học không có bài học nào mang mã này; hãy "
        "dùng một trong các mã: bai-mot"
    ]


def test_a_malformed_lesson_option_is_an_error(collection: Collection) -> None:
    quiz = QUIZ.replace("{#cau}", "{#cau lesson=Bài_Một}")
    collection.course(**{"01-bai": LESSON, "02-kt": quiz})
    assert collection.messages() == [
        "khoa/02-kt.md:7: lỗi: lesson=`Bài_Một` không hợp lệ; hãy viết mã (id) của một bài học "
        "trong khoá, chữ thường không dấu, ví dụ: lesson=mat-khau-manh"
    ]


def test_every_shipped_test_out_question_names_a_lesson_that_covers_it() -> None:
    """In the shipped test-out course each question is sent to the lesson that teaches it,
    where the order rule would send several to the wrong one."""
    (course,) = [c for c in load_collection(SHIPPED).courses if c.test_out]
    named = {q.id: q.lesson for q in course.final_quiz.questions}
    assert named["so-nhom-doi-tuong"] == "khung-ky-nang-so"  # the order rule: lesson 2
    assert named["khong-doi-lai-giay-to"] == "luat-chuyen-doi-so-nghi-quyet-57"  # rule: 3
    assert named["dia-chi-binh-dan-hoc-vu-so"] == "binh-dan-hoc-vu-so"  # rule: lesson 4
    assert named["thung-rac"] == "hoc-tung-buoc-khong-so"
    assert None not in named.values()


def test_test_out_defaults_to_no(collection: Collection) -> None:
    collection.course(**{"01-bai": LESSON, "02-kt": QUIZ})
    assert collection.load().courses[0].test_out is False


TEST_OUT_NO_QUIZ = (
    "khoa/course.md:4: lỗi: test_out: yes cho phép học viên làm bài kiểm tra cuối khoá trước khi "
    "học, nhưng khoá học chưa kết thúc bằng một bài kiểm tra; hãy thêm bài kiểm tra (type: quiz) "
    "làm tệp cuối cùng của khoá học, hoặc bỏ dòng test_out"
)


@pytest.mark.parametrize(
    "files",
    [
        {"01-bai": LESSON},
        {"01-kt": QUIZ, "02-bai": LESSON},  # a lesson after the quiz: not a final quiz
    ],
)
def test_test_out_without_a_final_quiz_is_an_error(
    collection: Collection, files: dict[str, str]
) -> None:
    collection.course(course_md=course_md("test_out: có\n"), **files)
    assert collection.messages() == [TEST_OUT_NO_QUIZ]


def test_test_out_on_a_broken_final_quiz_reports_only_the_quiz(collection: Collection) -> None:
    collection.course(
        course_md=course_md("test_out: yes\n"),
        **{"01-bai": LESSON, "02-kt": QUIZ.replace("- [x] Có", "- [ ] Có")},
    )
    assert [m.split(": lỗi")[0] for m in collection.messages()] == ["khoa/02-kt.md:7"]


def test_test_out_value_must_be_yes_or_no(collection: Collection) -> None:
    collection.course(course_md=course_md("test_out: đôi khi\n"), **{"01-kt": QUIZ})
    assert collection.messages() == [
        "khoa/course.md:4: lỗi: giá trị `đôi khi` của `test_out` không hợp lệ; hãy viết yes hoặc "
        "no (hoặc có/không)"
    ]
