"""Officials learning at once against gunicorn with 4 workers lose nothing (the short version
of benchmarks/load.py, on this run's database): no answer ≥ 500, every acknowledged
completion and attempt stored exactly once, rollups equal to a plain recount. The same run
shows the operator's view: one JSON log line per request, and /metrics summed over workers."""

from __future__ import annotations

import json

import httpx
from prometheus_client.parser import text_string_to_metric_families

from benchmarks import load, officials
from tests.opskit import crashes_in

METRICS_TOKEN = "m3tr1cs-t0ken-for-the-load-test-0a1b"


def _completions_counted(base: str) -> float:
    page = httpx.get(f"{base}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert page.status_code == 200
    families = {f.name: f for f in text_string_to_metric_families(page.text)}
    return sum(s.value for s in families["elearn_lesson_completions"].samples)


def test_officials_learning_at_once_lose_nothing(make_app, tmp_path):
    app = make_app()
    usernames = load.prepare(app, 8)
    port = load.free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "gunicorn.log"
    server = load.serve(
        app.config["SQLALCHEMY_DATABASE_URI"],
        port,
        workers=4,
        log=log,
        ELEARN_LOG_FORMAT="json",
        ELEARN_METRICS_TOKEN=METRICS_TOKEN,
    )
    try:
        results = officials.drive(
            base,
            usernames,
            load.published_courses(app),
            seconds=2,
            think=0.02,
            at_least=1,  # every official finishes a course, quiz included
        )
        counted = _completions_counted(base)
        crashes = crashes_in(log)  # read before the quick stop, whose exits are not requests
    finally:
        load.stop(server, graceful=False)  # every request has its answer by now
    summary = officials.report(results)
    assert results.failures == [], summary
    assert len({user for user, _ in results.completions}) == len(usernames), summary
    assert len(set(results.attempts.values())) == len(usernames), summary
    assert load.check_database(app, results) == []
    assert counted == len(results.completions), "every worker's count is in /metrics"
    assert crashes == []
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    logged = [line for line in lines if line.get("logger") == "elearn.request"]
    assert all(line["request_id"] and line["duration_ms"] >= 0 for line in logged)
    learning = [line for line in logged if line["route"] not in ("/healthz", "/metrics")]
    assert len(learning) == results.requests, "one log line per request"
