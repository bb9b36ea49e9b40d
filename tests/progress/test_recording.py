"""The progress writer, called directly: every write is idempotent, progress only moves
forward, and the rollups it keeps change by exactly what happened."""

from __future__ import annotations

from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import (
    CompletionRollup,
    CourseProgress,
    CourseRollup,
    LessonCompletion,
    PeopleRollup,
    RequiredCompletion,
)
from elearn.models.rollup import TOTAL
from elearn.progress import recording, rollup
from elearn.progress.queries import course_states
from elearn.progress.status import Status
from tests.coursekit import right_answers, sync, write_course


def _rollup_row(user, course) -> tuple[int, int]:
    """(started, completed) on the learner's unit's total row for the course."""
    row = db.session.execute(
        select(CourseRollup.started, CourseRollup.completed).where(
            CourseRollup.unit_id == user.unit_id,
            CourseRollup.course_id == course.id,
            CourseRollup.category == TOTAL,
        )
    ).first()
    return tuple(row) if row else (0, 0)


def _completions(course) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(CompletionRollup.completions), 0)).where(
            CompletionRollup.course_id == course.id
        )
    )


def _required_done(user) -> tuple[int, object]:
    """(the unit total's count of people done with every required course, this person's date)."""
    done = db.session.scalar(
        select(PeopleRollup.required_done).where(
            PeopleRollup.unit_id == user.unit_id, PeopleRollup.category == TOTAL
        )
    )
    return done, db.session.scalar(
        select(RequiredCompletion.completed_at).where(RequiredCompletion.user_id == user.id)
    )


def _snapshot() -> list:
    tables = (CourseRollup, CompletionRollup, PeopleRollup, RequiredCompletion)
    return [
        sorted(tuple(r) for r in db.session.execute(select(*t.__table__.c)).all()) for t in tables
    ]


def _pass_quiz(user, quiz) -> None:
    attempt = recording.start_attempt(user, quiz)
    assert recording.submit_attempt(user, attempt, quiz, right_answers(attempt, quiz))


def test_a_lesson_done_twice_is_recorded_once_and_counted_once(app, learner, load):
    with app.app_context():
        user, course, items = load()
        assert _rollup_row(user, course) == (0, 0)
        assert recording.complete_lesson(user, items["mat-khau"]) is True
        assert recording.complete_lesson(user, items["mat-khau"]) is False
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(LessonCompletion)) == 1
        assert db.session.scalar(select(func.count()).select_from(CourseProgress)) == 1
        assert _rollup_row(user, course) == (1, 0)  # one learner started, whatever the steps
        (state,) = course_states(user, [course])
        assert state.status is Status.IN_PROGRESS and state.done_count == 1


def test_a_course_completes_once_and_stays_completed_when_it_grows(app, learner, load, course_root):
    with app.app_context():
        user, course, items = load()
        recording.complete_lesson(user, items["mat-khau"])
        recording.complete_lesson(user, items["otp"])
        _pass_quiz(user, items["kiem-tra"])
        db.session.commit()
        progress = db.session.scalar(select(CourseProgress))
        first_completion, code = progress.completed_at, progress.certificate_code
        assert first_completion is not None and code
        assert _rollup_row(user, course) == (1, 1) and _completions(course) == 1
        assert _required_done(user) == (1, first_completion)
        # A passing attempt again and the same lesson again change nothing.
        _pass_quiz(user, items["kiem-tra"])
        recording.complete_lesson(user, items["otp"])
        assert recording.refresh_course_completion(user, course) is False
        db.session.commit()
    # The course gains a lesson: the learner stays completed, with the new lesson shown as new.
    write_course(
        course_root,
        max_attempts=3,
        lessons=(("mat-khau", "Mật khẩu mạnh"), ("otp", "Mã OTP"), ("moi", "Bài mới")),
    )
    with app.app_context():
        sync(course_root)
        user, course, items = load()
        progress = db.session.scalar(select(CourseProgress))
        assert (progress.completed_at, progress.certificate_code) == (first_completion, code)
        (state,) = course_states(user, [course])
        assert state.status is Status.COMPLETED
        assert [s.item.slug for s in state.new_items] == ["moi"]
        assert _rollup_row(user, course) == (1, 1) and _completions(course) == 1


def test_a_replayed_submission_is_graded_once_and_the_best_score_never_drops(app, learner, load):
    with app.app_context():
        user, course, items = load()
        quiz = items["kiem-tra"]
        attempt = recording.start_attempt(user, quiz)
        sent = right_answers(attempt, quiz)
        assert recording.submit_attempt(user, attempt, quiz, sent) is True
        assert recording.submit_attempt(user, attempt, quiz, sent) is False
        db.session.commit()
        assert db.session.scalar(select(CourseProgress.best_score)) == 100.0
        worse = recording.start_attempt(user, quiz)
        recording.submit_attempt(user, worse, quiz, recording.Submission(worse.token, {}))
        db.session.commit()
        assert worse.score == 0 and db.session.scalar(select(CourseProgress.best_score)) == 100.0
        assert worse.number == 2 and recording.attempts_used(user, quiz) == 2


def test_the_counters_kept_on_the_way_equal_a_recount(app, learner, load, make_user):
    make_user("binh", unit="09163", category="cong_chuc", it_level="Chứng chỉ")
    make_user("staff", unit="09163", category="khac")  # learns, but is not counted
    make_user("chi", unit="09367", category="can_bo")
    with app.app_context():
        an, course, items = load("an")
        binh, _, _ = load("binh")
        chi, _, _ = load("chi")
        recording.complete_lesson(an, items["mat-khau"])
        staff, _, _ = load("staff")
        for person in (binh, chi, staff):
            recording.complete_lesson(person, items["mat-khau"])
            recording.complete_lesson(person, items["otp"])
            _pass_quiz(person, items["kiem-tra"])
        db.session.commit()
        kept = _snapshot()
        rollup.rebuild()
        db.session.commit()
        assert _snapshot() == kept
        assert _completions(course) == 2  # binh and chi; the staff member is not an official
        assert _required_done(binh)[0] == 1  # the unit total: binh only
