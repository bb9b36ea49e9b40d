"""Generate officials, courses and progress in bulk, for demos and report benchmarks.

Rows are written with bulk INSERTs in batches (no per-row ORM work), so a national-scale set
(250,000 officials × 20 courses) takes minutes, not hours.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, insert, select

from elearn.auth.passwords import hash_password
from elearn.clock import utcnow
from elearn.extensions import db
from elearn.models import (
    Course,
    CourseItem,
    CourseProgress,
    LessonCompletion,
    QuizAttempt,
    Unit,
    User,
)
from elearn.people.fields import name_columns
from elearn.progress import rollup
from elearn.progress.recording import new_certificate_code
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
IT_WEIGHTS = (75, 17, 1, 2, 5)  # mostly a basic IT certificate, as in the source article
CAN_BO_SHARE = 1263 / 2366  # cán bộ among the province's commune officials (2023)
SPAN_DAYS = 365
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


def populate(
    units: list[Unit],
    courses: list[Course],
    officials: int = 0,
    *,
    per_unit: int = 0,
    detail: bool = False,
    seed: int = 2366,
) -> GenerateReport:
    """Add officials spread over `units` (`officials` in all, or `per_unit` each), with
    progress in `courses` over the last year; the caller commits.

    Every date lies in the past, and a course's last activity is never before its completion.
    With `detail`, the lessons done and the quiz attempts behind each course's progress are
    written too (demo scale), so an official's page shows why a course counts as complete.
    """
    rng = random.Random(seed)
    count = officials or per_unit * len(units)
    people = _officials(count, units, rng)
    keen = {unit.id: rng.uniform(0.35, 1.0) for unit in units}  # units differ in zeal
    rows = _progress(people, keen, courses, rng, detail=detail)
    rollup.rebuild([u.id for u in units])
    return GenerateReport(len(units), len(people), len(courses), rows)


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


def _officials(count: int, units: list[Unit], rng: random.Random) -> list[tuple[int, int]]:
    """Insert `count` officials round the units; return (user id, unit id) of each."""
    password = hash_password(f"generated-{rng.random()}")  # nobody signs in as these
    first_id = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    rows = []
    for index in range(count):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        rows.append(
            {
                "username": f"sinh{first_id + index}",
                **name_columns(name),
                "unit_id": units[index % len(units)].id,
                "role": "official",
                "category": "can_bo" if rng.random() < CAN_BO_SHARE else "cong_chuc",
                "it_level": rng.choices(IT_LEVELS, IT_WEIGHTS)[0],
                "active": True,
                "password_hash": password,
                "must_change_password": True,
                "created_at": utcnow(),
            }
        )
    for chunk in _chunks(rows):
        db.session.execute(insert(User), chunk)
    rows_back = db.session.execute(
        select(User.id, User.unit_id).where(User.id >= first_id).order_by(User.id)
    )
    return [(user_id, unit_id) for user_id, unit_id in rows_back]


class _Writer:
    """Bulk-insert rows of several tables a batch at a time."""

    def __init__(self) -> None:
        self.pending: dict[type, list[dict]] = {}
        self.written = 0

    def add(self, model: type, row: dict) -> None:
        rows = self.pending.setdefault(model, [])
        rows.append(row)
        if len(rows) >= BATCH:
            self.flush(model)

    def flush(self, model: type | None = None) -> None:
        for table in [model] if model else list(self.pending):
            rows = self.pending.pop(table, [])
            if rows:
                db.session.execute(insert(table), rows)
                if table is CourseProgress:
                    self.written += len(rows)


def _progress(
    people: list[tuple[int, int]],
    keen: dict[int, float],
    courses: list[Course],
    rng: random.Random,
    *,
    detail: bool,
) -> int:
    """About 45% completed and 25% in progress per course (more where a unit is keen), begun
    over the last year, more of it recently; every timestamp before now."""
    now = utcnow()
    outline = _outlines(courses) if detail else {}
    writer = _Writer()
    for user_id, unit_id in people:
        for course in courses:
            zeal = keen.get(unit_id, 1.0) * (1.3 if course.required else 1.0)
            roll = rng.random()
            if roll > 0.70 * zeal + 0.15:
                continue
            days_ago = 2 + int((SPAN_DAYS - 2) * rng.random() ** 1.25)
            started = now - timedelta(days=days_ago, minutes=rng.randint(0, 600))
            done = roll < 0.45 * zeal + 0.10
            if done:
                completed = started + timedelta(
                    days=rng.randint(0, min(20, days_ago - 1)), minutes=rng.randint(5, 90)
                )
                last = completed
            else:
                completed = None
                last = started + timedelta(days=rng.randint(0, days_ago - 1), minutes=30)
            writer.add(
                CourseProgress,
                {
                    "user_id": user_id,
                    "course_id": course.id,
                    "started_at": started,
                    "last_activity_at": min(last, now),
                    "completed_at": completed,
                    "completed_version": 1 if done else None,
                    "completed_via": "lessons" if done else None,
                    "best_score": float(rng.randint(80, 100)) if done else None,
                    "certificate_code": new_certificate_code() if done and detail else None,
                },
            )
            if detail and course.id in outline:
                _steps(writer, user_id, outline[course.id], started, completed or last, done, rng)
    writer.flush()
    return writer.written


def _outlines(courses: list[Course]) -> dict[int, tuple[list[CourseItem], CourseItem | None]]:
    """Each course's published lessons in order, and its quiz."""
    result: dict[int, tuple[list[CourseItem], CourseItem | None]] = {}
    items = db.session.scalars(
        select(CourseItem)
        .where(CourseItem.course_id.in_([c.id for c in courses]), CourseItem.status == "published")
        .order_by(CourseItem.course_id, CourseItem.position)
    )
    for item in items:
        lessons, quiz = result.get(item.course_id, ([], None))
        if item.kind == "lesson":
            lessons.append(item)
        else:
            quiz = item
        result[item.course_id] = (lessons, quiz)
    return result


def _steps(writer: _Writer, user_id, outline, start, end, done: bool, rng: random.Random):
    """The lessons done (all of them when the course is done) and, when done, the passing
    attempt at the completion time (after a failed one now and then)."""
    lessons, quiz = outline
    count = len(lessons) if done else rng.randint(1, max(len(lessons), 1))
    span = (end - start) / (count + 1)
    for number, lesson in enumerate(lessons[:count], start=1):
        writer.add(
            LessonCompletion,
            {
                "user_id": user_id,
                "item_id": lesson.id,
                "completed_at": start + span * number,
                "content_hash": lesson.content_hash,
            },
        )
    if not done or quiz is None:
        return
    failed_first = rng.random() < 0.25
    for number in range(1, 3 if failed_first else 2):
        passed = number == 2 or not failed_first
        score = float(rng.randint(80, 100)) if passed else float(rng.randint(30, 70))
        at = end if passed else end - timedelta(minutes=rng.randint(10, 60))
        writer.add(
            QuizAttempt,
            {
                "user_id": user_id,
                "item_id": quiz.id,
                "number": number,
                "token": secrets.token_urlsafe(18),
                "started_at": at - timedelta(minutes=8),
                "submitted_at": at,
                "choice_order": {},
                "responses": [],
                "points": round(score / 10),
                "max_points": 10,
                "score": score,
                "passed": passed,
                "graded_hash": quiz.content_hash,
            },
        )


def _chunks(rows: list[dict]) -> Iterator[list[dict]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]
