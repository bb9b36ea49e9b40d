"""The home page each signed-in person lands on."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

bp = Blueprint("learn", __name__)


@bp.get("/")
@login_required
def home():
    """Show the signed-in person's home page."""
    return render_template("home/index.html", user=current_user)
