"""Upgrading from every earlier revision keeps the data: people, progress and rollups written
at that revision are all there afterwards, the rollups equal a plain recount, and SQLite finds
no broken foreign key."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import MetaData, insert, select, text

from benchmarks import load
from elearn import create_app
from elearn.extensions import db
from elearn.paths import MIGRATIONS_DIR
from tests.dbkit import backend, postgres_database
from tests.webkit import TEST_SECRET

SCRIPTS = ScriptDirectory(str(MIGRATIONS_DIR))
HEAD = SCRIPTS.get_current_head()
EARLIER = sorted(r.revision for r in SCRIPTS.walk_revisions() if r.revision != HEAD)

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
DONE = datetime(2025, 3, 2, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam, on 2/3/2025
C = "cong_chuc"
# What an instance holds, table by table in the order foreign keys need; each table is
# written only if it exists at the starting revision.
DATA: list[tuple[str, list[dict]]] = [
    (
        "unit",
        [
            dict(
                id=1,
                code="27",
                name="Tỉnh Bắc Ninh",
                kind="province",
                parent_id=None,
                path="/1/",
                depth=0,
                created_at=T0,
            ),
            dict(
                id=2,
                code="09163",
                name="Xã Tam Giang",
                kind="commune",
                parent_id=1,
                path="/1/2/",
                depth=1,
                created_at=T0,
            ),
        ],
    ),
    (
        "user_account",
        [
            dict(
                id=1,
                username="an",
                full_name="Nguyễn Văn An",
                unit_id=2,
                role="official",
                category="can_bo",
                active=True,
                password_hash="scrypt:x",
                created_at=T0,
                must_change_password=False,
                search_name="nguyen van an",
                sort_key="an",
            ),
            dict(
                id=2,
                username="binh",
                full_name="Trần Thị Bình",
                unit_id=2,
                role="official",
                category=C,
                active=True,
                password_hash="scrypt:y",
                created_at=T0,
                must_change_password=True,
                search_name="tran thi binh",
                sort_key="binh",
                it_level="Trung cấp",
                email="binh@bacninh.gov.vn",
                phone="0912345678",
            ),
            dict(
                id=3,
                username="ql",
                full_name="Lê Quản Lý",
                unit_id=1,
                role="manager",
                category="khac",
                active=True,
                password_hash=None,
                created_at=T0,
                must_change_password=False,
                search_name="le quan ly",
                sort_key="ql",
            ),
        ],
    ),
    ("login_throttle", [dict(username="an", failures=2, last_failure_at=T0)]),
    ("user_session", [dict(id=1, token_hash="a" * 64, user_id=1, created_at=T0, ip="10.0.0.1")]),
    ("audit_event", [dict(id=1, at=T0, actor_id=3, action="login.succeeded", detail={"k": 1})]),
    (
        "course",
        [
            dict(
                id=1,
                slug="an-toan",
                title="An toàn thông tin",
                description="Khoá học.",
                minutes=30,
                required=True,
                status="published",
                competencies="",
                language="vi",
                intro_html="<p>Giới thiệu</p>",
                folder="an-toan",
                content_hash="c" * 64,
                version=1,
                created_at=T0,
                updated_at=T0,
            ),
        ],
    ),
    (
        "competency",
        [dict(id=1, slug="an-toan", name="An toàn", position=0, status="published", updated_at=T0)],
    ),
    ("course_competency", [dict(course_id=1, competency_id=1)]),
    (
        "course_item",
        [
            dict(
                id=1,
                course_id=1,
                slug="bai-1",
                kind="lesson",
                title="Bài 1",
                html="<p>1</p>",
                position=1,
                source_path="an-toan/01.md",
                content_hash="l" * 64,
                status="published",
                shuffle=False,
                first_published_at=T0,
                updated_at=T0,
            ),
            dict(
                id=2,
                course_id=1,
                slug="kiem-tra",
                kind="quiz",
                title="Kiểm tra",
                html="",
                position=2,
                source_path="an-toan/02.md",
                content_hash="q" * 64,
                status="published",
                pass_mark=80,
                max_attempts=3,
                shuffle=False,
                first_published_at=T0,
                updated_at=T0,
            ),
        ],
    ),
    (
        "question",
        [
            dict(
                id=1,
                quiz_id=2,
                slug="otp",
                position=1,
                kind="single",
                text_html="<p>?</p>",
                points=1,
                answer_key={"choices": [{"key": "a", "correct": True}]},
                content_hash="h" * 64,
                status="published",
            ),
        ],
    ),
    (
        "lesson_completion",
        [
            dict(id=1, user_id=1, item_id=1, completed_at=T0, content_hash="l" * 64),
            dict(id=2, user_id=2, item_id=1, completed_at=T0, content_hash="l" * 64),
        ],
    ),
    (
        "quiz_attempt",
        [
            dict(
                id=1,
                user_id=1,
                item_id=2,
                number=1,
                token="t1",
                started_at=T0,
                submitted_at=DONE,
                choice_order={"otp": ["a"]},
                responses=[{"q": "otp"}],
                points=1,
                max_points=1,
                score=100.0,
                passed=True,
                graded_hash="q" * 64,
            ),
        ],
    ),
    (
        "course_progress",
        [
            dict(
                id=1,
                user_id=1,
                course_id=1,
                started_at=T0,
                last_activity_at=DONE,
                completed_at=DONE,
                completed_version=1,
                best_score=100.0,
                certificate_code="7KQ2-MX9P-R4TD",
            ),
            dict(id=2, user_id=2, course_id=1, started_at=T0, last_activity_at=T0),
        ],
    ),
    ("api_token", [dict(id=1, user_id=3, token_hash="k" * 64, label="báo cáo", created_at=T0)]),
    (
        "assignment",
        [
            dict(
                id=1,
                course_id=1,
                unit_id=1,
                due_date=date(2025, 4, 1),
                created_by_id=3,
                created_at=T0,
                active=True,
            )
        ],
    ),
    ("notice", [dict(id=1, user_id=2, text="Sắp đến hạn", link="/courses/an-toan", created_at=T0)]),
    ("announcement", [dict(id=1, unit_id=1, title="Thông báo", body="Nội dung", created_at=T0)]),
    ("announcement_dismissal", [dict(announcement_id=1, user_id=1, dismissed_at=T0)]),
    (
        "reminder_sent",
        [dict(id=1, assignment_id=1, user_id=2, period="due-soon", channel="notice", sent_at=T0)],
    ),
    (
        "people_rollup",
        [
            dict(unit_id=2, category="can_bo", it_level="", officials=1),
            dict(unit_id=2, category=C, it_level="Trung cấp", officials=1),
            dict(unit_id=2, category="*", it_level="*", officials=2),
            dict(unit_id=1, category="khac", it_level="", officials=1),
            # Totals count officials only (revision 0012 on), so a "khác" account adds none:
            # what an instance at 0012 or later holds; earlier starts are recounted by 0012.
            dict(unit_id=1, category="*", it_level="*", officials=0),
        ],
    ),
    (
        "course_rollup",
        [
            dict(unit_id=2, course_id=1, category="can_bo", it_level="", started=1, completed=1),
            dict(unit_id=2, course_id=1, category=C, it_level="Trung cấp", started=1, completed=0),
            dict(unit_id=2, course_id=1, category="*", it_level="*", started=2, completed=1),
        ],
    ),
    ("completion_rollup", [dict(unit_id=2, course_id=1, day=date(2025, 3, 2), completions=1)]),
    # What an instance at 0013 or later holds: the one completion covers the course's domain.
    ("domain_rollup", [dict(unit_id=2, competency_id=1, covered=1)]),
]


@pytest.fixture
def empty_database(tmp_path) -> Iterator[str]:
    """A database with no tables, of the kind this run tests."""
    if backend() != "postgresql":
        yield f"sqlite:///{tmp_path / 'old.sqlite'}"
        return
    with postgres_database("elearn_upgrade") as url:
        yield url


def _columns(engine, tables: list[str]) -> dict[str, list[str]]:
    """The columns each table has now (later revisions may add more)."""
    metadata = MetaData()
    metadata.reflect(engine, only=tables)
    return {name: [c.name for c in metadata.tables[name].columns] for name in tables}


def _snapshot(engine, columns: dict[str, list[str]]) -> dict[str, list[tuple]]:
    """Every row of the given tables, in the given columns, in a fixed order."""
    metadata = MetaData()
    metadata.reflect(engine, only=list(columns))
    with engine.connect() as connection:
        return {
            name: sorted(
                (
                    tuple(row)
                    for row in connection.execute(
                        select(*(metadata.tables[name].c[c] for c in names))
                    )
                ),
                key=repr,
            )
            for name, names in columns.items()
        }


@pytest.mark.parametrize("start", EARLIER)
def test_upgrading_from_an_earlier_revision_keeps_every_row(empty_database, tmp_path, start):
    app = create_app(
        {
            "ENV": "development",
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET,
            "DATABASE_URL": empty_database,
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    with app.app_context():
        upgrade(revision=start)
        engine = db.engine
        metadata = MetaData()
        metadata.reflect(engine)
        present = [name for name, _ in DATA if name in metadata.tables]
        with engine.begin() as connection:
            for name, rows in DATA:
                for row in rows if name in metadata.tables else []:
                    connection.execute(insert(metadata.tables[name]).values(**row))
            if engine.dialect.name == "postgresql":  # ids were given: move the sequences on
                for name in present:
                    if "id" in metadata.tables[name].columns:
                        connection.execute(
                            text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), 100)")
                        )
        # Revision 0012 recounts the rollups (reports count officials only): when the upgrade
        # passes it, those tables are checked against a recount below; every other row (and
        # the rollups, after 0012) must come through as it was.
        recounted = start < "0012"
        kept = _columns(
            engine, [name for name in present if not (recounted and name.endswith("_rollup"))]
        )
        before = _snapshot(engine, kept)

        upgrade()

        assert _snapshot(engine, kept) == before
        assert load.check_rollups() == []
        with engine.connect() as connection:  # completions so far were reached by the lessons
            via = connection.execute(
                text("SELECT id, completed_via FROM course_progress ORDER BY id")
            ).all()
        if start < "0013":  # the revision that records how each completion was reached
            assert [tuple(row) for row in via] == ([(1, "lessons"), (2, None)] if via else [])
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        engine.dispose()
