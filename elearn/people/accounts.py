"""Create and change user accounts (shared by the CLI, the admin pages and imports)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from elearn import audit
from elearn.auth.passwords import (
    hash_one_time_password,
    hash_password,
    one_time_password,
    password_problem,
)
from elearn.auth.service import normalise_username
from elearn.errors import ElearnError, NotFound
from elearn.extensions import db
from elearn.models import CATEGORIES, ROLES, User
from elearn.models.org import Unit
from elearn.progress import rollup
from elearn.text import clean, fold, vi_sort_key

# The account fields an admin or an import may change (the username never changes).
EDITABLE_FIELDS = (
    "full_name",
    "unit_id",
    "role",
    "category",
    "position",
    "email",
    "phone",
    "education_level",
    "it_level",
)
CATEGORY_NAMES = {fold(k): k for k in CATEGORIES} | {fold(v): k for k, v in CATEGORIES.items()}


def set_name(user: User, full_name: str) -> None:
    """Store the name in NFC with its search and Vietnamese sort keys."""
    user.full_name = clean(full_name)
    user.search_name = fold(user.full_name)
    user.sort_key = vi_sort_key(user.full_name)


def create_user(
    username: str,
    full_name: str,
    unit_code: str,
    *,
    role: str = "official",
    category: str = "khac",
    password: str | None = None,
    actor: User | None = None,
) -> tuple[User, str | None]:
    """Create an account; without a password, return a one-time password to hand over."""
    name = normalise_username(username)
    if not name or len(name) > 80 or any(c.isspace() for c in name):
        raise ElearnError(
            _(
                "Tên đăng nhập “%(name)s” không hợp lệ: cần 1 đến 80 ký tự, không có dấu cách.",
                name=username,
            )
        )
    if db.session.scalar(select(User.id).where(User.username == name)):
        raise ElearnError(_("Tên đăng nhập %(name)s đã có người dùng.", name=name))
    if role not in ROLES:
        raise ElearnError(
            _(
                "Vai trò “%(role)s” không hợp lệ; hãy chọn: %(roles)s.",
                role=role,
                roles=", ".join(ROLES),
            )
        )
    category_key = CATEGORY_NAMES.get(fold(category))
    if category_key is None:
        raise ElearnError(
            _(
                "Phân loại “%(category)s” không hợp lệ; hãy chọn cán bộ, công chức hoặc khác.",
                category=category,
            )
        )
    if not clean(full_name) or len(clean(full_name)) > 200:
        raise ElearnError(_("Họ và tên phải có từ 1 đến 200 ký tự."))
    unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
    if unit is None:
        raise NotFound(_("Không có đơn vị mang mã %(code)s.", code=unit_code))
    temporary = None
    if password is None:
        temporary = one_time_password()
    elif problem := password_problem(password, name):
        raise ElearnError(_("Mật khẩu không được chấp nhận: %(problem)s", problem=problem))
    user = User(
        username=name,
        unit=unit,
        role=role,
        category=category_key,
        password_hash=hash_password(password) if password else hash_one_time_password(temporary),
        must_change_password=password is None,
    )
    set_name(user, full_name)
    db.session.add(user)
    db.session.flush()
    rollup.rebuild([unit.id])
    audit.record("user.created", actor=actor, target=name, role=role, unit=unit.code)
    return user, temporary
