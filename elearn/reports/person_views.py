"""One official's page for a manager: every course, the deadlines, the certificates, why a
course counts as complete, the contact details from the people import, and a reminder."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import CATEGORIES, User
from elearn.params import safe_next
from elearn.plans import assignments, nudges
from elearn.progress import grants, passport, queries
from elearn.progress.person import person_record
from elearn.progress.status import Status
from elearn.reports.requests import ancestors, require_report_role, resolve_course
from elearn.units import in_scope

bp = Blueprint("officials", __name__, url_prefix="/reports/officials")
bp.before_request(require_report_role)


def person_in_scope(username: str) -> User:
    """The person with this username if the manager may see them; 404 otherwise, whether
    they do not exist or are outside the manager's units (nobody learns which)."""
    person = db.session.scalar(select(User).where(User.username == username.casefold()))
    if person is None or not in_scope(current_user, person.unit):
        abort(404)
    return person


@bp.get("/<username>")
def official(username: str):
    """Everything a manager needs about one official, to act on it."""
    person = person_in_scope(username)
    assigned = assignments.assignments_for(person)
    records = person_record(person)
    # Only a course begun and not finished can have a quiz whose attempts are used up.
    standings = {
        r.course.id: grants.standings(person, r.course)
        for r in records
        if r.attempts and r.status != Status.COMPLETED
    }
    return render_template(
        "reports/official.html",
        person=person,
        records=records,
        standings=standings,
        passport=passport.passport(person),
        assigned=assigned,
        to_remind=_to_remind(records, assigned),
        ancestors=ancestors(person.unit),
        categories=CATEGORIES,
    )


def _to_remind(records, assigned) -> list:
    """The courses the person must take and has not completed."""
    return [r for r in records if r.course.id in assigned and r.status != Status.COMPLETED]


@bp.post("/<username>/remind")
def remind(username: str):
    """Remind the official of every course they must take and have not completed (at most
    once a day per course)."""
    person = person_in_scope(username)
    records = person_record(person)
    reminded = 0
    for record in _to_remind(records, assignments.assignments_for(person)):
        reminded += nudges.remind(
            current_user,
            record.course,
            [person.id],
            course_link=url_for("learn.course", slug=record.course.slug),
            target=person.username,
        )
    db.session.commit()
    if reminded:
        flash(_("Đã gửi nhắc nhở về %(n)s khoá học.", n=reminded), "success")
    else:
        flash(_("Hôm nay anh/chị đã nhắc người này rồi; không gửi thêm."), "info")
    return redirect(url_for("officials.official", username=person.username))


# One more attempt -----------------------------------------------------------------------------


@bp.get("/<username>/courses/<slug>/extra-attempt")
def extra_attempt(username: str, slug: str):
    """Show an official's attempts at a course's quizzes, with a form for each quiz whose
    attempts are used up."""
    official = person_in_scope(username)
    course = resolve_course(slug, queries.published_courses())
    return render_template(
        "reports/extra_attempt.html",
        official=official,
        course=course,
        standings=grants.standings(official, course),
        next_url=request.path,
    )


@bp.post("/<username>/courses/<slug>/extra-attempt")
def grant_extra_attempt(username: str, slug: str):
    """Grant one more attempt at a quiz whose attempts are used up, once confirmed."""
    official = person_in_scope(username)
    course = resolve_course(slug, queries.published_courses())
    quiz = queries.item_by_slug(course, request.form.get("quiz", ""))  # type: ignore[arg-type]
    if quiz is None or quiz.kind != "quiz" or quiz.status != "published":
        abort(404)
    back = safe_next(request.form.get("next")) or url_for(
        "officials.extra_attempt", username=official.username, slug=course.slug
    )
    if request.form.get("confirm") != "yes":
        flash(_("Hãy đánh dấu ô xác nhận rồi bấm nút lại."), "error")
        return redirect(back)
    try:
        grants.grant_extra_attempt(current_user, official, quiz, ip=request.remote_addr)
    except grants.NothingToGrant as refusal:
        flash(str(refusal), "info")
        return redirect(back)
    db.session.commit()
    flash(
        _(
            "Đã cho anh/chị %(name)s làm thêm một lần bài “%(quiz)s”.",
            name=official.full_name,
            quiz=quiz.title,
        ),
        "success",
    )
    return redirect(back)
