"""Test out: the final quiz of a `test_out: yes` course, passed before the lessons, completes
the course and says so; failing it points to lessons; anything else is refused."""

from __future__ import annotations

import pytest

from elearn.progress import queries, recording, test_out
from elearn.progress.status import VIA_LESSONS, VIA_TEST_OUT
from tests.coursekit import right_answers, sync, write_course


@pytest.fixture
def test_out_course(app, course_root) -> str:
    """A course of two lessons and a five-question quiz that allows testing out."""
    write_course(course_root, "thu-nghiem", test_out="yes", max_attempts=2, required="no")
    write_course(course_root, "khong-thu", max_attempts=2, required="no")
    with app.app_context():
        sync(course_root)
    return "thu-nghiem"


@pytest.fixture
def official(make_user, test_out_course) -> str:
    make_user("an", unit="09163", category="can_bo")
    return "an"


def _progress(user, course):
    return queries.course_states(user, [course])[0].progress


def test_passing_the_test_out_quiz_completes_the_course_via_test_out(app, official, load):
    with app.app_context():
        user, course, items = load(slug="thu-nghiem")
        attempt = recording.start_test_out(user, course)
        assert attempt.item_id == items["kiem-tra"].id
        recording.submit_attempt(
            user, attempt, items["kiem-tra"], right_answers(attempt, items["kiem-tra"])
        )
        progress = _progress(user, course)
        assert progress.completed_at is not None
        assert progress.completed_via == VIA_TEST_OUT
        assert progress.certificate_code


def test_learning_every_lesson_completes_the_course_via_lessons(app, official, load):
    with app.app_context():
        user, course, items = load(slug="thu-nghiem")
        recording.complete_lesson(user, items["mat-khau"])
        recording.complete_lesson(user, items["otp"])
        attempt = recording.start_attempt(user, items["kiem-tra"])
        recording.submit_attempt(
            user, attempt, items["kiem-tra"], right_answers(attempt, items["kiem-tra"])
        )
        assert _progress(user, course).completed_via == VIA_LESSONS


def test_a_course_without_test_out_refuses_the_test_out_and_stays_incomplete(app, official, load):
    with app.app_context():
        user, course, items = load(slug="khong-thu")
        with pytest.raises(recording.TestOutNotAllowed):
            recording.start_test_out(user, course)
        assert _progress(user, course) is None  # nothing recorded
        # Passing the final quiz before the lessons, the ordinary way, does not complete it.
        attempt = recording.start_attempt(user, items["kiem-tra"])
        recording.submit_attempt(
            user, attempt, items["kiem-tra"], right_answers(attempt, items["kiem-tra"])
        )
        assert _progress(user, course).completed_at is None


def test_a_test_out_attempt_counts_towards_max_attempts(app, official, load):
    with app.app_context():
        user, course, items = load(slug="thu-nghiem")
        quiz = items["kiem-tra"]
        for _ in range(2):
            attempt = recording.start_test_out(user, course)
            recording.submit_attempt(user, attempt, quiz, recording.Submission(attempt.token, {}))
        with pytest.raises(recording.NoAttemptsLeft):
            recording.start_test_out(user, course)
        with pytest.raises(recording.NoAttemptsLeft):
            recording.start_attempt(user, quiz)
        assert recording.attempts_used(user, quiz) == 2
        assert _progress(user, course).completed_at is None


def test_a_failed_test_out_names_each_missed_question_with_its_lesson(app, official, load):
    with app.app_context():
        user, course, items = load(slug="thu-nghiem")
        quiz = items["kiem-tra"]
        attempt = recording.start_test_out(user, course)
        right = right_answers(attempt, quiz).responses
        # Questions 1 and 5 wrong (an empty answer); five questions over two lessons.
        sent = {k: v for k, v in right.items() if k not in ("otp", "do-dai")}
        recording.submit_attempt(user, attempt, quiz, recording.Submission(attempt.token, sent))
        assert attempt.passed is False
        state = queries.course_states(user, [course])[0]
        review = test_out.lessons_to_review(attempt.responses, state)
        assert [(r.question, r.lesson.number, r.lesson.item.slug) for r in review] == [
            (1, 1, "mat-khau"),
            (5, 2, "otp"),
        ]
        assert test_out.offers_test_out(state)  # attempts are left: the offer stays


def test_a_missed_question_that_names_its_lesson_is_sent_to_that_lesson(
    app, course_root, make_user, load
):
    """`lesson=` wins over the order rule, which would send question 1 to lesson 1 and
    question 5 to lesson 2 — the wrong way round for these two questions."""
    write_course(
        course_root,
        "co-tham-chieu",
        test_out="yes",
        required="no",
        question_lessons={"otp": "otp", "do-dai": "mat-khau"},
    )
    make_user("binh", unit="09163", category="can_bo")
    with app.app_context():
        sync(course_root)
        user, course, items = load(slug="co-tham-chieu", username="binh")
        quiz = items["kiem-tra"]
        attempt = recording.start_test_out(user, course)
        right = right_answers(attempt, quiz).responses
        sent = {k: v for k, v in right.items() if k not in ("otp", "do-dai")}
        recording.submit_attempt(user, attempt, quiz, recording.Submission(attempt.token, sent))
        state = queries.course_states(user, [course])[0]
        review = test_out.review_after(attempt, quiz, state)
        assert [(r.question, r.lesson.item.slug) for r in review] == [
            (1, "otp"),
            (5, "mat-khau"),
        ]


def test_the_offer_disappears_once_completed(app, official, load):
    with app.app_context():
        user, course, items = load(slug="thu-nghiem")
        assert test_out.offers_test_out(queries.course_states(user, [course])[0])
        attempt = recording.start_test_out(user, course)
        recording.submit_attempt(
            user, attempt, items["kiem-tra"], right_answers(attempt, items["kiem-tra"])
        )
        assert not test_out.offers_test_out(queries.course_states(user, [course])[0])
