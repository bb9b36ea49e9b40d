"""The command line, as an administrator uses it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from elearn.clock import utcnow
from elearn.extensions import db
from elearn.models import CourseProgress, LessonCompletion, Unit, User
from tests.coursekit import sync, write_course
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
    first = runner.invoke(args=["demo", "seed", "--before-2025"])
    assert first.exit_code == 0 and "Demo data loaded." in first.output
    second = runner.invoke(args=["demo", "seed"])
    assert "already loaded; unchanged" in second.output
    logins = [line.split() for line in first.output.splitlines() if line.startswith("  ")]
    assert {role for _, _, role in logins} == {"official", "manager", "author", "admin"}
    assert [line.split() for line in second.output.splitlines() if line.startswith("  ")] == logins
    with app.app_context():
        officials = db.session.scalar(
            select(db.func.count()).select_from(User).where(User.username.startswith("sinh"))
        )
        assert officials == 2366  # the province's commune officials in the source article
        assert db.session.scalar(select(User.unit_id).where(User.username == "noivu.tuson"))
    username, password, _ = next(row for row in logins if row[2] == "official")
    client = app.test_client()
    assert login(client, username, password).location == "/"
    assert "Xin chào" in client.get("/").get_data(as_text=True)


def test_the_demo_shows_the_province_after_the_2025_reform_with_a_past_only_history(
    app, runner, tmp_path
):
    write_course(tmp_path / "courses", "an-toan", title="An toàn", required="yes")
    write_course(tmp_path / "courses", "ky-nang", title="Kỹ năng số", required="no")
    with app.app_context():
        sync(tmp_path / "courses")
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        open_units = db.session.scalars(select(Unit).where(Unit.closed_at.is_(None))).all()
        province = next(u for u in open_units if u.parent_id is None)
        assert province.code == "24" and len(open_units) == 100  # 99 communes and wards
        assert all(u.parent_id == province.id for u in open_units if u is not province)
        old = db.session.scalar(select(Unit).where(Unit.code == "27"))
        assert old.closed_at is not None and old.successor_id == province.id
        people = db.session.execute(
            select(User.username, Unit.code).join(Unit, Unit.id == User.unit_id)
        ).all()
        assert all(code != "27" and not code.startswith("26") for _, code in people)
        assert ("canbo.canhhung", "09349") in people  # Cảnh Hưng went into Phật Tích
        now = utcnow()
        rows = db.session.execute(
            select(
                CourseProgress.started_at,
                CourseProgress.completed_at,
                CourseProgress.last_activity_at,
            )
        ).all()
        assert rows and all(
            s <= now and (c is None or c <= now) and last <= now for s, c, last in rows
        )
        assert all(c is None or last >= c for _, c, last in rows)  # never active before completing
        assert all(c is None or s <= c for s, c, _ in rows)
        lessons = db.session.scalar(select(db.func.count()).select_from(LessonCompletion))
        assert (
            lessons > 0
            and db.session.scalar(
                select(db.func.count()).where(LessonCompletion.completed_at > now)
            )
            == 0
        )
    logins = {line.split()[0] for line in result.output.splitlines() if line.startswith("  ")}
    assert {"sonoivu", "quanly.tuson", "quanly.phattich", "canbo.canhhung"} <= logins
    assert "noivu.tuson" not in logins  # no district level any more


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
