"""Assigning courses: who may, to which units, and what officials then see on their home page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.errors import ElearnError, Forbidden
from elearn.extensions import db
from elearn.models import Assignment, AuditEvent, Course, User
from elearn.plans.assignments import assignments_for, create_assignment
from tests.coursekit import OPTIONAL, REQUIRED
from tests.webkit import days, form_token


def _form(client, **fields) -> dict[str, str]:
    token = form_token(client.get("/admin/assignments").get_data(as_text=True))
    return {"csrf_token": token, "course": OPTIONAL, "unit": "261", **fields}


def _assignments(app) -> list[Assignment]:
    with app.app_context():
        return list(db.session.scalars(select(Assignment)))


def test_only_admins_open_the_assignment_page(app, courses, sign_in):
    for role in ("official", "manager", "author"):
        client = sign_in(f"u-{role}", role=role, unit="27")
        assert client.get("/admin/assignments").status_code == 403
        token = form_token(client.get("/").get_data(as_text=True))
        response = client.post(
            "/admin/assignments", data={"csrf_token": token, "course": OPTIONAL, "unit": "27"}
        )
        assert response.status_code == 403
    assert app.test_client().get("/admin/assignments").status_code == 302  # to sign-in
    assert _assignments(app) == []


def test_an_admin_assigns_a_course_with_a_due_date(app, courses, sign_in, today):
    client = sign_in("qt-tuson", role="admin", unit="261")
    page = client.get("/admin/assignments").get_data(as_text=True)
    assert 'name="csrf_token"' in page and "Từ Sơn" in page
    due = today + days(30)
    response = client.post("/admin/assignments", data=_form(client, due_date=due.isoformat()))
    assert response.status_code == 302
    page = client.get("/admin/assignments").get_data(as_text=True)
    assert "Đã giao khoá học" in page and due.strftime("%d/%m/%Y") in page
    [row] = _assignments(app)
    assert (row.due_date, row.category, row.active) == (due, None, True)
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "assignment.created")
        )
        assert event.target == "261" and event.detail["course"] == OPTIONAL
        assert event.detail["due_date"] == due.isoformat()


def test_a_date_typed_by_hand_is_read_day_first(app, courses, sign_in, today):
    client = sign_in("qt", role="admin", unit="27")
    due = today + days(3)
    client.post("/admin/assignments", data=_form(client, due_date=due.strftime("%d/%m/%Y")))
    assert [a.due_date for a in _assignments(app)] == [due]


def test_a_unit_outside_the_admins_subtree_is_forbidden(app, courses, sign_in):
    client = sign_in("qt-tuson", role="admin", unit="261")
    for code in ("256", "09163", "27"):  # a sibling, its commune, the parent
        response = client.post("/admin/assignments", data=_form(client, unit=code))
        assert response.status_code == 403
        assert f"Đơn vị {code} không thuộc phạm vi quản lý" in response.get_data(as_text=True)
    assert _assignments(app) == []


def test_bad_input_is_explained_and_nothing_is_written(app, courses, sign_in, today):
    client = sign_in("qt", role="admin", unit="27")
    past = (today - days(1)).isoformat()
    page = client.post("/admin/assignments", data=_form(client, due_date=past))
    assert page.status_code == 200 and "Ngày này đã qua" in page.get_data(as_text=True)
    page = client.post("/admin/assignments", data=_form(client, unit="99999"))
    assert "Không có đơn vị mã 99999" in page.get_data(as_text=True)
    page = client.post("/admin/assignments", data=_form(client, course="khong-co"))
    assert page.status_code == 200
    page = client.post("/admin/assignments", data=_form(client, category="khac"))
    assert page.status_code == 200
    assert _assignments(app) == []


def test_a_post_without_its_csrf_token_is_refused(app, courses, sign_in):
    client = sign_in("qt", role="admin", unit="27")
    data = _form(client)
    del data["csrf_token"]
    assert client.post("/admin/assignments", data=data).status_code == 400
    assert _assignments(app) == []


def test_deactivating_an_assignment(app, courses, sign_in, assign):
    inside, outside = assign(unit="09367"), assign(unit="256")
    client = sign_in("qt-tuson", role="admin", unit="261")
    token = form_token(client.get("/admin/assignments").get_data(as_text=True))
    assert client.get(f"/admin/assignments/{inside}/deactivate").status_code == 405
    url = f"/admin/assignments/{outside}/deactivate"
    assert client.post(url, data={"csrf_token": token}).status_code == 403
    missing = "/admin/assignments/999999/deactivate"
    assert client.post(missing, data={"csrf_token": token}).status_code == 404
    url = f"/admin/assignments/{inside}/deactivate"
    assert client.post(url, data={}).status_code == 400
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    assert {a.id: a.active for a in _assignments(app)} == {inside: False, outside: True}
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert actions.count("assignment.deactivated") == 1


def test_the_service_refuses_what_the_form_would(app, courses, make_user, today):
    make_user("qt", role="admin", unit="261")
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "qt"))
        with pytest.raises(Forbidden):
            create_assignment(admin, OPTIONAL, "256")
        yesterday = (today - days(1)).strftime("%d/%m/%Y")
        with pytest.raises(ElearnError, match=f"Hạn hoàn thành {yesterday} đã qua"):
            create_assignment(admin, OPTIONAL, "261", due_date=today - days(1))
        with pytest.raises(ElearnError, match="không phải “khac”"):
            create_assignment(admin, OPTIONAL, "261", category="khac")
        create_assignment(admin, OPTIONAL, "261", category="can_bo", due_date=today, today=today)
        db.session.commit()


# What officials see ---------------------------------------------------------------------------


def test_officials_see_due_dates_and_assigned_courses_first(app, courses, sign_in, assign, today):
    due = today + days(10)
    assign(unit="261", due=due)
    inside = sign_in("dongngan", unit="09367")
    page = inside.get("/").get_data(as_text=True)
    assert f"Hạn hoàn thành: {due.strftime('%d/%m/%Y')}" in page
    assert "Quá hạn" not in page and "Được giao" in page
    assert "Bài tiếp theo: Mật khẩu mạnh — An toàn thông tin" in page  # the dated one first
    cards = page.split("Khoá học của anh/chị")[1]
    assert cards.index("An toàn thông tin") < cards.index("Dịch vụ công trực tuyến")

    outside = sign_in("vuninh", unit="09163")
    page = outside.get("/").get_data(as_text=True)
    assert "Hạn hoàn thành" not in page and "Được giao" not in page
    assert "Bài tiếp theo: Mật khẩu mạnh — Dịch vụ công trực tuyến" in page
    cards = page.split("Khoá học của anh/chị")[1]
    assert cards.index("Dịch vụ công trực tuyến") < cards.index("An toàn thông tin")


def test_a_passed_due_date_is_marked_until_the_course_is_completed(
    app, courses, sign_in, assign, finish, today
):
    due = today - days(2)
    assign(unit="27", due=due)
    client = sign_in("an", unit="09163")
    page = client.get("/").get_data(as_text=True)
    assert f"Hạn hoàn thành: {due.strftime('%d/%m/%Y')}" in page
    assert "Quá hạn" in page
    finish("an")
    page = client.get("/").get_data(as_text=True)
    assert "Quá hạn" not in page and "Đã hoàn thành" in page


def test_a_category_only_assignment_reaches_that_category_only(
    app, courses, sign_in, assign, today
):
    due = today + days(5)
    assign(unit="261", due=due, category="can_bo")
    shown = f"Hạn hoàn thành: {due.strftime('%d/%m/%Y')}"
    can_bo = sign_in("canbo", unit="09370", category="can_bo")
    cong_chuc = sign_in("congchuc", unit="09370", category="cong_chuc")
    assert shown in can_bo.get("/").get_data(as_text=True)
    assert shown not in cong_chuc.get("/").get_data(as_text=True)


def test_assignments_for_takes_the_earliest_due_date_and_counts_required_courses(
    app, courses, make_user, assign, today
):
    make_user("an", unit="09367", category="cong_chuc")
    assign(unit="27", due=today + days(20))
    assign(unit="261", due=today + days(9))
    assign(unit="09367", due=None)
    assign(unit="09367", due=today + days(1), active=False)  # stopped
    assign(unit="09367", due=today + days(2), category="can_bo")  # another category
    assign(unit="09370", due=today + days(3))  # a neighbouring commune
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "an"))
        ids = dict(db.session.execute(select(Course.slug, Course.id)).all())
        found = assignments_for(user, today=today)
    assert set(found) == {ids[OPTIONAL], ids[REQUIRED]}
    assert found[ids[OPTIONAL]].due_date == today + days(9)
    assert not found[ids[OPTIONAL]].overdue
    assert found[ids[REQUIRED]].due_date is None and not found[ids[REQUIRED]].overdue
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "an"))
        later = assignments_for(user, today=today + days(10))
    assert later[ids[OPTIONAL]].overdue
