"""Admin pages for course assignments and announcements."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from elearn.auth.roles import roles_required
from elearn.clock import local_today
from elearn.errors import ElearnError, Forbidden, NotFound
from elearn.extensions import db
from elearn.models import CATEGORIES
from elearn.plans import announcements as announcement_service
from elearn.plans import assignments as assignment_service
from elearn.progress import queries
from elearn.units import units_in_subtree

bp = Blueprint("plans", __name__, url_prefix="/admin")

PER_PAGE = 50
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]  # the date picker's value, or typed by hand


def _not_in_past(_form: FlaskForm, field: DateField) -> None:
    if field.data is not None and field.data < local_today():
        raise ValidationError(_l("Ngày này đã qua. Anh/chị hãy chọn hôm nay hoặc một ngày sau."))


class AssignmentForm(FlaskForm):
    """A course, a unit code, an optional category and an optional due date."""

    class Meta:
        csrf = False  # CSRFProtect checks every POST of the app already

    course = SelectField(_l("Khoá học"), validators=[DataRequired()])
    unit = StringField(
        _l("Mã đơn vị"),
        validators=[DataRequired(_l("Anh/chị hãy nhập mã đơn vị.")), Length(max=20)],
    )
    category = SelectField(
        _l("Giao cho"),
        choices=[
            SelectChoice("", _l("Tất cả cán bộ, công chức")),
            SelectChoice("can_bo", _l("Chỉ cán bộ")),
            SelectChoice("cong_chuc", _l("Chỉ công chức")),
        ],
        default="",
    )
    due_date = DateField(
        _l("Hạn hoàn thành (không bắt buộc)"),
        format=DATE_FORMATS,
        validators=[Optional(), _not_in_past],
    )


class AnnouncementForm(FlaskForm):
    """A unit code, a title, a plain-text body and an optional expiry date."""

    class Meta:
        csrf = False  # CSRFProtect checks every POST of the app already

    unit = StringField(
        _l("Mã đơn vị nhận thông báo"),
        validators=[DataRequired(_l("Anh/chị hãy nhập mã đơn vị.")), Length(max=20)],
    )
    title = StringField(
        _l("Tiêu đề"),
        validators=[
            DataRequired(_l("Anh/chị hãy nhập tiêu đề.")),
            Length(max=announcement_service.TITLE_MAX, message=_l("Tiêu đề dài quá 200 ký tự.")),
        ],
    )
    body = TextAreaField(
        _l("Nội dung"),
        validators=[
            Length(max=announcement_service.BODY_MAX, message=_l("Nội dung dài quá 2.000 ký tự."))
        ],
    )
    expires_on = DateField(
        _l("Hiện đến hết ngày (không bắt buộc)"),
        format=DATE_FORMATS,
        validators=[Optional(), _not_in_past],
    )


def _unit_not_found(field: StringField) -> None:
    field.errors = [*field.errors, _("Không có đơn vị mã %(code)s.", code=field.data)]


# Assignments ---------------------------------------------------------------------------------


@bp.route("/assignments", methods=["GET", "POST"])
@roles_required("admin")
def assignments():
    """List the assignments of the admin's units; a POST assigns a course to a unit subtree."""
    courses = queries.published_courses()
    form = AssignmentForm()
    form.course.choices = [SelectChoice(c.slug, c.title) for c in courses]
    if request.method == "GET":
        form.unit.data = current_user.unit.code
    if form.validate_on_submit():
        try:
            assignment = assignment_service.create_assignment(
                current_user,
                form.course.data,
                form.unit.data.strip(),
                category=form.category.data or None,
                due_date=form.due_date.data,
                ip=request.remote_addr,
            )
        except Forbidden:
            raise  # a 403 page with the scope rule's message, not a form error
        except NotFound:
            _unit_not_found(form.unit)
        except ElearnError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                _(
                    "Đã giao khoá học “%(course)s” cho %(unit)s.",
                    course=assignment.course.title,
                    unit=assignment.unit.name,
                ),
                "success",
            )
            return redirect(url_for("plans.assignments"))
    return render_template(
        "plans/assignments.html",
        form=form,
        assignments=assignment_service.assignments_in_scope(current_user),
        units=units_in_subtree(current_user.unit),
        categories=CATEGORIES,
        has_courses=bool(courses),
    )


@bp.post("/assignments/<id:assignment_id>/deactivate")
@roles_required("admin")
def deactivate_assignment(assignment_id: int):
    """Stop an assignment of one of the admin's units (its history stays)."""
    assignment = assignment_service.deactivate_assignment(
        current_user, assignment_id, ip=request.remote_addr
    )
    db.session.commit()
    flash(
        _(
            "Đã ngừng giao khoá học “%(course)s” cho %(unit)s.",
            course=assignment.course.title,
            unit=assignment.unit.name,
        ),
        "success",
    )
    return redirect(url_for("plans.assignments"))


# Announcements -------------------------------------------------------------------------------


@bp.route("/announcements", methods=["GET", "POST"])
@roles_required("admin")
def announcements():
    """List the announcements of the admin's units; a POST posts a new one to a subtree."""
    form = AnnouncementForm()
    if request.method == "GET":
        form.unit.data = current_user.unit.code
    if form.validate_on_submit():
        try:
            announcement = announcement_service.create_announcement(
                current_user,
                form.unit.data.strip(),
                form.title.data,
                form.body.data or "",
                expires_on=form.expires_on.data,
                ip=request.remote_addr,
            )
        except Forbidden:
            raise  # a 403 page with the scope rule's message, not a form error
        except NotFound:
            _unit_not_found(form.unit)
        except ElearnError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Đã đăng thông báo cho %(unit)s.", unit=announcement.unit.name), "success")
            return redirect(url_for("plans.announcements"))
    posted = announcement_service.announcements_in_scope(current_user)
    return render_template(
        "plans/announcements.html",
        form=form,
        announcements=posted,
        current_ids={a.id for a in posted if announcement_service.is_current(a)},
        units=units_in_subtree(current_user.unit),
    )


@bp.post("/announcements/<id:announcement_id>/end")
@roles_required("admin")
def end_announcement(announcement_id: int):
    """Take down an announcement of one of the admin's units now."""
    announcement_service.end_announcement(current_user, announcement_id, ip=request.remote_addr)
    db.session.commit()
    flash(_("Đã gỡ thông báo."), "success")
    return redirect(url_for("plans.announcements"))
