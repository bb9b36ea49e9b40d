"""Role checks for views: every check happens on the server, for every request."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required

REPORT_ROLES = ("manager", "admin")  # who sees the reports of their unit's subtree


def roles_required(*roles: str) -> Callable:
    """Allow the view only to signed-in users with one of `roles` (others get 403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
