"""Unit mergers (the 2025 reform) and the audit log page."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Unit, User
from elearn.paths import DATA_DIR
from tests.webkit import csrf_token, login


def _unit(app, code) -> Unit:
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.code == code))
        db.session.expunge(unit)
        return unit


def test_merge_moves_people_and_keeps_the_closed_units(app, runner, make_user):
    make_user("an", unit="09367")
    make_user("binh", unit="09370")
    result = runner.invoke(args=["units", "merge", "09370", "09373", "--into", "09367"])
    assert result.exit_code == 0, result.output
    assert "Merged 09370, 09373 into 09367; 1 people moved." in result.output
    closed = _unit(app, "09370")
    assert closed.closed_at is not None and closed.successor_id == _unit(app, "09367").id
    with app.app_context():
        binh = db.session.scalar(select(User).where(User.username == "binh"))
        assert binh.unit.code == "09367"


def test_merge_refuses_impossible_requests(runner, make_user):
    make_user("an", unit="09367")
    cases = [
        (["09367", "--into", "09367"], "Không thể sáp nhập đơn vị 09367 vào chính nó"),
        (
            ["261", "--into", "09367"],
            "Không thể sáp nhập 261 vào 09367, vì 09367 nằm bên trong 261",
        ),
        (["256", "--into", "261"], "Đơn vị 256 vẫn còn đơn vị trực thuộc đang hoạt động"),
        (["nope", "--into", "261"], "Không có đơn vị mang mã nope"),
    ]
    for args, message in cases:
        result = runner.invoke(args=["units", "merge", *args])
        assert result.exit_code == 1 and message in result.output, result.output


def test_the_2025_tree_imports_beside_the_old_one(app, runner, make_user):
    make_user("thu", unit="09163")  # old Phường Vũ Ninh, absorbed by the new Vũ Ninh (09169)
    result = runner.invoke(args=["units", "import", str(DATA_DIR / "bac-ninh-units-2025.csv")])
    assert result.exit_code == 0, result.output
    assert "merged" in result.output and "warning:" in result.output
    with app.app_context():
        thu = db.session.scalar(select(User).where(User.username == "thu"))
        assert (thu.unit.code, thu.unit.name, thu.unit.parent.code) == (
            "09169",
            "Phường Vũ Ninh",
            "24",
        )
        old = db.session.scalar(select(Unit).where(Unit.code == "09163"))
        assert old.closed_at is not None and old.successor.code == "09169"
        assert old.parent.code == "256"  # history keeps its old place in the tree


def test_admin_merges_from_the_unit_page(app, make_user):
    make_user("binh", unit="09370")
    make_user("quantri", role="admin", unit="261")
    client = app.test_client()
    login(client, "quantri")
    page = client.get("/admin/units/09367").get_data(as_text=True)
    assert "Sáp nhập đơn vị khác vào Phường Đông Ngàn" in page
    token = csrf_token(client, "/admin/units/09367")
    client.post("/admin/units/09367/merge", data={"csrf_token": token, "merge": ["09370", ""]})
    assert _unit(app, "09370").closed_at is not None
    response = client.post(
        "/admin/units/09367/merge", data={"csrf_token": token, "merge": ["09163"]}
    )
    assert _unit(app, "09163").closed_at is None  # outside this admin's units
    page = client.get(response.location).get_data(as_text=True)
    assert "Đơn vị 09163 không thuộc phạm vi quản lý của anh/chị." in page


def test_audit_log_page_filters_and_exports(app, make_user):
    make_user("an", unit="09367")
    make_user("quantri", role="admin", unit="27")
    learner = app.test_client()
    login(learner, "an", "sai-mat-khau-123")
    login(learner, "an")
    client = app.test_client()
    login(client, "quantri")
    page = client.get("/admin/audit?action=login.failed").get_data(as_text=True)
    assert "login.failed" in page and "1 sự kiện" in page
    exported = client.get("/admin/audit.csv?username=an")
    rows = list(csv.DictReader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert {r["action"] for r in rows} == {"user.created", "login.failed", "login.succeeded"}
    assert client.get("/admin/audit?from=not-a-date").status_code == 400


def test_a_district_admin_sees_only_their_units_events(app, make_user):
    make_user("xa", unit="09163")
    make_user("quantri", role="admin", unit="261")
    login(app.test_client(), "xa")
    client = app.test_client()
    login(client, "quantri")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert ">xa<" not in page and "quantri" in page


def test_audit_dates_out_of_range_are_bad_requests(app, make_user):
    make_user("quantri", role="admin", unit="27")
    client = app.test_client()
    login(client, "quantri")
    assert client.get("/admin/audit?to=9999-12-31").status_code == 400
    assert client.get("/admin/audit.csv?from=0001-01-01").status_code == 400
