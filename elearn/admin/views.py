"""Admin pages: people, imports, the unit tree and merges, the audit log."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from elearn.admin import audit_log, uploads
from elearn.admin.people_import import apply_import, passwords_csv, plan_import
from elearn.admin.units import merge_units
from elearn.auth.roles import roles_required
from elearn.errors import ElearnError, Forbidden, ImportProblem
from elearn.extensions import db
from elearn.models import CATEGORIES, ROLES, User
from elearn.params import page_count, page_number
from elearn.paths import write_private
from elearn.people import accounts
from elearn.people.fields import PersonFields
from elearn.spreadsheets import to_csv
from elearn.text import vi_key
from elearn.units import children_of, require_unit_in_scope

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 50


@bp.before_request
@roles_required("admin")
def require_admin():
    """Every admin page is for admins only (checked on every request)."""
    return None


@bp.get("/")
def index():
    """The admin home: what an administrator can do."""
    return render_template("admin/index.html")


# People ---------------------------------------------------------------------------------------


@bp.get("/people")
def people():
    """People of the admin's units, searchable, in Vietnamese name order."""
    search = request.args.get("q", "").strip()[:100]
    page = page_number(request.args.get("page"))
    rows, total = accounts.people_in_scope(
        current_user, search=search, page=page, per_page=PER_PAGE
    )
    return render_template(
        "admin/people.html",
        people=rows,
        total=total,
        search=search,
        page=page,
        pages=page_count(total, PER_PAGE),
    )


def _person(user_id: int) -> User:
    """A person the admin may act on: 404 if unknown, the 403 page if outside their units."""
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    accounts.check_may_manage(current_user, person)
    return person


def _fields_from_form() -> PersonFields:
    return PersonFields(**{name: request.form.get(name, "") for name in PersonFields.names()})


def _refused(error: ElearnError, person: User | None):
    """Show the form again, as it was sent, with every reason it was refused."""
    db.session.rollback()
    problems = error.problems if isinstance(error, accounts.PersonProblems) else None
    for message in [p.message for p in problems] if problems else [str(error)]:
        flash(message, "error")
    return _person_page(person, request.form), 400


@bp.route("/people/new", methods=["GET", "POST"])
def new_person():
    """Create an account in the admin's units; its one-time password is shown once."""
    if request.method == "POST":
        try:
            person, password = accounts.create_person(current_user, _fields_from_form())
        except ElearnError as error:  # Forbidden and NotFound included: the form says why
            return _refused(error, None)
        db.session.commit()
        return render_template("admin/password.html", person=person, password=password)
    return _person_page(None, {})


@bp.route("/people/<id:user_id>", methods=["GET", "POST"])
def person(user_id: int):
    """Edit an account: name, unit, role, category and contact details."""
    person = _person(user_id)
    if request.method == "POST":
        try:
            changed = accounts.update_person(current_user, person, _fields_from_form())
        except Forbidden as error:
            db.session.rollback()
            abort(403, description=str(error))
        except ElearnError as error:
            return _refused(error, person)
        db.session.commit()
        flash(_("Đã lưu %(n)s thay đổi.", n=len(changed)), "success")
        return redirect(url_for("admin.person", user_id=person.id))
    return _person_page(person, asdict(accounts.person_fields(person)))


def _person_page(person: User | None, form) -> str:
    """The account form, new (person None) or for editing, filled with `form`."""
    return render_template(
        "admin/person.html", person=person, form=form, roles=ROLES, categories=CATEGORIES
    )


@bp.post("/people/<id:user_id>/active")
def set_active(user_id: int):
    """Deactivate or reactivate an account."""
    person = _person(user_id)
    try:
        accounts.set_active(current_user, person, request.form.get("active") == "1")
    except ElearnError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.person", user_id=person.id))
    db.session.commit()
    flash(_("Đã cập nhật trạng thái tài khoản."), "success")
    return redirect(url_for("admin.person", user_id=person.id))


@bp.post("/people/<id:user_id>/reset-password")
def reset_password(user_id: int):
    """Give a one-time password (shown once) and sign the person out everywhere."""
    person = _person(user_id)
    password = accounts.reset_password(current_user, person)
    db.session.commit()
    return render_template("admin/password.html", person=person, password=password)


# Imports --------------------------------------------------------------------------------------


def _upload_dir() -> Path:
    return uploads.upload_dir(current_app.instance_path)


def _refuse_upload(problems: list[str], status: int = 400):
    return render_template("admin/import.html", plan=None, problems=problems), status


@bp.route("/import", methods=["GET", "POST"])
def import_people():
    """Upload a people file and see what importing it would do (nothing is written yet)."""
    if request.method == "GET":
        return render_template("admin/import.html", plan=None, problems=None)
    folder = _upload_dir()
    uploads.remove_stale(folder)
    upload = request.files.get("file")  # spooled to a temporary file, not kept in memory
    suffix = Path(upload.filename or "").suffix.lower() if upload else ""
    if upload is None or suffix not in uploads.UPLOAD_SUFFIXES:
        flash(_("Hãy chọn một tệp CSV hoặc Excel (.xlsx)."), "error")
        return render_template("admin/import.html", plan=None, problems=None), 400
    try:
        token, path = uploads.save_upload(upload.stream, folder, suffix)
    except ImportProblem as problem:
        return _refuse_upload(problem.localised(), 413)
    try:
        plan = plan_import(path, actor=current_user)
    except ImportProblem as problem:
        path.unlink(missing_ok=True)
        return _refuse_upload(problem.localised())
    except BaseException:
        path.unlink(missing_ok=True)  # a crash keeps nothing either
        raise
    return render_template(
        "admin/import.html", plan=plan, problems=None, token=token, filename=upload.filename
    )


@bp.post("/import/<token>/apply")
def apply_people_import(token: str):
    """Apply a previewed file, all or nothing, and offer the one-time passwords once."""
    if not token.isalnum():
        abort(400)
    folder = _upload_dir()
    path = uploads.find_upload(folder, token)
    if path is None:
        abort(404)
    try:  # the file goes whatever happens: applied, refused or crashed
        plan = plan_import(path, actor=current_user)  # checked again: data may have moved
        accounts_created = apply_import(plan, actor=current_user, source=path.name)
        db.session.commit()
    except ImportProblem as problem:
        return _refuse_upload(problem.localised())
    finally:
        path.unlink(missing_ok=True)
    if accounts_created:
        write_private(uploads.passwords_file(folder, token), passwords_csv(accounts_created))
    return render_template(
        "admin/imported.html", plan=plan, token=token, created=len(accounts_created)
    )


@bp.post("/import/<token>/passwords")
def download_passwords(token: str):
    """Hand over the one-time passwords file once, then delete it from the server."""
    if not token.isalnum():
        abort(400)
    folder = _upload_dir()
    uploads.remove_stale(folder)  # a list older than an hour is not handed out
    path = uploads.passwords_file(folder, token)
    if not path.exists():
        flash(
            _(
                "Danh sách mật khẩu không còn trên máy chủ: đã được tải về, hoặc quá một giờ "
                "mà không ai tải. Hãy đặt lại mật khẩu cho tài khoản nào còn cần."
            ),
            "error",
        )
        return redirect(url_for("admin.import_people"))
    body = path.read_bytes()
    path.unlink()
    response = Response(body, mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="mat-khau-mot-lan.csv"'
    return response


# Units ----------------------------------------------------------------------------------------


@bp.get("/units")
@bp.get("/units/<code>")
def units(code: str | None = None):
    """Browse the unit tree from the admin's own unit down."""
    unit = require_unit_in_scope(current_user, code)
    children = sorted(children_of(unit), key=lambda c: (not c.is_open, vi_key(c.name)))
    return render_template("admin/units.html", unit=unit, children=children)


@bp.post("/units/<code>/merge")
def merge(code: str):
    """Merge the ticked units into this one."""
    codes = [c.strip() for c in request.form.getlist("merge") if c.strip()]
    try:
        report = merge_units(codes, code, actor=current_user)
    except ImportProblem as problem:
        db.session.rollback()
        for line in problem.problems:
            flash(line, "error")
        return redirect(url_for("admin.units", code=code))
    db.session.commit()
    flash(
        _(
            "Đã sáp nhập %(units)s; %(n)s người được chuyển sang.",
            units=", ".join(report.closed),
            n=report.people_moved,
        ),
        "success",
    )
    return redirect(url_for("admin.units", code=code))


# Audit log ------------------------------------------------------------------------------------


def _audit_filters() -> audit_log.AuditFilter:
    try:
        return audit_log.AuditFilter.from_args(request.args)
    except ValueError:
        abort(400)


@bp.get("/audit")
def audit():
    """Who did what, filtered by person, action and dates, newest first."""
    filters = _audit_filters()
    page = page_number(request.args.get("page"))
    events, total = audit_log.search(current_user, filters, page=page, per_page=PER_PAGE)
    return render_template(
        "admin/audit.html",
        events=events,
        total=total,
        filters=filters,
        page=page,
        pages=page_count(total, PER_PAGE),
        actions=audit_log.known_actions(),
    )


@bp.get("/audit.csv")
def audit_csv():
    """The same events as the page, as CSV."""
    filters = _audit_filters()
    events, _total = audit_log.search(current_user, filters, page=1, per_page=audit_log.MAX_EXPORT)
    response = Response(to_csv(audit_log.CSV_COLUMNS, events), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="nhat-ky.csv"'
    return response
