"""Adding missing question ids changes only the headings, byte for byte."""

from __future__ import annotations

from elearn.content.addids import add_ids_in_folder, add_missing_question_ids
from tests.content.contentkit import LESSON, Collection

QUIZ = (
    "---\nid: kt\ntype: quiz\ntitle: Kiểm tra\n---\n\n"
    "## Mật khẩu mạnh là gì?\n\nĐáp án: dài\n\n"
    "## Đường dây nóng? {type=multiple points=2}\n\n- [x] A\n- [x] B\n\n"
    "## Có mã rồi {#co-ma}\n\n```\n## Không phải câu hỏi\n```\n\nĐáp án: 1\n\n"
    "## Mật khẩu mạnh là gì?  \n\nĐáp án: dài\n"
)
EXPECTED = (
    "---\nid: kt\ntype: quiz\ntitle: Kiểm tra\n---\n\n"
    "## Mật khẩu mạnh là gì? {#mat-khau-manh-la-gi}\n\nĐáp án: dài\n\n"
    "## Đường dây nóng? {#duong-day-nong type=multiple points=2}\n\n- [x] A\n- [x] B\n\n"
    "## Có mã rồi {#co-ma}\n\n```\n## Không phải câu hỏi\n```\n\nĐáp án: 1\n\n"
    "## Mật khẩu mạnh là gì? {#mat-khau-manh-la-gi-2}  \n\nĐáp án: dài\n"
)


def test_adds_ids_and_nothing_else() -> None:
    assert add_missing_question_ids(QUIZ) == (EXPECTED, 3)


def test_is_idempotent() -> None:
    assert add_missing_question_ids(EXPECTED) == (EXPECTED, 0)


def test_generated_ids_avoid_existing_ones() -> None:
    text = (
        "---\nid: kt\ntype: quiz\ntitle: K\n---\n\n"
        "## Một {#mot}\n\nĐáp án: 1\n\n## Một\n\nĐáp án: 1\n"
    )
    updated, count = add_missing_question_ids(text)
    assert count == 1
    assert "## Một {#mot-2}" in updated


def test_heading_without_letters_gets_a_generic_id() -> None:
    text = "---\nid: kt\ntype: quiz\ntitle: K\n---\n\n## ???\n\nĐáp án: 1\n"
    assert "## ??? {#cau-hoi}" in add_missing_question_ids(text)[0]


def test_lessons_are_left_alone() -> None:
    text = LESSON + "\n## Một mục\n"
    assert add_missing_question_ids(text) == (text, 0)


def test_bom_and_crlf_survive_byte_for_byte(collection: Collection) -> None:
    original = "\ufeff" + QUIZ.replace("\n", "\r\n")
    path = collection.write("khoa/02-kt.md", original.encode("utf-8"))
    collection.write("khoa/course.md", "---\nid: k\ntitle: K\n---\n")
    assert add_ids_in_folder(collection.root) == [("khoa/02-kt.md", 3)]
    assert path.read_bytes() == ("\ufeff" + EXPECTED.replace("\n", "\r\n")).encode("utf-8")
    assert collection.load().ok


def test_nfd_text_is_kept_as_written(collection: Collection) -> None:
    import unicodedata

    original = unicodedata.normalize("NFD", QUIZ)
    updated, count = add_missing_question_ids(original)
    assert count == 3
    pairs = zip(original.split("\n"), updated.split("\n"), strict=True)
    changed = [i for i, (a, b) in enumerate(pairs) if a != b]
    assert changed == [6, 10, 23]
    assert unicodedata.normalize("NFC", updated) == EXPECTED


def test_folder_run_skips_unreadable_and_outside_files(collection: Collection) -> None:
    collection.write("khoa/course.md", "---\nid: k\ntitle: K\n---\n")
    legacy = collection.write("khoa/01-cu.md", "## C\u00e2u\n".encode("cp1258"))
    utf16 = collection.write("khoa/02-u.md", QUIZ.encode("utf-16"))
    before = (legacy.read_bytes(), utf16.read_bytes())
    assert add_ids_in_folder(collection.root) == []
    assert (legacy.read_bytes(), utf16.read_bytes()) == before
