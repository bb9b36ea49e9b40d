"""Read and check report parameters: unit in the caller's scope, course, status."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from elearn.auth.roles import REPORT_ROLES
from elearn.errors import Forbidden
from elearn.models import Course, Unit
from elearn.progress import figures
from elearn.units import require_unit_in_scope


def resolve_unit(code: str | None) -> Unit:
    """The requested unit if the caller may see it: 404 if unknown, 403 if outside (the
    app's handlers turn the service's NotFound and Forbidden into those pages)."""
    if current_user.role not in REPORT_ROLES:
        raise Forbidden("reports are for managers and admins")
    return require_unit_in_scope(current_user, code)


def resolve_course(slug: str | None, courses: list[Course]) -> Course | None:
    """The requested published course (404 if unknown), else the first one."""
    if not slug:
        return courses[0] if courses else None
    found = next((c for c in courses if c.slug == slug), None)
    if found is None:
        abort(404)
    return found


def status_filter(raw: str | None) -> str | None:
    if raw in (None, ""):
        return None
    if raw not in figures.STATUSES:
        abort(400)
    return raw
