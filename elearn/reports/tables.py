"""The columns of every report table, shared by the page, its print view, XLSX and CSV, so all
four show the same things under the same headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _

from elearn.formatting import format_date, format_datetime, format_number, format_percent
from elearn.models import CATEGORIES
from elearn.progress.status import Status, via_label
from elearn.spreadsheets import Column


def _rate(counts) -> float:
    return round(counts.completion_rate, 4)


def count_columns() -> list[Column]:
    return [
        Column(_("Số cán bộ"), lambda r: r.counts.officials, "int"),
        Column(Status.COMPLETED.label, lambda r: r.counts.completed, "int"),
        Column(Status.IN_PROGRESS.label, lambda r: r.counts.in_progress, "int"),
        Column(Status.NOT_STARTED.label, lambda r: r.counts.not_started, "int"),
        Column(_("Tỷ lệ hoàn thành"), lambda r: _rate(r.counts), "rate"),
    ]


def course_columns() -> list[Column]:
    return [
        Column(_("Khoá học"), lambda r: r.course.title, width=46),
        Column(_("Bắt buộc"), lambda r: _("có") if r.course.required else _("không"), width=10),
        *count_columns(),
    ]


def child_columns() -> list[Column]:
    return [
        Column(_("Mã đơn vị"), lambda r: r.unit.code, "code"),
        Column(_("Đơn vị"), lambda r: r.unit.name, width=30),
        *count_columns(),
    ]


def official_columns(status: str | None, person_url: Callable[[str], str | None]) -> list[Column]:
    """The officials list's columns; a list of one status leaves out the columns it would
    leave empty (and the status itself, which its title says)."""
    columns = [
        Column(
            _("Họ và tên"), lambda r: r.full_name, width=28, link=lambda r: person_url(r.username)
        ),
        Column(_("Tên đăng nhập"), lambda r: r.username, "code", width=18),
        Column(_("Đơn vị"), lambda r: r.unit_name, width=28),
        Column(_("Phân loại"), lambda r: str(CATEGORIES.get(r.category, r.category)), width=12),
    ]
    if status is None:
        columns.append(Column(_("Trạng thái"), lambda r: Status(r.status).label, width=15))
    if status in (None, Status.COMPLETED):
        columns.append(Column(_("Ngày hoàn thành"), lambda r: r.completed_at, "date"))
        columns.append(
            Column(_("Cách hoàn thành"), lambda r: via_label(r.completed_via) or None, width=24)
        )
    if status != Status.NOT_STARTED:
        columns += [
            Column(_("Điểm cao nhất"), lambda r: r.best_score, "score"),
            Column(_("Hoạt động gần nhất"), lambda r: r.last_activity, "datetime"),
        ]
    return columns


def overdue_columns(person_url: Callable[[str], str | None]) -> list[Column]:
    return [
        Column(
            _("Họ và tên"), lambda r: r.full_name, width=28, link=lambda r: person_url(r.username)
        ),
        Column(_("Tên đăng nhập"), lambda r: r.username, "code", width=18),
        Column(_("Đơn vị"), lambda r: r.unit_name, width=28),
        Column(_("Phân loại"), lambda r: str(CATEGORIES.get(r.category, r.category)), width=12),
        Column(_("Hạn hoàn thành"), lambda r: r.due_date, "date"),
        Column(
            _("Trạng thái"),
            lambda r: (Status.IN_PROGRESS if r.started else Status.NOT_STARTED).label,
            width=15,
        ),
    ]


def show(column: Column, row: Any) -> str:
    """A cell as the page shows it: 05/01/2026, 1.234, 63,4%, 92,5."""
    value = column.value(row)
    if value is None:
        return ""
    return {
        "int": lambda v: format_number(v),
        "rate": lambda v: format_percent(v),
        "score": lambda v: format_number(v, 1),
        "date": lambda v: format_date(v),
        "datetime": lambda v: format_datetime(v),
    }.get(column.kind, str)(value)


def units_done_columns() -> list[Column]:
    return [
        Column(_("Mã đơn vị"), lambda r: r.unit.code, "code"),
        Column(_("Đơn vị"), lambda r: r.unit.name, width=30),
        Column(_("Số cán bộ"), lambda r: r.officials, "int"),
        Column(_("Hoàn thành 100% từ ngày"), lambda r: r.done_at, "date", width=14),
    ]


def people_done_columns() -> list[Column]:
    return [
        Column(_("Họ và tên"), lambda r: r.full_name, width=28),
        Column(_("Tên đăng nhập"), lambda r: r.username, "code", width=18),
        Column(_("Đơn vị"), lambda r: r.unit_name, width=28),
        Column(_("Hoàn thành ngày"), lambda r: r.completed_at, "date"),
    ]


def improved_columns() -> list[Column]:
    return [
        Column(_("Mã đơn vị"), lambda r: r.unit.code, "code"),
        Column(_("Đơn vị"), lambda r: r.unit.name, width=30),
        Column(_("Số cán bộ"), lambda r: r.officials, "int"),
        Column(_("Mới hoàn thành"), lambda r: r.gained, "int"),
        Column(_("Tăng thêm"), lambda r: round(r.gain, 4), "rate"),
        Column(_("Tỷ lệ hiện nay"), lambda r: round(r.rate, 4), "rate"),
    ]


def domain_columns() -> list[Column]:
    """The passport's figures: per unit (the unit, then each direct child) and domain of the
    framework, the officials covering it (a completed course tagged with it) and their share."""
    return [
        Column(_("Mã đơn vị"), lambda r: r.unit_code, "code"),
        Column(_("Đơn vị"), lambda r: r.unit_name, width=30),
        Column(_("Mã lĩnh vực"), lambda r: r.share.slug, "code", width=22),
        Column(_("Lĩnh vực"), lambda r: r.share.name, width=46),
        Column(_("Số cán bộ"), lambda r: r.share.officials, "int"),
        Column(_("Số cán bộ đạt"), lambda r: r.share.covered, "int"),
        Column(_("Tỷ lệ đạt"), lambda r: round(r.share.rate, 4), "rate"),
    ]
