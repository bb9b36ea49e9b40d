"""Addresses for many units on one page, built once.

A province's dashboard links each of its communes two or three times; building every one
of those addresses with `url_for` costs more than the rest of the row.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from flask import url_for

_CODE = "UNIT-CODE"  # unit codes are digits and capitals, never this


def per_unit(endpoint: str, **values: object) -> Callable[[str], str]:
    """A function giving `endpoint`'s address for any unit code, with the same other values
    (the code is a path segment of every unit address)."""
    head, _, tail = url_for(endpoint, code=_CODE, **values).partition(_CODE)
    return lambda code: f"{head}{quote(code, safe='')}{tail}"
