"""Password hashing and the rules a new password must meet."""

from __future__ import annotations

import secrets
from functools import cache

from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12
COMMON = {
    "123456789012",
    "1234567890123",
    "matkhau12345",
    "matkhaumoi123",
    "password1234",
    "qwertyuiop12",
    "abc123456789",
    "admin1234567",
    "111111111111",
    "123456123456",
}


def hash_password(password: str) -> str:
    """Hash with Werkzeug's default (scrypt), salted per password."""
    return generate_password_hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password in the time of one scrypt check, whatever is stored: no hash (an
    unknown user) or a cheaper one (a one-time password) is also checked against the dummy,
    so that the answer's timing tells nothing about the account."""
    if stored_hash is None or _method(stored_hash) != _method(_dummy_hash()):
        check_password_hash(_dummy_hash(), password)
    return stored_hash is not None and check_password_hash(stored_hash, password)


def _method(stored_hash: str) -> str:
    return stored_hash.split("$", 1)[0]


@cache
def _dummy_hash() -> str:
    """A scrypt hash with the cost of real ones, to check against when no real one will do."""
    return generate_password_hash(secrets.token_urlsafe(16))


def password_problem(password: str, username: str) -> str | None:
    """Return why a new password is not acceptable (Vietnamese), or None if it is."""
    if len(password) < MIN_LENGTH:
        return str(
            _l("Mật khẩu cần ít nhất %(n)s ký tự. Một cụm từ dễ nhớ là tốt nhất.", n=MIN_LENGTH)
        )
    if len(set(password)) < 5:
        return str(_l("Mật khẩu quá đơn giản: hãy dùng nhiều ký tự khác nhau."))
    if username and username.casefold() in password.casefold():
        return str(_l("Mật khẩu không được chứa tên đăng nhập."))
    if password.casefold() in COMMON:
        return str(_l("Mật khẩu này quá phổ biến, kẻ gian dễ đoán. Hãy chọn mật khẩu khác."))
    return None


ONE_TIME_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
ONE_TIME_METHOD = "pbkdf2:sha256:1000"


def one_time_password() -> str:
    """Generate a one-time password like 7KQ2-MX9P-R4TD: 60 random bits, easy to read aloud."""
    raw = "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def hash_one_time_password(password: str) -> str:
    """Hash a generated one-time password cheaply: its 60 random bits already defeat guessing,
    it is replaced (with scrypt) at first sign-in, and an import may create 50,000 of them."""
    return generate_password_hash(password, method=ONE_TIME_METHOD)
