"""Admin pages for course assignments and announcements."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("plans", __name__, url_prefix="/admin")
