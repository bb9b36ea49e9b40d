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


def _data(progress: CourseProgress, user: User, course: Course) -> CertificateData:
    """What the PDF prints and the page shows, from one place, so they always agree.

    The verification address is absolute only when ELEARN_PUBLIC_URL says what it is: a
    request's Host header is not to be trusted on a document people keep for years.
    """
    code = progress.certificate_code or ""
    path = url_for("certificates.verify", code=code)
    public = current_app.config.get("PUBLIC_URL")
    return CertificateData(
        full_name=user.full_name,
        unit_name=user.unit.name,
        course_title=course.title,
        completed_at=progress.completed_at,  # type: ignore[arg-type]  (a code means completed)
        code=code,
        verify_path=path,
        verify_url=f"{public}{path}" if public else None,
        issuer=current_app.config.get("ISSUER"),
    )


@bp.get("/<code>")
def verify(code: str):
    """Confirm a certificate to anyone holding its code: who, which unit, which course, when,
    and who issued it; its owner may also download the PDF from here."""
    progress, user, course = _certificate(code)
    owner = current_user.is_authenticated and current_user.id == user.id
    return render_template(
        "certificates/verify.html", data=_data(progress, user, course), owner=owner
    )


@bp.get("/<code>.pdf")
@login_required
def pdf(code: str):
    """Download the certificate as PDF; only its owner may (others get 404)."""
    progress, user, course = _certificate(code)
    if user.id != current_user.id:
        abort(404)
    response = Response(render_pdf(_data(progress, user, course)), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="chung-chi-{course.slug}.pdf"'
    return response
