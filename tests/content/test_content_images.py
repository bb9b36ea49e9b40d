"""Images: only files inside the course folder, real images, reasonably small, described."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from elearn.content.loader import load_collection, load_course
from tests.content.contentkit import PNG, Collection


def lesson_with(body: str) -> str:
    return f"---\nid: bai\ntitle: Bài\n---\n\nMở đầu.\n\n{body}\n"


def messages_for(collection: Collection, body: str) -> list[str]:
    collection.course(**{"01-bai": lesson_with(body)})
    return collection.messages()


def test_image_is_served_through_image_url(collection: Collection) -> None:
    collection.write("khoa/images/dang-nhap.png", PNG)
    collection.course(
        **{"01-bai": lesson_with("![Màn hình đăng nhập](images/dang-nhap.png)")},
    )
    result = load_collection(collection.root, image_url=lambda cid, rel: f"/anh/{cid}/{rel}")
    assert result.problems == ()
    course = result.courses[0]
    lesson = course.items[0]
    assert lesson.html == (
        '<p>Mở đầu.</p>\n<p><img alt="Màn hình đăng nhập" loading="lazy" '
        'src="/anh/khoa-hoc/images/dang-nhap.png"></p>'
    )
    assert lesson.images == ("images/dang-nhap.png",)
    (image,) = course.images
    assert image.rel_path == "images/dang-nhap.png"
    assert image.sha256 == hashlib.sha256(PNG).hexdigest()
    assert image.size == len(PNG)


def test_default_image_url_is_a_placeholder(collection: Collection) -> None:
    collection.write("khoa/images/a.png", PNG)
    collection.course(**{"01-bai": lesson_with("![Ảnh](./images/a.png)")})
    html = collection.load().courses[0].items[0].html
    assert 'src="/media/khoa-hoc/images/a.png"' in html


def test_images_in_course_intro_and_quiz_are_collected(collection: Collection) -> None:
    for name in ("a", "b", "c", "d"):
        collection.write(f"khoa/images/{name}.png", PNG + name.encode())
    course_md = "---\nid: khoa-hoc\ntitle: Khoá\n---\n\n![A](images/a.png)\n"
    quiz = (
        "---\nid: kt\ntype: quiz\ntitle: KT\n---\n\n![B](images/b.png)\n\n"
        "## Câu? {#cau}\n\n![C](images/c.png)\n\n- [x] Có\n- [ ] Không\n\n"
        "Giải thích: ![D](images/d.png)\n"
    )
    collection.course(course_md=course_md, **{"01-kt": quiz})
    result = collection.load()
    assert result.problems == ()
    assert [i.rel_path for i in result.courses[0].images] == [f"images/{n}.png" for n in "abcd"]


def test_image_hash_changes_course_hash(collection: Collection) -> None:
    collection.write("khoa/images/a.png", PNG)
    collection.course(**{"01-bai": lesson_with("![Ảnh](images/a.png)")})
    before = collection.load().courses[0].content_hash
    collection.write("khoa/images/a.png", PNG + b"changed")
    assert collection.load().courses[0].content_hash != before


def test_missing_image(collection: Collection) -> None:
    assert messages_for(collection, "Dòng trên\n![Ảnh](images/khong-co.png)") == [
        "khoa/01-bai.md:9: lỗi: không tìm thấy ảnh `images/khong-co.png` trong thư mục khoá "
        "học; hãy kiểm tra tên tệp (phân biệt chữ hoa, chữ thường) và đuôi tệp (.png, .jpg)"
    ]


def test_image_name_case_must_match(collection: Collection) -> None:
    collection.write("khoa/images/Anh.png", PNG)
    assert messages_for(collection, "![Ảnh](images/anh.png)") == [
        "khoa/01-bai.md:8: lỗi: không tìm thấy ảnh `images/anh.png` trong thư mục khoá học; "
        "hãy kiểm tra tên tệp (phân biệt chữ hoa, chữ thường) và đuôi tệp (.png, .jpg)"
    ]


@pytest.mark.parametrize(
    "src", ["../khac/images/a.png", "images/../../a.png", "images/%2e%2e/%2e%2e/a.png"]
)
def test_parent_paths_are_refused(collection: Collection, src: str) -> None:
    assert messages_for(collection, f"![Ảnh]({src})") == [
        f"khoa/01-bai.md:8: lỗi: đường dẫn ảnh `{src}` có `..` trỏ ra ngoài thư mục khoá học; "
        "hãy đặt ảnh vào thư mục images/ của khoá học và viết images/ten-anh.png"
    ]


@pytest.mark.parametrize("src", ["/etc/passwd.png", "C:\\Anh\\a.png", "\\anh\\a.png"])
def test_absolute_paths_are_refused(collection: Collection, src: str) -> None:
    assert messages_for(collection, f"![Ảnh](<{src}>)") == [
        f"khoa/01-bai.md:8: lỗi: đường dẫn ảnh `{src}` là đường dẫn tuyệt đối; hãy dùng đường "
        "dẫn tính từ thư mục khoá học, ví dụ: images/ten-anh.png"
    ]


@pytest.mark.parametrize(
    "src",
    [
        "https://example.com/a.png",
        "http://example.com/a.png",
        "//example.com/a.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "file:///etc/a.png",
    ],
)
def test_images_from_elsewhere_are_refused(collection: Collection, src: str) -> None:
    messages = messages_for(collection, f"![Ảnh]({src})")
    assert messages == [
        f"khoa/01-bai.md:8: lỗi: ảnh `{src}` lấy từ nơi khác; chỉ dùng ảnh nằm trong thư mục "
        "khoá học: hãy tải ảnh về, đặt vào thư mục images/ rồi viết ![mô tả](images/ten-anh.png)"
    ]


def test_refused_image_leaves_no_course(collection: Collection) -> None:
    collection.course(**{"01-bai": lesson_with("![Ảnh](https://example.com/a.png)")})
    course, problems = load_course(collection.root / "khoa", collection.root)
    assert course is None
    assert [p.line for p in problems] == [8]


def test_symlink_out_of_course_is_refused(collection: Collection, tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    (collection.root / "khoa" / "images").mkdir(parents=True)
    os.symlink(secret, collection.root / "khoa" / "images" / "a.png")
    assert messages_for(collection, "![Ảnh](images/a.png)") == [
        "khoa/01-bai.md:8: lỗi: ảnh `images/a.png` là liên kết (symlink), không phải tệp thật; "
        "hãy chép tệp ảnh thật vào thư mục images/"
    ]


def test_symlinked_images_folder_out_of_course_is_refused(
    collection: Collection, tmp_path: Path
) -> None:
    (tmp_path / "ngoai").mkdir()
    (tmp_path / "ngoai" / "a.png").write_bytes(PNG)
    (collection.root / "khoa").mkdir()
    os.symlink(tmp_path / "ngoai", collection.root / "khoa" / "images")
    assert messages_for(collection, "![Ảnh](images/a.png)")[0].startswith(
        "khoa/01-bai.md:8: lỗi: ảnh `images/a.png` là liên kết (symlink), không phải tệp thật"
    )


def test_symlink_inside_course_is_refused_too(collection: Collection) -> None:
    collection.write("khoa/images/that.png", PNG)
    os.symlink("that.png", collection.root / "khoa" / "images" / "ten-khac.png")
    assert messages_for(collection, "![Ảnh](images/ten-khac.png)") == [
        "khoa/01-bai.md:8: lỗi: ảnh `images/ten-khac.png` là liên kết (symlink), không phải tệp "
        "thật; hãy chép tệp ảnh thật vào thư mục images/"
    ]


@pytest.mark.parametrize("name", ["a.svg", "a.bmp", "a.html"])
def test_only_raster_image_types(collection: Collection, name: str) -> None:
    collection.write(f"khoa/images/{name}", b"<svg onload=alert(1)>")
    assert messages_for(collection, f"![Ảnh](images/{name})") == [
        f"khoa/01-bai.md:8: lỗi: ảnh `images/{name}` không dùng được: chỉ nhận ảnh .png, .jpg, "
        ".jpeg, .gif hoặc .webp; hãy lưu lại ảnh dạng PNG hoặc JPG"
    ]


def test_file_must_really_be_an_image(collection: Collection) -> None:
    collection.write("khoa/images/a.png", b"<html><script>alert(1)</script>")
    assert messages_for(collection, "![Ảnh](images/a.png)") == [
        "khoa/01-bai.md:8: lỗi: tệp `images/a.png` không phải ảnh PNG thật; hãy mở ảnh bằng "
        "Paint rồi lưu lại dạng PNG hoặc JPG"
    ]


def test_large_image_is_a_warning(collection: Collection) -> None:
    collection.write("khoa/images/lon.png", PNG + b"\x00" * (300 * 1024))
    assert messages_for(collection, "![Ảnh lớn](images/lon.png)") == [
        "khoa/01-bai.md:8: cảnh báo: ảnh `images/lon.png` nặng 301 KB, quá 300 KB nên tải chậm "
        "trên mạng yếu; hãy thu nhỏ hoặc nén ảnh"
    ]
    assert collection.load().ok


def test_missing_alt_text_is_a_warning(collection: Collection) -> None:
    collection.write("khoa/images/a.png", PNG)
    assert messages_for(collection, "Xem ảnh:\n\n![](images/a.png)") == [
        "khoa/01-bai.md:10: cảnh báo: ảnh `images/a.png` chưa có mô tả; hãy viết mô tả ngắn "
        "trong ngoặc vuông, ví dụ: ![Màn hình đăng nhập](images/dang-nhap.png)"
    ]


def test_every_broken_image_is_reported_on_its_line(collection: Collection) -> None:
    body = "![A](images/x.png)\n\nchữ\n\n![B](images/y.png)\n\n![A lần nữa](images/x.png)"
    lines = [m.split(": lỗi")[0] for m in messages_for(collection, body)]
    assert lines == ["khoa/01-bai.md:8", "khoa/01-bai.md:12", "khoa/01-bai.md:14"]
