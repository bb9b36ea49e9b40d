"""Who may see which unit's reports: a manager or admin sees their unit and everything below."""

from __future__ import annotations

from elearn.admin.units import get_unit
from elearn.errors import Forbidden, NotFound
from elearn.models import Unit, User

REPORT_ROLES = ("manager", "admin")


def can_see_reports(user: User) -> bool:
    """Managers and admins see reports; officials and authors do not."""
    return user.role in REPORT_ROLES


def in_scope(user: User, unit: Unit) -> bool:
    """Whether `unit` is the user's own unit or lies below it."""
    root = user.unit.path
    return unit.path.startswith(root)


def unit_for(user: User, code: str | None) -> Unit:
    """Resolve a requested unit code for this user: NotFound if unknown, Forbidden if outside."""
    if not can_see_reports(user):
        raise Forbidden("reports are for managers and admins")
    if not code:
        return user.unit
    unit = get_unit(code)
    if unit is None:
        raise NotFound(f"unknown unit {code}")
    if not in_scope(user, unit):
        raise Forbidden(f"unit {code} is outside your units")
    return unit
