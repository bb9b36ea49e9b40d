"""Prometheus counters the application keeps: requests, learning steps, sign-ins, database.

The metric objects live here, below every layer, so the services that record a step can count
it; `elearn.ops` exports them at /metrics. Under gunicorn with PROMETHEUS_MULTIPROC_DIR set
(deploy/gunicorn.conf.py sets it) every worker writes its values to that folder and /metrics
adds them up, so the figures cover the whole server rather than one worker.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

# Seconds; a lesson page answers in a few milliseconds, a report in tens, an outage in seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

requests = Counter(
    "elearn_http_requests",
    "HTTP requests answered, by route pattern, method and status code.",
    ["route", "method", "status"],
)
latency = Histogram(
    "elearn_http_request_duration_seconds",
    "Time to answer a request, by route pattern and method.",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
lesson_completions = Counter(
    "elearn_lesson_completions", "Lessons recorded as finished (a repeated press counts once)."
)
quiz_submissions = Counter(
    "elearn_quiz_submissions", "Quiz attempts graded, by result.", ["passed"]
)
failed_sign_ins = Counter("elearn_failed_sign_ins", "Sign-ins refused, by reason.", ["reason"])
database_errors = Counter(
    "elearn_database_errors",
    "Requests answered 503 because the database failed, by kind of failure.",
    ["kind"],
)


def exposition() -> tuple[bytes, str]:
    """The current figures in Prometheus text format, summed over workers when there are
    several, and the content type to send them with."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=folder)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
