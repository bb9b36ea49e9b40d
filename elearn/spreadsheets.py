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
#
# Two files for two readers. XLSX is for people: a title block saying what it is, typed cells
# (numbers, percentages, dates), widths that fit, a frozen header, a filter, and A4 landscape
# printing. CSV is data for other systems: UTF-8 with a BOM, ISO dates, rates as decimals.

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
KINDS = ("text", "code", "int", "rate", "score", "date", "datetime")
XLSX_FORMATS = {
    "code": "@",
    "int": "#,##0",
    "rate": "0.0%",
    "score": "0.0",
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
}
DEFAULT_WIDTHS = {"text": 22, "code": 12, "int": 12, "rate": 12, "score": 12, "date": 13}
DEFAULT_WIDTHS["datetime"] = 17


@dataclass(frozen=True)
class Column:
    """One column of an export: its header, how to read a row's value, and what kind of value
    it is (which decides the cell type, its format and its width)."""

    header: str
    value: Callable[[Any], Any]
    kind: str = "text"
    width: int | None = None  # in characters; by kind when not given
    link: Callable[[Any], str | None] | None = None  # a cell that opens a page (XLSX)

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "rate", "score")


def neutralise(value: Any) -> Any:
    """Stop spreadsheets from running a cell as a formula (OWASP CSV injection advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _local(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_TZ)
    return value


def _csv_cell(value: Any) -> Any:
    """A value as data: ISO dates and times (Vietnam time), plain numbers, safe text."""
    value = _local(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(round(value, 6))
    return neutralise(value) if isinstance(value, str) else value


def csv_chunks(columns: Sequence[Column], rows: Iterable[Any]) -> Iterator[bytes]:
    """The CSV file a few hundred rows at a time (UTF-8 with a BOM), for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([c.header for c in columns])
    for number, row in enumerate(rows, start=1):
        writer.writerow([_csv_cell(c.value(row)) for c in columns])
        if number % 500 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def to_csv(columns: Sequence[Column], rows: Iterable[Any]) -> bytes:
    """The whole CSV file at once (small files)."""
    return b"".join(csv_chunks(columns, rows))


@dataclass(frozen=True)
class TitleBlock:
    """What a printed sheet says above its table: the report, then lines such as the unit,
    the course, the filter and "Số liệu đến 14:05 30/11/2026"."""

    title: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its table, the rows, what it says above them, its name."""

    columns: Sequence[Column]
    rows: Iterable[Any]
    heading: TitleBlock
    name: str


def to_xlsx(
    columns: Sequence[Column], rows: Iterable[Any], *, heading: TitleBlock, sheet: str
) -> bytes:
    """A workbook of one sheet (see `to_xlsx_book`)."""
    return to_xlsx_book([Sheet(columns, rows, heading, sheet)])


def to_xlsx_book(sheets: Sequence[Sheet]) -> bytes:
    """A workbook people open and print: each sheet with its title block, typed cells, fitted
    widths, a frozen header with a filter, A4 landscape fitted to the page width with the
    header repeated and page numbers. Rows stream through (write-only): memory stays bounded."""
    # Imported here on purpose: openpyxl is needed only when someone exports.
    from openpyxl import Workbook  # noqa: PLC0415

    workbook = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(workbook, sheet)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _write_sheet(workbook, sheet: Sheet) -> None:
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.styles import Alignment, Font, PatternFill  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415
    from openpyxl.worksheet.properties import PageSetupProperties  # noqa: PLC0415

    columns, heading = sheet.columns, sheet.heading
    ws = workbook.create_sheet(title=sheet.name[:31])
    for index, column in enumerate(columns, start=1):
        width = column.width or max(DEFAULT_WIDTHS[column.kind], len(column.header) + 2)
        ws.column_dimensions[get_column_letter(index)].width = width
    header_row = len(heading.lines) + 3  # title, the lines, a blank row, then the header
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddHeader.left.text = heading.title

    def text_cell(value: str, **style) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=value)
        for key, setting in style.items():
            setattr(cell, key, setting)
        return cell

    ws.append([text_cell(heading.title, font=Font(bold=True, size=14))])
    for line in heading.lines:
        ws.append([text_cell(line)])
    ws.append([])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE7F1")
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append([text_cell(c.header, font=bold, fill=fill, alignment=wrap) for c in columns])
    count = 0
    for row in sheet.rows:
        ws.append([_xlsx_cell(ws, WriteOnlyCell, column, row) for column in columns])
        count += 1
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A{header_row}:{last}{header_row + max(count, 1)}"


def _xlsx_cell(ws, cell_type, column: Column, row: Any):
    """A typed cell: numbers stay numbers, dates dates, codes and formula-like text text."""
    value = _local(column.value(row))
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)  # spreadsheets have no time zones: Vietnam time
    cell = cell_type(ws, value=value)
    if column.kind in XLSX_FORMATS and value is not None:
        cell.number_format = XLSX_FORMATS[column.kind]
    if isinstance(value, str):
        cell.data_type = "s"  # text, never a formula, whatever it starts with
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # marks the text as text, with no visible apostrophe
    if column.link is not None and (url := column.link(row)):
        cell.hyperlink = url
    return cell
