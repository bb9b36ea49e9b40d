"""Certificate pages: public verification by code, PDF for its owner only."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from elearn.certificates.pdf import CertificateData, render_pdf
from elearn.extensions import db
from elearn.models import Course, CourseProgress, User

bp = Blueprint("certificates", __name__, url_prefix="/certificates")


def _certificate(code: str) -> tuple[CourseProgress, User, Course]:
    row = db.session.execute(
        select(CourseProgress, User, Course)
        .join(User, User.id == CourseProgress.user_id)
        .join(Course, Course.id == CourseProgress.course_id)
        .where(CourseProgress.certificate_code == code.upper())
    ).first()
    if row is None:
        abort(404)
    return row[0], row[1], row[2]


@bp.get("/<code>")
def verify(code: str):
    """Confirm a certificate to anyone holding its code: name, course and date, nothing more."""
    progress, user, course = _certificate(code)
    return render_template(
        "certificates/verify.html", progress=progress, full_name=user.full_name, course=course
    )


def _verify_url(code: str) -> str:
    """The verification address, from ELEARN_PUBLIC_URL only (never from the request's Host
    header); without it, the path alone, for the reader to open on the site they know."""
    path = url_for("certificates.verify", code=code)
    return f"{current_app.config['PUBLIC_URL'] or ''}{path}"


@bp.get("/<code>.pdf")
@login_required
def pdf(code: str):
    """Download the certificate as PDF; only its owner may (others get 404)."""
    progress, user, course = _certificate(code)
    if user.id != current_user.id:
        abort(404)
    data = CertificateData(
        full_name=user.full_name,
        unit_name=user.unit.name,
        course_title=course.title,
        completed_at=progress.completed_at,
        code=progress.certificate_code or "",
        verify_url=_verify_url(progress.certificate_code or ""),
    )
    response = Response(render_pdf(data), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="chung-chi-{course.slug}.pdf"'
    return response
