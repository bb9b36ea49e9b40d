"""Create and change user accounts (shared by the CLI, the admin pages and imports)."""

from __future__ import annotations

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
from elearn.reports import rollup
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
        raise ElearnError(f"invalid username {username!r}: 1-80 characters, no spaces")
    if db.session.scalar(select(User.id).where(User.username == name)):
        raise ElearnError(f"username {name} is already taken")
    if role not in ROLES:
        raise ElearnError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    category_key = CATEGORY_NAMES.get(fold(category))
    if category_key is None:
        raise ElearnError(f"unknown category {category!r}; use cán bộ, công chức or khác")
    if not clean(full_name) or len(clean(full_name)) > 200:
        raise ElearnError("the full name must have 1 to 200 characters")
    unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
    if unit is None:
        raise NotFound(f"unknown unit code {unit_code!r}")
    temporary = None
    if password is None:
        temporary = one_time_password()
    elif problem := password_problem(password, name):
        raise ElearnError(f"password refused: {problem}")
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
