"""The command line, as an administrator uses it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Unit, User
from tests.webkit import UNITS_CSV, login


def test_units_import_command(app, runner, tmp_path):
    result = runner.invoke(args=["units", "import", str(UNITS_CSV), "--dry-run"])
    assert result.exit_code == 0 and "would have 135 created" in result.output
    result = runner.invoke(args=["units", "import", str(UNITS_CSV)])
    assert result.exit_code == 0 and "135 created" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,kind,parent_code\n9,Xã Chín,commune,404\n", encoding="utf-8")
    result = runner.invoke(args=["units", "import", str(bad)])
    assert result.exit_code == 1
    assert "row 2, column parent_code: unknown unit 404" in result.output
    assert "nothing was imported" in result.output
    with app.app_context():
        assert db.session.scalar(select(Unit).where(Unit.code == "9")) is None


def test_users_create_prints_a_one_time_password(app, runner, units):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Lan.NT",
            "--name",
            "Nguyễn Thị Lan",
            "--unit",
            "09163",
            "--category",
            "cong chuc",
        ]
    )
    assert result.exit_code == 0, result.output
    password = result.output.split("first sign-in): ")[1].strip()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "lan.nt"))
        assert user.must_change_password and user.category == "cong_chuc"
        assert user.search_name == "nguyen thi lan"
    assert login(app.test_client(), "lan.nt", password).location == "/password"


def test_users_create_reads_a_password_from_stdin(app, runner, units):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "an",
            "--name",
            "Lê An",
            "--unit",
            "27",
            "--role",
            "manager",
            "--password-stdin",
        ],
        input="mot-cau-rat-dai-de-nho-99\n",
    )
    assert result.exit_code == 0, result.output
    assert login(app.test_client(), "an", "mot-cau-rat-dai-de-nho-99").location == "/reports/"


def test_users_create_refuses_bad_input(runner, units):
    cases = [
        (["--unit", "nope"], "Không có đơn vị đang hoạt động mang mã nope"),
        (["--unit", "27", "--category", "giám đốc"], "Phân loại “giám đốc” không hợp lệ"),
    ]
    for extra, message in cases:
        result = runner.invoke(args=["users", "create", "x", "--name", "X Y", *extra])
        assert result.exit_code == 1 and message in result.output
    runner.invoke(args=["users", "create", "dup", "--name", "A B", "--unit", "27"])
    result = runner.invoke(args=["users", "create", "DUP", "--name", "A B", "--unit", "27"])
    assert result.exit_code == 1 and "Tên đăng nhập dup đã có người dùng" in result.output
    weak = runner.invoke(
        args=["users", "create", "yeu", "--name", "A B", "--unit", "27", "--password-stdin"],
        input="ngan\n",
    )  # translated outside any request, in Vietnamese
    assert weak.exit_code == 1 and "Mật khẩu cần ít nhất 12 ký tự" in weak.output


def test_demo_seed_runs_once_and_its_logins_work(app, runner):
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0 and "Demo data loaded." in first.output
    second = runner.invoke(args=["demo", "seed"])
    assert "already loaded; unchanged" in second.output
    logins = [line.split() for line in first.output.splitlines() if line.startswith("  ")]
    assert {role for _, _, role in logins} == {"official", "manager", "author", "admin"}
    assert [line.split() for line in second.output.splitlines() if line.startswith("  ")] == logins
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(User)) == len(logins)
    username, password, _ = next(row for row in logins if row[2] == "official")
    client = app.test_client()
    assert login(client, username, password).location == "/"
    assert "Xin chào" in client.get("/").get_data(as_text=True)


def test_web_workers_leave_out_migrations_and_the_command_line_keeps_them(tmp_path):
    """gunicorn's workers load neither Alembic nor the Markdown renderer (~14 MB each);
    `flask --app wsgi db` still works."""
    import os
    import subprocess
    import sys

    from elearn.paths import PROJECT_DIR

    env = {
        **os.environ,
        "ELEARN_ENV": "development",
        "ELEARN_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
        "ELEARN_SECRET_KEY": "a-test-secret-of-at-least-thirty-two-chars",
    }
    served = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, wsgi; heavy = {'alembic', 'mako', 'markdown', 'pygments', 'nh3'}; "
            "print(sorted(heavy & set(sys.modules)))",
        ],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert served.stdout.strip() == "[]"
    flask = Path(sys.executable).with_name("flask")
    upgraded = subprocess.run(
        [str(flask), "--app", "wsgi", "db", "upgrade"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert upgraded.returncode == 0, upgraded.stderr
    current = subprocess.run(
        [str(flask), "--app", "wsgi", "db", "current"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "(head)" in current.stdout
