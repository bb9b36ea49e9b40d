"""People: imports from the command line and the admin pages, and account changes."""

from __future__ import annotations

import csv
import io
import re
import unicodedata

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import AuditEvent, User
from tests.webkit import csrf_token, login, shows_sign_in

HEADER = "username,full_name,unit_code,role,category,email\n"


def _users(app) -> dict[str, User]:
    with app.app_context():
        return {u.username: u for u in db.session.scalars(select(User))}


def _write(tmp_path, text: str, name="people.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_cli_import_creates_accounts_with_one_time_passwords(app, runner, units, tmp_path):
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    path = _write(
        tmp_path,
        "\ufeffusername;full_name;unit_code;role;category;email\r\n"
        f"anh.nt;{nfd};09163;;Công chức;anh@example.org\r\n"
        "quan.tv;Trần Văn Quân;261;quản lý;can bo;\r\n",
    )
    out = tmp_path / "passwords.csv"
    result = runner.invoke(args=["users", "import", str(path), "--passwords-out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 new, 0 changed, 0 unchanged" in result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert list(rows[0]) == ["Tên đăng nhập", "Họ và tên", "Mã đơn vị", "Mật khẩu dùng một lần"]
    assert [r["Tên đăng nhập"] for r in rows] == ["anh.nt", "quan.tv"]
    users = _users(app)
    assert users["anh.nt"].full_name == "Nguyễn Thị Ánh"  # stored in NFC
    assert users["anh.nt"].category == "cong_chuc" and users["quan.tv"].role == "manager"
    client = app.test_client()
    assert login(client, "anh.nt", rows[0]["Mật khẩu dùng một lần"]).location == "/password"


def test_roles_and_categories_are_read_as_a_unit_s_staff_write_them(app, runner, units, tmp_path):
    """Role and category in Vietnamese, with or without diacritics, as the README lists them."""
    rows = {
        "a1": ("Cán bộ quản lý", "Cán bộ", "manager", "can_bo"),
        "a2": ("quan ly", "cong chuc", "manager", "cong_chuc"),
        "a3": ("Cán bộ, công chức", "công chức", "official", "cong_chuc"),
        "a4": ("", "", "official", "khac"),
        "a5": ("Biên soạn nội dung", "Khác", "author", "khac"),
        "a6": ("Quản trị viên", "khac", "admin", "khac"),
        "a7": ("manager", "can_bo", "manager", "can_bo"),
    }
    text = "username;full_name;unit_code;role;category\n" + "".join(
        f"{name};Người {name};261;{role};{category}\n"
        for name, (role, category, _, _) in rows.items()
    )
    out = tmp_path / "p.csv"
    result = runner.invoke(
        args=["users", "import", str(_write(tmp_path, text)), "--passwords-out", str(out)]
    )
    assert result.exit_code == 0, result.output
    users = _users(app)
    assert {name: (users[name].role, users[name].category) for name in rows} == {
        name: (role, category) for name, (_, _, role, category) in rows.items()
    }


def test_reimport_updates_moves_and_renames(app, runner, units, tmp_path):
    first = _write(tmp_path, HEADER + "an,Lê An,09163,,,\n")
    runner.invoke(args=["users", "import", str(first), "--passwords-out", str(tmp_path / "p")])
    second = _write(
        tmp_path, HEADER + "an,Lê Văn An,09367,manager,,\nmoi,Người Mới,27,,,\n", "second.csv"
    )
    dry = runner.invoke(args=["users", "import", str(second), "--dry-run"])
    assert "1 new, 1 changed, 0 unchanged" in dry.output
    assert "moi" not in _users(app)
    runner.invoke(args=["users", "import", str(second), "--passwords-out", str(tmp_path / "q")])
    an = _users(app)["an"]
    assert (an.full_name, an.role) == ("Lê Văn An", "manager")
    with app.app_context():
        assert db.session.get(User, an.id).unit.code == "09367"


def test_bad_rows_are_all_reported_and_nothing_is_written(app, runner, units, tmp_path):
    path = _write(
        tmp_path,
        HEADER
        + "an,Lê An,09163,,,\n"
        + "an,Lê An Hai,09163,,,\n"
        + "binh,,09163,,,\n"
        + "chi,Hà Chi,99999,,,\n"
        + "dung,Vũ Dung,09163,giám đốc,,\n"
        + "em,Trần Em,09163,,bảo vệ,\n"
        + "Tên Có Dấu,X Y,09163,,,\n",
    )
    result = runner.invoke(
        args=["users", "import", str(path), "--passwords-out", str(tmp_path / "p")]
    )
    assert result.exit_code == 1
    for message in (
        "row 3, column username: an đã có ở dòng 2.",
        "row 4, column full_name: Họ và tên phải có từ 1 đến 200 ký tự.",
        "row 5, column unit_code: Không có đơn vị đang hoạt động mang mã 99999.",
        "row 6, column role: Vai trò “giám đốc” không hợp lệ",
        "row 7, column category: Phân loại “bảo vệ” không hợp lệ",
        "row 8, column username: Tên đăng nhập “Tên Có Dấu” không hợp lệ",
    ):
        assert message in result.output
    assert "nothing was imported" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_file_that_is_not_a_table_is_refused(runner, units, tmp_path):
    path = tmp_path / "people.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(200)))
    result = runner.invoke(args=["users", "import", str(path)])
    assert result.exit_code == 1 and "không phải tệp Excel .xlsx hợp lệ" in result.output


def _admin(app, make_user, unit="261"):
    make_user("quantri", role="admin", unit=unit)
    client = app.test_client()
    login(client, "quantri")
    return client


def test_admin_pages_are_for_admins_only(app, make_user):
    make_user("ql", role="manager", unit="27")
    client = app.test_client()
    login(client, "ql")
    for path in ("/admin/", "/admin/people", "/admin/import", "/admin/units", "/admin/audit"):
        assert client.get(path).status_code == 403


def test_upload_preview_confirm_and_passwords_once(app, make_user, tmp_path):
    client = _admin(app, make_user)
    token = csrf_token(client, "/admin/import")
    data = {
        "csrf_token": token,
        "file": (io.BytesIO((HEADER + "moi,Người Mới,09367,,,\n").encode()), "ds.csv"),
    }
    preview = client.post("/admin/import", data=data, content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Tài khoản mới: 1" in page
    assert "moi" not in _users(app)  # nothing written before confirmation
    apply_url = re.search(r'action="(/admin/import/\w+/apply)"', page).group(1)
    done = client.post(apply_url, data={"csrf_token": token}).get_data(as_text=True)
    assert "Tạo mới 1" in done and "moi" in _users(app)
    download_url = re.search(r'action="(/admin/import/\w+/passwords)"', done).group(1)
    first = client.post(download_url, data={"csrf_token": token})
    assert first.mimetype == "text/csv" and b"moi" in first.data
    second = client.post(download_url, data={"csrf_token": token})
    assert second.status_code == 302  # given once only


def test_admins_cannot_import_people_outside_their_units(app, make_user):
    client = _admin(app, make_user, unit="261")
    token = csrf_token(client, "/admin/import")
    data = {
        "csrf_token": token,
        "file": (io.BytesIO((HEADER + "xa,Người Xa,09163,,,\n").encode()), "ds.csv"),
    }
    response = client.post("/admin/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert (
        "dòng 2, cột unit_code: Đơn vị 09163 không thuộc phạm vi quản lý của anh/chị."
        in response.get_data(as_text=True)
    )


def _edit(client, user_id, **fields):
    token = csrf_token(client, f"/admin/people/{user_id}")
    base = {
        "full_name": "Lê An",
        "unit_code": "09367",
        "role": "official",
        "category": "khac",
        "csrf_token": token,
    }
    return client.post(f"/admin/people/{user_id}", data={**base, **fields})


def test_role_change_takes_effect_at_the_next_request(app, make_user):
    person = make_user("an", unit="09367")
    client = _admin(app, make_user)
    learner = app.test_client()
    login(learner, "an")
    assert learner.get("/reports/").status_code == 403
    assert _edit(client, person.id, role="manager").status_code == 302
    assert learner.get("/reports/").status_code == 302  # now allowed: off to their unit
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.updated"))
        assert event.target == "an" and "role" in event.detail["fields"]


def test_admins_cannot_reach_outside_their_subtree(app, make_user):
    outsider = make_user("xa", unit="09163")
    inside = make_user("an", unit="09367")
    client = _admin(app, make_user, unit="261")
    assert client.get(f"/admin/people/{outsider.id}").status_code == 403
    response = _edit(client, inside.id, unit_code="09163")
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(User, inside.id).unit.code == "09367"
    listed = client.get("/admin/people").get_data(as_text=True)
    assert f"/admin/people/{inside.id}" in listed  # the page does list people
    assert f"/admin/people/{outsider.id}" not in listed and ">xa<" not in listed


def test_deactivation_and_password_reset_end_sessions(app, make_user):
    person = make_user("an", unit="09367")
    client = _admin(app, make_user)
    learner = app.test_client()
    login(learner, "an")
    token = csrf_token(client, f"/admin/people/{person.id}")
    page = client.post(
        f"/admin/people/{person.id}/reset-password", data={"csrf_token": token}
    ).get_data(as_text=True)
    password = re.search(r'id="otp" value="([^"]+)"', page).group(1)
    assert shows_sign_in(learner.get("/"))
    assert login(learner, "an", password).location == "/password"
    client.post(f"/admin/people/{person.id}/active", data={"csrf_token": token, "active": "0"})
    assert learner.get("/password").status_code == 302
    assert "ngừng hoạt động" in login(app.test_client(), "an", password).get_data(as_text=True)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("unit_code", "99999", "Không có đơn vị đang hoạt động mang mã 99999."),
        (
            "role",
            "vua",
            "Vai trò “vua” không hợp lệ; hãy viết một trong các vai trò: cán bộ, công chức "
            "(official); quản lý (manager); biên soạn nội dung (author); quản trị (admin) (để "
            "trống là cán bộ, công chức).",
        ),
        ("phone", "9" * 40, "“Điện thoại” dài quá 30 ký tự."),
        ("full_name", "   ", "Họ và tên phải có từ 1 đến 200 ký tự."),
    ],
)
def test_bad_edits_are_refused_kindly(app, make_user, field, value, message):
    person = make_user("an", unit="09367")
    client = _admin(app, make_user)
    response = _edit(client, person.id, **{field: value})
    assert response.status_code == 400
    assert f'<p class="flash flash-error" role="alert">{message}</p>' in response.get_data(
        as_text=True
    )


def test_refusals_speak_the_admins_language(app, make_user):
    admin = make_user("quantri", role="admin", unit="261")
    client = app.test_client()
    login(client, "quantri")
    page = _edit(client, admin.id, role="official").get_data(as_text=True)
    assert "Anh/chị không thể tự đổi vai trò hay đơn vị của mình" in page
    client.set_cookie("lang", "en")
    page = _edit(client, admin.id, role="official").get_data(as_text=True)
    assert "You cannot change your own role or unit; ask another administrator." in page


def test_an_admin_cannot_change_themselves_by_import_or_blank_names(app, make_user):
    admin = make_user("quantri", role="admin", unit="261")
    person = make_user("an", unit="09367")
    client = app.test_client()
    login(client, "quantri")
    token = csrf_token(client, "/admin/import")
    data = {
        "csrf_token": token,
        "file": (io.BytesIO((HEADER + "quantri,Quản Trị,09367,official,,\n").encode()), "ds.csv"),
    }
    response = client.post("/admin/import", data=data, content_type="multipart/form-data")
    assert (
        response.status_code == 400
        and "Đây là tài khoản của chính anh/chị" in response.get_data(as_text=True)
    )
    assert _edit(client, person.id, full_name="   ").status_code == 400
    assert _edit(client, person.id, phone="9" * 40).status_code == 400
    assert _users(app)["quantri"].role == "admin" and admin.id


def test_an_admin_cannot_take_over_a_fellow_admin_of_the_same_unit(app, make_user):
    other = make_user("quantri2", role="admin", unit="261")
    client = _admin(app, make_user, unit="261")
    assert client.get(f"/admin/people/{other.id}").status_code == 403
    token = csrf_token(client, "/admin/people")
    assert (
        client.post(
            f"/admin/people/{other.id}/reset-password", data={"csrf_token": token}
        ).status_code
        == 403
    )
    make_user("tinh", role="admin", unit="27")
    above = app.test_client()
    login(above, "tinh")
    assert above.get(f"/admin/people/{other.id}").status_code == 200


def test_import_records_who_changed_whom(app, runner, units, tmp_path):
    first = _write(tmp_path, HEADER + "an,Lê An,09163,,,\n")
    runner.invoke(args=["users", "import", str(first), "--passwords-out", str(tmp_path / "p")])
    second = _write(tmp_path, HEADER + "an,Lê An,09367,manager,,\n", "second.csv")
    runner.invoke(args=["users", "import", str(second)])
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.updated"))
        assert event.target == "an" and event.detail["role"] == "manager"
        assert event.detail["unit"] == "09367" and "unit_id" in event.detail["fields"]
