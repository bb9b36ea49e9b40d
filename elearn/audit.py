"""Write audit events; the caller's transaction commits them with the change they describe.

Actions are stored as stable codes (`login.failed`), which exports and filters keep; people
read them through `action_label`, in their own language.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

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


# Every action the application records, as people read it. A test checks that each action
# recorded anywhere in the code has its label here.
ACTION_LABELS = {
    "access.denied": _l("Bị từ chối truy cập"),
    "announcement.created": _l("Đã đăng thông báo"),
    "announcement.ended": _l("Đã kết thúc thông báo"),
    "assignment.created": _l("Đã giao khoá học"),
    "assignment.deactivated": _l("Đã thôi giao khoá học"),
    "attempt.granted": _l("Đã cho làm thêm một lần bài kiểm tra"),
    "courses.synced": _l("Đã xuất bản khoá học"),
    "login.failed": _l("Đăng nhập sai"),
    "login.inactive": _l("Đăng nhập bằng tài khoản đã khoá"),
    "login.locked": _l("Tạm khoá đăng nhập vì sai nhiều lần"),
    "login.succeeded": _l("Đã đăng nhập"),
    "password.changed": _l("Đã đổi mật khẩu"),
    "progress.events_refused": _l("Từ chối tiến độ gửi từ máy của tài khoản khác"),
    "reminder.sent": _l("Đã gửi nhắc nhở"),
    "report.exported": _l("Đã tải về báo cáo"),
    "token.created": _l("Đã tạo mã truy cập API"),
    "token.revoked": _l("Đã thu hồi mã truy cập API"),
    "unit.merged": _l("Đã sáp nhập đơn vị"),
    "units.imported": _l("Đã nhập danh sách đơn vị"),
    "user.activated": _l("Đã mở lại tài khoản"),
    "user.created": _l("Đã tạo tài khoản"),
    "user.deactivated": _l("Đã khoá tài khoản"),
    "user.password_reset": _l("Đã đặt lại mật khẩu"),
    "user.updated": _l("Đã sửa tài khoản"),
    "users.imported": _l("Đã nhập danh sách người dùng"),
}


def action_label(action: str) -> str:
    """An action in the reader's language; an action without a label shows its code."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
