"""Report pages, exports and their JSON twins — one set of query functions feeds them all."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user

from elearn import audit
from elearn.auth.roles import REPORT_ROLES, roles_required
from elearn.clock import LOCAL_TZ
from elearn.extensions import db
from elearn.models import CATEGORIES, Course, Unit
from elearn.params import one_of, page_count, page_number
from elearn.plans import overdue
from elearn.progress import figures, queries
from elearn.progress.status import Status
from elearn.reports import dashboard
from elearn.spreadsheets import Column, to_csv, to_xlsx
from elearn.units import require_unit_in_scope

bp = Blueprint("reports", __name__, url_prefix="/reports")

PER_PAGE = 50
MAX_EXPORT_ROWS = 100_000


@bp.before_request
@roles_required(*REPORT_ROLES)
def require_report_role():
    """Every report page is for managers and admins (checked on every request)."""
    return None


def resolve_unit(code: str | None) -> Unit:
    """The requested unit (default: the caller's own): 404 if unknown, 403 if outside."""
    return require_unit_in_scope(current_user, code)


def resolve_course(slug: str | None, courses: list[Course]) -> Course | None:
    """The requested published course (404 if unknown), else the first one."""
    if not slug:
        return courses[0] if courses else None
    found = next((c for c in courses if c.slug == slug), None)
    if found is None:
        abort(404)
    return found


def status_filter(raw: str | None) -> str | None:
    """An optional status to list (400 if unknown)."""
    return one_of(raw, [s.value for s in Status])


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
    sort, descending = _child_order()
    printable = _printable()
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
        ancestors=_ancestors(unit),
        categories=CATEGORIES,
        printable=printable,
    )


def _child_order() -> tuple[str, bool]:
    """The child units' order from the query string (400 for anything unknown)."""
    sort = one_of(request.args.get("sort"), figures.CHILD_SORTS) or "rate"
    return sort, one_of(request.args.get("dir"), ("asc", "desc")) == "desc"


def _printable() -> bool:
    """`print=1` asks for the printable page (400 for any other value)."""
    return one_of(request.args.get("print"), ("1",)) == "1"


def _ancestors(unit: Unit) -> list[Unit]:
    """The path from the caller's own unit down to this one, for the breadcrumb."""
    own = current_user.unit
    chain = []
    node: Unit | None = unit
    while node is not None and node.id != own.id:
        chain.append(node)
        node = node.parent
    chain.append(own)
    return list(reversed(chain))


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
    printable = _printable()
    rows, total = figures.officials(
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
        categories=CATEGORIES,
        ancestors=_ancestors(unit),
        printable=printable,
    )


# Exports -------------------------------------------------------------------------------------


def _rate(counts) -> float:
    return round(counts.completion_rate, 4)


COUNT_COLUMNS = [
    Column("Số cán bộ", lambda r: r.counts.officials),
    Column("Đã hoàn thành", lambda r: r.counts.completed),
    Column("Đang học", lambda r: r.counts.in_progress),
    Column("Chưa học", lambda r: r.counts.not_started),
    Column("Tỷ lệ hoàn thành", lambda r: _rate(r.counts), "0.0%"),
]
EXPORTS = {
    "courses": [
        Column("Khoá học", lambda r: r.course.title),
        Column("Bắt buộc", lambda r: "có" if r.course.required else "không"),
        *COUNT_COLUMNS,
    ],
    "children": [
        Column("Mã đơn vị", lambda r: r.unit.code),
        Column("Đơn vị", lambda r: r.unit.name),
        *COUNT_COLUMNS,
    ],
    "officials": [
        Column("Tên đăng nhập", lambda r: r.username),
        Column("Họ và tên", lambda r: r.full_name),
        Column("Đơn vị", lambda r: r.unit_name),
        Column("Phân loại", lambda r: str(CATEGORIES.get(r.category, r.category))),
        Column("Trạng thái", lambda r: Status(r.status).label),
        Column("Ngày hoàn thành", lambda r: r.completed_at),
        Column("Điểm cao nhất", lambda r: r.best_score),
        Column("Hoạt động gần nhất", lambda r: r.last_activity),
    ],
}


@bp.get("/units/<code>/<kind>.<fmt>")
def export(code: str, kind: str, fmt: str):
    """Download what the matching page shows, as CSV or XLSX; every export is audited."""
    if kind not in EXPORTS or fmt not in ("csv", "xlsx"):
        abort(404)
    unit = resolve_unit(code)
    courses = queries.published_courses()
    course = resolve_course(request.args.get("course"), courses)
    if kind == "courses":
        rows = figures.course_counts(unit, courses)
    elif course is None:
        abort(404)
    elif kind == "children":
        sort, descending = _child_order()
        rows = figures.sort_children(figures.child_counts(unit, course), sort, descending)
    else:
        rows, _total = figures.officials(
            unit,
            course,
            status=status_filter(request.args.get("status")),
            search=request.args.get("q", "").strip()[:100],
            page=1,
            per_page=MAX_EXPORT_ROWS,
        )
    stamp = datetime.now(LOCAL_TZ).strftime("%Y-%m-%d")
    name = f"{kind}-{unit.code}{'-' + course.slug if course and kind != 'courses' else ''}-{stamp}"
    if fmt == "csv":  # built before the commit below, which expires the rows' objects
        body, mimetype = to_csv(EXPORTS[kind], rows), "text/csv; charset=utf-8"
    else:
        body = to_xlsx(EXPORTS[kind], rows, title=kind)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    audit.record(
        "report.exported",
        actor=current_user,
        target=unit.code,
        ip=request.remote_addr,
        kind=kind,
        format=fmt,
        course=course.slug if course else None,
        rows=len(rows),
    )
    db.session.commit()
    response = Response(body, mimetype=mimetype)
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
        categories=CATEGORIES,
    )
