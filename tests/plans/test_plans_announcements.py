"""Announcements: admins post to a subtree of their own; people there see them until dismissed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from elearn.clock import utcnow
from elearn.extensions import db
from elearn.models import Announcement, AnnouncementDismissal, AuditEvent, Unit
from tests.webkit import days, form_token

TITLE = "Họp giao ban tháng 12"


def _post(client, **fields):
    token = form_token(client.get("/admin/announcements").get_data(as_text=True))
    data = {"csrf_token": token, "unit": "261", "title": TITLE, "body": "Lúc 8 giờ.", **fields}
    return client.post("/admin/announcements", data=data)


def _announcements(app) -> list[Announcement]:
    with app.app_context():
        return list(db.session.scalars(select(Announcement)))


def _add(app, unit: str, title: str, **fields) -> int:
    with app.app_context():
        row = Announcement(
            unit=db.session.scalar(select(Unit).where(Unit.code == unit)), title=title, **fields
        )
        db.session.add(row)
        db.session.commit()
        return row.id


def test_only_admins_post_announcements(app, sign_in):
    for role in ("official", "manager", "author"):
        client = sign_in(f"u-{role}", role=role, unit="27")
        assert client.get("/admin/announcements").status_code == 403
        token = form_token(client.get("/").get_data(as_text=True))
        data = {"csrf_token": token, "unit": "27", "title": TITLE}
        assert client.post("/admin/announcements", data=data).status_code == 403
    assert _announcements(app) == []


def test_an_admin_posts_to_a_unit_of_their_subtree(app, sign_in, today):
    client = sign_in("qt-tuson", role="admin", unit="261")
    expiry = today + days(7)
    response = _post(client, unit="09367", expires_on=expiry.isoformat())
    assert response.status_code == 302
    page = client.get("/admin/announcements").get_data(as_text=True)
    assert "Đã đăng thông báo cho Phường Đông Ngàn" in page
    assert TITLE in page and f"hiện đến hết ngày {expiry.strftime('%d/%m/%Y')}" in page
    [row] = _announcements(app)
    assert row.body == "Lúc 8 giờ."
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "announcement.created")
        )
        assert event.target == "09367" and event.detail["title"] == TITLE


def test_outside_the_subtree_without_csrf_or_with_bad_input_nothing_is_posted(app, sign_in, today):
    client = sign_in("qt-tuson", role="admin", unit="261")
    for code in ("256", "27"):
        response = _post(client, unit=code)
        assert response.status_code == 403
        assert f"Đơn vị {code} không thuộc phạm vi quản lý" in response.get_data(as_text=True)
    token_less = {"unit": "261", "title": TITLE}
    assert client.post("/admin/announcements", data=token_less).status_code == 400
    page = _post(client, title="x" * 201)
    assert page.status_code == 200 and "Tiêu đề dài quá 200 ký tự" in page.get_data(as_text=True)
    assert "Anh/chị hãy nhập tiêu đề" in _post(client, title="   ").get_data(as_text=True)
    page = _post(client, expires_on=(today - days(1)).isoformat()).get_data(as_text=True)
    assert "Ngày này đã qua" in page
    assert "Không có đơn vị mã 00000" in _post(client, unit="00000").get_data(as_text=True)
    assert _announcements(app) == []


def test_people_of_the_subtree_see_it_escaped_and_others_do_not(app, sign_in):
    admin = sign_in("qt", role="admin", unit="27")
    _post(admin, unit="261", title="<b>Họp</b>", body="Dòng 1\n<script>alert(1)</script>")
    inside = sign_in("dongngan", unit="09367").get("/").get_data(as_text=True)
    assert "&lt;b&gt;Họp&lt;/b&gt;" in inside
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in inside and "<script>" not in inside
    outside = sign_in("vuninh", unit="09163").get("/").get_data(as_text=True)
    assert "Họp" not in outside
    _post(admin, unit="27", title="Cả tỉnh")
    assert "Cả tỉnh" in sign_in("vuninh2", unit="09163").get("/").get_data(as_text=True)


def test_dismissing_hides_it_for_that_person_only(app, sign_in):
    announcement = _add(app, "261", TITLE, body="")
    first = sign_in("an", unit="09367")
    second = sign_in("binh", unit="09370")
    page = first.get("/").get_data(as_text=True)
    assert TITLE in page
    url = f"/announcements/{announcement}/dismiss"
    assert first.get(url).status_code == 405  # GET never changes anything
    assert first.post(url, data={}).status_code == 400  # no CSRF token
    assert TITLE in first.get("/").get_data(as_text=True)
    response = first.post(url, data={"csrf_token": form_token(page)})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert first.post(url, data={"csrf_token": form_token(page)}).status_code == 302  # again
    assert TITLE not in first.get("/").get_data(as_text=True)
    assert TITLE in second.get("/").get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(AnnouncementDismissal)).all()) == 1


def test_an_announcement_that_does_not_reach_someone_cannot_be_dismissed_by_them(app, sign_in):
    elsewhere = _add(app, "256", TITLE)
    client = sign_in("an", unit="09367")
    token = form_token(client.get("/").get_data(as_text=True))
    assert (
        client.post(f"/announcements/{elsewhere}/dismiss", data={"csrf_token": token}).status_code
        == 404
    )
    assert (
        client.post("/announcements/999999/dismiss", data={"csrf_token": token}).status_code == 404
    )


def test_expired_and_taken_down_announcements_are_not_shown(app, sign_in):
    _add(app, "27", "Đã hết hạn", expires_at=utcnow() - timedelta(minutes=1))
    current = _add(app, "27", "Còn hạn", expires_at=utcnow() + timedelta(days=1))
    official = sign_in("an", unit="09367")
    page = official.get("/").get_data(as_text=True)
    assert "Còn hạn" in page and "Đã hết hạn" not in page

    district_admin = sign_in("qt-tuson", role="admin", unit="261")
    token = form_token(district_admin.get("/admin/announcements").get_data(as_text=True))
    end = f"/admin/announcements/{current}/end"
    assert district_admin.post(end, data={"csrf_token": token}).status_code == 403  # posted above

    admin = sign_in("qt", role="admin", unit="27")
    token = form_token(admin.get("/admin/announcements").get_data(as_text=True))
    assert admin.post(end, data={"csrf_token": token}).status_code == 302
    assert "Còn hạn" not in official.get("/").get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert actions.count("announcement.ended") == 1
