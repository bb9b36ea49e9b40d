"""Files a lesson links for download: inside the course folder, typed by content, bounded."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from elearn.content.files import MAX_FILE_BYTES, WARN_FILE_BYTES, size_label, sniff
from elearn.content.loader import load_collection
from elearn.content.sourcefile import content_hash
from tests.content.contentkit import Collection

SHIPPED = Path(__file__).resolve().parents[2] / "courses"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx() -> bytes:
    """A real workbook, as Excel or LibreOffice would save it."""
    book = openpyxl.Workbook()
    book.active.append(["Xã", "Số hồ sơ"])
    book.active.append(["Cảnh Hưng", 12])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def office(main_type: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Office Open XML package whose main part has the given content type."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'content-types"><Override PartName="/main.xml" ContentType="{main_type}"/></Types>',
        )
        archive.writestr("main.xml", "<x/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCX = office(DOCX_MAIN)
XLSM = office("application/vnd.ms-excel.sheet.macroEnabled.main+xml")


def lesson(link: str) -> str:
    return f"---\nid: bai\ntitle: Bài\n---\n\nMở đầu.\n\n{link}\n"


def messages_for(collection: Collection, link: str) -> list[str]:
    collection.course(**{"01-bai": lesson(link)})
    return collection.messages()


def test_linked_xlsx_is_published_by_hash_and_says_its_type_and_size(
    collection: Collection,
) -> None:
    data = xlsx()
    collection.write("khoa/files/so-lieu.xlsx", data)
    collection.course(**{"01-bai": lesson("[Tải tệp thực hành](files/so-lieu.xlsx)")})
    result = collection.load()
    assert result.problems == ()
    course = result.courses[0]
    (course_file,) = course.files
    sha = hashlib.sha256(data).hexdigest()
    assert (course_file.rel_path, course_file.sha256, course_file.size) == (
        "files/so-lieu.xlsx",
        sha,
        len(data),
    )
    assert (course_file.kind, course_file.mime_type) == ("XLSX", XLSX_TYPE)
    assert course.items[0].html == (
        f'<p>Mở đầu.</p>\n<p><a href="/media/{sha}/so-lieu.xlsx">Tải tệp thực hành '
        f"(XLSX, {size_label(len(data))})</a></p>"
    )


@pytest.mark.parametrize(
    ("name", "data", "label"),
    [("mau.docx", DOCX, "DOCX"), ("van-ban.pdf", PDF, "PDF")],
)
def test_docx_and_pdf(collection: Collection, name: str, data: bytes, label: str) -> None:
    collection.write(f"khoa/files/{name}", data)
    assert messages_for(collection, f"[Mẫu **văn bản**](files/{name})") == []
    html = collection.load().courses[0].items[0].html
    assert f"<strong>văn bản</strong> ({label}, 1 KB)</a>" in html


def test_file_linked_from_a_quiz_question(collection: Collection) -> None:
    collection.write("khoa/files/so-lieu.xlsx", xlsx())
    quiz = (
        "---\nid: kt\ntype: quiz\ntitle: KT\n---\n\n## Tổng cột C là bao nhiêu? {#tong}\n\n"
        "Mở [tệp thực hành](files/so-lieu.xlsx).\n\nĐáp án: 12\n"
    )
    collection.course(**{"01-kt": quiz})
    result = collection.load()
    assert result.problems == ()
    assert "(XLSX, " in result.courses[0].items[0].questions[0].text_html
    assert [f.rel_path for f in result.courses[0].files] == ["files/so-lieu.xlsx"]


def test_changing_the_file_changes_the_course_hash_and_the_url(collection: Collection) -> None:
    collection.write("khoa/files/a.pdf", PDF)
    collection.course(**{"01-bai": lesson("[A](files/a.pdf)")})
    before = collection.load().courses[0]
    collection.write("khoa/files/a.pdf", PDF + b"% edited\n")
    after = collection.load().courses[0]
    assert after.content_hash != before.content_hash
    assert after.items[0].html != before.items[0].html


def test_a_course_without_files_keeps_its_hash(collection: Collection) -> None:
    """Hashes of existing courses must not change, or every course would look edited."""
    collection.course(**{"01-bai": lesson("Không có tệp.")})
    course = collection.load().courses[0]
    text = (collection.root / "khoa" / "course.md").read_text("utf-8")
    items = [f"lesson:bai:{course.items[0].content_hash}"]
    assert course.content_hash == content_hash(text, items, [])  # the formula before files


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("trang.xlsx", b"<html><script>alert(1)</script></html>", "XLSX"),
        ("anh.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "PDF"),
        ("word.xlsx", DOCX, "XLSX"),
        ("bang.docx", None, "DOCX"),
        ("hong.xlsx", b"PK\x03\x04 not really a zip", "XLSX"),
    ],
)
def test_type_is_judged_by_content_not_by_name(
    collection: Collection, name: str, data: bytes | None, kind: str
) -> None:
    collection.write(f"khoa/files/{name}", data if data is not None else xlsx())
    assert messages_for(collection, f"[Tệp](files/{name})") == [
        f"khoa/01-bai.md:8: lỗi: nội dung tệp `files/{name}` không phải tệp {kind} thật dù tên "
        "tệp có đuôi đó; hãy mở tệp bằng phần mềm tạo ra nó và lưu lại đúng định dạng"
    ]


def test_office_files_with_macros_are_refused(collection: Collection) -> None:
    collection.write("khoa/files/co-macro.xlsx", XLSM)
    collection.write("khoa/files/vba.docx", office(DOCX_MAIN, {"word/vbaProject.bin": b"x"}))
    collection.course(
        **{"01-bai": lesson("[A](files/co-macro.xlsx)\n\n[B](files/vba.docx)")},
    )
    assert collection.messages() == [
        "khoa/01-bai.md:8: lỗi: tệp `files/co-macro.xlsx` có macro (mã lệnh tự chạy), không an "
        "toàn để phát cho cán bộ; hãy lưu lại dạng .xlsx thường, không có macro",
        "khoa/01-bai.md:10: lỗi: tệp `files/vba.docx` có macro (mã lệnh tự chạy), không an toàn "
        "để phát cho cán bộ; hãy lưu lại dạng .docx thường, không có macro",
    ]


def test_old_office_formats_are_refused_with_how_to_resave(collection: Collection) -> None:
    collection.write("khoa/files/cu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    assert messages_for(collection, "[Tệp cũ](files/cu.xls)") == [
        "khoa/01-bai.md:8: lỗi: tệp `files/cu.xls` dùng định dạng cũ của Office; hãy mở tệp rồi "
        "chọn Tệp > Lưu thành (File > Save As) và lưu lại dạng .xlsx"
    ]


@pytest.mark.parametrize("name", ["cai-dat.exe", "nen.zip", "02-bai-khac.md", "anh.png"])
def test_other_types_are_refused(collection: Collection, name: str) -> None:
    collection.write(f"khoa/files/{name}", b"MZ")
    assert messages_for(collection, f"[Tệp](files/{name})") == [
        f"khoa/01-bai.md:8: lỗi: liên kết `files/{name}` trỏ tới loại tệp không dùng được; bài "
        "học chỉ cho tải tệp .xlsx (Excel), .docx (Word) hoặc .pdf; liên kết tới trang web thì "
        "viết đầy đủ https://"
    ]


@pytest.mark.parametrize("href", ["../khac/files/a.pdf", "files/../../a.pdf", "files/%2e%2e/a.pdf"])
def test_parent_paths_are_refused(collection: Collection, href: str) -> None:
    assert messages_for(collection, f"[Tệp]({href})") == [
        f"khoa/01-bai.md:8: lỗi: liên kết tới tệp `{href}` có `..` trỏ ra ngoài thư mục khoá "
        "học; hãy chép tệp vào thư mục files/ của khoá học rồi viết [Tải tệp](files/ten-tep.xlsx)"
    ]


@pytest.mark.parametrize("href", ["/home/canbo/so-lieu.xlsx", "C:\\Tai lieu\\a.pdf", "D:/a.docx"])
def test_absolute_paths_are_refused(collection: Collection, href: str) -> None:
    assert messages_for(collection, f"[Tệp](<{href}>)") == [
        f"khoa/01-bai.md:8: lỗi: liên kết tới tệp `{href}` là đường dẫn tuyệt đối (trên máy của "
        "anh/chị); hãy chép tệp vào thư mục files/ của khoá học rồi viết [Tải tệp]"
        "(files/ten-tep.xlsx)"
    ]


def test_site_links_and_web_links_are_not_files(collection: Collection) -> None:
    body = "[Trang chủ](/) [Mục](#muc) [Cổng](https://dichvucong.gov.vn/a.pdf)"
    assert messages_for(collection, body) == []


def test_missing_file_and_wrong_case(collection: Collection) -> None:
    collection.write("khoa/files/So-Lieu.xlsx", xlsx())
    assert messages_for(collection, "[A](files/so-lieu.xlsx)\n\n[B](files/khong-co.pdf)") == [
        "khoa/01-bai.md:8: lỗi: không tìm thấy tệp `files/so-lieu.xlsx` trong thư mục khoá học; "
        "hãy kiểm tra tên tệp (phân biệt chữ hoa, chữ thường) và đuôi tệp (.xlsx, .docx, .pdf)",
        "khoa/01-bai.md:10: lỗi: không tìm thấy tệp `files/khong-co.pdf` trong thư mục khoá học; "
        "hãy kiểm tra tên tệp (phân biệt chữ hoa, chữ thường) và đuôi tệp (.xlsx, .docx, .pdf)",
    ]


@pytest.mark.parametrize("inside", [True, False])
def test_symlinks_are_refused(collection: Collection, tmp_path: Path, inside: bool) -> None:
    target = collection.write("khoa/files/that.pdf", PDF) if inside else tmp_path / "ngoai.pdf"
    target.write_bytes(PDF)
    (collection.root / "khoa" / "files").mkdir(parents=True, exist_ok=True)
    os.symlink(target, collection.root / "khoa" / "files" / "lien-ket.pdf")
    assert messages_for(collection, "[A](files/lien-ket.pdf)") == [
        "khoa/01-bai.md:8: lỗi: tệp `files/lien-ket.pdf` là liên kết (symlink), không phải tệp "
        "thật; hãy chép tệp thật vào thư mục files/"
    ]


def test_symlinked_files_folder_is_refused(collection: Collection, tmp_path: Path) -> None:
    (tmp_path / "ngoai").mkdir()
    (tmp_path / "ngoai" / "a.pdf").write_bytes(PDF)
    (collection.root / "khoa").mkdir()
    os.symlink(tmp_path / "ngoai", collection.root / "khoa" / "files")
    assert messages_for(collection, "[A](files/a.pdf)")[0].startswith(
        "khoa/01-bai.md:8: lỗi: tệp `files/a.pdf` là liên kết (symlink)"
    )


def test_a_big_file_is_a_warning_and_a_huge_one_an_error(collection: Collection) -> None:
    collection.write("khoa/files/lon.pdf", PDF + b"0" * WARN_FILE_BYTES)
    collection.write("khoa/files/qua-lon.pdf", PDF + b"0" * MAX_FILE_BYTES)
    assert messages_for(collection, "[A](files/lon.pdf)\n\n[B](files/qua-lon.pdf)") == [
        "khoa/01-bai.md:8: cảnh báo: tệp `files/lon.pdf` nặng 1,0 MB, quá 1 MB nên tải chậm trên "
        "mạng yếu; hãy thu gọn tệp nếu được",
        "khoa/01-bai.md:10: lỗi: tệp `files/qua-lon.pdf` nặng 5,0 MB, quá giới hạn 5 MB; hãy thu "
        "gọn tệp (bớt trang, nén ảnh trong tệp) hoặc chia thành nhiều tệp",
    ]


def test_size_labels() -> None:
    assert [size_label(n) for n in (1, 10_275, 1023 * 1024, 1024 * 1024, 1_300_000)] == [
        "1 KB",
        "10 KB",
        "1023 KB",
        "1,0 MB",
        "1,2 MB",
    ]


def test_a_zip_bomb_header_is_not_read() -> None:
    """[Content_Types].xml declared larger than any real one is refused before reading."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b" " * 10_000_000)
    assert len(out.getvalue()) < 100_000
    assert sniff(out.getvalue()) is None


def test_the_shipped_practice_file_validates() -> None:
    result = load_collection(SHIPPED)
    assert result.ok
    course = next(c for c in result.courses if c.id == "bang-tinh-bao-cao")
    (practice,) = course.files
    assert (practice.rel_path, practice.kind) == ("files/so-lieu-thuc-hanh.xlsx", "XLSX")
    linking = [
        item.id
        for item in course.items
        if "so-lieu-thuc-hanh.xlsx (XLSX, 10 KB)"
        in (item.html if item.kind == "lesson" else item.intro_html)
    ]
    assert len(linking) == 7
