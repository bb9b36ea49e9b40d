"""Admin pages for course assignments and announcements, and the small pages around them:
dismissing an announcement, reading a notice, and the list of overdue officials in reports."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from elearn.auth.roles import roles_required
from elearn.errors import ElearnError, Forbidden, NotFound
from elearn.extensions import db
from elearn.models import CATEGORIES
from elearn.params import page_count, page_number
from elearn.plans import announcements as announcement_service
from elearn.plans import assignments as assignment_service
from elearn.plans import notices, overdue
from elearn.progress import figures
from elearn.reports.params import resolve_course, resolve_unit
from elearn.units import units_in_subtree

bp = Blueprint("plans", __name__, url_prefix="/admin")

PER_PAGE = 50
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]  # the date picker's value, or typed by hand


def _outside_admin(rule: str, **options) -> Callable:
    """Route a view at `rule` itself rather than under /admin, keeping the name plans.<view>:
    officials and managers use these, and their URLs should not say admin."""

    def decorator(view: Callable) -> Callable:
        endpoint = f"{bp.name}.{view.__name__}"
        bp.record(lambda state: state.app.add_url_rule(rule, endpoint, view, **options))
        return view

    return decorator


def _not_in_past(_form: FlaskForm, field: DateField) -> None:
    if field.data is not None and field.data < assignment_service.local_today():
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
    courses = figures.published_courses()
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
            abort(403)
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
            abort(403)
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


@_outside_admin("/announcements/<id:announcement_id>/dismiss", methods=["POST"])
@login_required
def dismiss_announcement(announcement_id: int):
    """Hide an announcement from the signed-in person's home page."""
    announcement_service.dismiss_announcement(current_user, announcement_id)
    db.session.commit()
    flash(_("Đã ẩn thông báo."), "success")
    return redirect(url_for("learn.home"))


# Notices -------------------------------------------------------------------------------------


@_outside_admin("/notices/<id:notice_id>/read", methods=["POST"])
@login_required
def read_notice(notice_id: int):
    """Mark one of the signed-in person's notices as read."""
    notices.mark_notice_read(current_user, notice_id)
    db.session.commit()
    flash(_("Đã đánh dấu là đã đọc."), "success")
    return redirect(url_for("learn.home"))


# Reports -------------------------------------------------------------------------------------


@_outside_admin("/reports/units/<code>/overdue", methods=["GET"])
@login_required
def overdue_officials(code: str):
    """The officials of a unit's subtree who are past the due date of a course."""
    unit = resolve_unit(code)
    course = resolve_course(request.args.get("course"), figures.published_courses())
    if course is None:
        abort(404)
    page = page_number(request.args.get("page"))
    rows, total = overdue.overdue_officials(unit, course, page=page, per_page=PER_PAGE)
    return render_template(
        "plans/overdue.html",
        unit=unit,
        course=course,
        rows=rows,
        total=total,
        page=page,
        pages=page_count(total, PER_PAGE),
        categories=CATEGORIES,
    )
