"""Benchmark: a signed-in official's lesson page under gunicorn, beside a fixed-bytes Flask app.

    .venv/bin/python benchmarks/lesson_page.py [--database-url URL] [--seconds 10]

Both apps run under the same gunicorn settings and are loaded by wrk on loopback. Prints
requests per second, p50/p99 latency and each worker's resident memory. Targets: the lesson
page at ≥ 50% of the baseline's requests per second, ≤ 80 MB RSS per worker.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from elearn import create_app
from elearn.admin.units import import_units
from elearn.content.loader import load_collection
from elearn.content.sync import placeholder_image_url, publish
from elearn.extensions import db
from elearn.paths import DATA_DIR, PROJECT_DIR
from elearn.people.accounts import create_person
from elearn.people.fields import PersonFields

SECRET = "benchmark-secret-0123456789abcdefghijkl"
PASSWORD = "hoa-sen-no-ven-ho-2026"
LESSON = "/courses/an-toan-thong-tin/mat-khau-va-xac-thuc-hai-lop"
GUNICORN = [
    sys.executable,
    "-m",
    "gunicorn",
    "--workers",
    "2",
    "--worker-class",
    "sync",
    "--log-level",
    "warning",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(url: str) -> tuple[str, int]:
    """Migrate, publish the shipped courses, create an official; return cookie and page size."""
    app = create_app({"ENV": "development", "DATABASE_URL": url, "SECRET_KEY": SECRET})
    with app.app_context():
        upgrade()
        import_units(DATA_DIR / "bac-ninh-units-2024.csv")
        create_person(None, PersonFields("bench", "Nguyễn Văn An", "09163"), password=PASSWORD)
        root = PROJECT_DIR / "courses"
        publish(load_collection(root, image_url=placeholder_image_url), root)
        db.session.commit()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
    body = client.get(LESSON).get_data()
    # The cookie a browser holds after its first page (the form token is in it by then);
    # the cookie set at sign-in would make every request issue a new one.
    cookie = client.get_cookie("session").value
    assert "Set-Cookie" not in client.get(LESSON).headers, "the session should be stable by now"
    return f"session={cookie}", len(body)


def serve(target: str, port: int, env: dict[str, str], cwd: Path) -> subprocess.Popen:
    process = subprocess.Popen([*GUNICORN, "--bind", f"127.0.0.1:{port}", target], env=env, cwd=cwd)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{target} did not start")


def worker_rss_mb(master: subprocess.Popen) -> list[float]:
    children = subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True, text=True)
    sizes = []
    for pid in children.stdout.split():
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return sizes


def load(url: str, seconds: int, cookie: str | None) -> dict[str, float]:
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", url]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise RuntimeError(f"{non_2xx.group(1)} failed responses from {url}")

    def millis(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": millis("50%"),
        "p99": millis("99%"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a new SQLite file")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        cookie, size = prepare(url)
        env = {
            **os.environ,
            "ELEARN_ENV": "development",
            "ELEARN_DATABASE_URL": url,
            "ELEARN_SECRET_KEY": SECRET,
            "BASELINE_BYTES": str(size),
        }
        results = {}
        # The health check is the app's cheapest answer (no user, one trivial query): the
        # floor any page of the app stands on, shown for comparison.
        for name, target, path, cwd, sent_cookie in (
            ("lesson page", "wsgi:app", LESSON, PROJECT_DIR, cookie),
            ("health check", "wsgi:app", "/healthz", PROJECT_DIR, None),
            ("fixed bytes", "baseline_app:app", "/", PROJECT_DIR / "benchmarks", None),
        ):
            port = free_port()
            server = serve(target, port, env, cwd)
            try:
                load(f"http://127.0.0.1:{port}{path}", 2, sent_cookie)  # warm up
                results[name] = load(f"http://127.0.0.1:{port}{path}", args.seconds, sent_cookie)
                results[name]["rss"] = max(worker_rss_mb(server))
            finally:
                server.terminate()
                server.wait(timeout=10)
    print(f"page size {size} bytes, gunicorn 2 sync workers, wrk 2 threads × 16 connections")
    for name, r in results.items():
        print(
            f"{name:<12} {r['rps']:8.0f} req/s   p50 {r['p50']:6.1f} ms   "
            f"p99 {r['p99']:6.1f} ms   worker RSS {r['rss']:5.1f} MB"
        )
    for name in ("lesson page", "health check"):
        ratio = results[name]["rps"] / results["fixed bytes"]["rps"]
        print(f"{name} at {ratio:.0%} of the baseline")


if __name__ == "__main__":
    main()
