"""One more attempt: a manager's grant lets a stuck official take a used-up quiz once more."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from elearn.errors import NotFound
from elearn.extensions import db
from elearn.models import AttemptGrant, AuditEvent
from elearn.progress import grants, recording
from tests.coursekit import right_answers


def _fail(user, quiz, times: int) -> None:
    for _ in range(times):
        attempt = recording.start_attempt(user, quiz)
        recording.submit_attempt(user, attempt, quiz, recording.Submission(attempt.token, {}))


def test_a_grant_allows_exactly_one_more_attempt_and_is_audited(app, learner, make_user, load):
    make_user("ql", unit="256", role="manager")
    with app.app_context():
        user, _course, items = load()
        manager, *_ = load("ql")
        quiz = items["kiem-tra"]
        _fail(user, quiz, 3)
        with pytest.raises(recording.NoAttemptsLeft):
            recording.start_attempt(user, quiz)
        assert grants.standing(user, quiz).stuck
        after = grants.grant_extra_attempt(manager, user, quiz, ip="10.0.0.9")
        assert (after.used, after.allowed, after.left, after.stuck) == (3, 4, 1, False)
        attempt = recording.start_attempt(user, quiz)
        assert attempt.number == 4
        recording.submit_attempt(user, attempt, quiz, right_answers(attempt, quiz))
        with pytest.raises(recording.NoAttemptsLeft):
            recording.start_attempt(user, quiz)  # one more, not unlimited
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attempt.granted"))
        assert (event.actor_id, event.target, event.ip) == (manager.id, "an", "10.0.0.9")
        assert event.detail == {"course": "an-toan", "quiz": "kiem-tra", "attempt": 4}


def test_a_second_grant_before_the_attempt_is_used_grants_nothing(app, learner, make_user, load):
    make_user("ql", unit="256", role="manager")
    with app.app_context():
        user, _course, items = load()
        manager, *_ = load("ql")
        quiz = items["kiem-tra"]
        _fail(user, quiz, 3)
        grants.grant_extra_attempt(manager, user, quiz)
        with pytest.raises(grants.NothingToGrant):
            grants.grant_extra_attempt(manager, user, quiz)
        assert db.session.scalar(select(func.count()).select_from(AttemptGrant)) == 1


def test_nothing_to_grant_while_attempts_are_left_or_the_quiz_is_passed(
    app, learner, make_user, load
):
    make_user("ql", unit="256", role="manager")
    with app.app_context():
        user, _course, items = load()
        manager, *_ = load("ql")
        quiz = items["kiem-tra"]
        _fail(user, quiz, 1)
        with pytest.raises(grants.NothingToGrant):
            grants.grant_extra_attempt(manager, user, quiz)
        attempt = recording.start_attempt(user, quiz)
        recording.submit_attempt(user, attempt, quiz, right_answers(attempt, quiz))
        _fail(user, quiz, 1)
        assert grants.standing(user, quiz).passed and not grants.standing(user, quiz).stuck
        with pytest.raises(grants.NothingToGrant):
            grants.grant_extra_attempt(manager, user, quiz)


@pytest.mark.parametrize("unit", ["261", "09367"])  # another district, a commune of it
def test_a_manager_outside_the_officials_units_finds_no_one(app, learner, make_user, load, unit):
    make_user("ql", unit=unit, role="manager")
    with app.app_context():
        user, _course, items = load()
        manager, *_ = load("ql")
        _fail(user, items["kiem-tra"], 3)
        with pytest.raises(NotFound):
            grants.grant_extra_attempt(manager, user, items["kiem-tra"])
        assert db.session.scalar(select(func.count()).select_from(AttemptGrant)) == 0
