"""Serve course images and files by content hash, cached for a year (the URL changes with them)."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, Response, abort, send_file

from elearn.extensions import db
from elearn.models import MediaFile

bp = Blueprint("media", __name__)

ONE_YEAR = 365 * 24 * 3600
# Files for download, by MIME type: the name in the URL must end as the content is typed.
DOWNLOADS = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/pdf": ".pdf",
}


@bp.get("/media/<sha256>/<name>")
def image(sha256: str, name: str) -> Response:
    """Send one image, or one file as a download named after it; neither can run script."""
    media = db.session.get(MediaFile, sha256)
    if media is None:
        abort(404)
    suffix = DOWNLOADS.get(media.mime_type)
    if suffix is None:
        response = Response(media.data, mimetype=media.mime_type)
    elif not name.lower().endswith(suffix) or any(c in name for c in '/\\"\r\n'):
        abort(404)
    else:
        # Ranges let a download resume on a weak connection; the hash is a perfect ETag.
        response = send_file(
            BytesIO(media.data),
            mimetype=media.mime_type,
            as_attachment=True,
            download_name=name,
            etag=sha256,
            conditional=True,
            max_age=ONE_YEAR,
        )
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
