"""Read values from query strings and forms strictly: a bad number is a 400, never a 500, and
a `next` address is only ever a path on this site."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from flask import abort


def small_int(raw: str | None) -> int | None:
    """A plain decimal number of at most six digits, else None (`"²".isdigit()` is true)."""
    if raw is None or not re.fullmatch(r"[0-9]{1,6}", raw):
        return None
    return int(raw)


def page_number(raw: str | None) -> int:
    """A page number ≥ 1; anything else is a bad request."""
    if raw is None:
        return 1
    number = small_int(raw)
    if number is None or number < 1:
        abort(400)
    return number


def page_count(total: int, per_page: int) -> int:
    """How many pages `total` rows fill (at least one, so an empty list has page 1)."""
    return max((total + per_page - 1) // per_page, 1)


def safe_next(target: str | None) -> str | None:
    """Keep `next` only when it is a path on this site (no scheme, host or `//`)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return None
    return target


def one_of(raw: str | None, allowed: Iterable[str]) -> str | None:
    """An optional choice from a fixed set: empty is None, anything unknown a bad request."""
    if raw in (None, ""):
        return None
    if raw not in allowed:
        abort(400)
    return raw
