"""What an operator sees: a request id on every answer, one log line per request (JSON when
asked), and Prometheus figures at /metrics for those allowed to read them."""

from __future__ import annotations

import json
import logging
import re

import pytest
from prometheus_client.parser import text_string_to_metric_families

from elearn.errors import ConfigError
from elearn.ops.logs import JsonFormatter, TextFormatter
from tests.coursekit import sync, write_course
from tests.webkit import csrf_token, login

METRICS_TOKEN = "m3tr1cs-t0ken-for-the-test-9f8e7d"


def test_every_answer_carries_a_request_id(client):
    ids = {client.get(path).headers["X-Request-ID"] for path in ("/login", "/nowhere", "/healthz")}
    assert len(ids) == 3 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)


def test_a_proxys_request_id_is_kept_and_a_strange_one_replaced(client):
    kept = client.get("/login", headers={"X-Request-ID": "nginx-7f3a9c.1"})
    assert kept.headers["X-Request-ID"] == "nginx-7f3a9c.1"
    replaced = client.get("/login", headers={"X-Request-ID": "x" * 65})
    assert replaced.headers["X-Request-ID"] != "x" * 65
    odd = client.get("/login", headers={"X-Request-ID": "a b\tc"})
    assert re.fullmatch(r"[0-9a-f]{32}", odd.headers["X-Request-ID"])


def test_one_json_log_line_per_request_with_who_and_how_long(client, make_user, caplog):
    user = make_user("an")
    login(client, "an")
    with caplog.at_level(logging.INFO, logger="elearn.request"):
        response = client.get("/courses/khong-co")
    (record,) = [r for r in caplog.records if r.name == "elearn.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["method"] == "GET" and line["route"] == "/courses/<slug>"
    assert line["status"] == 404 and line["user_id"] == user.id
    assert line["duration_ms"] >= 0 and line["time"].endswith("+00:00")
    text = TextFormatter().format(record)
    assert "GET /courses/<slug> 404" in text and f"user={user.id}" in text


def _figures(client, **headers) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }


def test_metrics_are_closed_unless_a_token_or_an_address_opens_them(make_app):
    closed = make_app().test_client()
    assert closed.get("/metrics").status_code == 404
    with_token = make_app(METRICS_TOKEN=METRICS_TOKEN).test_client()
    assert with_token.get("/metrics").status_code == 404
    wrong = {"Authorization": "Bearer " + "x" * len(METRICS_TOKEN)}
    assert with_token.get("/metrics", headers=wrong).status_code == 404
    right = {"Authorization": f"bearer {METRICS_TOKEN}"}  # the scheme in any case
    assert with_token.get("/metrics", headers=right).status_code == 200
    by_address = make_app(METRICS_ALLOW="10.0.0.0/8, 127.0.0.1").test_client()
    assert by_address.get("/metrics").status_code == 200
    elsewhere = make_app(METRICS_ALLOW="10.0.0.0/8").test_client()
    assert elsewhere.get("/metrics").status_code == 404


@pytest.mark.parametrize("value", ["127.0.0.300", "everyone"])
def test_a_wrong_metrics_address_stops_the_app_naming_the_setting(make_app, value):
    with pytest.raises(ConfigError, match="ELEARN_METRICS_ALLOW"):
        make_app(METRICS_ALLOW=value)


def test_metrics_count_requests_completions_quizzes_and_failed_sign_ins(
    make_app, make_user, tmp_path
):
    app = make_app(METRICS_ALLOW="127.0.0.1")
    write_course(tmp_path / "courses")
    with app.app_context():
        sync(tmp_path / "courses")
    make_user("an")
    client = app.test_client()
    before = _figures(client)
    login(client, "khong-co-ai", "sai-mat-khau-123")
    login(client, "an")
    token = csrf_token(client, "/courses/an-toan/mat-khau")
    for _ in range(2):  # a double press records one completion
        client.post("/courses/an-toan/mat-khau/complete", data={"csrf_token": token})
    started = client.post("/courses/an-toan/kiem-tra/start", data={"csrf_token": token})
    attempt = client.get(started.location).get_data(as_text=True)
    attempt_token = re.search(r'name="attempt_token" value="([^"]+)"', attempt).group(1)
    client.post(started.location, data={"csrf_token": token, "attempt_token": attempt_token})
    after = _figures(client)

    def grew(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert grew("elearn_lesson_completions_total") == 1
    assert grew("elearn_quiz_submissions_total", passed="no") == 1
    assert grew("elearn_failed_sign_ins_total", reason="wrong-password") == 1
    route = "/courses/<slug>/<item_slug>/complete"
    assert grew("elearn_http_requests_total", route=route, method="POST", status="302") == 2
    assert grew("elearn_http_request_duration_seconds_count", route=route, method="POST") == 2
