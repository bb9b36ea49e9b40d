"""Write audit events; the caller's transaction commits them with the change they describe."""

from __future__ import annotations

from typing import Any

from elearn.extensions import db
from elearn.models import AuditEvent, User


def record(
    action: str,
    *,
    actor: User | None = None,
    target: str | None = None,
    ip: str | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add an audit event to the session (flushed, not committed)."""
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor else None,
        target=target[:200] if target else None,
        ip=ip,
        detail=detail,
    )
    db.session.add(event)
    return event
