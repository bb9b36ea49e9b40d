"""Events a device queued offline, applied through the progress writer: each once, at the time
it happened (never in the future), in any order, and never for another account."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from elearn.clock import LOCAL_TZ, utcnow
from elearn.extensions import db
from elearn.models import (
    AppliedEvent,
    AuditEvent,
    CompletionRollup,
    CourseItem,
    CourseProgress,
    LessonCompletion,
    QuizAttempt,
)
from elearn.progress import events, recording, rollup
from tests.coursekit import right_answers, sync, write_course


def _event(item: str, event_id: str, at: datetime, **extra) -> events.Event:
    fields = {"type": "lesson_completed", "course": "an-toan", "account": None} | extra
    return events.Event(id=event_id, item=item, at=at, **fields)


def _published_days_ago(days: int) -> None:
    """Move the course's publication back, so events from the last days are not clamped."""
    db.session.execute(
        update(CourseItem).values(first_published_at=utcnow() - timedelta(days=days))
    )
    db.session.commit()


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _statuses(results) -> list[tuple[str, str | None]]:
    return [(r.status, r.reason) for r in results]


def test_a_replayed_and_reordered_queue_records_each_completion_once(app, learner, load):
    hour_ago = utcnow() - timedelta(hours=1)
    first = _event("mat-khau", "event-0001", hour_ago)
    second = _event("otp", "event-0002", hour_ago + timedelta(minutes=5))
    with app.app_context():
        _published_days_ago(1)
        user, _, _ = load()
        results = events.apply_batch(user, [second, first, first])
        db.session.commit()
        assert _statuses(results) == [
            ("applied", None),
            ("applied", None),
            ("duplicate", "replayed"),
        ]
        again = events.apply_batch(user, [first, second])
        db.session.commit()
        assert _statuses(again) == [("duplicate", "replayed")] * 2
        assert _count(LessonCompletion) == 2 and _count(AppliedEvent) == 2
        # A new event for a lesson already done changes nothing either.
        (late,) = events.apply_batch(user, [_event("otp", "event-0003", utcnow())])
        assert (late.status, late.reason) == ("duplicate", "already_completed")


def test_steps_arriving_late_keep_their_own_times(app, learner, load):
    now = utcnow()
    with app.app_context():
        _published_days_ago(1)
        user, _, _ = load()
        events.apply_batch(user, [_event("otp", "event-0002", now - timedelta(hours=2))])
        five_hours_ago = (now - timedelta(hours=5)).astimezone(LOCAL_TZ)  # as a phone says it
        events.apply_batch(user, [_event("mat-khau", "event-0001", five_hours_ago)])
        db.session.commit()
        progress = db.session.scalar(select(CourseProgress))
        assert progress.started_at == now - timedelta(hours=5)
        assert progress.last_activity_at == now - timedelta(hours=2)
        times = db.session.scalars(select(LessonCompletion.completed_at)).all()
        assert sorted(times) == [now - timedelta(hours=5), now - timedelta(hours=2)]


def test_a_time_in_the_future_or_before_the_lesson_existed_is_clamped(app, learner, load):
    with app.app_context():
        user, _, items = load()
        before = utcnow()
        (future,) = events.apply_batch(
            user, [_event("mat-khau", "event-0001", before + timedelta(days=3))]
        )
        assert before <= future.recorded_at <= utcnow()
        (ancient,) = events.apply_batch(
            user, [_event("otp", "event-0002", datetime(2001, 1, 1, tzinfo=UTC))]
        )
        db.session.commit()
        assert ancient.recorded_at == items["otp"].first_published_at
        assert db.session.scalar(select(func.max(LessonCompletion.completed_at))) <= utcnow()


def test_a_course_finished_by_a_late_event_completes_when_its_last_step_was_done(
    app, learner, load
):
    three_days_ago = utcnow() - timedelta(days=3)
    two_days_ago = utcnow() - timedelta(days=2)
    with app.app_context():
        _published_days_ago(4)
        user, course, items = load()
        recording.complete_lesson(user, items["otp"], three_days_ago)
        quiz = items["kiem-tra"]
        attempt = recording.start_attempt(user, quiz)
        recording.submit_attempt(user, attempt, quiz, right_answers(attempt, quiz))
        db.session.execute(update(QuizAttempt).values(submitted_at=three_days_ago))
        db.session.commit()
        assert db.session.scalar(select(CourseProgress.completed_at)) is None
        events.apply_batch(user, [_event("mat-khau", "event-0001", two_days_ago)])
        db.session.commit()
        progress = db.session.scalar(select(CourseProgress))
        assert progress.completed_at == two_days_ago and progress.certificate_code
        days = db.session.scalars(select(CompletionRollup.day)).all()
        assert days == [two_days_ago.astimezone(LOCAL_TZ).date()]
        kept = sorted(db.session.execute(select(*CompletionRollup.__table__.c)).all())
        rollup.rebuild()
        assert sorted(db.session.execute(select(*CompletionRollup.__table__.c)).all()) == kept


def test_an_event_for_a_retired_lesson_is_kept_as_history(app, learner, load, course_root):
    write_course(course_root, max_attempts=3, lessons=(("mat-khau", "Mật khẩu mạnh"),))
    with app.app_context():
        sync(course_root)
        user, _, items = load()
        assert items["otp"].status == "retired"
        (result,) = events.apply_batch(user, [_event("otp", "event-0001", utcnow())])
        db.session.commit()
        assert (result.status, result.reason) == ("applied", "retired_lesson")
        assert _count(LessonCompletion) == 1


def test_events_for_another_account_are_refused_and_logged(app, learner, load, caplog):
    with app.app_context():
        user, _, _ = load()
        batch = [
            _event("mat-khau", "event-0001", utcnow(), account="binh"),
            _event("otp", "event-0002", utcnow(), account="an"),
        ]
        with caplog.at_level(logging.WARNING, logger="elearn.progress.events"):
            results = events.apply_batch(user, batch, ip="10.0.0.7")
        db.session.commit()
        assert _statuses(results) == [("refused", "other_account"), ("applied", None)]
        assert "'binh'" in caplog.text and "'an'" in caplog.text
        logged = db.session.scalar(select(AuditEvent).where(AuditEvent.action.like("progress.%")))
        assert (logged.action, logged.target, logged.ip) == (
            "progress.events_refused",
            "binh",
            "10.0.0.7",
        )
        assert logged.detail == {"events": 1} and logged.actor_id == user.id
        assert _count(LessonCompletion) == 1


def test_unknown_lessons_quizzes_and_types_are_refused(app, learner, load):
    with app.app_context():
        user, _, _ = load()
        results = events.apply_batch(
            user,
            [
                _event("khong-co", "event-0001", utcnow()),
                _event("kiem-tra", "event-0002", utcnow()),  # a quiz is passed online only
                _event("mat-khau", "event-0003", utcnow(), course="khac"),
                _event("mat-khau", "event-0004", utcnow(), type="quiz_passed"),
            ],
        )
        assert _statuses(results) == [
            ("refused", "unknown_lesson"),
            ("refused", "unknown_lesson"),
            ("refused", "unknown_lesson"),
            ("refused", "unknown_type"),
        ]
        assert _count(LessonCompletion) == 0 and _count(AppliedEvent) == 0


GOOD = {
    "id": "3f1c9a0e-1111-4a2b-9c3d-000000000001",
    "type": "lesson_completed",
    "course": "an-toan",
    "item": "mat-khau",
    "at": "2026-01-05T08:30:00+07:00",
}


@pytest.mark.parametrize(
    "body, problem",
    [
        ({"events": [GOOD]}, "must be a JSON list"),
        ([GOOD] * 101, "at most 100 events"),
        (["mat-khau"], "event 0: must be an object"),
        ([GOOD | {"id": "short"}], "event 0: id must be"),
        ([GOOD | {"id": "x" * 65}], "event 0: id must be"),
        ([GOOD, GOOD | {"id": "a b c d e f g h"}], "event 1: id must be"),
        ([GOOD | {"item": 5}], "event 0: item must be"),
        ([{k: v for k, v in GOOD.items() if k != "course"}], "event 0: course must be"),
        ([GOOD | {"at": "2026-01-05T08:30:00"}], "must give its time zone"),
        ([GOOD | {"at": "05/01/2026"}], "not an ISO 8601 time"),
        ([GOOD | {"at": 1767576600}], "at must be an ISO 8601 time"),
        ([GOOD | {"account": ["an"]}], "account must be a username"),
    ],
)
def test_a_malformed_batch_is_refused_whole(body, problem):
    with pytest.raises(events.BadBatch, match=problem):
        events.parse_batch(body)


def test_a_well_formed_batch_reads_every_field():
    (event,) = events.parse_batch([GOOD | {"at": "2026-01-05T01:30:00Z", "account": "an"}])
    assert event == events.Event(
        id=GOOD["id"],
        type="lesson_completed",
        course="an-toan",
        item="mat-khau",
        at=datetime(2026, 1, 5, 1, 30, tzinfo=UTC),
        account="an",
    )
