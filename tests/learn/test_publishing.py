"""Publishing courses: all or nothing, versions that never lose a learner's progress."""

from __future__ import annotations

from sqlalchemy import func, select

from elearn.content.loader import load_collection
from elearn.content.sync import publish
from elearn.extensions import db
from elearn.models import (
    ContentSync,
    Course,
    CourseItem,
    CourseProgress,
    LessonCompletion,
    QuizAttempt,
    User,
)
from elearn.progress import recording
from tests.coursekit import right_answers, sync, write_course


def _snapshot() -> list:
    """Everything publishing may touch, to prove a failed run changed nothing."""
    rows = []
    for model in (Course, CourseItem, LessonCompletion, QuizAttempt):
        rows.append(
            sorted(
                tuple(getattr(r, c.key) for c in model.__table__.columns)
                for r in db.session.scalars(select(model))
            )
        )
    return rows


def test_sync_adds_then_changes_nothing_the_second_time(app, tmp_path):
    write_course(tmp_path)
    with app.app_context():
        first = sync(tmp_path)
        assert first.added == ["an-toan", "an-toan/mat-khau", "an-toan/otp", "an-toan/kiem-tra"]
        second = sync(tmp_path)
        assert (second.added, second.updated, second.retired) == ([], [], [])
        assert second.unchanged == [
            "an-toan",
            "an-toan/mat-khau",
            "an-toan/otp",
            "an-toan/kiem-tra",
        ]
        course = db.session.scalar(select(Course))
        assert course.version == 1 and course.required is True


def test_a_broken_course_leaves_the_database_exactly_as_it_was(app, runner, tmp_path):
    write_course(tmp_path)
    with app.app_context():
        sync(tmp_path)
        before = _snapshot()
    lesson = tmp_path / "an-toan" / "01-mat-khau.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    (tmp_path / "an-toan" / "02-otp.md").write_text("---\ntitle: thiếu mã\n---\n", encoding="utf-8")
    result = runner.invoke(args=["courses", "sync", str(tmp_path)])
    assert result.exit_code == 1
    assert "an-toan/02-otp.md:1: lỗi:" in result.output
    assert "Nothing was published" in result.output
    with app.app_context():
        assert _snapshot() == before
        failure = db.session.scalar(select(ContentSync).order_by(ContentSync.id.desc()))
        assert failure.ok is False and failure.problems[0].startswith("an-toan/02-otp.md:1:")


def _learner_with_progress(app, make_user, tmp_path) -> User:
    user = make_user("an")
    write_course(tmp_path)
    with app.app_context():
        sync(tmp_path)
        learner = db.session.get(User, user.id)
        for slug in ("mat-khau", "otp"):
            lesson = db.session.scalar(select(CourseItem).where(CourseItem.slug == slug))
            recording.complete_lesson(learner, lesson)
        db.session.commit()
    return user


def test_editing_renaming_and_reordering_files_keeps_progress(app, make_user, tmp_path):
    user = _learner_with_progress(app, make_user, tmp_path)
    folder = tmp_path / "an-toan"
    # Swap the lessons' order, rename their files, and edit one's text.
    (folder / "01-mat-khau.md").rename(folder / "02-mat-khau-manh.md")
    (folder / "02-otp.md").rename(folder / "01-ma-otp.md")
    edited = folder / "01-ma-otp.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nĐoạn mới.\n", encoding="utf-8")
    with app.app_context():
        report = sync(tmp_path)
        assert report.updated == ["an-toan", "an-toan/otp"]
        items = {i.slug: i for i in db.session.scalars(select(CourseItem))}
        assert (items["otp"].position, items["mat-khau"].position) == (1, 2)
        assert items["otp"].source_path.endswith("01-ma-otp.md")
        done = db.session.scalars(
            select(LessonCompletion.item_id).where(LessonCompletion.user_id == user.id)
        ).all()
        assert set(done) == {items["otp"].id, items["mat-khau"].id}
        assert db.session.scalar(select(Course.version)) == 2


def test_removed_lessons_and_courses_are_retired_not_deleted(app, make_user, tmp_path):
    user = _learner_with_progress(app, make_user, tmp_path)
    write_course(tmp_path, lessons=(("otp", "Mã OTP"),))
    write_course(tmp_path, "moi", title="Khoá mới")
    with app.app_context():
        report = sync(tmp_path)
        assert report.retired == ["an-toan/mat-khau"]
        assert "moi" in report.added
        mat_khau = db.session.scalar(select(CourseItem).where(CourseItem.slug == "mat-khau"))
        assert mat_khau.status == "retired"
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(LessonCompletion)
                .where(LessonCompletion.user_id == user.id)
            )
            == 2
        )
    for path in (tmp_path / "an-toan").iterdir():
        path.unlink()
    (tmp_path / "an-toan").rmdir()
    with app.app_context():
        report = sync(tmp_path)
        assert "an-toan" in report.retired
        assert db.session.scalar(select(Course.status).where(Course.slug == "an-toan")) == "retired"


def test_a_completed_course_stays_completed_when_lessons_are_added(app, make_user, tmp_path):
    user = make_user("an")
    write_course(tmp_path)
    with app.app_context():
        sync(tmp_path)
        learner = db.session.get(User, user.id)
        items = {i.slug: i for i in db.session.scalars(select(CourseItem))}
        for slug in ("mat-khau", "otp"):
            recording.complete_lesson(learner, items[slug])
        quiz = items["kiem-tra"]
        attempt = recording.start_attempt(learner, quiz)
        recording.submit_attempt(learner, attempt, quiz, right_answers(attempt, quiz))
        db.session.commit()
        progress = db.session.scalar(select(CourseProgress))
        assert progress.completed_at is not None and progress.completed_version == 1
    write_course(
        tmp_path, lessons=(("mat-khau", "Mật khẩu mạnh"), ("otp", "Mã OTP"), ("vneid", "VNeID"))
    )
    with app.app_context():
        sync(tmp_path)
        progress = db.session.scalar(select(CourseProgress))
        assert progress.completed_at is not None and progress.completed_version == 1
        assert db.session.scalar(select(Course.version)) == 2


def test_quiz_answers_are_graded_against_their_version(app, make_user, tmp_path):
    """An attempt keeps the question text, answer and hash it was graded against."""
    user = make_user("an")
    write_course(tmp_path)
    with app.app_context():
        sync(tmp_path)
        learner = db.session.get(User, user.id)
        quiz = db.session.scalar(select(CourseItem).where(CourseItem.slug == "kiem-tra"))
        attempt = recording.start_attempt(learner, quiz)
        recording.submit_attempt(learner, attempt, quiz, right_answers(attempt, quiz))
        db.session.commit()
        graded = {r["question"]: r for r in attempt.responses}
        assert graded["otp"]["correct"] and "OTP" in graded["otp"]["text_html"]
        assert attempt.graded_hash == quiz.content_hash and attempt.score == 100.0


def test_draft_courses_are_stored_but_not_listed_for_learners(app, tmp_path):
    write_course(tmp_path, status="draft")
    with app.app_context():
        result = load_collection(tmp_path)
        publish(result, tmp_path)
        db.session.commit()
        assert db.session.scalar(select(Course.status)) == "draft"
