"""Serve course images by content hash, cached for a year (the URL changes with the image)."""

from __future__ import annotations

from flask import Blueprint, Response, abort

from elearn.extensions import db
from elearn.models import MediaFile

bp = Blueprint("media", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.get("/media/<sha256>/<name>")
def image(sha256: str, name: str):
    """Send one image; an image can never run script, even opened on its own (CSP sandbox)."""
    media = db.session.get(MediaFile, sha256)
    if media is None:
        abort(404)
    response = Response(media.data, mimetype=media.mime_type)
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
