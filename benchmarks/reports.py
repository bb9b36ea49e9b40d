"""Benchmark: every report endpoint at province or national scale.

    .venv/bin/python benchmarks/reports.py --scale province            # SQLite, 2,366 officials
    .venv/bin/python benchmarks/reports.py --scale national \\
        --database-url postgresql+psycopg://postgres@127.0.0.1/elearn_bench   # 250,000 officials

Targets: ≤ 50 ms per report at province scale, ≤ 300 ms at national scale (median of runs,
measured in-process through the real views, the unit being the whole province).
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from elearn import create_app
from elearn.admin.users import create_user
from elearn.demo.generate import generate
from elearn.extensions import db
from elearn.models import Course, CourseProgress, Unit

SECRET = "benchmark-secret-0123456789abcdefghijkl"
PASSWORD = "hoa-sen-no-ven-ho-2026"
SCALES = {
    "province": {"officials": 2_366, "communes": 126, "courses": 10},
    "national": {"officials": 250_000, "communes": 3_300, "courses": 20},
}


def fresh_postgres(url: str) -> None:
    """Drop and create the benchmark database named in the URL."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="province")
    parser.add_argument("--database-url", help="default: a new SQLite file")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        if url.startswith("postgresql"):
            fresh_postgres(url)
        app = create_app({"ENV": "development", "DATABASE_URL": url, "SECRET_KEY": SECRET,
                          "INSTANCE_PATH": tmp})
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            report = generate(**SCALES[args.scale])
            db.session.commit()
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect() as connection:
                    connection.execute(text("ANALYZE"))
            root = db.session.scalar(select(Unit).where(Unit.depth == 0))
            create_user("bench.manager", "Trần Văn Quang", root.code, role="manager",
                        password=PASSWORD)
            db.session.commit()
            course = db.session.scalars(select(Course.slug).order_by(Course.id)).first()
            rows = db.session.scalar(select(func.count()).select_from(CourseProgress))
            commune = db.session.scalars(
                select(Unit.code).where(Unit.parent_id == root.id).order_by(Unit.code)
            ).first()
            print(f"{args.scale}: {report.officials:,} officials, {report.communes:,} communes, "
                  f"{report.courses} courses, {rows:,} progress rows "
                  f"(generated in {time.perf_counter() - started:.0f} s, {db.engine.dialect.name})")
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post("/login", data={"username": "bench.manager", "password": PASSWORD,
                                    "csrf_token": token})
        endpoints = [
            ("dashboard page", f"/reports/units/{root.code}?course={course}"),
            ("officials page", f"/reports/units/{root.code}/officials?course={course}"),
            ("commune officials", f"/reports/units/{commune}/officials?course={course}"),
            ("search by name", f"/reports/units/{root.code}/officials?course={course}&q=nguyen+an"),
            ("API courses", f"/api/v1/reports/courses?unit={root.code}"),
            ("API completion", f"/api/v1/reports/completion?unit={root.code}&course={course}"),
            ("API officials", f"/api/v1/reports/officials?unit={root.code}&course={course}"),
            ("CSV children", f"/reports/units/{root.code}/children.csv?course={course}"),
            ("CSV commune officials",
             f"/reports/units/{commune}/officials.csv?course={course}"),
        ]
        for name, path in endpoints:
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            print(f"{name:<22} median {statistics.median(times):7.1f} ms   "
                  f"max {max(times):7.1f} ms")


if __name__ == "__main__":
    main()
