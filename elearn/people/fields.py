"""The fields of an account and the checks every path applies to them.

The admin form, `elearn users create` and the people import all read a person through
`check_person`, so the same input is accepted or refused everywhere, with the same message
(the import adds `row N, column X:` in front).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from elearn.models import CATEGORIES, ROLES
from elearn.text import clean, fold, normalise_username, vi_sort_key

USERNAME = re.compile(r"[a-z0-9._@-]{1,80}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE = re.compile(r"\+?[0-9 .()-]+")
PHONE_DIGITS = (8, 15)
FULL_NAME_MAX = 200
OPTIONAL_LIMITS = {
    "position": 200,
    "email": 254,
    "phone": 30,
    "education_level": 100,
    "it_level": 100,
}
FIELD_LABELS = {
    "username": _l("Tên đăng nhập"),
    "full_name": _l("Họ và tên"),
    "unit_code": _l("Mã đơn vị"),
    "role": _l("Vai trò"),
    "category": _l("Phân loại"),
    "position": _l("Chức vụ"),
    "email": _l("Thư điện tử"),
    "phone": _l("Điện thoại"),
    "education_level": _l("Trình độ chuyên môn"),
    "it_level": _l("Trình độ tin học"),
}
# The words an import file or the command line may use for a role, besides its code and the
# label the screens show: what a unit's staff write in a Vietnamese spreadsheet.
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "official": ("cán bộ, công chức", "cán bộ công chức", "học viên"),
    "manager": ("quản lý", "cán bộ quản lý", "người quản lý"),
    "author": ("biên soạn nội dung", "biên soạn", "người biên soạn"),
    "admin": ("quản trị", "quản trị viên", "quản trị hệ thống"),
}
# "cán bộ", "Can bo", "can_bo" … name the same category; "cán bộ quản lý", "quan ly",
# "manager" the same role.
CATEGORY_NAMES = {fold(k): k for k in CATEGORIES} | {fold(v): k for k, v in CATEGORIES.items()}
ROLE_NAMES = (
    {fold(k): k for k in ROLES}
    | {fold(str(v)): k for k, v in ROLES.items()}
    | {fold(word): role for role, words in ROLE_WORDS.items() for word in words}
)
# The account columns an admin or an import may change (the username never changes).
EDITABLE_COLUMNS = (
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


def name_columns(full_name: str) -> dict[str, str]:
    """A name as stored: as written, folded for search and as its Vietnamese sort key — the
    three columns every path that writes a name (form, import, demo) sets together."""
    return {
        "full_name": full_name,
        "search_name": fold(full_name),
        "sort_key": vi_sort_key(full_name),
    }


@dataclass(frozen=True)
class PersonFields:
    """An account as a person typed it (form, command line or a row of a file)."""

    username: str = ""
    full_name: str = ""
    unit_code: str = ""
    role: str = ""  # empty: official
    category: str = ""  # empty: khác
    position: str = ""
    email: str = ""
    phone: str = ""
    education_level: str = ""
    it_level: str = ""

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Every field name, in form and file-column order."""
        return tuple(f.name for f in fields(cls))


@dataclass(frozen=True)
class Person:
    """An account's fields as they are stored, after every check passed."""

    username: str
    full_name: str
    unit_code: str
    role: str
    category: str
    position: str | None
    email: str | None
    phone: str | None
    education_level: str | None
    it_level: str | None

    def stored(self) -> dict[str, str | None]:
        """The values of the editable columns other than the unit."""
        return {
            name: getattr(self, name)
            for name in ("full_name", "role", "category", "position", "email", "phone")
            + ("education_level", "it_level")
        }


@dataclass(frozen=True)
class Problem:
    """One field that cannot be accepted, and why (in the reader's language)."""

    field: str
    message: str


def check_person(
    raw: PersonFields, *, with_username: bool = True
) -> tuple[Person | None, list[Problem]]:
    """Normalise and check every field; return the person, or None and every problem.

    Unit codes are only checked for presence here: whether the unit exists, is open and lies
    in the actor's scope is `elearn.units`' rule, applied by the caller.
    """
    problems: list[Problem] = []
    username = normalise_username(raw.username)
    if with_username:
        if not username:
            problems.append(Problem("username", _("Tên đăng nhập không được để trống.")))
        elif not USERNAME.fullmatch(username):
            problems.append(
                Problem(
                    "username",
                    _(
                        "Tên đăng nhập “%(name)s” không hợp lệ: chỉ dùng chữ a–z không dấu, "
                        "chữ số và các dấu . _ @ -, không có dấu cách, tối đa 80 ký tự.",
                        name=raw.username.strip(),
                    ),
                )
            )
    full_name = clean(raw.full_name)
    if not full_name or len(full_name) > FULL_NAME_MAX:
        problems.append(Problem("full_name", _("Họ và tên phải có từ 1 đến 200 ký tự.")))
    unit_code = clean(raw.unit_code)
    if not unit_code:
        problems.append(Problem("unit_code", _("Hãy nhập mã đơn vị của người này.")))
    role = ROLE_NAMES.get(fold(raw.role)) if clean(raw.role) else "official"
    if role is None:
        problems.append(
            Problem(
                "role",
                _(
                    "Vai trò “%(role)s” không hợp lệ; hãy viết một trong các vai trò: %(roles)s "
                    "(để trống là cán bộ, công chức).",
                    role=clean(raw.role),
                    roles="; ".join(f"{label} ({code})" for code, label in ROLES.items()),
                ),
            )
        )
    category = CATEGORY_NAMES.get(fold(raw.category)) if clean(raw.category) else "khac"
    if category is None:
        problems.append(
            Problem(
                "category",
                _(
                    "Phân loại “%(category)s” không hợp lệ; hãy chọn cán bộ, công chức hoặc khác.",
                    category=clean(raw.category),
                ),
            )
        )
    optional = {name: clean(getattr(raw, name)) for name in OPTIONAL_LIMITS}
    for name, limit in OPTIONAL_LIMITS.items():
        if len(optional[name]) > limit:
            problems.append(
                Problem(
                    name, _("“%(field)s” dài quá %(n)s ký tự.", field=FIELD_LABELS[name], n=limit)
                )
            )
    email, phone = optional["email"], optional["phone"]
    if email and not EMAIL.fullmatch(email):
        problems.append(
            Problem("email", _("“%(value)s” không phải là địa chỉ thư điện tử.", value=email))
        )
    if phone and not _phone_ok(phone):
        problems.append(
            Problem(
                "phone",
                _(
                    "Số điện thoại “%(value)s” không hợp lệ: chỉ gồm chữ số (8 đến 15 số), "
                    "dấu cách và các dấu + - . ( ).",
                    value=phone,
                ),
            )
        )
    if problems:
        return None, problems
    person = Person(
        username=username,
        full_name=full_name,
        unit_code=unit_code,
        role=role,  # type: ignore[arg-type]
        category=category,  # type: ignore[arg-type]
        **{name: value or None for name, value in optional.items()},
    )
    return person, []


def _phone_ok(phone: str) -> bool:
    digits = sum(c.isdigit() for c in phone)
    return bool(PHONE.fullmatch(phone)) and PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]
