"""Benchmark: a signed-in official's lesson page under gunicorn, beside fixed bytes and Jinja.

    .venv/bin/python -m benchmarks.lesson_page [--seconds 10] [--rounds 3] [--connections 10]
        [--postgresql-url postgresql+psycopg://postgres@127.0.0.1/postgres] [--sqlite-only]

On SQLite and on PostgreSQL (a throwaway database on that server) the app and the baseline app
run under gunicorn, 2 sync workers each, and wrk loads, in turn and for `rounds` rounds
(interleaved, so the noise of a shared machine falls on all alike): the lesson page (signed
in), the sign-in page, /healthz, the baseline's fixed bytes (the lesson page's size) and its
plain Jinja page. Every request says `Accept-Encoding: br, gzip`, as a browser does. Prints
each target's requests per second, p50/p99, worker CPU per request and RSS as the median
(min–max) of the rounds, the lesson page's share of the fixed-bytes rate in each round, and
whether each target is met.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from benchmarks import sample_site
from benchmarks.load import database, worker_cpu_seconds
from elearn.paths import PROJECT_DIR

GUNICORN = [sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "sync"]
HEADERS = ["-H", "Accept-Encoding: br, gzip"]
SHARE_TARGET = {"sqlite": 0.25, "postgresql": 0.18}  # lesson page ÷ fixed bytes, same run
P99_TARGET_MS = 20.0  # lesson page at 10 connections, SQLite
RSS_TARGET_MB = 70.0


@dataclass
class Series:
    """One target's figures over the rounds."""

    rps: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)


def free_port() -> int:
    """A TCP port nobody listens on now, on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(target: str, env: dict[str, str], cwd: Path) -> tuple[subprocess.Popen, int]:
    """Start gunicorn on a free loopback port; wait until it accepts connections."""
    port = free_port()
    command = [*GUNICORN, "--log-level", "warning", "--bind", f"127.0.0.1:{port}", target]
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            time.sleep(0.5)  # both workers up
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{target} did not start")


def worker_rss_mb(master: subprocess.Popen) -> float:
    """The largest resident memory among the server's workers."""
    children = subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True, text=True)
    sizes = [0.0]
    for pid in children.stdout.split():
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return max(sizes)


def wrk(url: str, seconds: int, connections: int, cookie: str | None) -> dict[str, float]:
    """Load one URL with wrk; refuse any answer but 2xx."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *HEADERS, url]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if failed:
        raise RuntimeError(f"{failed.group(1)} failed responses from {url}")

    def millis(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": float(re.search(r"(\d+) requests in", out).group(1)),
        "p50": millis("50%"),
        "p99": millis("99%"),
    }


def spread(values: list[float], fmt: str = "{:.0f}") -> str:
    """Median (min–max)."""
    return (
        f"{fmt.format(statistics.median(values))} "
        f"({fmt.format(min(values))}–{fmt.format(max(values))})"
    )


def run(kind: str, url: str, args: argparse.Namespace) -> dict[str, Series]:
    """Build the site on `url`, then load every target in turn, `args.rounds` times."""
    site = sample_site.build(url, officials=args.officials)
    lesson_path, cookie = site.pages["lesson"]
    env = {
        **os.environ,
        "ELEARN_ENV": "development",
        "ELEARN_DATABASE_URL": url,
        "ELEARN_SECRET_KEY": sample_site.SECRET,
    }
    app, app_port = serve("wsgi:app", env, PROJECT_DIR)
    try:
        size = len(
            httpx.get(
                f"http://127.0.0.1:{app_port}{lesson_path}", headers={"Cookie": cookie}
            ).content
        )
        base_env = {**os.environ, "BASELINE_BYTES": str(size)}
        base, base_port = serve("baseline_app:app", base_env, PROJECT_DIR / "benchmarks")
        try:
            targets = {
                "lesson page": (app, app_port, lesson_path, cookie),
                "sign-in page": (app, app_port, "/", None),
                "/healthz": (app, app_port, "/healthz", None),
                "fixed bytes": (base, base_port, "/", None),
                "plain Jinja": (base, base_port, "/jinja", None),
            }
            for _server, port, path, sent in targets.values():  # warm up every worker
                wrk(f"http://127.0.0.1:{port}{path}", 1, args.connections, sent)
            results = {name: Series() for name in targets}
            for _round in range(args.rounds):
                for name, (server, port, path, sent) in targets.items():
                    before = worker_cpu_seconds(server)
                    figures = wrk(
                        f"http://127.0.0.1:{port}{path}", args.seconds, args.connections, sent
                    )
                    used = worker_cpu_seconds(server) - before
                    series = results[name]
                    series.rps.append(figures["rps"])
                    series.p50.append(figures["p50"])
                    series.p99.append(figures["p99"])
                    series.cpu_ms.append(1000 * used / max(figures["requests"], 1))
                    series.rss.append(worker_rss_mb(server))
        finally:
            base.terminate()
            base.wait(timeout=10)
    finally:
        app.terminate()
        app.wait(timeout=10)
    print(
        f"\n{kind}: lesson page {size} bytes before compression; gunicorn 2 sync workers; "
        f"wrk 2 threads × {args.connections} connections, {args.seconds} s × {args.rounds} rounds"
    )
    print(
        f"{'target':<14}{'req/s':>22}{'p50 ms':>20}{'p99 ms':>20}{'CPU ms/req':>20}{'RSS MB':>18}"
    )
    for name, s in results.items():
        print(
            f"{name:<14}{spread(s.rps):>22}{spread(s.p50, '{:.1f}'):>20}"
            f"{spread(s.p99, '{:.1f}'):>20}{spread(s.cpu_ms, '{:.2f}'):>20}"
            f"{spread(s.rss, '{:.1f}'):>18}"
        )
    return results


def verdicts(kind: str, results: dict[str, Series]) -> list[tuple[str, bool]]:
    """Each target of the issue with the figures that decide it."""
    fixed = results["fixed bytes"].rps
    shares = [lesson / base for lesson, base in zip(results["lesson page"].rps, fixed, strict=True)]
    for name in ("lesson page", "sign-in page", "/healthz", "plain Jinja"):
        ratios = [a / b for a, b in zip(results[name].rps, fixed, strict=True)]
        print(f"{name} ÷ fixed bytes, per round: {spread([100 * r for r in ratios], '{:.1f}')} %")
    share = statistics.median(shares)
    checks = [
        (
            f"{kind}: lesson page ≥ {SHARE_TARGET[kind]:.0%} of fixed bytes (median {share:.1%})",
            share >= SHARE_TARGET[kind],
        ),
    ]
    rss = max(results["lesson page"].rss + results["sign-in page"].rss + results["/healthz"].rss)
    checks.append(
        (
            f"{kind}: worker RSS ≤ {RSS_TARGET_MB:.0f} MB (largest {rss:.1f} MB)",
            rss <= RSS_TARGET_MB,
        )
    )
    if kind == "sqlite":
        p99 = statistics.median(results["lesson page"].p99)
        checks.append(
            (
                f"sqlite: lesson p99 ≤ {P99_TARGET_MS:.0f} ms (median {p99:.1f} ms)",
                p99 <= P99_TARGET_MS,
            )
        )
    return checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--officials", type=int, default=500)
    parser.add_argument(
        "--postgresql-url", default="postgresql+psycopg://postgres@127.0.0.1/postgres"
    )
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, {cpu_model()}, load average {os.getloadavg()[0]:.1f}")
    checks = []
    with tempfile.TemporaryDirectory() as tmp:
        with database(None, Path(tmp)) as url:
            checks += verdicts("sqlite", run("sqlite", url, args))
        if not args.sqlite_only:
            with database(args.postgresql_url, Path(tmp)) as url:
                checks += verdicts("postgresql", run("postgresql", url, args))
    print()
    for label, met in checks:
        print(f"{'met    ' if met else 'NOT MET'}  {label}")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


def cpu_model() -> str:
    """The processor's name, as /proc/cpuinfo gives it."""
    found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    return found.group(1) if found else "unknown processor"


if __name__ == "__main__":
    main()
