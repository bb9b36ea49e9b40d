"""Search the audit log within an admin's scope."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from elearn.clock import start_of_day
from elearn.extensions import db
from elearn.models import AuditEvent, Unit, User
from elearn.spreadsheets import Column
from elearn.units import subtree_of

MAX_EXPORT = 100_000
# What each recorded action means, as the audit page says it (the code stays in exports).
ACTION_LABELS = {
    "access.denied": _l("Bị từ chối truy cập"),
    "login.succeeded": _l("Đăng nhập"),
    "login.failed": _l("Đăng nhập sai"),
    "login.locked": _l("Đăng nhập khi tài khoản đang bị khoá"),
    "login.inactive": _l("Đăng nhập vào tài khoản đã ngừng"),
    "password.changed": _l("Đổi mật khẩu"),
    "user.created": _l("Tạo tài khoản"),
    "user.updated": _l("Sửa tài khoản"),
    "user.deactivated": _l("Ngừng tài khoản"),
    "user.password_reset": _l("Đặt lại mật khẩu"),
    "users.imported": _l("Nhập danh sách cán bộ"),
    "units.imported": _l("Nhập danh sách đơn vị"),
    "unit.merged": _l("Sáp nhập đơn vị"),
    "report.exported": _l("Tải báo cáo"),
}
CSV_COLUMNS = (
    Column("time", lambda e: e.at),
    Column("username", lambda e: e.actor.username if e.actor else ""),
    Column("action", lambda e: e.action),
    Column("target", lambda e: e.target or ""),
    Column("ip", lambda e: e.ip or ""),
    Column("detail", lambda e: json.dumps(e.detail, ensure_ascii=False) if e.detail else ""),
)


@dataclass(frozen=True)
class AuditFilter:
    """Person (username), action and an inclusive date range (Vietnam dates)."""

    username: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_args(cls, args) -> AuditFilter:
        """Read query parameters; raise ValueError on a malformed date."""

        def day(name: str) -> date | None:
            raw = args.get(name, "").strip()
            if not raw:
                return None
            value = date.fromisoformat(raw)
            if not 2000 <= value.year <= 2100:
                raise ValueError(f"{name}: {raw} is out of range")
            return value

        return cls(
            args.get("username", "").strip().casefold()[:80],
            args.get("action", "").strip()[:50],
            day("from"),
            day("to"),
        )


def search(actor: User, filters: AuditFilter, *, page: int, per_page: int):
    """Events by people of the actor's units (and system events for a top-level admin)."""
    who = aliased(User)
    where_unit = aliased(Unit)
    query = (
        select(AuditEvent)
        .outerjoin(who, who.id == AuditEvent.actor_id)
        .outerjoin(where_unit, where_unit.id == who.unit_id)
    )
    scope = subtree_of(actor.unit.path, where_unit.path)
    if actor.unit.depth == 0:
        scope = or_(scope, AuditEvent.actor_id.is_(None))
    query = query.where(scope)
    if filters.username:
        query = query.where(
            or_(who.username == filters.username, AuditEvent.target == filters.username)
        )
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.date_from:
        query = query.where(AuditEvent.at >= start_of_day(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEvent.at < start_of_day(filters.date_to + timedelta(days=1)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    events = db.session.scalars(
        query.order_by(AuditEvent.id.desc()).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return list(events), total


def action_label(action: str) -> str:
    """The action in the reader's language (the code itself for one without a label)."""
    label = ACTION_LABELS.get(action)
    return str(label) if label else action


def known_actions() -> list[str]:
    """Every action recorded so far, for the filter's drop-down."""
    return list(
        db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )
