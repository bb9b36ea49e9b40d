"""The honour board of a unit's subtree, on screen, on one printed A4 page, and as XLSX."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from elearn import audit
from elearn.clock import utcnow
from elearn.extensions import db
from elearn.formatting import format_time_date
from elearn.params import page_count, page_number
from elearn.progress import honours
from elearn.reports import tables
from elearn.reports.requests import ancestors, require_report_role, resolve_unit, wants_print
from elearn.spreadsheets import Sheet, TitleBlock, to_xlsx_book

bp = Blueprint("honours", __name__, url_prefix="/reports/units")
bp.before_request(require_report_role)

PER_PAGE = 50
ON_PAPER = 25  # officials on the one printed page; the XLSX has everyone


@bp.get("/<code>/honours")
def board(code: str):
    """Units that reached 100 % of the required courses and when, the officials who did,
    and the units that moved most in the last 30 days."""
    unit = resolve_unit(code)
    printable = wants_print()
    page = 1 if printable else page_number(request.args.get("page"))
    people, total = honours.people_done(
        unit, page=page, per_page=ON_PAPER if printable else PER_PAGE
    )
    return render_template(
        "reports/honours.html",
        unit=unit,
        has_required=honours.has_required_courses(),
        units_done=honours.units_done(unit, limit=10 if printable else 200),
        improved=honours.most_improved(unit),
        people=people,
        people_total=total,
        page=page,
        pages=page_count(total, PER_PAGE),
        recent_days=honours.RECENT_DAYS,
        as_of_time=utcnow(),
        ancestors=ancestors(unit),
        printable=printable,
    )


@bp.get("/<code>/honours.xlsx")
def board_xlsx(code: str):
    """The whole honour board as a workbook of three sheets (audited like every export)."""
    unit = resolve_unit(code)
    lines = (
        _("Đơn vị: %(name)s (mã %(code)s)", name=unit.name, code=unit.code),
        _("Số liệu đến %(time)s", time=format_time_date(utcnow())),
    )
    people, _total = honours.people_done(unit, per_page=1_000_000)
    sheets = [
        Sheet(
            tables.units_done_columns(),
            honours.units_done(unit, limit=1_000_000),
            TitleBlock(_("Đơn vị hoàn thành 100% khoá học bắt buộc"), lines),
            _("Đơn vị 100%"),
        ),
        Sheet(
            tables.people_done_columns(),
            people,
            TitleBlock(_("Cán bộ đã hoàn thành mọi khoá học bắt buộc"), lines),
            _("Cán bộ hoàn thành"),
        ),
        Sheet(
            tables.improved_columns(),
            honours.most_improved(unit, limit=1_000),
            TitleBlock(_("Đơn vị tiến bộ nhất trong %(n)s ngày qua", n=honours.RECENT_DAYS), lines),
            _("Tiến bộ nhất"),
        ),
    ]
    body = to_xlsx_book(sheets)
    audit.record(
        "report.exported",
        actor=current_user,
        target=unit.code,
        ip=request.remote_addr,
        kind="honours",
        format="xlsx",
        rows=len(people),
    )
    db.session.commit()
    response = Response(
        body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="vinh-danh-{unit.code}.xlsx"'
    return response
