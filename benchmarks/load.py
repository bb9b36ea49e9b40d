"""Load: simulated officials learn at once against gunicorn, then the database is checked.

    .venv/bin/python -m benchmarks.load [--officials 200] [--seconds 60] [--runs 3]
        [--workers 4] [--think 1.0] [--ramp 20] [--database-url URL]

Each official signs in, opens home, a course, its lessons (pressing "Đã học xong", now and
then twice), then starts and submits the quiz, and goes on to the next course until the time
is up, pausing a random 0–2×think seconds between pages as a reader does; they arrive one by
one over the first `ramp` seconds (signing in is deliberately slow: scrypt). The default database
is a new SQLite file (WAL); a PostgreSQL URL names a server on which a throwaway database is
created and dropped. Prints requests per second and p50/p95/p99 per step, and exits 1 on any
response ≥ 500, on a lost, unacknowledged or doubled completion or attempt, or on rollups that
differ from a plain recount. The test suite runs a short version (tests/ops/test_ops_load.py).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from benchmarks.officials import PASSWORD, Results, drive, report, spread
from elearn import create_app
from elearn.admin.units import import_units
from elearn.auth.passwords import hash_password
from elearn.clock import utcnow
from elearn.content.loader import load_collection
from elearn.content.sync import placeholder_image_url, publish
from elearn.extensions import db
from elearn.models import (
    CompletionRollup,
    Course,
    CourseItem,
    CourseRollup,
    DomainRollup,
    LessonCompletion,
    PeopleRollup,
    QuizAttempt,
    Unit,
    User,
)
from elearn.paths import DATA_DIR, PROJECT_DIR
from elearn.progress import rollup
from elearn.text import fold, vi_sort_key

SECRET = "load-test-secret-0123456789abcdefghijkl"
GUNICORN_CONFIG = PROJECT_DIR / "deploy" / "gunicorn.conf.py"
_METRICS_DIRS: dict[int, str] = {}  # gunicorn pid → its metrics folder, removed at stop


# The site ------------------------------------------------------------------------------------


def prepare(app: Flask, officials: int) -> list[str]:
    """Units, the shipped courses and `officials` accounts (one known password); returns the
    usernames. The database must be migrated and hold no units yet."""
    with app.app_context():
        import_units(DATA_DIR / "bac-ninh-units-2024.csv")
        root = PROJECT_DIR / "courses"
        publish(load_collection(root, image_url=placeholder_image_url), root)
        communes = list(db.session.scalars(select(Unit).where(Unit.kind == "commune")))
        password = hash_password(PASSWORD)  # scrypt once; every account shares the hash
        names = [f"tai{n:04d}" for n in range(officials)]
        rows = []
        for index, username in enumerate(names):
            full_name = f"Nguyễn Văn Tải {index}"
            rows.append(
                {
                    "username": username,
                    "full_name": full_name,
                    "search_name": fold(full_name),
                    "sort_key": vi_sort_key(full_name),
                    "unit_id": communes[index % len(communes)].id,
                    "role": "official",
                    "category": ("can_bo", "cong_chuc")[index % 2],
                    "active": True,
                    "password_hash": password,
                    "must_change_password": False,
                    "created_at": utcnow(),
                }
            )
        db.session.execute(insert(User), rows)
        rollup.rebuild()
        db.session.commit()
    return names


def free_port() -> int:
    """A TCP port nobody listens on now, on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(
    database_url: str, port: int, *, workers: int = 4, log: Path | None = None, **env: str
) -> subprocess.Popen:
    """Start gunicorn with the deployment's settings on a loopback port; wait until it answers."""
    environment = {
        **os.environ,
        "ELEARN_ENV": "development",
        "ELEARN_DATABASE_URL": database_url,
        "ELEARN_SECRET_KEY": SECRET,
        "PROMETHEUS_MULTIPROC_DIR": tempfile.mkdtemp(prefix="elearn-load-metrics-"),
        **env,
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        str(GUNICORN_CONFIG),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "wsgi:app",
    ]
    with log.open("ab") if log else contextlib.nullcontext(subprocess.DEVNULL) as output:
        process = subprocess.Popen(
            command, cwd=PROJECT_DIR, env=environment, stdout=output, stderr=output
        )  # the server keeps its own copy of the log file
    _METRICS_DIRS[process.pid] = environment["PROMETHEUS_MULTIPROC_DIR"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start (exit {process.returncode})")
        time.sleep(0.2)
    stop(process)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop(process: subprocess.Popen, *, graceful: bool = True) -> None:
    """Stop gunicorn: gracefully (requests in hand are finished, as systemd's stop does) or at
    once (when no request is in hand); kill it if it still runs after 30 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM if graceful else signal.SIGQUIT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    folder = _METRICS_DIRS.pop(process.pid, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def published_courses(app: Flask) -> list[str]:
    """The slugs of the published courses, in a fixed order."""
    with app.app_context():
        return list(
            db.session.scalars(
                select(Course.slug).where(Course.status == "published").order_by(Course.slug)
            )
        )


# The checks ------------------------------------------------------------------------------------


def check_database(app: Flask, results: Results, *, outage: bool = False) -> list[str]:
    """Compare the database with what the officials were told; return every difference.

    After an outage a step may be stored although its answer was a 503 (the database went
    away after the commit): the official presses again and the step records once. So then
    only acknowledged-but-missing steps count, not stored-but-unacknowledged ones.
    """
    problems = []
    with app.app_context():
        if outage:  # this process's pooled connections died with the database's restart
            db.engine.dispose()
        ids = dict(db.session.execute(select(User.username, User.id)).all())
        users = {v: k for k, v in ids.items()}
        rows = db.session.execute(
            select(LessonCompletion.user_id, LessonCompletion.item_id, func.count()).group_by(
                LessonCompletion.user_id, LessonCompletion.item_id
            )
        ).all()
        doubled = [r for r in rows if r[2] > 1]
        if doubled:
            problems.append(f"{len(doubled)} lesson completion(s) stored more than once")
        paths = _lesson_paths()
        stored = {(users[u], paths[i]) for u, i, _ in rows if u in users}
        missing = results.completions - stored
        extra = stored - results.completions
        if missing:
            problems.append(
                f"{len(missing)} acknowledged completion(s) missing: {sorted(missing)[:3]}"
            )
        if extra and not outage:
            problems.append(f"{len(extra)} completion(s) stored but never acknowledged")
        submitted = dict(
            db.session.execute(
                select(QuizAttempt.id, QuizAttempt.user_id).where(
                    QuizAttempt.submitted_at.is_not(None)
                )
            ).all()
        )
        for attempt_id, username in results.attempts.items():
            if submitted.get(attempt_id) != ids[username]:
                problems.append(f"acknowledged attempt {attempt_id} of {username} is not stored")
        if len(submitted) != len(results.attempts) and not outage:
            problems.append(
                f"{len(submitted)} submitted attempts stored, {len(results.attempts)} acknowledged"
            )
        problems += check_rollups()
    return problems


def _lesson_paths() -> dict[int, str]:
    rows = db.session.execute(
        select(CourseItem.id, Course.slug, CourseItem.slug).join(Course)
    ).all()
    return {item_id: f"/courses/{course}/{item}" for item_id, course, item in rows}


def check_rollups() -> list[str]:
    """The counters kept by each step must equal a recount from scratch (rolled back after)."""
    before = _rollups()
    rollup.rebuild()
    after = _rollups()
    db.session.rollback()
    return [
        f"{name} differs from a plain recount" for name in before if before[name] != after[name]
    ]


def _rollups() -> dict[str, list[tuple]]:
    """Every rollup row that counts something, in a fixed order."""
    counted = {
        PeopleRollup: PeopleRollup.officials > 0,
        CourseRollup: (CourseRollup.started > 0) | (CourseRollup.completed > 0),
        CompletionRollup: CompletionRollup.completions > 0,
        DomainRollup: DomainRollup.covered > 0,
    }
    return {
        table.__tablename__: sorted(
            tuple(row) for row in db.session.execute(select(*table.__table__.columns).where(where))
        )
        for table, where in counted.items()
    }


@contextmanager
def database(url: str | None, folder: Path) -> Iterator[str]:
    """A new empty database: a SQLite file in `folder`, or a throwaway PostgreSQL database
    on the server of `url` (dropped afterwards)."""
    if not url:
        yield f"sqlite:///{folder / 'load.sqlite'}"
        return
    name = f"elearn_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def worker_cpu_seconds(server: subprocess.Popen) -> float:
    """CPU time (user + system) used so far by the server's workers."""
    children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True)
    total = 0
    for pid in children.stdout.split():
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def run_once(args: argparse.Namespace, run: int) -> tuple[Results, list[str]]:
    """Prepare a fresh database, serve it, let the officials learn, check the database."""
    with tempfile.TemporaryDirectory() as tmp, database(args.database_url, Path(tmp)) as url:
        app = create_app(
            {"ENV": "development", "DATABASE_URL": url, "SECRET_KEY": SECRET, "INSTANCE_PATH": tmp}
        )
        with app.app_context():
            upgrade()
        usernames = prepare(app, args.officials)
        courses = published_courses(app)
        port = free_port()
        server = serve(url, port, workers=args.workers)
        try:
            cpu_before = worker_cpu_seconds(server)
            client_before = resource.getrusage(resource.RUSAGE_SELF)
            results = drive(
                f"http://127.0.0.1:{port}",
                usernames,
                courses,
                args.seconds,
                think=args.think,
                seed=run,
                ramp=args.ramp,
            )
            client = resource.getrusage(resource.RUSAGE_SELF)
            results.server_cpu = worker_cpu_seconds(server) - cpu_before
            results.client_cpu = (client.ru_utime + client.ru_stime) - (
                client_before.ru_utime + client_before.ru_stime
            )
        finally:
            stop(server)
        problems = check_database(app, results)
        with app.app_context():
            db.engine.dispose()
    return results, problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officials", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between pages, s")
    parser.add_argument("--ramp", type=float, default=20, help="arrivals spread over, s")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--database-url", help="a PostgreSQL server URL; default: SQLite")
    args = parser.parse_args()
    failed = False
    runs = []
    for run in range(1, args.runs + 1):
        results, problems = run_once(args, run)
        runs.append(results)
        print(
            f"run {run}: {args.officials} officials arriving over {args.ramp:.0f} s, "
            f"{args.seconds:.0f} s, gunicorn {args.workers} workers, think {args.think} s; "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        print(report(results))
        for problem in [*results.failures[:10], *problems]:
            print(f"  PROBLEM {problem}")
        failed |= bool(results.failures or problems)
    if len(runs) > 1:
        print(spread(runs))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
