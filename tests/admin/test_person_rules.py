"""One set of person checks: the admin form, `users create` and the people import accept or
refuse the same input alike, and no path lets an admin make or change a peer."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import User
from tests.webkit import csrf_token, login

HEADER = "username,full_name,unit_code,role,category,email,phone\n"


def _usernames(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(User.username)))


def _role(app, username: str) -> str:
    with app.app_context():
        return db.session.scalar(select(User.role).where(User.username == username))


def _admin_client(app, make_user, username="quantri", unit="27"):
    make_user(username, role="admin", unit=unit)
    client = app.test_client()
    login(client, username)
    return client


def _form_create(client, **fields):
    base = {
        "username": "moi",
        "full_name": "Lê Mới",
        "unit_code": "09163",
        "role": "official",
        "category": "can_bo",
        "csrf_token": csrf_token(client, "/admin/people/new"),
    }
    return client.post("/admin/people/new", data={**base, **fields})


def _import(client, rows: str):
    data = {
        "csrf_token": csrf_token(client, "/admin/import"),
        "file": (io.BytesIO((HEADER + rows).encode()), "ds.csv"),
    }
    return client.post("/admin/import", data=data, content_type="multipart/form-data")


@pytest.mark.parametrize(
    "username, accepted",
    [("an.nguyen", True), ("nguyễn.an", False), ("an nguyen", False), ("", False)],
)
def test_a_username_is_accepted_or_refused_alike_everywhere(
    app, make_user, runner, tmp_path, username, accepted
):
    client = _admin_client(app, make_user)
    form = _form_create(client, username=username)
    assert (form.status_code == 200) is accepted
    if accepted:
        with app.app_context():
            db.session.execute(db.delete(User).where(User.username == username))
            db.session.commit()
    cli = runner.invoke(args=["users", "create", username, "--name", "Lê Mới", "--unit", "09163"])
    assert (cli.exit_code == 0) is accepted, cli.output
    if accepted:
        with app.app_context():
            db.session.execute(db.delete(User).where(User.username == username))
            db.session.commit()
    path = tmp_path / "people.csv"
    path.write_text(HEADER + f"{username},Lê Mới,09163,,,,\n", encoding="utf-8")
    imported = runner.invoke(args=["users", "import", str(path), "--dry-run"])
    assert (imported.exit_code == 0) is accepted, imported.output
    if not accepted:
        message = "Tên đăng nhập" if username else "Tên đăng nhập không được để trống."
        assert message in form.get_data(as_text=True)
        assert message in cli.output and message in imported.output


@pytest.mark.parametrize(
    "field, value, accepted",
    [
        ("email", "an@xa.bacninh.gov.vn", True),
        ("email", "khong-phai-email", False),
        ("phone", "0222 3822 123", True),
        ("phone", "goi-cho-toi", False),
        ("phone", "123", False),
    ],
)
def test_e_mail_and_phone_are_checked_alike_everywhere(
    app, make_user, runner, field, value, accepted
):
    client = _admin_client(app, make_user)
    form = _form_create(client, **{field: value})
    assert (form.status_code == 200) is accepted
    assert ("moi" in _usernames(app)) is accepted
    cli = runner.invoke(
        args=["users", "create", "cli", "--name", "Lê Mới", "--unit", "09163", f"--{field}", value]
    )
    assert (cli.exit_code == 0) is accepted, cli.output
    cells = {"email": "", "phone": "", field: value}
    response = _import(client, f"khac,Lê Khác,09163,,,{cells['email']},{cells['phone']}\n")
    assert (response.status_code == 200) is accepted
    if not accepted:
        assert f"dòng 2, cột {field}:" in response.get_data(as_text=True)


def test_an_import_cannot_change_a_fellow_admin_of_the_same_unit(app, make_user):
    make_user("quantri2", role="admin", unit="27")
    client = _admin_client(app, make_user)
    response = _import(client, "quantri2,Người Khác,27,official,,,\n")
    assert response.status_code == 400
    assert "dòng 2, cột username: Quản trị viên cùng đơn vị" in response.get_data(as_text=True)
    assert _role(app, "quantri2") == "admin"


def test_no_path_makes_a_peer_admin_in_the_admins_own_unit(app, make_user):
    official = make_user("canbo", unit="27")
    client = _admin_client(app, make_user)
    token = csrf_token(client, f"/admin/people/{official.id}")
    promoted = client.post(
        f"/admin/people/{official.id}",
        data={
            "full_name": "Cán Bộ",
            "unit_code": "27",
            "role": "admin",
            "category": "khac",
            "csrf_token": token,
        },
    )
    assert promoted.status_code == 403 and _role(app, "canbo") == "official"
    created = _form_create(client, unit_code="27", role="admin")
    assert created.status_code == 400 and "moi" not in _usernames(app)
    imported = _import(client, "moi2,Người Mới,27,admin,,,\n")
    assert imported.status_code == 400 and "dòng 2, cột role:" in imported.get_data(as_text=True)
    # An admin for a unit below their own is theirs to create.
    assert _form_create(client, unit_code="261", role="admin").status_code == 200
    assert _role(app, "moi") == "admin"
