"""Spreadsheets in and out: read CSV/XLSX files row by row, write CSV and XLSX exports.

Reading streams (a 20,000-row file never sits in memory) and is bounded: a file over one of
the limits below is refused before it costs time or memory, with a message naming the limit.
Writing neutralises anything a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from elearn.clock import LOCAL_TZ
from elearn.errors import ImportProblem, RowProblem
from elearn.formatting import format_number
from elearn.text import clean

XLSX_MAGIC = b"PK\x03\x04"

# Limits on a file to import: part of the public contract (README, "Imports").
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000  # rows below the header
MAX_COLUMNS = 20  # cells in one row
MAX_CELL_CHARS = 1_000
MAX_XLSX_PARTS = 100  # files inside the workbook (a plain one has about ten)
MAX_XLSX_UNPACKED = 40 * 1024 * 1024  # all parts together, once decompressed
MAX_XLSX_TEXT_TABLE = 8 * 1024 * 1024  # the shared-text part, which openpyxl keeps in memory
MAX_XLSX_TEXTS = MAX_ROWS * 10  # entries of that part
MAX_XLSX_ROW_CELLS = 1_000  # cells written in one row, empty but formatted ones included
# Characters one CSV row may take before it is refused (quotes doubled inside cells included).
_ROW_BUDGET = MAX_COLUMNS * (2 * MAX_CELL_CHARS + 3)
_READ_CHUNK = 1 << 20
# Start tags that the XLSX pre-check counts, with or without a namespace prefix.
_XLSX_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|si)[\s/>]|<!(DOCTYPE|ENTITY)")


@dataclass(frozen=True)
class Row:
    """One data row: its number as a spreadsheet shows it, and its cells by column name."""

    number: int
    cells: dict[str, str]


def read_table(path: Path, required: tuple[str, ...], optional: tuple[str, ...]) -> Iterator[Row]:
    """Yield the rows of a CSV or XLSX file whose header names the expected columns.

    Raises ImportProblem for a file that is not CSV/XLSX, is not UTF-8, lacks a column or is
    over a limit (checked over the whole file before the first row is yielded).
    """
    is_xlsx = check_limits(path)
    rows = _xlsx_rows(path) if is_xlsx else _csv_rows(path)
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


def check_limits(path: Path) -> bool:
    """Refuse a file over a limit before anything parses it; return True for an XLSX file.

    A CSV file is read once through the same bounded reader; an XLSX file's zip directory
    and parts are checked without building a single cell.
    """
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportProblem([file_too_large()])
    with path.open("rb") as file:
        head = file.read(4)
    if head == XLSX_MAGIC:
        _check_xlsx(path)
        return True
    if path.suffix.lower() in (".xlsx", ".xls", ".xlsm"):
        raise ImportProblem(
            [
                RowProblem(
                    _("không phải tệp Excel .xlsx hợp lệ; hãy lưu lại thành .xlsx hoặc CSV UTF-8.")
                )
            ]
        )
    for _values in _csv_rows(path):
        pass
    return False


def _checked(rows: Iterator[list[str]]) -> Iterator[list[str]]:
    """Pass rows on, refusing the file at the first row over a limit."""
    for number, values in enumerate(rows, start=1):
        if number > MAX_ROWS + 1:
            raise ImportProblem([_too_many_rows()])
        while values and not values[-1]:
            values.pop()  # empty cells at the end (formatted, or trailing separators) are nothing
        if len(values) > MAX_COLUMNS:
            raise ImportProblem([RowProblem(_too_wide(), number)])
        for column, value in enumerate(values, start=1):
            if len(value) > MAX_CELL_CHARS:
                raise ImportProblem(
                    [
                        RowProblem(
                            _(
                                "ô dài %(n)s ký tự, quá giới hạn %(limit)s ký tự một ô. "
                                "Anh/chị hãy rút gọn nội dung ô này.",
                                n=format_number(len(value)),
                                limit=format_number(MAX_CELL_CHARS),
                            ),
                            number,
                            str(column),
                        )
                    ]
                )
        yield values


def file_too_large() -> str:
    """The message for a file over MAX_FILE_BYTES, with how to split it."""
    return _(
        "Tệp nặng hơn %(limit)s MB, quá giới hạn một lần nhập. Anh/chị hãy chia danh sách "
        "thành nhiều tệp nhỏ hơn (mỗi tệp giữ dòng tiêu đề) rồi nhập lần lượt từng tệp.",
        limit=format_number(MAX_FILE_BYTES // 1024 // 1024),
    )


def _too_many_rows() -> str:
    return _(
        "Tệp có hơn %(limit)s dòng dữ liệu, quá giới hạn một lần nhập. Anh/chị hãy chia thành "
        "nhiều tệp, mỗi tệp tối đa %(limit)s dòng và giữ dòng tiêu đề, rồi nhập lần lượt.",
        limit=format_number(MAX_ROWS),
    )


def _too_wide() -> str:
    return _(
        "dòng có hơn %(columns)s cột hoặc dài quá mức (mỗi ô tối đa %(chars)s ký tự). "
        "Anh/chị hãy xoá các cột thừa và giữ đúng các cột của dòng tiêu đề.",
        columns=format_number(MAX_COLUMNS),
        chars=format_number(MAX_CELL_CHARS),
    )


class _BoundedLines:
    """Lines for csv.reader, each read with a bound, so that no row (however its quotes and
    line breaks fall) can take more than its budget of characters."""

    def __init__(self, text: io.TextIOBase) -> None:
        self.text = text
        self.used = 0
        self.row = 1

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        line = self.text.readline(_ROW_BUDGET - self.used + 1)
        if not line:
            raise StopIteration
        self.used += len(line)
        if self.used > _ROW_BUDGET:
            raise ImportProblem([RowProblem(_too_wide(), self.row)])
        return line

    def next_row(self) -> None:
        self.used = 0
        self.row += 1


def _csv_rows(path: Path) -> Iterator[list[str]]:
    with path.open("rb") as raw:
        start = raw.read(4)
        raw.seek(0)
        if start.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in start:
            raise ImportProblem([RowProblem(_("tệp ở dạng UTF-16; hãy lưu lại thành CSV UTF-8."))])
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        try:
            sample = text.read(4096)
            text.seek(0)
            if "\x00" in sample:
                raise ImportProblem([RowProblem(_("không phải tệp CSV hay Excel .xlsx."))])
            lines = _BoundedLines(text)
            for values in _checked(csv.reader(lines, _dialect(sample))):
                yield values
                lines.next_row()
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
        except csv.Error as error:
            raise ImportProblem(
                [RowProblem(_("không đọc được tệp CSV (%(error)s).", error=error))]
            ) from None
        finally:
            text.detach()


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    """Accept commas (the contract) and semicolons (Excel in Vietnamese locale)."""
    first_line = sample.splitlines()[0] if sample else ""
    return _Semicolon if first_line.count(";") > first_line.count(",") else csv.excel


class _Semicolon(csv.excel):
    delimiter = ";"


def _check_xlsx(path: Path) -> None:
    """Check the zip directory, then count rows, cells and texts in every part, so that
    openpyxl only ever reads a workbook within the limits."""
    resave = _(
        "Anh/chị hãy chép dữ liệu sang một bảng tính mới chỉ có một trang rồi lưu lại, "
        "lưu dưới dạng CSV UTF-8, hoặc chia thành nhiều tệp nhỏ hơn."
    )
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_XLSX_PARTS:
                raise ImportProblem(
                    [
                        _(
                            "Tệp Excel gồm %(n)s thành phần, quá giới hạn %(limit)s.",
                            n=format_number(len(parts)),
                            limit=format_number(MAX_XLSX_PARTS),
                        )
                        + " "
                        + resave
                    ]
                )
            unpacked = sum(part.file_size for part in parts)
            if unpacked > MAX_XLSX_UNPACKED:
                raise ImportProblem(
                    [
                        _(
                            "Tệp Excel khi giải nén nặng %(size)s MB, quá giới hạn %(limit)s MB.",
                            size=format_number(unpacked / 1024 / 1024, 1),
                            limit=format_number(MAX_XLSX_UNPACKED // 1024 // 1024),
                        )
                        + " "
                        + resave
                    ]
                )
            for part in parts:
                _check_xlsx_part(archive, part, resave)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as error:
        raise ImportProblem(
            [RowProblem(_("không đọc được tệp Excel (%(error)s).", error=error))]
        ) from None


def _check_xlsx_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo, resave: str) -> None:
    """Stream one part through a start-tag counter (no XML tree is built)."""
    rows = cells = texts = 0
    carry = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_READ_CHUNK):
            buffer = carry + chunk
            cut = buffer.rfind(b"<")  # a tag cut in two is counted with the next chunk
            if cut < 0:
                cut = len(buffer)
            for match in _XLSX_TAG.finditer(buffer, 0, cut):
                name = match.group(1)
                if name == b"c":
                    cells += 1
                    if cells > MAX_XLSX_ROW_CELLS:
                        raise ImportProblem([RowProblem(_too_wide(), rows)])
                elif name == b"row":
                    rows, cells = rows + 1, 0
                    if rows > MAX_ROWS + 1:
                        raise ImportProblem([_too_many_rows()])
                elif name == b"si":
                    texts += 1
                    if texts > MAX_XLSX_TEXTS or part.file_size > MAX_XLSX_TEXT_TABLE:
                        raise ImportProblem(
                            [
                                _(
                                    "Bảng chữ dùng chung của tệp Excel quá lớn (giới hạn "
                                    "%(limit)s MB hoặc %(n)s mục).",
                                    limit=format_number(MAX_XLSX_TEXT_TABLE // 1024 // 1024),
                                    n=format_number(MAX_XLSX_TEXTS),
                                )
                                + " "
                                + resave
                            ]
                        )
                else:  # a DOCTYPE or ENTITY declaration: never in a real workbook
                    raise ImportProblem(
                        [_("Tệp Excel chứa khai báo XML không được phép.") + " " + resave]
                    )
            carry = buffer[cut:]


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    # Imported here on purpose: openpyxl is only needed by imports, not by web workers.
    from openpyxl import load_workbook  # noqa: PLC0415

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise ImportProblem(
            [RowProblem(_("không đọc được tệp Excel (%(error)s).", error=error))]
        ) from None
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # the declared size may be a lie: read the cells there are
    cells = sheet.iter_rows(values_only=True)
    try:
        yield from _checked(["" if v is None else _cell_text(v) for v in row] for row in cells)
    except ImportProblem:
        raise
    except Exception as error:  # a part that does not match its checksum, bad XML …
        raise ImportProblem(
            [RowProblem(_("không đọc được tệp Excel (%(error)s).", error=error))]
        ) from None
    finally:
        cells.close()  # closes the sheet's stream now, not when it is garbage-collected
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
# A spreadsheet may split a text cell on any list separator (`,` in most locales, `;` in
# vi-VN, tab when pasted): every piece must be safe, not only the start of the cell.
_PIECES = re.compile(r"([,;\t])")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)")


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
    """Stop spreadsheets from running a cell, or any piece of it between list separators,
    as a formula (OWASP CSV injection advice): such a piece gets a leading apostrophe."""
    if not isinstance(value, str):
        return value
    pieces = _PIECES.split(value)
    for index in range(0, len(pieces), 2):  # odd indexes hold the separators
        piece = pieces[index]
        if piece.lstrip(" ").startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(piece):
            pieces[index] = "'" + piece
    return "".join(pieces)


def neutralise_for_xlsx(value: str) -> tuple[str, bool]:
    """A text cell for a workbook: pieces after a list separator are neutralised as in CSV;
    a dangerous first piece keeps its text and is marked as text instead (quotePrefix), so
    the sheet shows no apostrophe. The cell is a string cell either way, never a formula."""
    first, *_rest = _PIECES.split(value, maxsplit=1)
    marked = first.lstrip(" ").startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(first)
    return first + neutralise(value[len(first) :]), marked


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
        cell.value, marked = neutralise_for_xlsx(value)
        cell.data_type = "s"  # text, never a formula, whatever it starts with
        if marked:
            cell.quotePrefix = True  # marks the text as text, with no visible apostrophe
    if column.link is not None and (url := column.link(row)):
        cell.hyperlink = url
    return cell
