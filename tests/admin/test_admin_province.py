"""The whole province at once: 2,366 officials from one file, deadlines, a merger, reports."""

from __future__ import annotations

import csv
import random
from datetime import timedelta

from sqlalchemy import func, select

from elearn.admin.people_import import apply_import, plan_import
from elearn.admin.units import merge_units
from elearn.clock import local_today
from elearn.errors import ImportProblem
from elearn.extensions import db
from elearn.models import AuditEvent, Course, Unit, User
from elearn.paths import DATA_DIR
from elearn.plans.assignments import create_assignment
from elearn.progress import figures
from tests.coursekit import sync, write_course

COMMUNE_KINDS = ("ward", "commune", "township")


def _people_file(path, count: int, bad_rows: dict[int, list[str]] | None = None):
    with open(DATA_DIR / "bac-ninh-units-2024.csv", encoding="utf-8") as units_file:
        communes = [r["code"] for r in csv.DictReader(units_file) if r["kind"] in COMMUNE_KINDS]
    rng = random.Random(2366)
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["username", "full_name", "unit_code", "category"])
        for n in range(count):
            row = [
                f"cb{n:05d}",
                f"Nguyễn Văn {n}",
                communes[n % len(communes)],
                rng.choice(["cán bộ", "công chức"]),
            ]
            writer.writerow((bad_rows or {}).get(n, row))


def test_a_province_is_loaded_assigned_merged_and_reported(app, make_user, tmp_path):
    admin = make_user("quantri", role="admin", unit="27")
    write_course(tmp_path / "courses", "an-toan", title="An toàn", required="no")
    write_course(tmp_path / "courses", "ky-nang", title="Kỹ năng số", required="no")
    _people_file(tmp_path / "people.csv", 2366)
    with app.app_context():
        sync(tmp_path / "courses")
        actor = db.session.get(User, admin.id)
        plan = plan_import(tmp_path / "people.csv", actor=actor)
        accounts = apply_import(plan, actor=actor, source="people.csv")
        due = local_today() + timedelta(days=30)
        for slug in ("an-toan", "ky-nang"):
            create_assignment(actor, slug, "27", due_date=due)
        before = sum(
            db.session.scalar(
                select(func.count()).select_from(User).join(Unit).where(Unit.code == code)
            )
            for code in ("09367", "09370")
        )
        merge_units(["09370"], "09367", actor=actor)
        db.session.commit()
        assert len(accounts) == 2366
        province = db.session.scalar(select(Unit).where(Unit.code == "27"))
        course = db.session.scalar(select(Course).where(Course.slug == "an-toan"))
        (row,) = figures.course_counts(province, [course])
        assert row.counts.officials == 2366 and row.counts.not_started == 2366  # not the admin
        tu_son = db.session.scalar(select(Unit).where(Unit.code == "261"))
        children = {r.unit.code: r.counts.officials for r in figures.child_counts(tu_son, course)}
        assert children["09367"] == before and "09370" not in children  # closed and empty
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"users.imported", "assignment.created", "unit.merged"} <= actions


def test_a_20000_row_file_with_bad_rows_writes_nothing(app, units, tmp_path):
    bad = {
        17: ["", "Không Tên Đăng Nhập", "09163", ""],
        11_999: ["cb11999", "Người Ở Đâu", "99999", ""],
        19_999: ["cb00000", "Trùng Tên", "09163", ""],
    }
    _people_file(tmp_path / "people.csv", 20_000, bad)
    with app.app_context():
        try:
            plan_import(tmp_path / "people.csv")
        except ImportProblem as problem:
            assert [str(p) for p in problem.problems] == [
                "row 19, column username: Tên đăng nhập không được để trống.",
                "row 12001, column unit_code: Không có đơn vị đang hoạt động mang mã 99999.",
                "row 20001, column username: cb00000 đã có ở dòng 2.",
            ]
        else:
            raise AssertionError("the file has bad rows")
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
