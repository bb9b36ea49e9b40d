"""Spreadsheets in and out: read CSV/XLSX files row by row, write CSV and XLSX exports.

Reading streams (a 50,000-row file never sits in memory); writing neutralises anything a
spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from elearn.clock import LOCAL_TZ
from elearn.errors import ImportProblem, RowProblem
from elearn.text import clean

XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Row:
    """One data row: its number as a spreadsheet shows it, and its cells by column name."""

    number: int
    cells: dict[str, str]


def read_table(path: Path, required: tuple[str, ...], optional: tuple[str, ...]) -> Iterator[Row]:
    """Yield the rows of a CSV or XLSX file whose header names the expected columns.

    Raises ImportProblem for a file that is not CSV/XLSX, is not UTF-8, or lacks a column.
    """
    with path.open("rb") as file:
        head = file.read(4)
    if head == XLSX_MAGIC:
        rows = _xlsx_rows(path)
    elif path.suffix.lower() in (".xlsx", ".xls", ".xlsm"):
        raise ImportProblem(
            [
                RowProblem(
                    _(
                        "không phải tệp Excel .xlsx hợp lệ; hãy lưu lại thành .xlsx "
                        "hoặc CSV UTF-8.",
                    )
                )
            ]
        )
    else:
        rows = _csv_rows(path)
    header = next(rows, None)
    if header is None:
        raise ImportProblem([RowProblem(_("tệp trống; tệp cần có dòng tiêu đề."))])
    names = [clean(cell).lower() for cell in header]
    missing = [column for column in required if column not in names]
    if missing:
        raise ImportProblem(
            [
                RowProblem(
                    _(
                        "thiếu cột %(missing)s; dòng tiêu đề cần có các cột %(columns)s.",
                        missing=", ".join(missing),
                        columns=",".join(required + optional),
                    ),
                    1,
                )
            ]
        )
    unknown = [n for n in names if n and n not in required + optional]
    if unknown:
        raise ImportProblem(
            [RowProblem(_("cột không dùng được: %(columns)s.", columns=", ".join(unknown)), 1)]
        )
    for number, values in enumerate(rows, start=2):
        if not any(clean(v) for v in values):
            continue  # blank lines are harmless
        cells = {name: clean(values[i]) if i < len(values) else "" for i, name in enumerate(names)}
        yield Row(number, cells)


def _csv_rows(path: Path) -> Iterator[list[str]]:
    with path.open("rb") as raw:
        start = raw.read(4)
        raw.seek(0)
        if start.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in start:
            raise ImportProblem(
                [
                    RowProblem(
                        _(
                            "tệp ở dạng UTF-16; hãy lưu lại thành CSV UTF-8.",
                        )
                    )
                ]
            )
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        try:
            sample = text.read(4096)
            text.seek(0)
            if "\x00" in sample:
                raise ImportProblem([RowProblem(_("không phải tệp CSV hay Excel .xlsx."))])
            yield from csv.reader(text, _dialect(sample))
        except UnicodeDecodeError as error:
            raise ImportProblem(
                [
                    RowProblem(
                        _(
                            "không phải văn bản UTF-8 (byte %(byte)s); có thể tệp dùng "
                            "bảng mã cũ (Windows-1258, TCVN3, VNI) hoặc không phải CSV; hãy lưu "
                            "lại thành CSV UTF-8.",
                            byte=error.start,
                        )
                    )
                ]
            ) from None
        finally:
            text.detach()


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    """Accept commas (the contract) and semicolons (Excel in Vietnamese locale)."""
    first_line = sample.splitlines()[0] if sample else ""
    return _Semicolon if first_line.count(";") > first_line.count(",") else csv.excel


class _Semicolon(csv.excel):
    delimiter = ";"


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    # Imported here on purpose: openpyxl is only needed by imports, not by web workers.
    from openpyxl import load_workbook  # noqa: PLC0415

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise ImportProblem(
            [
                RowProblem(
                    _(
                        "không đọc được tệp Excel (%(error)s).",
                        error=error,
                    )
                )
            ]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield ["" if v is None else _cell_text(v) for v in values]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """Spreadsheets store codes like 09163 as numbers sometimes; keep integers integral."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Writing -------------------------------------------------------------------------------------

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
