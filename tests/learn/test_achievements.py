"""The digital-skills passport and the "Thành tích của tôi" page: the coverage rule, what to
take next, certificates with their PDF, courses completed on time, and the unit's rank."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.clock import local_today
from elearn.extensions import db
from elearn.learn.achievements import achievements
from elearn.models import Course, CourseItem, User
from elearn.plans.assignments import create_assignment
from elearn.progress import passport, recording
from tests.coursekit import right_answers, sync, write_course
from tests.webkit import login


@pytest.fixture
def collection(app, course_root):
    """Three courses tagged with domains of the default framework; tri-tue-nhan-tao and
    sang-tao-noi-dung have no course at all."""
    write_course(course_root, "an-toan", title="An toàn", competencies="an-toan", required="no")
    write_course(
        course_root,
        "du-lieu",
        title="Dữ liệu",
        competencies="du-lieu-thong-tin, giai-quyet-van-de",
        required="no",
    )
    write_course(
        course_root,
        "giao-tiep",
        title="Giao tiếp",
        competencies="giao-tiep-hop-tac, an-toan",
        required="yes",
    )
    with app.app_context():
        sync(course_root)


def _user(name: str = "an") -> User:
    return db.session.scalar(select(User).where(User.username == name))


def _complete(user: User, slug: str) -> None:
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    items = db.session.scalars(select(CourseItem).where(CourseItem.course_id == course.id))
    for item in items:
        if item.kind == "lesson":
            recording.complete_lesson(user, item)
        else:
            attempt = recording.start_attempt(user, item)
            recording.submit_attempt(user, attempt, item, right_answers(attempt, item))


def test_a_domain_is_covered_by_completing_one_course_tagged_with_it(app, collection, make_user):
    make_user("an", unit="09163", category="can_bo")
    with app.app_context():
        user = _user()
        before = passport.passport(user)
        assert before.covered == 0 and before.total == 6
        _complete(user, "an-toan")
        after = passport.passport(user)
        covered = {d.slug for d in after.domains if d.covered}
        assert covered == {"an-toan"}
        (safety,) = [d for d in after.domains if d.slug == "an-toan"]
        assert [c.slug for c in safety.courses_done] == ["an-toan"]


def test_what_to_take_next_covers_uncovered_domains(app, collection, make_user):
    make_user("an", unit="09163", category="can_bo")
    with app.app_context():
        user = _user()
        _complete(user, "an-toan")
        found = passport.passport(user)
        by_slug = {d.slug: d for d in found.domains}
        assert by_slug["giao-tiep-hop-tac"].suggestion.slug == "giao-tiep"
        assert by_slug["du-lieu-thong-tin"].suggestion.slug == "du-lieu"
        assert by_slug["tri-tue-nhan-tao"].suggestion is None  # no course covers it
        assert by_slug["an-toan"].suggestion is None  # covered
        # Both remaining courses add two domains... du-lieu adds two uncovered, giao-tiep one.
        assert found.next_course.slug == "du-lieu"


def test_a_course_begun_is_suggested_first(app, collection, make_user):
    make_user("an", unit="09163", category="can_bo")
    with app.app_context():
        user = _user()
        lesson = db.session.scalar(
            select(CourseItem)
            .join(Course)
            .where(Course.slug == "giao-tiep", CourseItem.slug == "otp")
        )
        recording.complete_lesson(user, lesson)
        assert passport.passport(user).next_course.slug == "giao-tiep"


def test_on_time_means_completed_by_the_plans_due_date(app, collection, make_user):
    make_user("an", unit="09163", category="can_bo")
    make_user("admin", unit="27", role="admin", category="khac")
    due = local_today() + timedelta(days=5)
    with app.app_context():
        admin = _user("admin")
        create_assignment(admin, "an-toan", "09163", due_date=due)
        create_assignment(admin, "du-lieu", "09163", due_date=due)
        db.session.commit()
        user = _user()
        _complete(user, "an-toan")
        _complete(user, "giao-tiep")  # required, no due date: no deadline to meet
        found = achievements(user)
        assert {c.course.slug for c in found.certificates} == {"an-toan", "giao-tiep"}
        assert [o.course.slug for o in found.on_time] == ["an-toan"]
        done = found.on_time[0].completed_on
        assert done in (local_today(), local_today() - timedelta(days=1))  # Vietnam's date
        db.session.commit()
    client = app.test_client()
    login(client, "an")
    section = client.get("/achievements").text.split('id="on-time-title"')[1].split("</section>")[0]
    assert f"An toàn: hoàn thành ngày {done:%d/%m/%Y}, hạn {due:%d/%m/%Y}" in section
    assert "Chưa có khoá học" not in section and "Dữ liệu" not in section


def test_a_course_completed_after_its_due_date_is_not_on_time(app, collection, make_user):
    make_user("an", unit="09163", category="can_bo")
    make_user("admin", unit="27", role="admin", category="khac")
    with app.app_context():
        admin = _user("admin")
        create_assignment(
            admin,
            "an-toan",
            "09163",
            due_date=local_today() - timedelta(days=1),
            today=local_today() - timedelta(days=10),
        )
        db.session.commit()
        user = _user()
        _complete(user, "an-toan")
        assert achievements(user).on_time == []


def test_the_page_lists_certificates_with_their_pdf_the_passport_and_the_rank(
    app, client, collection, make_user
):
    make_user("an", unit="09163", category="can_bo", full_name="Nguyễn Văn An")
    make_user("binh", unit="09166", category="can_bo")
    with app.app_context():
        _complete(_user(), "giao-tiep")
        db.session.commit()
        code = achievements(_user()).certificates[0].code
    login(client, "an")
    page = client.get("/achievements").get_data(as_text=True)
    assert f'href="/certificates/{code}.pdf"' in page
    assert f'href="/certificates/{code}"' in page
    assert "Giao tiếp và hợp tác trong môi trường số" in page
    assert "Đã đạt 2/6 lĩnh vực" in page
    assert "xếp thứ 1/2 trong" in page and "về khoá học bắt buộc" in page
    assert client.get(f"/certificates/{code}.pdf").mimetype == "application/pdf"
    passport_page = client.get("/passport").get_data(as_text=True)
    assert "Đã đạt 2/6 lĩnh vực" in passport_page
    home = client.get("/").get_data(as_text=True)
    assert 'href="/achievements"' in home and 'href="/passport"' in home


def test_the_pages_need_a_sign_in(client):
    assert client.get("/achievements").status_code == 302
    assert client.get("/passport").status_code == 302
