"""JSON endpoints. Errors are {"error": message}; CSRF does not apply to GET."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask_login import current_user

from elearn.progress import queries

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.before_request
def require_sign_in():
    """Answer 401 in JSON rather than redirecting to the sign-in page."""
    if not current_user.is_authenticated:
        return jsonify(error="authentication required"), 401
    return None


@bp.get("/me/progress")
def my_progress():
    """The caller's own courses with status and lesson counts."""
    states = queries.home_states(current_user)
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
                "best_score": s.progress.best_score if s.progress else None,
                "certificate_code": s.progress.certificate_code if s.progress else None,
                "last_activity": s.last_activity.isoformat() if s.last_activity else None,
            }
            for s in states
        ],
    )
