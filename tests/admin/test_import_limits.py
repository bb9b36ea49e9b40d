"""People files are bounded: each limit refuses a hostile file quickly, with a message naming
the limit, in bounded memory, and no upload is left on the server whatever happens."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder

from elearn.admin.people_import import plan_import
from elearn.errors import ImportProblem
from elearn.extensions import db
from elearn.models import User
from elearn.paths import PROJECT_DIR
from tests.admin import hostile_files
from tests.admin.hostile_files import WITHIN_LIMITS
from tests.webkit import csrf_token, login

MEMORY_BOUND_MB = 50


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """Every hostile file, built once: name → (path, words its refusal must contain)."""
    folder = tmp_path_factory.mktemp("hostile")
    return {
        name: (build(folder / f"{name}{suffix}"), words)
        for name, (build, suffix, words) in hostile_files.HOSTILE.items()
    }


@pytest.mark.parametrize("name", list(hostile_files.HOSTILE))
def test_each_limit_refuses_its_file_in_under_two_seconds(app, units, hostile, name):
    path, words = hostile[name]
    with app.app_context():
        start = time.perf_counter()
        with pytest.raises(ImportProblem) as refused:
            plan_import(path)
        elapsed = time.perf_counter() - start
    (message,) = refused.value.problems
    assert words in str(message)
    assert elapsed < 2, f"{name} took {elapsed:.2f} s"


def test_a_file_that_lies_about_its_size_is_read_as_it_is(app, units, tmp_path):
    path = hostile_files.declared_size_lie(tmp_path / "lie.xlsx")  # hung a worker for 30 s
    with app.app_context():
        start = time.perf_counter()
        with pytest.raises(ImportProblem) as refused:
            plan_import(path)
        assert time.perf_counter() - start < 2
    assert "row 2, column unit_code" in str(refused.value.problems[0])


def test_refusals_say_how_to_split_the_file(app, units, hostile):
    with app.app_context():
        for name in ("endless_rows", "oversized_csv"):
            with pytest.raises(ImportProblem) as refused:
                plan_import(hostile[name][0])
            assert (
                "chia" in refused.value.problems[0] and "dòng tiêu đề" in refused.value.problems[0]
            )


def test_a_worker_stays_within_its_memory_on_every_hostile_file(
    app, make_user, hostile, database_url, tmp_path
):
    make_user("quantri", role="admin", unit="27")
    good_csv = tmp_path / "good.csv"
    good_csv.write_text("username,full_name,unit_code\nan,Nguyễn Văn An,09163\n", "utf-8")
    good_xlsx = hostile_files.workbook(tmp_path / "good.xlsx")
    config = {
        "TESTING": True,
        "ENV": "development",
        "DATABASE_URL": database_url,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "INSTANCE_PATH": str(tmp_path / "probe-instance"),
    }
    within = [build(tmp_path / f"{name}.xlsx") for name, build in WITHIN_LIMITS.items()]
    files = [good_csv, good_xlsx, *(path for path, _ in hostile.values()), *within]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.admin.memory_probe",
            json.dumps(config),
            "quantri",
            *map(str, files),
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report = json.loads(result.stdout)
    assert set(report) == {path.name for path in files[2:]}
    for path in files[2:]:
        figures = report[path.name]
        expected = {200} if path in within else {400, 413}
        assert figures["status"] in expected, (path.name, figures)
        assert figures["growth_kb"] < MEMORY_BOUND_MB * 1024, (path.name, figures)
    kept = list((tmp_path / "probe-instance" / "uploads").iterdir())
    assert len(kept) == 2 + len(within)  # refused files are gone; good previews wait


def _post_file(client, name: str, body: bytes):
    """Upload through the form; the request body is closed here (werkzeug's test client
    leaves a large one open)."""
    token = csrf_token(client, "/admin/import")
    builder = EnvironBuilder(
        path="/admin/import",
        method="POST",
        data={"csrf_token": token, "file": (io.BytesIO(body), name)},
        content_type="multipart/form-data",
    )
    environ = builder.get_environ()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()


@pytest.fixture
def admin_client(app, make_user):
    make_user("quantri", role="admin", unit="27")
    client = app.test_client()
    login(client, "quantri")
    return client


def _uploads(app) -> list[Path]:
    folder = Path(app.instance_path) / "uploads"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_an_overlong_csv_cell_is_a_message_not_a_crash_and_leaves_nothing(
    app, admin_client, hostile
):
    path, words = hostile["long_csv_cell"]
    response = _post_file(admin_client, "ds.csv", path.read_bytes())
    assert response.status_code == 400
    assert words in response.get_data(as_text=True)
    assert _uploads(app) == []


def test_a_file_over_the_size_limit_is_refused_while_it_is_saved(app, admin_client, hostile):
    path, words = hostile["oversized_csv"]
    response = _post_file(admin_client, "ds.csv", path.read_bytes())
    assert response.status_code == 413 and words in response.get_data(as_text=True)
    assert _uploads(app) == []


def test_an_upload_is_private_while_it_waits_and_gone_once_applied(app, admin_client):
    body = "username,full_name,unit_code\nmoi,Người Mới,09163\n".encode()
    preview = _post_file(admin_client, "ds.csv", body)
    assert preview.status_code == 200
    (waiting,) = _uploads(app)
    assert stat.S_IMODE(waiting.stat().st_mode) == 0o600
    assert stat.S_IMODE(waiting.parent.stat().st_mode) == 0o700
    token = csrf_token(admin_client, "/admin/import")
    apply_url = f"/admin/import/{waiting.stem}/apply"
    assert admin_client.post(apply_url, data={"csrf_token": token}).status_code == 200
    (passwords,) = _uploads(app)  # only the one-time passwords, until downloaded
    assert passwords.suffix == ".passwords"
    assert stat.S_IMODE(passwords.stat().st_mode) == 0o600


def test_an_upload_refused_at_apply_is_removed(app, admin_client, make_user):
    body = "username,full_name,unit_code\nmoi,Người Mới,09163\n".encode()
    _post_file(admin_client, "ds.csv", body)
    (waiting,) = _uploads(app)
    make_user("moi", unit="27", role="admin")  # meanwhile 'moi' became a fellow admin
    token = csrf_token(admin_client, "/admin/import")
    response = admin_client.post(f"/admin/import/{waiting.stem}/apply", data={"csrf_token": token})
    assert response.status_code == 400
    assert _uploads(app) == []


def test_an_upload_is_removed_when_the_import_crashes(app, admin_client, monkeypatch):
    def crash(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("elearn.admin.views.plan_import", crash)  # no file makes it crash
    response = _post_file(admin_client, "ds.csv", b"username,full_name,unit_code\n")
    assert response.status_code == 500
    assert _uploads(app) == []


def test_previews_nobody_applied_are_removed_after_an_hour(app, admin_client):
    body = "username,full_name,unit_code\nmoi,Người Mới,09163\n".encode()
    _post_file(admin_client, "ds.csv", body)
    (old,) = _uploads(app)
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    _post_file(admin_client, "ds.csv", body)
    assert old not in _uploads(app) and len(_uploads(app)) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1  # the admin


def _import(admin_client, app, username: str) -> Path:
    """Preview and apply a one-person file; return the one-time passwords it leaves."""
    body = f"username,full_name,unit_code\n{username},Người Mới,09163\n".encode()
    before = set(_uploads(app))
    _post_file(admin_client, "ds.csv", body)
    (waiting,) = set(_uploads(app)) - before
    token = csrf_token(admin_client, "/admin/import")
    apply_url = f"/admin/import/{waiting.stem}/apply"
    assert admin_client.post(apply_url, data={"csrf_token": token}).status_code == 200
    (passwords,) = set(_uploads(app)) - before
    return passwords


def test_one_time_passwords_nobody_downloaded_are_removed_after_an_hour(app, admin_client):
    old = _import(admin_client, app, "moi")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    fresh = _import(admin_client, app, "moi2")  # its upload cleans up what is stale
    assert old.suffix == fresh.suffix == ".passwords"
    assert _uploads(app) == [fresh]
    _post_file(admin_client, "ds.csv", b"username,full_name,unit_code\n")
    assert fresh in _uploads(app), "a list waiting less than an hour stays"
    token = csrf_token(admin_client, "/admin/import")
    gone = admin_client.post(
        f"/admin/import/{old.stem}/passwords", data={"csrf_token": token}, follow_redirects=True
    )
    assert "quá một giờ mà không ai tải" in gone.get_data(as_text=True)


def test_a_list_older_than_an_hour_is_not_handed_out_even_without_a_new_upload(app, admin_client):
    old = _import(admin_client, app, "moi")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    token = csrf_token(admin_client, "/admin/import")
    late = admin_client.post(
        f"/admin/import/{old.stem}/passwords", data={"csrf_token": token}, follow_redirects=True
    )
    assert late.mimetype == "text/html" and "quá một giờ mà không ai tải" in late.text
    assert not old.exists()


def test_empty_formatted_cells_past_the_data_are_not_columns(app, units, tmp_path):
    path = hostile_files.formatted_columns(tmp_path / "formatted.xlsx")
    with app.app_context():
        plan = plan_import(path)
    assert [person.username for person in plan.new] == ["an"]
