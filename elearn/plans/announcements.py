"""Announcements: a short plain-text message from an admin to everyone in a unit subtree.

People see an announcement on their home page while it has not expired, until they dismiss it.
The body is plain text, always shown escaped.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import and_, select
from sqlalchemy.orm import contains_eager

from elearn import audit
from elearn.clock import end_of_day, local_today, utcnow
from elearn.errors import ElearnError, NotFound
from elearn.extensions import db
from elearn.models import Announcement, AnnouncementDismissal, Unit, User
from elearn.models.base import dialect_insert
from elearn.text import clean, nfc
from elearn.units import path_prefixes, require_in_scope, require_unit_in_scope, subtree_of

TITLE_MAX = 200
BODY_MAX = 2000


def create_announcement(
    actor: User,
    unit_code: str,
    title: str,
    body: str = "",
    *,
    expires_on: date | None = None,
    today: date | None = None,
    ip: str | None = None,
) -> Announcement:
    """Post an announcement to a unit subtree inside the actor's own (flushed, audited).

    Raises NotFound for an unknown unit, Forbidden for one outside the actor's subtree, and
    ElearnError for an empty or too long title, a too long body, or a past expiry date.
    """
    unit = require_unit_in_scope(actor, unit_code)
    title = clean(title)
    body = nfc(body or "").replace("\r\n", "\n").strip()
    if not title:
        raise ElearnError(_("Tiêu đề không được để trống."))
    if len(title) > TITLE_MAX:
        raise ElearnError(_("Tiêu đề dài quá %(n)s ký tự.", n=TITLE_MAX))
    if len(body) > BODY_MAX:
        raise ElearnError(_("Nội dung dài quá %(n)s ký tự.", n=BODY_MAX))
    if expires_on is not None and expires_on < (today or local_today()):
        raise ElearnError(_("Ngày hết hạn %(date)s đã qua.", date=expires_on.strftime("%d/%m/%Y")))
    announcement = Announcement(
        unit=unit,
        title=title,
        body=body,
        created_by_id=actor.id,
        expires_at=end_of_day(expires_on) if expires_on else None,
    )
    db.session.add(announcement)
    db.session.flush()
    audit.record(
        "announcement.created",
        actor=actor,
        target=unit.code,
        ip=ip,
        announcement=announcement.id,
        title=title,
        expires_on=expires_on.isoformat() if expires_on else None,
    )
    return announcement


def end_announcement(actor: User, announcement_id: int, *, ip: str | None = None) -> Announcement:
    """Take an announcement down now; NotFound if unknown, Forbidden if outside the subtree."""
    announcement = db.session.get(Announcement, announcement_id)
    if announcement is None:
        raise NotFound(f"no announcement {announcement_id}")
    require_in_scope(actor, announcement.unit)
    now = utcnow()
    if announcement.expires_at is None or announcement.expires_at > now:
        announcement.expires_at = now
        audit.record(
            "announcement.ended",
            actor=actor,
            target=announcement.unit.code,
            ip=ip,
            announcement=announcement.id,
        )
        db.session.flush()
    return announcement


def is_current(announcement: Announcement, now: datetime | None = None) -> bool:
    """Whether the announcement still shows (it has no expiry, or it has not come)."""
    return announcement.expires_at is None or announcement.expires_at > (now or utcnow())


def announcements_in_scope(actor: User, limit: int = 200) -> list[Announcement]:
    """Announcements to units in the actor's subtree, newest first (one query)."""
    return list(
        db.session.scalars(
            select(Announcement)
            .join(Unit, Unit.id == Announcement.unit_id)
            .where(subtree_of(actor.unit.path))
            .options(contains_eager(Announcement.unit))
            .order_by(Announcement.created_at.desc(), Announcement.id.desc())
            .limit(limit)
        )
    )


def _reaching(user: User):
    """Announcements posted to the person's unit or to any unit above it."""
    return Announcement.unit_id.in_(
        select(Unit.id).where(Unit.path.in_(path_prefixes(user.unit.path)))
    )


def visible_announcements(user: User, limit: int = 10) -> list[Announcement]:
    """What the person's home page shows: current, reaching them, not dismissed (one query)."""
    now = utcnow()
    return list(
        db.session.scalars(
            select(Announcement)
            .join(Unit, Unit.id == Announcement.unit_id)
            .outerjoin(
                AnnouncementDismissal,
                and_(
                    AnnouncementDismissal.announcement_id == Announcement.id,
                    AnnouncementDismissal.user_id == user.id,
                ),
            )
            .where(
                _reaching(user),
                (Announcement.expires_at.is_(None)) | (Announcement.expires_at > now),
                AnnouncementDismissal.user_id.is_(None),
            )
            .options(contains_eager(Announcement.unit))
            .order_by(Announcement.created_at.desc(), Announcement.id.desc())
            .limit(limit)
        )
    )


def dismiss_announcement(user: User, announcement_id: int) -> None:
    """Hide an announcement from the person's home page (idempotent).

    An announcement that does not reach the person is NotFound, exactly like a missing one.
    """
    reaches = db.session.scalar(
        select(Announcement.id).where(Announcement.id == announcement_id, _reaching(user))
    )
    if reaches is None:
        raise NotFound(f"no announcement {announcement_id}")
    db.session.execute(
        dialect_insert(AnnouncementDismissal)
        .values(announcement_id=announcement_id, user_id=user.id, dismissed_at=utcnow())
        .on_conflict_do_nothing(index_elements=["announcement_id", "user_id"])
    )
    db.session.flush()
