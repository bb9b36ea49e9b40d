"""Health check, language switch and the site icon."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, request, send_from_directory, url_for
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from elearn.extensions import db
from elearn.params import safe_next

bp = Blueprint("site", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.get("/healthz")
def healthz():
    """Answer 200 when the database answers, 503 otherwise (for load balancers)."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable"), 503, {"Retry-After": "30"}
    return jsonify(status="ok")


@bp.post("/language")
def set_language():
    """Remember the chosen language in a cookie and go back to the page."""
    language = request.form.get("lang", "vi")
    response = redirect(safe_next(request.form.get("next")) or url_for("learn.home"))
    if language in ("vi", "en"):
        response.set_cookie(
            "lang",
            language,
            max_age=ONE_YEAR,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],  # as the session: production
        )
    return response


@bp.get("/favicon.ico")
def favicon():
    """Serve the site icon where browsers that skip the page's SVG icon look for it; kept a
    year (its URL cannot carry a fingerprint, and an old icon for a while harms nobody)."""
    return send_from_directory(
        current_app.static_folder or "",
        "favicon.ico",
        mimetype="image/vnd.microsoft.icon",
        max_age=ONE_YEAR,
    )
