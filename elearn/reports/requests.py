"""What every report page reads from its request: who may see it, which unit, course, status
and order; anything unknown is a 404 (unit, course) or a 400 (a value)."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from elearn.auth.roles import REPORT_ROLES, roles_required
from elearn.models import Course, Unit
from elearn.params import one_of
from elearn.progress import figures
from elearn.progress.status import Status
from elearn.units import require_unit_in_scope


@roles_required(*REPORT_ROLES)
def require_report_role():
    """Every report page is for managers and admins (checked on every request)."""
    return None


def resolve_unit(code: str | None) -> Unit:
    """The requested unit (default: the caller's own): 404 if unknown, 403 if outside."""
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
    """An optional status to list (400 if unknown)."""
    return one_of(raw, [s.value for s in Status])


def child_order() -> tuple[str, bool]:
    """The child units' order from the query string (400 for anything unknown)."""
    sort = one_of(request.args.get("sort"), figures.CHILD_SORTS) or "rate"
    return sort, one_of(request.args.get("dir"), ("asc", "desc")) == "desc"


def wants_print() -> bool:
    """`print=1` asks for the printable page (400 for any other value)."""
    return one_of(request.args.get("print"), ("1",)) == "1"


def ancestors(unit: Unit) -> list[Unit]:
    """The path from the caller's own unit down to this one, for the breadcrumb."""
    own = current_user.unit
    chain = []
    node: Unit | None = unit
    while node is not None and node.id != own.id:
        chain.append(node)
        node = node.parent
    chain.append(own)
    return list(reversed(chain))
