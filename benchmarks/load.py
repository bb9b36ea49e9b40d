"""Load: simulated officials learn at once against gunicorn, then the database is checked.

    .venv/bin/python benchmarks/load.py [--officials 200] [--seconds 60] [--runs 3]
        [--workers 4] [--think 1.0] [--database-url URL]

Each official signs in, opens home, a course, its lessons (pressing "Đã học xong", now and
then twice), then starts and submits the quiz, and goes on to the next course until the time
is up, pausing a random 0–2×think seconds between pages as a reader does. The default database
is a new SQLite file (WAL); a PostgreSQL URL names a server on which a throwaway database is
created and dropped. Prints requests per second and p50/p95/p99 per step, and exits 1 on any
response ≥ 500, on a lost, unacknowledged or doubled completion or attempt, or on rollups that
differ from a plain recount. The test suite runs a short version (tests/ops/test_load.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

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
PASSWORD = "hoa-sen-no-ven-ho-2026"
GUNICORN_CONFIG = PROJECT_DIR / "deploy" / "gunicorn.conf.py"
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
ITEM_LINK = r'<a href="(/courses/{slug}/[a-z0-9-]+)">'
ACTION = re.compile(r'<form method="post"[^>]* action="([^"]+)"')
CHOICE = re.compile(r'<input type="(radio|checkbox)" id="[^"]+" name="(q-[^"]+)" value="([^"]+)"')
TEXT_FIELD = re.compile(r'<input type="text" id="[^"]+" name="(q-[^"]+)"')
ATTEMPT_TOKEN = re.compile(r'name="attempt_token" value="([^"]+)"')
SERVER_ERROR = 500


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


# The officials --------------------------------------------------------------------------------


@dataclass
class Results:
    """Every answer the officials got, and what the site acknowledged."""

    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    failures: list[str] = field(default_factory=list)  # responses ≥ 500 and transport errors
    unavailable: int = 0  # of those, 503 answers with Retry-After (the database was away)
    completions: set[tuple[str, str]] = field(default_factory=set)  # (username, lesson path)
    attempts: dict[int, str] = field(default_factory=dict)  # attempt id → username
    requests: int = 0
    seconds: float = 0.0

    def server_errors(self) -> int:
        """Answers of 500 and above, and requests that got no answer at all."""
        return len(self.failures)


class Official:
    """One simulated official with their own cookies, going through courses page by page."""

    def __init__(
        self, base: str, username: str, results: Results, rng: random.Random, think: float
    ) -> None:
        self.client = httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=False)
        self.username = username
        self.results = results
        self.rng = rng
        self.think = think
        self.csrf = ""

    async def request(self, step: str, method: str, path: str, **kwargs) -> httpx.Response | None:
        """Send one request, timing it under `step`; None when the request failed."""
        started = time.perf_counter()
        try:
            response = await self.client.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            self.results.failures.append(f"{step} {method} {path}: {type(error).__name__}")
            return None
        self.results.timings[step].append(time.perf_counter() - started)
        self.results.requests += 1
        self.results.statuses[response.status_code] += 1
        if response.status_code >= SERVER_ERROR:
            if response.status_code == 503 and response.headers.get("Retry-After"):
                self.results.unavailable += 1
            self.results.failures.append(f"{step} {method} {path}: {response.status_code}")
            return None
        return response

    async def pause(self) -> None:
        if self.think:
            await asyncio.sleep(self.rng.uniform(0, 2 * self.think))

    async def sign_in(self) -> bool:
        page = await self.request("sign-in form", "GET", "/login")
        if page is None:
            return False
        self.csrf = CSRF.search(page.text).group(1)
        answer = await self.request(
            "sign in",
            "POST",
            "/login",
            data={"username": self.username, "password": PASSWORD, "csrf_token": self.csrf},
        )
        if answer is None or answer.status_code != 302:
            return False
        home = await self.request("home", "GET", "/")
        if home is None:
            return False
        self.csrf = CSRF.search(home.text).group(1)  # the session's token from now on
        return True

    async def take_course(self, slug: str) -> None:
        page = await self.request("course", "GET", f"/courses/{slug}")
        if page is None:
            return
        links = list(dict.fromkeys(re.findall(ITEM_LINK.format(slug=slug), page.text)))
        for link in links:
            await self.pause()
            item = await self.request("lesson or quiz page", "GET", link)
            if item is None or item.status_code != 200:
                continue
            for action in ACTION.findall(item.text):
                if action.endswith("/complete"):
                    await self.complete(action)
                elif action.endswith("/start"):
                    await self.quiz(action)

    async def complete(self, action: str) -> None:
        presses = 2 if self.rng.random() < 0.1 else 1  # a double press records once
        for _ in range(presses):
            answer = await self.request(
                "Đã học xong", "POST", action, data={"csrf_token": self.csrf}
            )
            if answer is not None and answer.status_code == 302:
                self.results.completions.add((self.username, action.removesuffix("/complete")))

    async def quiz(self, action: str) -> None:
        started = await self.request("start quiz", "POST", action, data={"csrf_token": self.csrf})
        if started is None or "/attempts/" not in started.headers.get("Location", ""):
            return  # no attempts left: the quiz page said so
        path = started.headers["Location"]
        form = await self.request("attempt page", "GET", path)
        if form is None:
            return
        token = ATTEMPT_TOKEN.search(form.text)
        if token is None:
            return  # already submitted (the page shows the result)
        data: dict[str, list[str] | str] = {
            "csrf_token": self.csrf,
            "attempt_token": token.group(1),
        }
        choices: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for kind, name, value in CHOICE.findall(form.text):
            choices[name].append((kind, value))
        for name, options in choices.items():
            if options[0][0] == "radio":
                data[name] = self.rng.choice(options)[1]
            else:
                data[name] = [v for _, v in options if self.rng.random() < 0.5] or [options[0][1]]
        for name in TEXT_FIELD.findall(form.text):
            data[name] = str(self.rng.randint(1, 9))
        await self.pause()
        answer = await self.request("submit quiz", "POST", path, data=data)
        if answer is not None and answer.status_code == 302:
            self.results.attempts[int(path.rsplit("/", 1)[1])] = self.username
            await self.request("result", "GET", path)

    async def run(self, courses: list[str], until: float, at_least: int) -> None:
        try:
            while not await self.sign_in():  # "try again", as the 503 page asks
                if time.monotonic() >= until:
                    return
                await asyncio.sleep(0.5)
            turn = self.rng.randrange(len(courses))
            done = 0
            while time.monotonic() < until or done < at_least:
                await self.take_course(courses[turn % len(courses)])
                turn += 1
                done += 1
                if time.monotonic() < until:
                    await self.request("home", "GET", "/")
        finally:
            await self.client.aclose()


async def _drive(base: str, usernames: list[str], courses: list[str], seconds: float, **kw):
    results = kw["results"]
    until = time.monotonic() + seconds
    started = time.monotonic()
    officials = [
        Official(base, name, results, random.Random(f"{kw['seed']}-{name}"), kw["think"])
        for name in usernames
    ]

    async def bounded(official: Official) -> None:
        # Stop a page in hand at the end; the loop itself stops at `until`.
        try:
            await asyncio.wait_for(
                official.run(courses, until, kw["at_least"]), timeout=seconds + 90
            )
        except TimeoutError:
            results.failures.append(f"{official.username}: still waiting 90 s after the end")

    await asyncio.gather(*(bounded(o) for o in officials))
    results.seconds = time.monotonic() - started
    return results


def drive(
    base: str,
    usernames: list[str],
    courses: list[str],
    seconds: float,
    *,
    think: float = 1.0,
    seed: int = 13,
    at_least: int = 0,
    results: Results | None = None,
) -> Results:
    """Let every official learn for `seconds` (each finishes the page in hand, and at least
    `at_least` whole courses, so a short run always reaches a quiz). Pass `results` to watch
    them fill from another thread."""
    results = results if results is not None else Results()
    return asyncio.run(
        _drive(
            base,
            usernames,
            courses,
            seconds,
            think=think,
            seed=seed,
            at_least=at_least,
            results=results,
        )
    )


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
    }
    return {
        table.__tablename__: sorted(
            tuple(row) for row in db.session.execute(select(*table.__table__.columns).where(where))
        )
        for table, where in counted.items()
    }


# Reporting --------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def report(results: Results) -> str:
    """Requests per second overall, and p50/p95/p99 in milliseconds per step."""
    lines = [
        f"{results.requests} requests in {results.seconds:.1f} s: "
        f"{results.requests / results.seconds:.0f} req/s; statuses "
        + ", ".join(f"{code}×{n}" for code, n in sorted(results.statuses.items())),
        f"{len(results.completions)} completions and {len(results.attempts)} quiz attempts "
        f"acknowledged; {results.server_errors()} failed request(s)",
        f"{'step':<20}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}",
    ]
    for step, values in results.timings.items():
        ms = [v * 1000 for v in values]
        lines.append(
            f"{step:<20}{len(ms):>7}{statistics.median(ms):>9.1f}"
            f"{percentile(ms, 0.95):>9.1f}{percentile(ms, 0.99):>9.1f}"
        )
    return "\n".join(lines)


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
            results = drive(
                f"http://127.0.0.1:{port}",
                usernames,
                courses,
                args.seconds,
                think=args.think,
                seed=run,
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
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--database-url", help="a PostgreSQL server URL; default: SQLite")
    args = parser.parse_args()
    failed = False
    for run in range(1, args.runs + 1):
        results, problems = run_once(args, run)
        print(
            f"run {run}: {args.officials} officials, {args.seconds:.0f} s, "
            f"gunicorn {args.workers} workers, think {args.think} s"
        )
        print(report(results))
        for problem in [*results.failures[:10], *problems]:
            print(f"  PROBLEM {problem}")
        failed |= bool(results.failures or problems)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
