"""What officials see: home page, course, lesson and quiz pages, attempts and results."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.extensions import db
from elearn.learn import achievements, copies
from elearn.models import CourseItem, QuizAttempt
from elearn.plans import announcements, assignments, notices
from elearn.progress import grants, honours, passport, queries, recording, test_out
from elearn.progress.quiz_form import in_form_order, parse_submission, question_view

bp = Blueprint("learn", __name__)

MAX_QUIZ_BODY = 64 * 1024  # a quiz form is a few kilobytes; anything bigger is not a learner
MEGABYTE = 1024 * 1024


@bp.get("/")
@login_required
def home():
    """Show the learner's courses, assigned ones first with their due dates, with one button
    to carry on, and above them any announcements and unread reminders."""
    assigned = assignments.assignments_for(current_user)
    due = assignments.due_dates(assigned)
    states = queries.home_states(current_user, due)
    resume = queries.resume_point(states, due)
    return render_template(
        "learn/home.html",
        states=states,
        resume=resume,
        user=current_user,
        assigned=assigned,
        announcements=announcements.visible_announcements(current_user),
        notices=notices.unread_notices(current_user),
        standing=(
            honours.standing_among_siblings(current_user.unit)
            if current_user.is_counted_official
            else None
        ),
    )


@bp.get("/passport")
@login_required
def my_passport():
    """Show the digital-skills passport: the domains covered, and what to take next."""
    return render_template("learn/passport.html", passport=passport.passport(current_user))


@bp.get("/achievements")
@login_required
def my_achievements():
    """Show the learner's certificates, courses finished on time, passport and unit's rank."""
    return render_template(
        "learn/achievements.html", found=achievements.achievements(current_user), user=current_user
    )


def _course_or_404(slug: str):
    course = queries.course_by_slug(slug)
    if course is None:
        abort(404)
    return course


def _state(course):
    return queries.course_states(current_user, [course])[0]


@bp.get("/courses/<slug>")
@login_required
def course(slug: str):
    """Show a course's lessons and quiz in order, with ticks and a progress bar."""
    course = _course_or_404(slug)
    state = _state(course)
    return render_template(
        "learn/course.html",
        state=state,
        test_out=test_out.offers_test_out(state),
        preview=False,
        offline_size=max(copies.saved_size(course) / MEGABYTE, 0.1),
        offline_version=copies.copy_version(course),
    )


@bp.get("/courses/<slug>/<item_slug>")
@login_required
def item(slug: str, item_slug: str):
    """Show a lesson or a quiz's start page; a retired item says so."""
    found = queries.course_page(current_user, slug)
    if found is None:
        abort(404)
    state, course = found
    info = queries.info_by_slug(course, item_slug)
    if info is None:
        abort(404)
    if info.status == "retired":
        return render_template("learn/retired.html", course=course, item=info), 410
    current = next(s for s in state.items if s.item.id == info.id)
    version = copies.copy_version(course)
    if info.kind == "lesson":
        return render_template(
            "learn/lesson.html",
            state=state,
            current=current,
            preview=False,
            offline_version=version,
        )
    quiz = db.session.get(CourseItem, info.id)
    attempts = queries.attempts_for(current_user, quiz)
    return render_template(
        "learn/quiz.html",
        state=state,
        current=current,
        attempts=attempts,
        preview=False,
        offline_version=version,
        attempts_left=_attempts_left(quiz, attempts),
        question_count=len(recording.published_questions(quiz)),
    )


def _attempts_left(quiz: CourseItem, attempts: list[QuizAttempt]) -> int | None:
    """None means unlimited; an open attempt still counts as available to finish; a
    manager's grant of one more attempt counts as one more."""
    allowed = grants.attempts_allowed(current_user, quiz)
    if allowed is None:
        return None
    return max(allowed - sum(1 for a in attempts if a.submitted_at), 0)


def _published_item(slug: str, item_slug: str, kind: str) -> CourseItem:
    course = _course_or_404(slug)
    item = queries.item_by_slug(course, item_slug)
    if item is None or item.kind != kind or item.status != "published":
        abort(404)
    return item


@bp.post("/courses/<slug>/<item_slug>/complete")
@login_required
def complete(slug: str, item_slug: str):
    """Record a finished lesson (once) and open the next item."""
    lesson = _published_item(slug, item_slug, "lesson")
    recording.complete_lesson(current_user, lesson)
    db.session.commit()
    state = _state(lesson.course)
    flash(_("Đã lưu: anh/chị đã học xong bài “%(title)s”.", title=lesson.title), "success")
    if state.completed:
        return redirect(url_for("learn.course", slug=slug))
    target = state.where_after(lesson.id)
    if target is None:
        return redirect(url_for("learn.course", slug=slug))
    return redirect(url_for("learn.item", slug=slug, item_slug=target.item.slug))


@bp.post("/courses/<slug>/<item_slug>/start")
@login_required
def start_quiz(slug: str, item_slug: str):
    """Begin (or resume) an attempt; refuse kindly when no attempts are left."""
    quiz = _published_item(slug, item_slug, "quiz")
    try:
        attempt = recording.start_attempt(current_user, quiz)
    except recording.NoAttemptsLeft:
        flash(_("Anh/chị đã dùng hết số lần làm bài kiểm tra này."), "error")
        return redirect(url_for("learn.item", slug=slug, item_slug=item_slug))
    db.session.commit()
    return redirect(url_for("learn.attempt", attempt_id=attempt.id))


@bp.post("/courses/<slug>/test-out")
@login_required
def start_test_out(slug: str):
    """Begin (or resume) the final quiz before the lessons, in a course that allows it; a
    course that does not, or attempts used up, are refused like any other attempt."""
    course = _course_or_404(slug)
    try:
        attempt = recording.start_test_out(current_user, course)
    except recording.TestOutNotAllowed:
        flash(_("Khoá học này không có bài kiểm tra đầu vào: anh/chị hãy học lần lượt."), "error")
        return redirect(url_for("learn.course", slug=slug))
    except recording.NoAttemptsLeft:
        flash(_("Anh/chị đã dùng hết số lần làm bài kiểm tra này."), "error")
        return redirect(url_for("learn.course", slug=slug))
    db.session.commit()
    return redirect(url_for("learn.attempt", attempt_id=attempt.id))


def _own_attempt(attempt_id: int) -> QuizAttempt:
    """Another person's attempt is a 404, exactly like one that does not exist."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt


@bp.get("/attempts/<id:attempt_id>")
@login_required
def attempt(attempt_id: int):
    """Show an open attempt's form, or a submitted attempt's result."""
    attempt = _own_attempt(attempt_id)
    quiz = db.session.get(CourseItem, attempt.item_id)
    state = _state(quiz.course)
    current = next((s for s in state.items if s.item.id == quiz.id), None)
    attempts = queries.attempts_for(current_user, quiz)
    if attempt.submitted_at is None:
        questions = recording.published_questions(quiz)
        return render_template(
            "learn/attempt.html",
            state=state,
            quiz=quiz,
            attempt=attempt,
            current=current,
            questions=[question_view(q, attempt.choice_order) for q in questions],
        )
    attempts_left = _attempts_left(quiz, attempts)
    # Once the quiz is passed (by any attempt) or no attempt is left, nothing is gained by
    # hiding the answers of an earlier attempt.
    quiz_passed = any(a.passed for a in attempts)
    reveal = quiz_passed or attempts_left == 0
    return render_template(
        "learn/result.html",
        state=state,
        quiz=quiz,
        attempt=attempt,
        current=current,
        feedback=_feedback(attempt, reveal=reveal),
        reveal=reveal,
        quiz_passed=quiz_passed,
        attempts_left=attempts_left,
        best=max((a.score or 0) for a in attempts if a.submitted_at),
        review=test_out.review_after(attempt, quiz, state),
    )


def _feedback(attempt: QuizAttempt, reveal: bool) -> list[dict]:
    """Per-question feedback from the copy kept at grading time.

    While the learner may still try again (failed, attempts left), the right answers and the
    explanations of missed questions stay hidden, or the next attempt would be a formality;
    the feedback written for the choices they picked is shown.
    """
    feedback = []
    for graded in attempt.responses:
        chosen = graded["response"] if isinstance(graded["response"], list) else []
        show_key = reveal or graded["correct"]
        feedback.append(
            {
                **graded,
                "choices": [
                    {**c, "chosen": c["key"] in chosen, "correct": c["correct"] and show_key}
                    for c in in_form_order(
                        graded.get("choices", []), attempt.choice_order.get(graded["question"])
                    )
                ],
                "accepted": graded.get("accepted", []) if show_key else [],
                "explanation_html": graded.get("explanation_html") if show_key else None,
            }
        )
    return feedback


@bp.post("/attempts/<id:attempt_id>")
@login_required
def submit(attempt_id: int):
    """Grade the attempt once; a double click or a replay shows the same result."""
    if (request.content_length or 0) > MAX_QUIZ_BODY:
        abort(400)
    attempt = _own_attempt(attempt_id)
    quiz = db.session.get(CourseItem, attempt.item_id)
    if attempt.submitted_at is not None:
        return redirect(url_for("learn.attempt", attempt_id=attempt.id))
    try:
        sent = parse_submission(request.form, recording.published_questions(quiz))
        recording.submit_attempt(current_user, attempt, quiz, sent)
    except recording.BadSubmission:
        db.session.rollback()
        abort(400)
    db.session.commit()
    return redirect(url_for("learn.attempt", attempt_id=attempt.id))


# Home page messages -------------------------------------------------------------------------


@bp.post("/announcements/<id:announcement_id>/dismiss")
@login_required
def dismiss_announcement(announcement_id: int):
    """Hide an announcement from the signed-in person's home page."""
    announcements.dismiss_announcement(current_user, announcement_id)
    db.session.commit()
    flash(_("Đã ẩn thông báo."), "success")
    return redirect(url_for("learn.home"))


@bp.post("/notices/<id:notice_id>/read")
@login_required
def read_notice(notice_id: int):
    """Mark one of the signed-in person's notices as read."""
    notices.mark_notice_read(current_user, notice_id)
    db.session.commit()
    flash(_("Đã đánh dấu là đã đọc."), "success")
    return redirect(url_for("learn.home"))
