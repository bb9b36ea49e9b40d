"""Report pages, exports and their JSON twins — one set of query functions feeds them all."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from elearn import audit
from elearn.clock import local_today, utcnow
from elearn.extensions import db
from elearn.formatting import format_time_date
from elearn.models import CATEGORIES
from elearn.params import one_of, page_count, page_number
from elearn.plans import nudges, overdue
from elearn.progress import figures, passport, queries, roster
from elearn.progress.status import LIST_ORDER, Status
from elearn.reports import dashboard, links, tables
from elearn.reports.requests import (
    ancestors,
    child_order,
    require_report_role,
    resolve_course,
    resolve_unit,
    status_filter,
    wants_print,
)
from elearn.spreadsheets import TitleBlock, csv_chunks, to_xlsx

bp = Blueprint("reports", __name__, url_prefix="/reports")

PER_PAGE = 50
MAX_EXPORT_ROWS = 100_000


bp.before_request(require_report_role)
bp.add_app_template_global(links.per_unit, "per_unit")


@bp.get("/")
def index():
    """Open the caller's own unit."""
    unit = resolve_unit(None)
    return redirect(url_for("reports.unit", code=unit.code))


@bp.get("/units/<code>")
def unit(code: str):
    """A unit's dashboard: every course, the weakest communes, child units lowest rate
    first, the trend, breakdowns; `print=1` gives every child unit on one printable page."""
    unit = resolve_unit(code)
    courses = queries.published_courses()
    course = resolve_course(request.args.get("course"), courses)
    sort, descending = child_order()
    printable = wants_print()
    board = dashboard.build(
        unit,
        courses,
        course,
        sort=sort,
        descending=descending,
        page=page_number(request.args.get("page")),
        everything=printable,
    )
    return render_template(
        "reports/unit.html",
        board=board,
        sort=sort,
        descending=descending,
        ancestors=ancestors(unit),
        categories=CATEGORIES,
        printable=printable,
        not_started_label=Status.NOT_STARTED.label,
    )


@bp.get("/units/<code>/officials")
def officials(code: str):
    """The officials of a unit's subtree for one course, not started first, searchable."""
    unit = resolve_unit(code)
    course = resolve_course(request.args.get("course"), queries.published_courses())
    if course is None:
        abort(404)
    status = status_filter(request.args.get("status"))
    search = request.args.get("q", "").strip()[:100]
    page = page_number(request.args.get("page"))
    printable = wants_print()
    rows, total = roster.officials_page(
        unit,
        course,
        status=status,
        search=search,
        page=1 if printable else page,
        per_page=MAX_EXPORT_ROWS if printable else PER_PAGE,
    )  # the printed list is the whole list, like the exports
    pages = page_count(total, PER_PAGE)
    return render_template(
        "reports/officials.html",
        unit=unit,
        course=course,
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        status=status,
        search=search,
        statuses=[s.value for s in LIST_ORDER],
        columns=tables.official_columns(status, person_url),
        show=tables.show,
        as_of_time=utcnow(),
        ancestors=ancestors(unit),
        printable=printable,
    )


def person_url(username: str) -> str | None:
    """The address of an official's page inside a spreadsheet: absolute, so only when the
    site's public address is known."""
    site = current_app.config.get("PUBLIC_URL")
    return f"{site}{url_for('officials.official', username=username)}" if site else None


# Exports -------------------------------------------------------------------------------------

EXPORT_KINDS = ("courses", "children", "officials", "domains")
WHOLE_UNIT_KINDS = ("courses", "domains")  # exports that do not depend on a course
STREAM_FROM_ROWS = 5_000
REPORT_TITLES = {
    "courses": _l("Tỷ lệ hoàn thành các khoá học"),
    "children": _l("Tỷ lệ hoàn thành theo đơn vị trực thuộc"),
    "officials": _l("Danh sách cán bộ"),
    "domains": _l("Cán bộ đạt từng lĩnh vực năng lực số"),
}


@bp.get("/units/<code>/<kind>.<fmt>")
def export(code: str, kind: str, fmt: str):
    """Download what the matching page shows: XLSX to read and print, CSV as data for other
    systems. Every export is audited; a whole province's list streams in bounded memory."""
    if kind not in EXPORT_KINDS or fmt not in ("csv", "xlsx"):
        abort(404)
    unit = resolve_unit(code)
    courses = queries.published_courses()
    course = resolve_course(request.args.get("course"), courses)
    lines = [_("Đơn vị: %(name)s (mã %(code)s)", name=unit.name, code=unit.code)]
    if kind == "courses":
        columns, rows = tables.course_columns(), figures.course_counts(unit, courses)
        count = len(rows)
    elif kind == "domains":
        columns, rows = tables.domain_columns(), passport.unit_domain_rows(unit)
        count = len(rows)
    elif course is None:
        abort(404)
    elif kind == "children":
        sort, descending = child_order()
        columns = tables.child_columns()
        rows = figures.child_counts(unit, course, sort, descending)
        count = len(rows)
    else:
        status = status_filter(request.args.get("status"))
        search = request.args.get("q", "").strip()[:100]
        columns = tables.official_columns(status, person_url)
        rows = roster.all_officials(unit, course, status=status, search=search)
        count = roster.officials_page(unit, course, status=status, search=search, per_page=1)[1]
        if status or search:
            filters = [str(Status(status).label)] if status else []
            filters += [_("tên có “%(q)s”", q=search)] if search else []
            lines.append(_("Lọc: %(filter)s", filter=", ".join(filters)))
    if kind not in WHOLE_UNIT_KINDS:
        lines.insert(1, _("Khoá học: %(title)s", title=course.title))
    lines.append(_("Số liệu đến %(time)s", time=format_time_date(utcnow())))
    audit.record(
        "report.exported",
        actor=current_user,
        target=unit.code,
        ip=request.remote_addr,
        kind=kind,
        format=fmt,
        course=course.slug if course else None,
        rows=count,
    )
    db.session.commit()
    stamp = local_today().isoformat()
    per_course = course and kind not in WHOLE_UNIT_KINDS
    name = f"{kind}-{unit.code}{'-' + course.slug if per_course else ''}-{stamp}"
    if fmt == "csv":
        chunks = csv_chunks(columns, rows)
        # A long list streams in bounded memory; a short one is sent whole.
        body = stream_with_context(chunks) if count > STREAM_FROM_ROWS else b"".join(chunks)
        response = Response(body, mimetype="text/csv; charset=utf-8")
    else:
        heading = TitleBlock(str(REPORT_TITLES[kind]), tuple(lines))
        body = to_xlsx(columns, rows, heading=heading, sheet=str(REPORT_TITLES[kind]))
        response = Response(
            body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@bp.get("/units/<code>/overdue")
def overdue_officials(code: str):
    """The officials of a unit's subtree who are past the due date of a course."""
    unit = resolve_unit(code)
    course = resolve_course(request.args.get("course"), queries.published_courses())
    if course is None:
        abort(404)
    page = page_number(request.args.get("page"))
    rows, total = overdue.overdue_officials(unit, course, page=page, per_page=PER_PAGE)
    return render_template(
        "reports/overdue.html",
        unit=unit,
        course=course,
        rows=rows,
        total=total,
        page=page,
        pages=page_count(total, PER_PAGE),
        columns=tables.overdue_columns(person_url),
        show=tables.show,
        as_of_time=utcnow(),
        ancestors=ancestors(unit),
    )


# Acting on a list -----------------------------------------------------------------------------


@bp.route("/units/<code>/remind", methods=["GET", "POST"])
def remind(code: str):
    """Remind everyone on a not-started, in-progress or overdue list, after a confirmation
    page that says how many; at most once per person, course and day."""
    unit = resolve_unit(code)
    course = resolve_course(request.args.get("course"), queries.published_courses())
    if course is None:
        abort(404)
    overdue_list = one_of(request.args.get("list"), ("overdue",)) == "overdue"
    status = None if overdue_list else status_filter(request.args.get("status"))
    if not overdue_list and status not in (Status.NOT_STARTED, Status.IN_PROGRESS):
        abort(400)  # only people who still have something to do are reminded
    search = "" if overdue_list else request.args.get("q", "").strip()[:100]
    back = (
        url_for("reports.overdue_officials", code=unit.code, course=course.slug)
        if overdue_list
        else url_for(
            "reports.officials", code=unit.code, course=course.slug, status=status, q=search or None
        )
    )
    if request.method == "GET":
        total = (
            overdue.overdue_officials(unit, course, page=1, per_page=1)[1]
            if overdue_list
            else roster.officials_page(unit, course, status=status, search=search, per_page=1)[1]
        )
        return render_template(
            "reports/remind.html",
            unit=unit,
            course=course,
            total=total,
            overdue_list=overdue_list,
            status=status,
            search=search,
            back=back,
        )
    ids = (
        overdue.overdue_ids(unit, course)
        if overdue_list
        else roster.official_ids(unit, course, status=status, search=search)
    )
    reminded = nudges.remind(
        current_user,
        course,
        ids,
        course_link=url_for("learn.course", slug=course.slug),
        target=unit.code,
    )
    db.session.commit()
    flash(
        _(
            "Đã gửi nhắc nhở cho %(n)s người. Người đã được nhắc về khoá học này hôm nay "
            "không nhận thêm.",
            n=reminded,
        ),
        "success",
    )
    return redirect(back)
