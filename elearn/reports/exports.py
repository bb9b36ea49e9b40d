"""CSV and XLSX files of exactly the rows a report page shows."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from elearn.formatting import LOCAL_TZ

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of an export: its header and how to read a row's value."""

    header: str
    value: Callable[[Any], Any]
    number_format: str | None = None  # for XLSX, e.g. "0.0%" or "dd/mm/yyyy"


def neutralise(value: Any) -> Any:
    """Stop spreadsheets from running a cell as a formula (OWASP CSV injection advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_TZ).replace(tzinfo=None)
    return value


def to_csv(columns: Sequence[Column], rows: Iterable[Any]) -> bytes:
    """UTF-8 with a BOM, so Excel opens Vietnamese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in columns])
    for row in rows:
        cells = []
        for column in columns:
            value = _plain(column.value(row))
            if isinstance(value, datetime):
                value = value.strftime("%d/%m/%Y %H:%M")
            elif isinstance(value, date):
                value = value.strftime("%d/%m/%Y")
            cells.append("" if value is None else neutralise(value))
        writer.writerow(cells)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(columns: Sequence[Column], rows: Iterable[Any], title: str) -> bytes:
    """A workbook with a bold header row and typed cells (numbers, dates, text)."""
    # Imported here on purpose: openpyxl is needed only when someone exports.
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=neutralise(_plain(column.value(row))))
            if column.number_format:
                cell.number_format = column.number_format
            elif isinstance(cell.value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            cells.append(cell)
        sheet.append(cells)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
