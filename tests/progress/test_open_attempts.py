"""One open attempt per learner and quiz: the database refuses a second, and requests that
start a quiz at the same moment all get the same attempt."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from elearn.extensions import db
from elearn.models import QuizAttempt
from elearn.progress import recording
from tests.coursekit import right_answers


def test_the_database_refuses_a_second_open_attempt(app, learner, load):
    with app.app_context():
        user, _course, items = load()
        quiz = items["kiem-tra"]
        recording.start_attempt(user, quiz)
        db.session.commit()
        with pytest.raises(IntegrityError):
            db.session.execute(
                insert(QuizAttempt).values(
                    user_id=user.id, item_id=quiz.id, number=2, token="second-open", responses=[]
                )
            )
        db.session.rollback()


def test_submitted_attempts_do_not_count_as_open(app, learner, load):
    with app.app_context():
        user, _course, items = load()
        quiz = items["kiem-tra"]
        for _ in range(2):  # two attempts, each submitted before the next starts
            attempt = recording.start_attempt(user, quiz)
            recording.submit_attempt(user, attempt, quiz, right_answers(attempt, quiz))
            db.session.commit()
        assert recording.attempts_used(user, quiz) == 2


def test_simultaneous_starts_share_one_attempt(app, learner, load):
    with app.app_context():
        user, _course, items = load()
        quiz = items["kiem-tra"]
        first = recording.start_attempt(user, quiz)  # one attempt done: the race is for #2
        recording.submit_attempt(user, first, quiz, right_answers(first, quiz))
        db.session.commit()
        user_id, quiz_id = user.id, quiz.id
    barrier = threading.Barrier(4)
    opened: list[int] = []
    errors: list[BaseException] = []

    def start() -> None:
        try:
            with app.app_context():
                user, _course, items = load()
                barrier.wait(timeout=10)
                opened.append(recording.start_attempt(user, items["kiem-tra"]).id)
                db.session.commit()
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(set(opened)) == 1
    with app.app_context():
        open_count = db.session.scalar(
            select(func.count()).where(
                QuizAttempt.user_id == user_id,
                QuizAttempt.item_id == quiz_id,
                QuizAttempt.submitted_at.is_(None),
            )
        )
        assert open_count == 1
