"""JSON endpoints. Errors are {"error": message}; CSRF does not apply to GET, and a POST
signed in by a browser session carries the token in an X-CSRFToken header."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, g, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from elearn.api.openapi import MAX_PER_PAGE, openapi_document
from elearn.auth import tokens
from elearn.auth.roles import REPORT_ROLES, roles_required
from elearn.clock import utcnow
from elearn.extensions import csrf, db
from elearn.models import User
from elearn.params import one_of, page_number, small_int
from elearn.plans import assignments
from elearn.progress import events, figures, passport, queries, roster
from elearn.progress.person import person_record
from elearn.progress.status import Status
from elearn.units import in_scope, require_unit_in_scope

MAX_EVENTS_BODY = 64 * 1024  # 100 events are about 15 KB
log = logging.getLogger(__name__)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PUBLIC = {"api.openapi"}  # the description is public: it says nothing about any person


@bp.before_request
def require_sign_in():
    """Answer 401 in JSON, with the scheme to use, rather than redirecting to sign in."""
    if request.endpoint in PUBLIC or current_user.is_authenticated:
        return None
    challenge = "Bearer"
    if request.headers.get("Authorization"):
        challenge = 'Bearer error="invalid_token"'  # RFC 6750: a token was sent but is no good
    return jsonify(error="authentication required"), 401, {"WWW-Authenticate": challenge}


@bp.after_request
def note_token_use(response: Response) -> Response:
    """Note when a bearer token was last used, in its own short transaction after the view's;
    a database that fails here costs the note, never the answer already made."""
    token = g.pop("api_token", None)
    if token is None or response.status_code >= 500:
        return response
    try:
        if tokens.note_use(token):
            db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        log.warning("could not note the use of an API token: %s", error)
    return response


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi_document())


def resolve_unit(code: str | None):
    """The requested unit (default: the caller's own): 404 if unknown, 403 if outside."""
    return require_unit_in_scope(current_user, code)


@bp.get("/me/progress")
def my_progress():
    """The caller's own courses with status and lesson counts."""
    due = assignments.due_dates(assignments.assignments_for(current_user))
    states = queries.home_states(current_user, due)
    return jsonify(
        user={"username": current_user.username, "full_name": current_user.full_name},
        courses=[
            {
                "course": {
                    "id": s.course.slug,
                    "title": s.course.title,
                    "required": s.course.required,
                    "version": s.course.version,
                },
                "status": s.status,
                "items_total": s.total,
                "items_done": s.done_count,
                "lessons_total": sum(1 for i in s.items if i.item.kind == "lesson"),
                "lessons_done": sum(1 for i in s.items if i.item.kind == "lesson" and i.done),
                "completed_at": s.progress.completed_at.isoformat()
                if s.progress and s.progress.completed_at
                else None,
                "completed_via": s.progress.completed_via if s.progress else None,
                "best_score": s.progress.best_score if s.progress else None,
                "certificate_code": s.progress.certificate_code if s.progress else None,
                "last_activity": s.last_activity.isoformat() if s.last_activity else None,
            }
            for s in states
        ],
    )


@bp.get("/me/passport")
def my_passport():
    """The caller's digital-skills passport: each domain, covered or not, and what next."""
    return jsonify(
        user={"username": current_user.username, "full_name": current_user.full_name},
        **_passport_json(passport.passport(current_user)),
    )


def _passport_json(found: passport.Passport) -> dict:
    return {
        "covered": found.covered,
        "total": found.total,
        "domains": [
            {
                "id": d.slug,
                "name": d.name,
                "covered": d.covered,
                "courses_done": [c.slug for c in d.courses_done],
                "suggestion": d.suggestion.slug if d.suggestion else None,
            }
            for d in found.domains
        ],
        "next_course": found.next_course.slug if found.next_course else None,
    }


@bp.get("/me/events")
def my_events_sender():
    """Tell a device whose session this is (it sends only that account's queued events) and
    give it a fresh CSRF token for sending them."""
    return jsonify(
        account=current_user.username, csrf_token=generate_csrf(), max_events=events.MAX_EVENTS
    )


@bp.post("/me/events")
@csrf.exempt
def post_my_events():
    """Apply progress events a device queued offline, each once; answer for every event."""
    if g.get("api_token") is None:  # a bearer token cannot be sent by another site
        csrf.protect()
    length = request.content_length
    if length is None or length > MAX_EVENTS_BODY:
        abort(400, description=f"the body must be at most {MAX_EVENTS_BODY} bytes")
    raw = request.get_json(silent=True)
    if raw is None:
        abort(400, description="the body must be JSON (Content-Type: application/json)")
    try:
        batch = events.parse_batch(raw)
    except events.BadBatch as problem:
        abort(400, description=str(problem))
    results = events.apply_batch(current_user, batch, ip=request.remote_addr)
    db.session.commit()
    return jsonify(results=[r.as_dict() for r in results])


def _unit_json(unit) -> dict:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind}


def _course_or_404(slug: str | None, courses: list):
    if not slug:
        abort(400, description="the course parameter is required")
    course = next((c for c in courses if c.slug == slug), None)
    if course is None:
        abort(404, description=f"unknown course {slug}")
    return course


def _now() -> str:
    return utcnow().isoformat(timespec="seconds")


@bp.get("/reports/courses")
@roles_required(*REPORT_ROLES)
def report_courses():
    """Every published course with its figures for a unit (default: the caller's own)."""
    unit = resolve_unit(request.args.get("unit"))
    rows = figures.course_counts(unit, queries.published_courses())
    return jsonify(
        unit=_unit_json(unit),
        as_of=_now(),
        courses=[
            {
                "course": {
                    "id": r.course.slug,
                    "title": r.course.title,
                    "required": r.course.required,
                },
                **r.counts.as_dict(),
            }
            for r in rows
        ],
    )


@bp.get("/reports/completion")
@roles_required(*REPORT_ROLES)
def report_completion():
    """A unit's totals for one course, and the same for each direct child unit."""
    unit = resolve_unit(request.args.get("unit"))
    courses = queries.published_courses()
    course = _course_or_404(request.args.get("course"), courses)
    totals = next(r for r in figures.course_counts(unit, [course]))
    children = figures.child_counts(unit, course)
    return jsonify(
        unit=_unit_json(unit),
        course={"id": course.slug, "title": course.title},
        as_of=_now(),
        totals=totals.counts.as_dict(),
        children=[{"unit": _unit_json(c.unit), **c.counts.as_dict()} for c in children],
    )


@bp.get("/reports/officials")
@roles_required(*REPORT_ROLES)
def report_officials():
    """Officials in scope with their status for one course, a page at a time."""
    unit = resolve_unit(request.args.get("unit"))
    course = _course_or_404(request.args.get("course"), queries.published_courses())
    page = page_number(request.args.get("page"))
    per_page = small_int(request.args.get("per_page", "100"))
    if per_page is None or not 1 <= per_page <= MAX_PER_PAGE:
        abort(400, description=f"per_page must be between 1 and {MAX_PER_PAGE}")
    rows, total = roster.officials_page(
        unit,
        course,
        status=one_of(request.args.get("status"), [s.value for s in Status]),
        search=request.args.get("q", "").strip()[:100],
        page=page,
        per_page=per_page,
    )
    return jsonify(
        unit=_unit_json(unit),
        course={"id": course.slug, "title": course.title},
        as_of=_now(),
        page=page,
        per_page=per_page,
        total=total,
        officials=[
            {
                "username": r.username,
                "full_name": r.full_name,
                "unit": {"code": r.unit_code, "name": r.unit_name},
                "status": r.status,
                "completed_at": r.completed_at.isoformat() if r.completed_at else None,
                "completed_via": r.completed_via,
                "best_score": r.best_score,
                "last_activity": r.last_activity.isoformat() if r.last_activity else None,
            }
            for r in rows
        ],
    )


@bp.get("/reports/domains")
@roles_required(*REPORT_ROLES)
def report_domains():
    """Per domain of the framework, the share of a unit's officials covering it."""
    unit = resolve_unit(request.args.get("unit"))
    officials = figures.count_officials(unit)
    found = passport.unit_domains(unit, officials)
    return jsonify(
        unit=_unit_json(unit),
        as_of=_now(),
        officials=officials,
        domains=[d.as_dict() for d in found.shares],
        children=[
            {
                "unit": _unit_json(c.unit),
                "officials": c.officials,
                "domains": [d.as_dict() for d in c.shares],
            }
            for c in found.children
        ],
    )


@bp.get("/reports/officials/<username>")
@roles_required(*REPORT_ROLES)
def report_official(username: str):
    """One official's standing in every course, as their page shows it (404 outside scope)."""
    person = db.session.scalar(select(User).where(User.username == username))
    if person is None or not in_scope(current_user, person.unit):
        abort(404, description=f"no official {username} in your units")
    assigned = assignments.assignments_for(person)
    return jsonify(
        official={
            "username": person.username,
            "full_name": person.full_name,
            "unit": _unit_json(person.unit),
            "category": person.category,
            "position": person.position,
            "email": person.email,
            "phone": person.phone,
            "active": person.active,
        },
        as_of=_now(),
        courses=[_course_record_json(r, assigned.get(r.course.id)) for r in person_record(person)],
        passport=_passport_json(passport.passport(person)),
    )


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _course_record_json(record, assignment) -> dict:
    return {
        "course": {
            "id": record.course.slug,
            "title": record.course.title,
            "required": record.course.required,
        },
        "status": record.status.value,
        "must_take": assignment is not None,
        "due_date": _iso(assignment.due_date) if assignment else None,
        "overdue": bool(assignment and assignment.overdue),
        "started_at": _iso(record.started_at),
        "last_activity": _iso(record.last_activity_at),
        "completed_at": _iso(record.completed_at),
        "completed_via": record.completed_via,
        "best_score": record.best_score,
        "attempts": record.attempts,
        "certificate_code": record.certificate_code,
        "lessons_done": [{"title": s.title, "at": _iso(s.at)} for s in record.lessons],
        "passing_attempt": (
            {"at": _iso(record.passing_attempt.at), "score": record.passing_attempt.score}
            if record.passing_attempt
            else None
        ),
    }
