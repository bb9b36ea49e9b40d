"""Import problems, one-time password files and audit actions in the reader's language."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from elearn.audit import ACTION_LABELS, action_label
from tests.webkit import csrf_token, login

HEADER = "username,full_name,unit_code,role,category,email\n"
PACKAGE = Path(__file__).resolve().parents[2] / "elearn"


def _admin(app, make_user, unit="261"):
    make_user("quantri", role="admin", unit=unit)
    client = app.test_client()
    login(client, "quantri")
    return client


def _upload(client, text: str):
    data = {
        "csrf_token": csrf_token(client, "/admin/import"),
        "file": (io.BytesIO(text.encode()), "ds.csv"),
    }
    return client.post("/admin/import", data=data, content_type="multipart/form-data")


BAD_ROWS = HEADER + "an,An,09367,,,\nan,An Hai,09367,,,\nxa,Người Xa,09163,,,\n"


def test_import_problems_are_framed_in_vietnamese_on_the_admin_page(app, make_user):
    page = _upload(_admin(app, make_user), BAD_ROWS).get_data(as_text=True)
    assert "dòng 3, cột username: an đã có ở dòng 2." in page
    assert "dòng 4, cột unit_code: Đơn vị 09163 không thuộc phạm vi quản lý" in page
    assert "row " not in page and "column" not in page


def test_import_problems_are_in_english_for_an_english_reader(app, make_user):
    client = _admin(app, make_user)
    client.set_cookie("lang", "en")
    page = _upload(client, BAD_ROWS).get_data(as_text=True)
    assert "row 3, column username: an is already on row 2." in page
    assert "row 4, column unit_code: Unit 09163 is outside your units." in page
    header_only = _upload(client, HEADER).get_data(as_text=True)
    assert "The file has a header row but no people." in header_only
    missing = _upload(client, "username,full_name\nan,An\n").get_data(as_text=True)
    assert "row 1: missing column(s) unit_code" in missing


def test_the_command_line_keeps_the_contract_frame(runner, units, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(BAD_ROWS, encoding="utf-8")
    result = runner.invoke(args=["users", "import", str(path)])
    assert result.exit_code == 1
    assert "row 3, column username: an đã có ở dòng 2." in result.output


def test_the_one_time_password_file_speaks_the_admins_language(app, make_user):
    client = _admin(app, make_user)
    client.set_cookie("lang", "en")
    preview = _upload(client, HEADER + "moi,Người Mới,09367,,,\n").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', preview).group(1)
    apply_url = re.search(r'action="(/admin/import/\w+/apply)"', preview).group(1)
    done = client.post(apply_url, data={"csrf_token": token}).get_data(as_text=True)
    download = re.search(r'action="(/admin/import/\w+/passwords)"', done).group(1)
    body = client.post(download, data={"csrf_token": token}).data.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(body)))
    assert header == ["Username", "Full name", "Unit code", "One-time password"]


def _recorded_actions() -> set[str]:
    """Every action code the application records, read from its source."""
    actions: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        actions |= set(re.findall(r'audit\.record\(\s*"([a-z_]+\.[a-z_]+)"', source))
        actions |= set(re.findall(r'"action": "([a-z_]+\.[a-z_]+)"', source))
    return actions


def test_every_recorded_action_has_a_label():
    recorded = _recorded_actions()
    assert len(recorded) >= 20
    assert recorded - set(ACTION_LABELS) == set()
    assert action_label("something.new") == "something.new"  # unknown: its code, not a crash


def test_the_audit_log_shows_actions_in_the_readers_language(app, make_user):
    client = _admin(app, make_user)  # signing in records login.succeeded
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Đã đăng nhập <span" in page
    assert '<option value="login.succeeded" >Đã đăng nhập</option>' in page
    client.set_cookie("lang", "en")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Signed in <span" in page
