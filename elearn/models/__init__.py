"""All tables in one package: progress, reports and admin all refer to users and units."""

from elearn.models.audit import AuditEvent
from elearn.models.org import UNIT_KINDS, Unit
from elearn.models.user import CATEGORIES, ROLES, LoginThrottle, User, UserSession

__all__ = [
    "CATEGORIES",
    "ROLES",
    "UNIT_KINDS",
    "AuditEvent",
    "LoginThrottle",
    "Unit",
    "User",
    "UserSession",
]
