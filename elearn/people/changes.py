"""Change accounts within an admin's own subtree; every change is audited.

Changes apply at the person's next request: the session loader reads the account afresh.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from elearn import audit
from elearn.auth.passwords import hash_one_time_password, one_time_password
from elearn.auth.service import end_other_sessions
from elearn.errors import ElearnError, Forbidden
from elearn.extensions import db
from elearn.models import ROLES, Unit, User
from elearn.people.accounts import CATEGORY_NAMES, EDITABLE_FIELDS, set_name
from elearn.progress import rollup
from elearn.text import clean, fold
from elearn.units import subtree_of

FIELDS = (
    "full_name",
    "unit_code",
    "role",
    "category",
    "position",
    "email",
    "phone",
    "education_level",
    "it_level",
)


@dataclass(frozen=True)
class PersonChange:
    """The editable fields of an account, as an admin submits them."""

    full_name: str
    unit_code: str
    role: str
    category: str
    position: str = ""
    email: str = ""
    phone: str = ""
    education_level: str = ""
    it_level: str = ""


FIELD_LIMITS = {"position": 200, "email": 254, "phone": 30, "education_level": 100, "it_level": 100}
FIELD_LABELS = {
    "position": _l("Chức vụ"),
    "email": _l("Thư điện tử"),
    "phone": _l("Điện thoại"),
    "education_level": _l("Trình độ chuyên môn"),
    "it_level": _l("Trình độ tin học"),
}


def check_person_in_scope(actor: User, person: User) -> None:
    """Admins act only on people of their own subtree, and not on a fellow admin of their own
    unit (only an admin above both may), so no admin can take another's account over."""
    if not person.unit.path.startswith(actor.unit.path):
        raise Forbidden(
            _("Tài khoản %(name)s không thuộc đơn vị anh/chị quản lý.", name=person.username)
        )
    if person.role == "admin" and person.id != actor.id and person.unit_id == actor.unit_id:
        raise Forbidden(
            _(
                "%(name)s là quản trị viên cùng đơn vị với anh/chị; chỉ quản trị viên cấp trên "
                "được sửa tài khoản này.",
                name=person.username,
            )
        )


def _unit_in_scope(actor: User, code: str) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None or not unit.is_open:
        raise ElearnError(_("Không có đơn vị đang hoạt động mang mã %(code)s.", code=code))
    if not unit.path.startswith(actor.unit.path):
        raise Forbidden(_("Đơn vị %(code)s không thuộc phạm vi quản lý của anh/chị.", code=code))
    return unit


def update_person(actor: User, person: User, change: PersonChange) -> list[str]:
    """Apply an edit (name, unit, role, …); return the names of the fields that changed."""
    check_person_in_scope(actor, person)
    unit = _unit_in_scope(actor, change.unit_code)
    name = clean(change.full_name)
    if not name or len(name) > 200:
        raise ElearnError(_("Họ và tên phải có từ 1 đến 200 ký tự."))
    for field_name, limit in FIELD_LIMITS.items():
        if len(getattr(change, field_name).strip()) > limit:
            raise ElearnError(
                _("“%(field)s” dài quá %(n)s ký tự.", field=FIELD_LABELS[field_name], n=limit)
            )
    if change.role not in ROLES:
        raise ElearnError(_("Vai trò “%(role)s” không hợp lệ.", role=change.role))
    category = CATEGORY_NAMES.get(fold(change.category))
    if category is None:
        raise ElearnError(
            _(
                "Phân loại “%(category)s” không hợp lệ; hãy chọn cán bộ, công chức hoặc khác.",
                category=change.category,
            )
        )
    if person.id == actor.id and (change.role != actor.role or unit.id != actor.unit_id):
        raise ElearnError(
            _(
                "Anh/chị không thể tự đổi vai trò hay đơn vị của mình; hãy nhờ một quản trị "
                "viên khác."
            )
        )
    before = {f: getattr(person, f) for f in EDITABLE_FIELDS}
    set_name(person, change.full_name)
    person.unit_id, person.role, person.category = unit.id, change.role, category
    for name in ("position", "email", "phone", "education_level", "it_level"):
        setattr(person, name, getattr(change, name).strip() or None)
    changed = [f for f, value in before.items() if getattr(person, f) != value]
    if {"unit_id", "category", "it_level"} & set(changed):
        db.session.flush()
        rollup.rebuild([before["unit_id"], person.unit_id])
    if changed:
        audit.record(
            "user.updated",
            actor=actor,
            target=person.username,
            fields=changed,
            role=person.role,
            unit=unit.code,
        )
    db.session.flush()
    return changed


def set_active(actor: User, person: User, active: bool) -> None:
    """Deactivate (signs them out at their next request) or reactivate an account."""
    check_person_in_scope(actor, person)
    if person.id == actor.id:
        raise ElearnError(_("Anh/chị không thể tự khoá tài khoản của mình."))
    if person.active != active:
        person.active = active
        audit.record(
            "user.activated" if active else "user.deactivated", actor=actor, target=person.username
        )
        if not active:
            end_other_sessions(person, None)
        db.session.flush()
        rollup.rebuild([person.unit_id])
    db.session.flush()


def reset_password(actor: User, person: User) -> str:
    """Give the person a one-time password (to change at next sign-in) and end their sessions."""
    check_person_in_scope(actor, person)
    password = one_time_password()
    person.password_hash = hash_one_time_password(password)
    person.must_change_password = True
    end_other_sessions(person, None)
    audit.record("user.password_reset", actor=actor, target=person.username)
    db.session.flush()
    return password


def people_in_scope(
    actor: User, *, search: str = "", page: int = 1, per_page: int = 50
) -> tuple[list[User], int]:
    """People of the admin's subtree, in Vietnamese name order, one page at a time."""
    query = select(User).join(Unit, Unit.id == User.unit_id).where(subtree_of(actor.unit.path))
    if search:
        term = fold(search)
        query = query.where(
            User.search_name.contains(term, autoescape=True)
            | User.username.contains(search.strip().casefold(), autoescape=True)
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    people = db.session.scalars(
        query.order_by(User.sort_key, User.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return list(people), total
