"""Publishing the new parts of the format: downloads, the framework, test_out, and the counts."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from sqlalchemy import select

from elearn.content.framework import FRAMEWORK_FILE
from elearn.extensions import db
from elearn.models import Competency, ContentSync, Course, CourseCompetency, CourseItem, MediaFile
from tests.content.contentkit import LESSON, Collection
from tests.coursekit import sync
from tests.webkit import login

SHIPPED = Path(__file__).resolve().parents[2] / "courses"
PRACTICE = SHIPPED / "bang-tinh-bao-cao" / "files" / "so-lieu-thuc-hanh.xlsx"
PDF = b"%PDF-1.4\n%%EOF\n"
QUIZ = "---\nid: kt\ntype: quiz\ntitle: Kiểm tra\n---\n\n## Câu? {#cau}\n\n- [x] Có\n- [ ] Không\n"


def course_md(extra: str = "") -> str:
    return f"---\nid: khoa-hoc\ntitle: Khoá học thử\n{extra}---\n\nGiới thiệu.\n"


def domains_of(slug: str) -> list[str]:
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    return [domain.slug for domain in course.domains]


# Course files on the lesson page and as downloads


def test_the_shipped_practice_file_downloads_from_its_lesson(app, client, make_user) -> None:
    with app.app_context():
        sync(SHIPPED)
    make_user("an")
    login(client, "an")
    page = client.get("/courses/bang-tinh-bao-cao/che-do-bao-cao-nd-09").get_data(as_text=True)
    link = re.search(r'<a href="(/media/[0-9a-f]{64}/so-lieu-thuc-hanh\.xlsx)">([^<]*)</a>', page)
    assert link is not None
    assert link.group(2) == "Tải tệp thực hành so-lieu-thuc-hanh.xlsx (XLSX, 10 KB)"
    client.delete_cookie("session")  # downloads need no session: the hash is the secret
    response = client.get(link.group(1))
    assert response.status_code == 200
    assert response.get_data() == PRACTICE.read_bytes()
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=so-lieu-thuc-hanh.xlsx"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_download_resumes_and_revalidates(app, client) -> None:
    collection = Collection(Path(app.config["COURSES_DIR"]))
    collection.write("khoa/files/mau.pdf", PDF)
    collection.course(**{"01-bai": LESSON + "\n[Mẫu](files/mau.pdf)\n"})
    with app.app_context():
        sync(collection.root)
    url = f"/media/{hashlib.sha256(PDF).hexdigest()}/mau.pdf"
    part = client.get(url, headers={"Range": "bytes=0-3"})
    assert part.status_code == 206 and part.get_data() == b"%PDF"
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_a_download_is_served_only_under_its_own_type(app, client) -> None:
    collection = Collection(Path(app.config["COURSES_DIR"]))
    collection.write("khoa/files/mau.pdf", PDF)
    collection.course(**{"01-bai": LESSON + "\n[Mẫu](files/mau.pdf)\n"})
    with app.app_context():
        sync(collection.root)
    sha = hashlib.sha256(PDF).hexdigest()
    assert client.get(f"/media/{sha}/ten-khac.pdf").status_code == 200
    assert client.get(f"/media/{sha}/mau.html").status_code == 404
    assert client.get(f"/media/{sha}/mau.pdf.exe").status_code == 404
    assert client.get(f"/media/{'0' * 64}/mau.pdf").status_code == 404


def test_vietnamese_file_names_download_under_their_name(app, client) -> None:
    collection = Collection(Path(app.config["COURSES_DIR"]))
    collection.write("khoa/files/Mẫu báo cáo.pdf", PDF)
    collection.course(**{"01-bai": LESSON + "\n[Mẫu](<files/Mẫu báo cáo.pdf>)\n"})
    with app.app_context():
        sync(collection.root)
        html = db.session.scalar(select(CourseItem.html))
    url = re.search(r'href="([^"]+)"', html).group(1)
    response = client.get(url)
    assert response.status_code == 200
    assert (
        "filename*=UTF-8''M%E1%BA%ABu%20b%C3%A1o%20c%C3%A1o.pdf"
        in (response.headers["Content-Disposition"])
    )


def test_a_replaced_file_is_published_under_a_new_url(app, client) -> None:
    """The lesson text is unchanged, yet learners must get the new file."""
    collection = Collection(Path(app.config["COURSES_DIR"]))
    collection.write("khoa/files/mau.pdf", PDF)
    collection.course(**{"01-bai": LESSON + "\n[Mẫu](files/mau.pdf)\n"})
    new = PDF + b"% v2\n"
    with app.app_context():
        sync(collection.root)
        collection.write("khoa/files/mau.pdf", new)
        report = sync(collection.root)
        assert report.updated == ["khoa-hoc", "khoa-hoc/bai-mot"]
        html = db.session.scalar(select(CourseItem.html))
    assert f"/media/{hashlib.sha256(new).hexdigest()}/mau.pdf" in html
    assert client.get(re.search(r'href="([^"]+)"', html).group(1)).get_data() == new


def test_one_course_folder_publishes_its_files_too(app, runner) -> None:
    """`courses sync courses/khoa` reads files relative to the collection, not the folder."""
    collection = Collection(Path(app.config["COURSES_DIR"]))
    collection.write("khoa/files/mau.pdf", PDF)
    collection.course(**{"01-bai": LESSON + "\n[Mẫu](files/mau.pdf)\n"})
    result = runner.invoke(args=["courses", "sync", str(collection.root / "khoa")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.get(MediaFile, hashlib.sha256(PDF).hexdigest()).data == PDF


def test_a_file_swapped_after_validation_publishes_nothing(app, runner, monkeypatch) -> None:
    from elearn.content import sync as sync_module

    collection = Collection(Path(app.config["COURSES_DIR"]))
    path = collection.write("khoa/files/mau.pdf", PDF)
    collection.course(**{"01-bai": LESSON + "\n[Mẫu](files/mau.pdf)\n"})
    real_publish = sync_module.publish

    def swap_then_publish(result, root, **kwargs):
        path.write_bytes(PDF + b"% swapped\n")
        return real_publish(result, root, **kwargs)

    monkeypatch.setattr(sync_module, "publish", swap_then_publish)
    result = runner.invoke(args=["courses", "sync", str(collection.root)])
    assert result.exit_code == 1
    assert "khoa/files/mau.pdf:1: lỗi: tệp đã thay đổi trong lúc xuất bản" in result.output
    with app.app_context():
        assert db.session.scalars(select(Course)).all() == []
        assert db.session.scalars(select(MediaFile)).all() == []


# The competency framework and test_out


def test_domains_and_each_course_s_domains_are_published(app) -> None:
    collection = Collection(Path(app.config["COURSES_DIR"]))
    extra = "competencies: an-toan, du-lieu-thong-tin\ntest_out: yes\n"
    collection.course(course_md=course_md(extra), **{"01-bai": LESSON, "02-kt": QUIZ})
    with app.app_context():
        report = sync(collection.root)
        rows = db.session.scalars(select(Competency).order_by(Competency.position)).all()
        assert [(d.slug, d.position) for d in rows][:2] == [
            ("du-lieu-thong-tin", 1),
            ("giao-tiep-hop-tac", 2),
        ]
        assert rows[5].name == "Ứng dụng trí tuệ nhân tạo"
        assert report.domains["added"] == [d.slug for d in rows]
        assert domains_of("khoa-hoc") == ["du-lieu-thong-tin", "an-toan"]
        assert db.session.scalar(select(Course.test_out)) is True


def test_renaming_reordering_and_removing_domains(app) -> None:
    collection = Collection(Path(app.config["COURSES_DIR"]))
    collection.course(course_md=course_md("competencies: an-toan\n"), **{"01-bai": LESSON})
    framework = collection.root / FRAMEWORK_FILE
    with app.app_context():
        sync(collection.root)
        framework.write_text(
            "- an-toan: An toàn thông tin\n- du-lieu-thong-tin: Khai thác dữ liệu\n", "utf-8"
        )
        report = sync(collection.root)
        assert report.domains == {
            "added": [],
            "updated": ["an-toan", "du-lieu-thong-tin"],
            "retired": ["giao-tiep-hop-tac", "sang-tao-noi-dung", "giai-quyet-van-de"]
            + ["tri-tue-nhan-tao"],
        }
        published = db.session.execute(
            select(Competency.slug, Competency.name)
            .where(Competency.status == "published")
            .order_by(Competency.position)
        ).all()
        assert published == [
            ("an-toan", "An toàn thông tin"),
            ("du-lieu-thong-tin", "Khai thác dữ liệu"),
        ]
        assert domains_of("khoa-hoc") == ["an-toan"]


def test_a_course_s_domains_follow_its_competencies_line(app) -> None:
    collection = Collection(Path(app.config["COURSES_DIR"]))
    collection.course(course_md=course_md("competencies: an-toan\n"), **{"01-bai": LESSON})
    with app.app_context():
        sync(collection.root)
        collection.write("khoa/course.md", course_md("competencies: giai-quyet-van-de, an-toan\n"))
        sync(collection.root)
        assert domains_of("khoa-hoc") == ["an-toan", "giai-quyet-van-de"]
        collection.write("khoa/course.md", course_md())
        sync(collection.root)
        assert domains_of("khoa-hoc") == []


def test_unchanged_courses_get_their_domains_on_the_first_sync_after_upgrade(app) -> None:
    """Courses published before the framework existed are linked although their hash is equal."""
    collection = Collection(Path(app.config["COURSES_DIR"]))
    collection.course(course_md=course_md("competencies: an-toan\n"), **{"01-bai": LESSON})
    with app.app_context():
        sync(collection.root)
        db.session.execute(CourseCompetency.__table__.delete())
        db.session.commit()
        assert sync(collection.root).unchanged == ["khoa-hoc", "khoa-hoc/bai-mot"]
        assert domains_of("khoa-hoc") == ["an-toan"]


def test_an_unknown_domain_publishes_nothing(app, runner) -> None:
    collection = Collection(Path(app.config["COURSES_DIR"]))
    collection.course(course_md=course_md("competencies: an-toan\n"), **{"01-bai": LESSON})
    collection.course(
        "khac",
        course_md=course_md("competencies: ky-nang-mem\n").replace("khoa-hoc", "khac"),
        **{"01-bai": LESSON},
    )
    result = runner.invoke(args=["courses", "sync", str(collection.root)])
    assert result.exit_code == 1
    assert "khac/course.md:4: lỗi: năng lực `ky-nang-mem` không có trong khung năng lực" in (
        result.output
    )
    with app.app_context():
        assert db.session.scalars(select(Competency)).all() == []
        assert db.session.scalars(select(Course)).all() == []


def test_the_shipped_collection_publishes_its_six_domains(app) -> None:
    with app.app_context():
        sync(SHIPPED)
        counts = dict(
            db.session.execute(
                select(Competency.slug, db.func.count(CourseCompetency.course_id))
                .join(CourseCompetency, CourseCompetency.competency_id == Competency.id)
                .group_by(Competency.slug)
            ).all()
        )
    assert set(counts) == {
        "du-lieu-thong-tin",
        "giao-tiep-hop-tac",
        "sang-tao-noi-dung",
        "an-toan",
        "giai-quyet-van-de",
        "tri-tue-nhan-tao",
    }
    assert counts["an-toan"] == 10


# Counting in one unit


def test_validate_counts_every_course_folder_broken_ones_included(app, runner) -> None:
    collection = Collection(Path(app.config["COURSES_DIR"]))
    collection.course(**{"01-bai": LESSON})
    collection.course("hong", course_md=course_md().replace("khoa-hoc", "Hỏng"))
    collection.write("thieu/01-bai.md", LESSON)
    result = runner.invoke(args=["courses", "validate", str(collection.root)])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "3 course folder(s) read, 1 valid, 2 with errors: 2 error(s), 0 warning(s)."
    )


def test_sync_and_the_authors_page_count_courses_and_items_apart(
    app, client, runner, make_user
) -> None:
    collection = Collection(Path(app.config["COURSES_DIR"]))
    collection.course(**{"01-bai": LESSON, "02-kt": QUIZ})
    shutil.copytree(collection.root / "khoa", collection.root / "hai")
    collection.write("hai/course.md", course_md().replace("khoa-hoc", "hai"))
    first = runner.invoke(args=["courses", "sync", str(collection.root)])
    assert "added: 2 course(s), 4 item(s): hai, hai/bai-mot, hai/kt, khoa-hoc" in first.output
    collection.write("hai/01-bai.md", LESSON.replace("một.", "một, đã sửa."))
    second = runner.invoke(args=["courses", "sync", str(collection.root)])
    assert "updated: 1 course(s), 1 item(s): hai, hai/bai-mot\n" in second.output
    assert "unchanged: 1 course(s), 3 item(s)\n" in second.output
    make_user("tac-gia", role="author")
    login(client, "tac-gia")
    page = client.get("/author/").get_data(as_text=True)
    assert "Học viên đang học được: 2 khoá học, 4 bài" in page
    assert "Sửa: 1 khoá học, 1 bài" in page and "Giữ nguyên: 1 khoá học, 3 bài" in page
    assert "<td>An toàn</td><td><code>an-toan</code></td><td>0</td>" in page
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(ContentSync)) == 2
