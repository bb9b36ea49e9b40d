"""Overdue officials in reports: counted per child unit on the dashboard, listed per unit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Course, Unit
from elearn.plans.overdue import overdue_officials, overdue_summary
from tests.coursekit import OPTIONAL, REQUIRED
from tests.webkit import days, login

# username → unit, category, progress
PEOPLE = {
    "dn1": ("09367", "can_bo", "done"),
    "dn2": ("09367", "cong_chuc", "started"),
    "dn3": ("09367", "can_bo", None),
    "ts1": ("09370", "cong_chuc", None),
    "vn1": ("09163", "can_bo", None),
}


@pytest.fixture
def late(app, courses, make_user, assign, finish, today):
    """The optional course was due five days ago for the whole province."""
    for username, (unit, category, progress) in PEOPLE.items():
        make_user(username, unit=unit, category=category, full_name=f"Người {username}")
        if progress == "done":
            finish(username)
        elif progress == "started":
            finish(username, REQUIRED)  # progress elsewhere does not count
    make_user("gone", unit="09163", active=False)
    make_user("xss", unit="09370", full_name="<script>alert(1)</script>")
    make_user("ql", role="manager", unit="27", full_name="Quản Lý Tỉnh")
    make_user("ql-tuson", role="manager", unit="261", full_name="Quản Lý Từ Sơn")
    assign(OPTIONAL, "27", due=today - days(5))
    assign(OPTIONAL, "256", due=today + days(30))  # a later date does not excuse anyone
    assign(REQUIRED, "261", due=today - days(1), category="can_bo")
    return today


def _summary(app, unit: str, course: str, today):
    with app.app_context():
        unit_row = db.session.scalar(select(Unit).where(Unit.code == unit))
        course_row = db.session.scalar(select(Course).where(Course.slug == course))
        return overdue_summary(unit_row, course_row, today=today)


def test_overdue_counts_per_child_unit(app, late):
    summary = _summary(app, "27", OPTIONAL, late)
    # dn2, dn3, xss, ts1 (Từ Sơn); vn1 (Bắc Ninh); dn1 finished; managers are not counted.
    assert summary.has_deadlines and summary.total == 5
    assert summary.by_child == {"261": 4, "256": 1}
    summary = _summary(app, "261", REQUIRED, late)
    # dn1, dn3 and xss (an official, so a cán bộ): the assignment is for cán bộ only.
    assert (summary.total, summary.by_child) == (3, {"09367": 2, "09370": 1})
    assert _summary(app, "256", REQUIRED, late).has_deadlines is False


def test_nobody_is_overdue_on_the_due_date_itself(app, late):
    assert _summary(app, "27", OPTIONAL, late - days(5)).total == 0
    assert _summary(app, "27", OPTIONAL, late - days(4)).total == 5


def test_the_dashboard_shows_overdue_counts_with_links(app, late):
    client = app.test_client()
    login(client, "ql")
    page = client.get(f"/reports/units/27?course={OPTIONAL}").get_data(as_text=True)
    assert "Cán bộ quá hạn hoàn thành" in page
    assert "Đã qua hạn hoàn thành mà chưa học xong: 5 người." in page
    assert f'href="/reports/units/27/overdue?course={OPTIONAL}"' in page
    assert f'href="/reports/units/261/overdue?course={OPTIONAL}">4 người<' in page
    page = client.get(f"/reports/units/256?course={REQUIRED}").get_data(as_text=True)
    assert "Cán bộ quá hạn hoàn thành" not in page  # no dated assignment reaches it


def test_the_overdue_list_of_a_unit(app, late):
    client = app.test_client()
    login(client, "ql-tuson")
    response = client.get(f"/reports/units/261/overdue?course={OPTIONAL}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for username in ("dn2", "dn3", "ts1"):
        assert f"Người {username}" in page
    assert "Người dn1" not in page and "Người vn1" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert (late - days(5)).strftime("%d/%m/%Y") in page
    assert "Đang học" not in page  # progress in another course is not progress in this one
    assert client.get(f"/reports/units/256/overdue?course={OPTIONAL}").status_code == 403
    assert client.get("/reports/units/261/overdue?course=khong-co").status_code == 404
    assert client.get(f"/reports/units/261/overdue?course={OPTIONAL}&page=x").status_code == 400


def test_the_overdue_list_is_for_managers_and_admins(app, late, sign_in):
    official = sign_in("an", unit="261")
    assert official.get(f"/reports/units/261/overdue?course={OPTIONAL}").status_code == 403
    assert app.test_client().get("/reports/units/261/overdue").status_code == 302


def test_overdue_officials_pages_and_statuses(app, late, finish):
    finish("dn2")  # now completed: no longer overdue
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.code == "27"))
        course = db.session.scalar(select(Course).where(Course.slug == OPTIONAL))
        rows, total = overdue_officials(unit, course, page=1, per_page=4, today=late)
        more, _ = overdue_officials(unit, course, page=2, per_page=4, today=late)
    assert total == 4 and len(rows) == 4 and len(more) == 0
    names = {r.username for r in rows + more}
    assert names == {"dn3", "ts1", "vn1", "xss"}  # managers ("khác") are not listed
    assert all(r.due_date == late - days(5) and not r.started for r in rows + more)
