"""The authors' pages: publishing status with errors, and previews of draft courses."""

from __future__ import annotations

import random

from flask import Blueprint, abort, render_template
from flask_login import current_user

from elearn.auth.roles import roles_required
from elearn.authoring.queries import (
    all_courses,
    framework_domains,
    last_runs,
    published_counts,
    sync_counts,
)
from elearn.progress import queries, recording
from elearn.progress.quiz_form import question_view

bp = Blueprint("authoring", __name__, url_prefix="/author")
AUTHOR_ROLES = ("author", "admin")


@bp.get("/")
@roles_required(*AUTHOR_ROLES)
def status():
    """Show the last sync, the problems of the last failed run, and every course's status."""
    last_sync, last_failure = last_runs()
    return render_template(
        "authoring/status.html",
        last_sync=last_sync,
        changes=sync_counts(last_sync.summary) if last_sync else None,
        published=published_counts(),
        last_failure=last_failure,
        courses=all_courses(),
        domains=framework_domains(),
    )


def _course(slug: str):
    course = queries.course_by_slug(slug, include_drafts=True)
    if course is None:
        abort(404)
    return course


@bp.get("/preview/<slug>")
@roles_required(*AUTHOR_ROLES)
def preview(slug: str):
    """Show a course page (draft or published) as a learner would see it."""
    state = queries.course_states(current_user, [_course(slug)])[0]
    return render_template("learn/course.html", state=state, preview=True)


@bp.get("/preview/<slug>/<item_slug>")
@roles_required(*AUTHOR_ROLES)
def preview_item(slug: str, item_slug: str):
    """Show a lesson, or a quiz's start page, exactly as a learner sees it; a quiz's questions
    follow, with an authors-only panel of keys, choice feedback and explanations."""
    course = _course(slug)
    item = queries.item_by_slug(course, item_slug)
    if item is None or item.status != "published":
        abort(404)
    state = queries.course_states(current_user, [course])[0]
    current = next(s for s in state.items if s.item.id == item.id)
    if item.kind == "lesson":
        return render_template("learn/lesson.html", state=state, current=current, preview=True)
    questions = recording.published_questions(item)
    lessons = {s.item.slug: s for s in state.items if s.item.kind == "lesson"}
    # The order a learner's form shows (true/false as Đúng then Sai; shuffled quizzes in one
    # fixed draw, so the preview does not move on every reload).
    order = recording.choice_order(item, random.Random(item.id))
    return render_template(
        "authoring/quiz_preview.html",
        state=state,
        current=current,
        attempts=[],
        attempts_left=item.max_attempts or None,  # what a learner who never began sees
        question_count=len(questions),
        questions=[question_view(q, order) for q in questions],
        keys=[_key(q, order.get(q.slug, []), lessons) for q in questions],
        shuffled=item.shuffle,
        preview=True,
    )


def _key(question, order: list[str], lessons: dict) -> dict:
    """Everything a learner never sees before submitting: right answers, feedback, why — and
    the lesson the question names (`lesson=`), where a failed entry test sends the learner."""
    place = {key: n for n, key in enumerate(order)}
    choices = sorted(question.answer_key.get("choices", []), key=lambda c: place.get(c["key"], 0))
    return {
        "text_html": question.text_html,
        "kind": question.kind,
        "points": question.points,
        "choices": choices,
        "accepted": recording.accepted_answers(question.answer_key),
        "explanation_html": question.explanation_html,
        "lesson": lessons.get(question.lesson_slug or ""),
    }
