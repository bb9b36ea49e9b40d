"""Report pages, exports and their JSON twins — one set of query functions feeds them all."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from elearn import audit
from elearn.auth.roles import REPORT_ROLES, roles_required
from elearn.clock import LOCAL_TZ
from elearn.extensions import db
from elearn.models import CATEGORIES, Course, Unit, User
from elearn.models.org import COMMUNE_KINDS
from elearn.params import one_of, page_count, page_number, safe_next
from elearn.plans import overdue
from elearn.progress import figures, grants, queries
from elearn.progress.status import Status
from elearn.reports.charts import trend_chart
from elearn.spreadsheets import Column, to_csv, to_xlsx
from elearn.units import in_scope, require_unit_in_scope

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
    """A unit's figures: every course, its child units (lowest rate first), breakdowns, trend."""
    unit = resolve_unit(code)
    courses = queries.published_courses()
    course = resolve_course(request.args.get("course"), courses)
    sort = request.args.get("sort", "rate")
    if sort not in figures.CHILD_SORTS:
        abort(400)
    descending = request.args.get("dir") == "desc"
    page = page_number(request.args.get("page"))
    printable = request.args.get("print") == "1"
    context = {
        "unit": unit,
        "course": course,
        "sort": sort,
        "descending": descending,
        "course_rows": figures.course_counts(unit, courses),
        "ancestors": _ancestors(unit),
    }
    if course is not None:
        children = figures.sort_children(figures.child_counts(unit, course), sort, descending)
        # A province may have thousands of communes: the page shows one page of them, in
        # the chosen order; the print view and the exports carry them all.
        pages = page_count(len(children), PER_PAGE)
        page = min(page, pages)  # past the end: the last page, not an empty table
        shown = children if printable else children[(page - 1) * PER_PAGE : page * PER_PAGE]
        weeks = figures.weekly_completions(unit, course)
        officials = context["course_rows"][0].counts.officials
        context |= {
            "children": shown,
            "children_total": len(children),
            "children_per_page": PER_PAGE,
            "page": page,
            "pages": pages,
            "lowest": (
                figures.lowest_communes(unit, course)
                if unit.kind not in COMMUNE_KINDS
                and any(c.unit.kind not in COMMUNE_KINDS for c in children)
                else []
            ),
            "by_category": figures.breakdown(unit, course, User.category),
            "by_it_level": figures.breakdown(unit, course, User.it_level),
            "weeks": weeks,
            "chart": trend_chart(weeks, officials),
            "officials_total": officials,
            "overdue": overdue.overdue_summary(unit, course),
        }
    return render_template(
        "reports/unit.html",
        **context,
        categories=CATEGORIES,
        printable=printable,
    )


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
    printable = request.args.get("print") == "1"
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
        sort = request.args.get("sort", "rate")
        if sort not in figures.CHILD_SORTS:
            abort(400)
        rows = figures.sort_children(
            figures.child_counts(unit, course), sort, request.args.get("dir") == "desc"
        )
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


# One more attempt -----------------------------------------------------------------------------


def _official_in_scope(username: str) -> User:
    """A person of the caller's units by username; anyone else is a 404, like no one."""
    official = db.session.scalar(select(User).where(User.username == username.casefold()))
    if official is None or not in_scope(current_user, official.unit):
        abort(404)
    return official


@bp.get("/officials/<username>/courses/<slug>/extra-attempt")
def extra_attempt(username: str, slug: str):
    """Show an official's attempts at a course's quizzes, with a form for each quiz whose
    attempts are used up."""
    official = _official_in_scope(username)
    course = resolve_course(slug, queries.published_courses())
    return render_template(
        "reports/extra_attempt.html",
        official=official,
        course=course,
        standings=grants.standings(official, course),
        next_url=request.path,
    )


@bp.post("/officials/<username>/courses/<slug>/extra-attempt")
def grant_extra_attempt(username: str, slug: str):
    """Grant one more attempt at a quiz whose attempts are used up, once confirmed."""
    official = _official_in_scope(username)
    course = resolve_course(slug, queries.published_courses())
    quiz = queries.item_by_slug(course, request.form.get("quiz", ""))  # type: ignore[arg-type]
    if quiz is None or quiz.kind != "quiz" or quiz.status != "published":
        abort(404)
    back = safe_next(request.form.get("next")) or url_for(
        "reports.extra_attempt", username=official.username, slug=course.slug
    )
    if request.form.get("confirm") != "yes":
        flash(_("Hãy đánh dấu ô xác nhận rồi bấm nút lại."), "error")
        return redirect(back)
    try:
        grants.grant_extra_attempt(current_user, official, quiz, ip=request.remote_addr)
    except grants.NothingToGrant as refusal:
        flash(str(refusal), "info")
        return redirect(back)
    db.session.commit()
    flash(
        _(
            "Đã cho anh/chị %(name)s làm thêm một lần bài “%(quiz)s”.",
            name=official.full_name,
            quiz=quiz.title,
        ),
        "success",
    )
    return redirect(back)
