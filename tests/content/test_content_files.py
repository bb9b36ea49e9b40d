"""Files and folders: encodings, size, naming, ordering, ids and escapes out of a course."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from elearn.content.loader import load_collection, load_course
from elearn.content.model import LoadResult, Problem
from tests.content.contentkit import COURSE, LESSON, Collection

UTF16 = (
    "khoa/01-bai.md:1: lỗi: tệp được lưu dạng UTF-16; hãy lưu lại dạng UTF-8: trong Notepad "
    "chọn Tệp > Lưu thành (File > Save As), ở ô Mã hoá (Encoding) chọn UTF-8 rồi bấm Lưu"
)
LEGACY = (
    "lỗi: tệp không phải UTF-8 (có thể đang dùng bảng mã cũ TCVN3, VNI hoặc Windows-1258); "
    "hãy chuyển sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey) rồi lưu lại dạng "
    "UTF-8: trong Notepad chọn Tệp > Lưu thành (File > Save As), ở ô Mã hoá (Encoding) chọn "
    "UTF-8 rồi bấm Lưu"
)


def test_problem_str() -> None:
    assert str(Problem("a/01-b.md", 3, "error", "x")) == "a/01-b.md:3: lỗi: x"
    assert str(Problem("a/01-b.md", 4, "warning", "y")) == "a/01-b.md:4: cảnh báo: y"


def test_load_result_properties() -> None:
    error = Problem("a", 1, "error", "e")
    warning = Problem("a", 2, "warning", "w")
    result = LoadResult((), (error, warning))
    assert result.errors == (error,)
    assert result.warnings == (warning,)
    assert not result.ok
    assert LoadResult((), (warning,)).ok


def test_valid_course_loads(collection: Collection) -> None:
    collection.course(**{"01-bai": LESSON})
    result = collection.load()
    assert result.problems == ()
    (course,) = result.courses
    assert course.id == "khoa-hoc"
    assert course.folder == "khoa"
    assert course.intro_html == "<p>Giới thiệu khoá học.</p>"
    (lesson,) = course.items
    assert (lesson.kind, lesson.id, lesson.title, lesson.position) == (
        "lesson",
        "bai-mot",
        "Bài một",
        1,
    )
    assert lesson.source_path == "khoa/01-bai.md"
    assert lesson.html == "<p>Nội dung bài một.</p>"


def test_bom_crlf_and_nfd_are_accepted(collection: Collection) -> None:
    nfd = unicodedata.normalize("NFD", LESSON.replace("Bài một", "Mật khẩu"))
    collection.course()
    collection.write("khoa/01-bai.md", b"\xef\xbb\xbf" + nfd.replace("\n", "\r\n").encode())
    result = collection.load()
    assert result.problems == ()
    lesson = result.courses[0].items[0]
    assert lesson.title == "Mật khẩu"
    assert unicodedata.is_normalized("NFC", lesson.title)


def test_hash_ignores_line_endings_bom_and_normal_form(collection: Collection) -> None:
    collection.course(**{"01-bai": LESSON})
    first = collection.load().courses[0]
    collection.write(
        "khoa/01-bai.md",
        b"\xef\xbb\xbf" + unicodedata.normalize("NFD", LESSON).replace("\n", "\r\n").encode(),
    )
    second = collection.load().courses[0]
    assert first.items[0].content_hash == second.items[0].content_hash
    assert first.content_hash == second.content_hash
    collection.write("khoa/01-bai.md", LESSON.replace("một.", "hai."))
    third = collection.load().courses[0]
    assert third.items[0].content_hash != first.items[0].content_hash
    assert third.content_hash != first.content_hash


def test_utf16_is_refused_by_name(collection: Collection) -> None:
    collection.course()
    collection.write("khoa/01-bai.md", LESSON.encode("utf-16"))
    assert collection.messages() == [UTF16]


def test_utf16_without_bom_is_refused_by_name(collection: Collection) -> None:
    collection.course()
    collection.write("khoa/01-bai.md", LESSON.encode("utf-16-le"))
    assert collection.messages() == [UTF16]


def test_windows_1258_is_refused_naming_legacy_encodings(collection: Collection) -> None:
    collection.course()
    collection.write("khoa/01-bai.md", "---\nid: bai\ntitle: Tiêu đê\u0300\n---\n".encode("cp1258"))
    assert collection.messages() == [f"khoa/01-bai.md:3: {LEGACY}"]


def test_tcvn3_bytes_are_refused(collection: Collection) -> None:
    collection.course()
    collection.write("khoa/01-bai.md", b"---\nid: bai\ntitle: M\xa7t kh\xa9u\n---\n")
    assert collection.messages() == [f"khoa/01-bai.md:3: {LEGACY}"]


def test_file_over_100_kb_is_refused(collection: Collection) -> None:
    collection.course()
    collection.write("khoa/01-bai.md", LESSON + "x" * (100 * 1024))
    assert collection.messages() == [
        "khoa/01-bai.md:1: lỗi: tệp quá lớn (101 KB), giới hạn là 100 KB; hãy chia nội dung "
        "thành nhiều bài ngắn hơn và đưa ảnh ra tệp riêng trong thư mục images/"
    ]


def test_folder_without_course_md(collection: Collection) -> None:
    collection.course()
    collection.write("thieu/01-bai.md", LESSON)
    assert (
        collection.messages()
        == [
            "thieu/course.md:1: lỗi: thư mục khoá học chưa có tệp course.md; hãy tạo tệp course.md "
            "gồm các dòng ---, id: ma-khoa-hoc, title: Tên khoá học, --- rồi đến phần giới thiệu "
            "khoá học",
            "khoa/course.md:1: cảnh báo: khoá học chưa có bài học nào; hãy thêm tệp bài học dạng "
            "01-ten-bai.md vào thư mục khoá học",
        ][::-1]
    )


def test_hidden_and_underscore_folders_are_ignored(collection: Collection) -> None:
    collection.course(**{"01-bai": LESSON})
    collection.write(".git/HEAD", "x")
    collection.write("_nhap/ghi-chu.md", "x")
    assert collection.messages() == []


def test_unnumbered_markdown_file_is_skipped_with_warning(collection: Collection) -> None:
    collection.course(**{"01-bai": LESSON, "ghi-chu": LESSON.replace("bai-mot", "ghi-chu")})
    result = collection.load()
    assert [str(p) for p in result.problems] == [
        "khoa/ghi-chu.md:1: cảnh báo: tệp không có số thứ tự ở đầu tên nên bị bỏ qua; nếu đây "
        "là bài học hoặc bài kiểm tra, hãy đổi tên thành dạng 01-ghi-chu.md"
    ]
    assert [item.id for item in result.courses[0].items] == ["bai-mot"]


def test_order_comes_from_number_prefix(collection: Collection) -> None:
    collection.course(
        **{
            "10-cuoi": LESSON.replace("bai-mot", "cuoi"),
            "2-giua": LESSON.replace("bai-mot", "giua"),
            "01-dau": LESSON.replace("bai-mot", "dau"),
        }
    )
    items = collection.load().courses[0].items
    assert [(i.id, i.position) for i in items] == [("dau", 1), ("giua", 2), ("cuoi", 10)]


def test_duplicate_position(collection: Collection) -> None:
    collection.course(**{"01-a": LESSON, "1-b": LESSON.replace("bai-mot", "bai-hai")})
    assert collection.messages() == [
        "khoa/01-a.md:1: lỗi: số thứ tự 1 bị trùng với tệp khoa/1-b.md; hãy đổi số ở đầu tên một "
        "trong hai tệp để định thứ tự",
        "khoa/1-b.md:1: lỗi: số thứ tự 1 bị trùng với tệp khoa/01-a.md; hãy đổi số ở đầu tên một "
        "trong hai tệp để định thứ tự",
    ]


def test_duplicate_item_id(collection: Collection) -> None:
    collection.course(**{"01-a": LESSON, "02-b": LESSON})
    assert collection.messages() == [
        "khoa/01-a.md:2: lỗi: mã `bai-mot` bị trùng với tệp khoa/02-b.md; mỗi bài học, bài kiểm "
        "tra trong khoá cần một mã riêng, hãy đổi mã ở một tệp",
        "khoa/02-b.md:2: lỗi: mã `bai-mot` bị trùng với tệp khoa/01-a.md; mỗi bài học, bài kiểm "
        "tra trong khoá cần một mã riêng, hãy đổi mã ở một tệp",
    ]


def test_duplicate_course_id_reported_on_both_files(collection: Collection) -> None:
    collection.course("mot", **{"01-bai": LESSON})
    collection.course("hai", **{"01-bai": LESSON})
    result = collection.load()
    assert [str(p) for p in result.problems] == [
        "hai/course.md:2: lỗi: mã khoá học `khoa-hoc` bị trùng với tệp mot/course.md; mỗi khoá "
        "học cần một mã riêng, hãy đổi mã ở một tệp",
        "mot/course.md:2: lỗi: mã khoá học `khoa-hoc` bị trùng với tệp hai/course.md; mỗi khoá "
        "học cần một mã riêng, hãy đổi mã ở một tệp",
    ]
    assert result.courses == ()


def test_every_problem_reported_sorted_by_path_then_line(collection: Collection) -> None:
    collection.course("b", COURSE.replace("id: khoa-hoc", "id: B"), **{"01-x": "no front matter"})
    collection.course("a", COURSE.replace("title: Khoá học thử", "titel: x"))
    lines = [m.split(": ", 1)[0] for m in collection.messages()]
    assert lines == ["a/course.md:1", "a/course.md:3", "b/01-x.md:1", "b/course.md:2"]


def test_symlinked_lesson_outside_course_is_refused(collection: Collection, tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text(LESSON, encoding="utf-8")
    collection.course(**{"01-bai": LESSON.replace("bai-mot", "bai")})
    os.symlink(outside, collection.root / "khoa" / "02-ngoai.md")
    assert collection.messages() == [
        "khoa/02-ngoai.md:1: lỗi: tệp là liên kết (symlink), không phải tệp thật; hãy chép tệp "
        "thật vào thư mục khoá học thay cho liên kết"
    ]


def test_symlinked_lesson_inside_course_is_refused_too(collection: Collection) -> None:
    collection.course(**{"01-bai": LESSON})
    os.symlink("01-bai.md", collection.root / "khoa" / "02-ban-sao.md")
    assert collection.messages() == [
        "khoa/02-ban-sao.md:1: lỗi: tệp là liên kết (symlink), không phải tệp thật; hãy chép tệp "
        "thật vào thư mục khoá học thay cho liên kết"
    ]


def test_symlinked_course_md_is_refused(collection: Collection, tmp_path: Path) -> None:
    """A course.md pointing outside the folder was validated and published before."""
    outside = tmp_path / "khac.md"
    outside.write_text(COURSE, encoding="utf-8")
    collection.course(**{"01-bai": LESSON})
    (collection.root / "khoa" / "course.md").unlink()
    os.symlink(outside, collection.root / "khoa" / "course.md")
    result = collection.load()
    assert [str(p) for p in result.problems] == [
        "khoa/course.md:1: lỗi: tệp là liên kết (symlink), không phải tệp thật; hãy chép tệp "
        "thật vào thư mục khoá học thay cho liên kết"
    ]
    assert result.courses == ()


def test_symlinked_course_folder_outside_collection_is_refused(
    collection: Collection, tmp_path: Path
) -> None:
    elsewhere = Collection(tmp_path / "elsewhere")
    elsewhere.course(**{"01-bai": LESSON})
    os.symlink(tmp_path / "elsewhere" / "khoa", collection.root / "ngoai")
    assert collection.messages() == [
        "ngoai/course.md:1: lỗi: thư mục khoá học là liên kết (symlink), không phải thư mục thật; "
        "hãy chép thư mục thật vào thay cho liên kết"
    ]


def test_a_single_course_folder_can_be_checked(collection: Collection) -> None:
    collection.course(**{"01-bai": LESSON})
    result = load_collection(collection.root / "khoa")
    assert result.problems == ()
    assert result.courses[0].items[0].source_path == "khoa/01-bai.md"


def test_load_course_directly(collection: Collection) -> None:
    collection.course(**{"01-bai": LESSON})
    course, problems = load_course(collection.root / "khoa", collection.root)
    assert problems == []
    assert course is not None and course.id == "khoa-hoc"


def test_missing_collection_folder(tmp_path: Path) -> None:
    result = load_collection(tmp_path / "khong-co")
    assert [p.message for p in result.problems] == [
        f"không tìm thấy thư mục `{(tmp_path / 'khong-co').as_posix()}`; hãy kiểm tra lại đường "
        "dẫn tới thư mục khoá học"
    ]


def test_empty_lesson_is_a_warning(collection: Collection) -> None:
    collection.course(**{"01-bai": "---\nid: bai\ntitle: Bài\n---\n\n"})
    assert collection.messages() == [
        "khoa/01-bai.md:1: cảnh báo: bài học chưa có nội dung; hãy viết nội dung bên dưới dòng "
        "--- thứ hai"
    ]
