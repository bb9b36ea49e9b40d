"""Generate officials, courses and progress in bulk, for demos and report benchmarks.

Rows are written with bulk INSERTs in batches (no per-row ORM work), so a national-scale set
(250,000 officials × 20 courses) takes minutes, not hours.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, insert, select

from elearn.auth.passwords import hash_password
from elearn.clock import utcnow
from elearn.extensions import db
from elearn.models import Course, CourseItem, CourseProgress, Unit, User
from elearn.progress import rollup
from elearn.text import fold, vi_sort_key
from elearn.units import unit_by_code

FAMILY = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
)
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Hữu", "Xuân")
GIVEN = (
    "An",
    "Anh",
    "Ánh",
    "Ăn",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Yến",
)
IT_LEVELS = (
    "Chứng chỉ tin học cơ bản",
    "Chứng chỉ ứng dụng CNTT nâng cao",
    "Trung cấp CNTT",
    "Đại học CNTT",
    None,
)
IT_WEIGHTS = (70, 20, 4, 2, 4)
BATCH = 10_000


@dataclass(frozen=True)
class GenerateReport:
    communes: int
    officials: int
    courses: int
    progress_rows: int


def generate(
    *,
    officials: int,
    courses: int,
    communes: int,
    root_code: str | None = None,
    seed: int = 2366,
) -> GenerateReport:
    """Add `communes` communes (under `root_code`, or a new province), `officials` officials
    spread over them, `courses` courses of six items, and realistic progress; the caller commits.
    """
    units = _communes(communes, root_code)
    course_rows = _courses(courses)
    return populate(units, course_rows, officials, seed=seed)


def populate(units: list[Unit], courses: list[Course], officials: int, *, seed: int = 2366):
    """Add `officials` officials spread over `units`, with progress in `courses`."""
    rng = random.Random(seed)
    user_ids = _officials(officials, units, rng)
    rows = _progress(user_ids, courses, rng)
    rollup.rebuild([u.id for u in units])
    return GenerateReport(len(units), len(user_ids), len(courses), rows)


def _communes(count: int, root_code: str | None) -> list[Unit]:
    if root_code:
        root = unit_by_code(root_code)
        if root is None:
            raise ValueError(f"unknown unit {root_code}")
        existing = list(
            db.session.scalars(
                select(Unit).where(Unit.parent_id == root.id).order_by(Unit.code).limit(count)
            )
        )
        if existing:
            return existing
    number = (db.session.scalar(select(func.count()).select_from(Unit)) or 0) + 1
    root = Unit(
        code=f"G{number}",
        name=f"Tỉnh Thử Nghiệm {number}",
        kind="province",
        path=f"/G{number}/",
        depth=0,
    )
    db.session.add(root)
    db.session.flush()
    rows = [
        {
            "code": f"G{number}-{i:05d}",
            "name": f"Xã Thử Nghiệm {i}",
            "kind": "commune",
            "parent_id": root.id,
            "path": f"/G{number}/G{number}-{i:05d}/",
            "depth": 1,
            "created_at": utcnow(),
        }
        for i in range(1, count + 1)
    ]
    for chunk in _chunks(rows):
        db.session.execute(insert(Unit), chunk)
    return list(db.session.scalars(select(Unit).where(Unit.parent_id == root.id)))


def _courses(count: int) -> list[Course]:
    result = []
    stamp = utcnow().strftime("%Y%m%d%H%M%S")
    for number in range(1, count + 1):
        course = Course(
            slug=f"sinh-{stamp}-{number}",
            title=f"Khoá học thử {number}",
            required=number <= 2,
            status="published",
            content_hash=f"generated-{stamp}-{number}",
            version=1,
        )
        db.session.add(course)
        items = [
            CourseItem(
                course=course,
                slug=f"bai-{n}",
                kind="lesson",
                title=f"Bài {n}",
                minutes=5,
                html="<p>Nội dung.</p>",
                position=n,
                content_hash=f"l{n}",
            )
            for n in range(1, 6)
        ]
        items.append(
            CourseItem(
                course=course,
                slug="kiem-tra",
                kind="quiz",
                title="Kiểm tra",
                position=6,
                content_hash="q",
                pass_mark=80,
                max_attempts=0,
            )
        )
        db.session.add_all(items)
        result.append(course)
    db.session.flush()
    return result


def _officials(count: int, units: list[Unit], rng: random.Random) -> list[int]:
    password = hash_password(f"generated-{rng.random()}")  # nobody signs in as these
    first_id = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    rows = []
    for index in range(count):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        rows.append(
            {
                "username": f"sinh{first_id + index}",
                "full_name": name,
                "search_name": fold(name),
                "sort_key": vi_sort_key(name),
                "unit_id": units[index % len(units)].id,
                "role": "official",
                "category": rng.choice(("can_bo", "cong_chuc")),
                "it_level": rng.choices(IT_LEVELS, IT_WEIGHTS)[0],
                "active": True,
                "password_hash": password,
                "must_change_password": True,
                "created_at": utcnow(),
            }
        )
    for chunk in _chunks(rows):
        db.session.execute(insert(User), chunk)
    return list(db.session.scalars(select(User.id).where(User.id >= first_id).order_by(User.id)))


def _progress(user_ids: list[int], courses, rng: random.Random) -> int:
    """About 45% completed and 25% in progress per course, spread over the last year."""
    now = utcnow()
    written = 0

    def rows() -> Iterator[dict]:
        for user_id in user_ids:
            for course in courses:
                roll = rng.random()
                if roll > 0.70:
                    continue
                started = now - timedelta(days=rng.randint(1, 360))
                done = roll < 0.45
                yield {
                    "user_id": user_id,
                    "course_id": course.id,
                    "started_at": started,
                    "last_activity_at": started + timedelta(days=rng.randint(0, 20)),
                    "completed_at": started + timedelta(days=rng.randint(0, 20)) if done else None,
                    "completed_version": 1 if done else None,
                    "best_score": float(rng.randint(80, 100)) if done else None,
                    "certificate_code": None,
                }

    batch: list[dict] = []
    for row in rows():
        batch.append(row)
        if len(batch) >= BATCH:
            db.session.execute(insert(CourseProgress), batch)
            written += len(batch)
            batch = []
    if batch:
        db.session.execute(insert(CourseProgress), batch)
        written += len(batch)
    return written


def _chunks(rows: list[dict]) -> Iterator[list[dict]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]
