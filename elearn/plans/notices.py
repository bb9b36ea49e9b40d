"""In-app notices: short messages on a person's home page until they mark them read."""

from __future__ import annotations

from sqlalchemy import insert, select

from elearn.clock import utcnow
from elearn.errors import NotFound
from elearn.extensions import db
from elearn.models import Notice, User

TEXT_MAX = 500


def add_notices(notices: list[dict]) -> int:
    """Insert notices given as {user_id, text, link} in one statement; return how many."""
    if notices:
        db.session.execute(insert(Notice.__table__), notices)
    return len(notices)


def unread_notices(user: User, limit: int = 10) -> list[Notice]:
    """The person's unread notices, newest first."""
    return list(
        db.session.scalars(
            select(Notice)
            .where(Notice.user_id == user.id, Notice.read_at.is_(None))
            .order_by(Notice.created_at.desc(), Notice.id.desc())
            .limit(limit)
        )
    )


def mark_notice_read(user: User, notice_id: int) -> Notice:
    """Mark one of the person's notices read (idempotent); another person's is NotFound."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.user_id != user.id:
        raise NotFound(f"no notice {notice_id}")
    if notice.read_at is None:
        notice.read_at = utcnow()
        db.session.flush()
    return notice
