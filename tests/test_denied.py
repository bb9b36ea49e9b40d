"""Denied requests (403) are audited and logged, at most thirty an hour per actor, and the
audit page names them in Vietnamese; cookies and HSTS follow the deployment."""

from __future__ import annotations

import logging

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import AuditEvent
from tests.webkit import csrf_token, login


def _denied_events(app) -> list[AuditEvent]:
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "access.denied").order_by(AuditEvent.id)
        ).all()
        for event in events:
            _ = event.actor.username if event.actor else None
        db.session.expunge_all()
        return list(events)


def test_a_denied_request_is_audited_and_logged(app, make_user, caplog):
    official = make_user("an", unit="09163")
    client = app.test_client()
    login(client, "an")
    with caplog.at_level(logging.WARNING, logger="elearn.web"):
        assert client.get("/admin/people?q=x").status_code == 403
    (event,) = _denied_events(app)
    assert event.actor_id == official.id
    assert event.target == "/admin/people?q=x"
    assert event.detail["unit"] == "09163" and event.detail["method"] == "GET"
    assert "access denied: GET /admin/people?q=x by an (unit 09163)" in caplog.text


def test_a_scan_writes_thirty_lines_an_hour_not_one_per_request(app, make_user, caplog):
    make_user("an", unit="09163")
    client = app.test_client()
    login(client, "an")
    with caplog.at_level(logging.WARNING, logger="elearn.web"):
        for n in range(60):
            assert client.get(f"/admin/people/{n + 1}").status_code == 403
    events = _denied_events(app)
    assert len(events) == 30
    assert events[-1].detail.get("more") == "not recorded"
    assert caplog.text.count("access denied") == 30
    assert "further denials this hour are not recorded" in caplog.text
    other = app.test_client()  # the limit is per actor: another account is still audited
    make_user("binh", unit="09163")
    login(other, "binh")
    other.get("/admin/")
    assert len(_denied_events(app)) == 31


def test_the_audit_page_names_denied_requests_in_vietnamese(app, make_user):
    make_user("an", unit="09163")
    make_user("quantri", role="admin", unit="27")
    official = app.test_client()
    login(official, "an")
    official.get("/reports/")
    admin = app.test_client()
    login(admin, "quantri")
    page = admin.get("/admin/audit?action=access.denied").get_data(as_text=True)
    assert "Bị từ chối truy cập" in page and "/reports/" in page and "đơn vị 09163" in page


def test_the_language_cookie_is_secure_in_production(make_app):
    app = make_app(ENV="production")
    client = app.test_client()
    token = csrf_token(client)
    response = client.post("/language", data={"lang": "en", "csrf_token": token})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=en") and "Secure" in cookie and "HttpOnly" in cookie


def test_hsts_for_a_year_when_the_public_url_is_https(make_app):
    secure = make_app(PUBLIC_URL="https://hoc.bacninh.gov.vn").test_client()
    assert secure.get("/login").headers["Strict-Transport-Security"] == "max-age=31536000"
    plain = make_app(PUBLIC_URL="http://127.0.0.1:5000").test_client()
    assert "Strict-Transport-Security" not in plain.get("/login").headers
