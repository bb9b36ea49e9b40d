"""POST /api/v1/me/events: what a device that was offline sends, answered per event, applied
once, refused whole when malformed, and protected like any form."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import func, select

from elearn.clock import utcnow
from elearn.extensions import db
from elearn.models import AppliedEvent, LessonCompletion

URL = "/api/v1/me/events"
IN_THREE_DAYS = (utcnow() + timedelta(days=3)).isoformat()


def _event(item: str, event_id: str, **extra) -> dict:
    return {
        "id": event_id,
        "type": "lesson_completed",
        "course": "an-toan",
        "item": item,
        "at": IN_THREE_DAYS,  # in the future: clamped to the arrival time
        **extra,
    }


def _send(client, body, token: str | None = None, **headers):
    if token is None:
        token = client.get(URL).json["csrf_token"]
    return client.post(URL, json=body, headers={"X-CSRFToken": token, **headers})


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(m))
            for m in (LessonCompletion, AppliedEvent)
        )


def test_the_device_learns_whose_session_it_is(app, official):
    answer = official.get(URL)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert answer.json["account"] == "an" and answer.json["max_events"] == 100
    assert len(answer.json["csrf_token"]) > 20
    anonymous = app.test_client().get(URL)
    assert anonymous.status_code == 401


def test_a_queue_sent_twice_records_each_completion_once(app, official):
    batch = [_event("otp", "device-event-2"), _event("mat-khau", "device-event-1", account="an")]
    first = _send(official, batch)
    assert first.status_code == 200
    results = first.json["results"]
    assert [(r["id"], r["status"]) for r in results] == [
        ("device-event-2", "applied"),
        ("device-event-1", "applied"),
    ]
    arrived = datetime.fromisoformat(results[0]["recorded_at"])
    assert arrived <= utcnow() < datetime.fromisoformat(IN_THREE_DAYS)  # clamped on arrival
    again = _send(official, list(reversed(batch)))
    assert [r["status"] for r in again.json["results"]] == ["duplicate", "duplicate"]
    assert {r["reason"] for r in again.json["results"]} == {"replayed"}
    assert _counts(app) == (2, 2)
    progress = official.get("/api/v1/me/progress").json["courses"][0]
    assert (progress["lessons_done"], progress["status"]) == (2, "in_progress")
    course_page = official.get("/courses/an-toan").get_data(as_text=True)
    assert course_page.count('<li class="done">') == 2


def test_events_for_another_account_are_refused(app, official):
    response = _send(official, [_event("otp", "device-event-1", account="binh")])
    assert response.json["results"] == [
        {"id": "device-event-1", "status": "refused", "reason": "other_account"}
    ]
    assert _counts(app) == (0, 0)


def test_a_malformed_or_oversized_batch_is_a_400_with_nothing_applied(app, official):
    token = official.get(URL).json["csrf_token"]
    good = _event("otp", "device-event-1")
    bad_time = _send(official, [good, _event("mat-khau", "device-event-2", at="hôm qua")], token)
    assert bad_time.status_code == 400
    assert bad_time.json == {"error": "event 1: at is not an ISO 8601 time: hôm qua"}
    too_many = _send(official, [good] * 101, token)
    assert too_many.status_code == 400 and "at most 100 events" in too_many.json["error"]
    padded = [good | {"padding": "x" * 70_000}]
    assert _send(official, padded, token).status_code == 400
    not_json = official.post(
        URL, data="id=1", headers={"X-CSRFToken": token, "Content-Type": "text/plain"}
    )
    assert not_json.status_code == 400 and "must be JSON" in not_json.json["error"]
    broken = official.post(
        URL,
        data=json.dumps([good])[:-2],
        headers={"X-CSRFToken": token, "Content-Type": "application/json"},
    )
    assert broken.status_code == 400
    assert _counts(app) == (0, 0)


def test_a_session_post_without_the_csrf_token_is_refused(app, official):
    response = official.post(URL, json=[_event("otp", "device-event-1")])
    assert response.status_code == 400 and "CSRF" in response.json["error"]
    assert _send(official, [_event("otp", "device-event-1")], token="forged").status_code == 400
    assert _counts(app) == (0, 0)


def test_an_api_token_sends_events_without_a_csrf_token(app, official, make_user, runner):
    make_user("ql-xa", role="manager")
    token = runner.invoke(args=["tokens", "create", "ql-xa"]).output.strip()
    api = app.test_client()
    response = api.post(
        URL,
        json=[_event("otp", "device-event-1", account="ql-xa")],
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    assert response.json["results"][0]["status"] == "applied"
    assert _counts(app) == (1, 1)
