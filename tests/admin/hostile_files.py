"""People files built to hurt an importer: zip bombs, lying workbooks, endless rows and cells.

Plain functions that write each file in pieces, so that building a 200 MB string inside a
workbook never holds it in the test's own memory.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from openpyxl import Workbook

HEADER = ["username", "full_name", "unit_code", "role", "category"]
MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
MB = 1024 * 1024
SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def _base_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["an", "Nguyễn Văn An", "09163", "", ""])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _inline(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def header_row() -> bytes:
    cells = b"".join(_inline(f"{chr(65 + i)}1", name) for i, name in enumerate(HEADER))
    return b'<row r="1">' + cells + b"</row>"


def sheet(rows: Iterable[bytes], head: bytes = b"", dimension: bytes = b"") -> Iterable[bytes]:
    """A worksheet's XML in pieces: the header row, then `rows`."""
    yield b'<?xml version="1.0" encoding="UTF-8"?>' + head
    yield b"<worksheet " + MAIN + b">" + dimension + b"<sheetData>" + header_row()
    yield from rows
    yield b"</sheetData></worksheet>"


def workbook(
    path: Path,
    sheet_xml: Iterable[bytes] | None = None,
    extra: dict[str, Iterable[bytes]] | None = None,
) -> Path:
    """A real openpyxl workbook whose first sheet is replaced by `sheet_xml` (in pieces) and
    which gains the `extra` parts."""
    with (
        zipfile.ZipFile(io.BytesIO(_base_workbook())) as base,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        parts = dict(extra or {})
        for info in base.infolist():
            if info.filename == "xl/worksheets/sheet1.xml" and sheet_xml is not None:
                continue
            content = base.read(info.filename)
            if info.filename == "[Content_Types].xml" and "xl/sharedStrings.xml" in parts:
                content = content.replace(b"</Types>", SHARED_STRINGS_TYPE + b"</Types>")
            out.writestr(info.filename, content)
        if sheet_xml is not None:
            parts["xl/worksheets/sheet1.xml"] = sheet_xml
        for name, pieces in parts.items():
            with out.open(name, "w", force_zip64=True) as stream:
                for piece in pieces:
                    stream.write(piece)
    return path


def _repeat(piece: bytes, times: int) -> Iterable[bytes]:
    batch = max(1, MB // len(piece))
    for start in range(0, times, batch):
        yield piece * min(batch, times - start)


def shared_string_bomb(path: Path) -> Path:
    """One 200 MB shared string in a file of about 200 KB (the review's first file)."""
    text = [
        b"<sst " + MAIN + b' count="1" uniqueCount="1"><si><t>',
        *_repeat(b"A" * 1024, 200 * 1024),
    ]
    return workbook(path, None, {"xl/sharedStrings.xml": [*text, b"</t></si></sst>"]})


def many_tiny_texts(path: Path) -> Path:
    """700,000 two-letter shared strings: a text table of 13 MB that would cost far more."""
    pieces = [b"<sst " + MAIN + b">", *_repeat(b"<si><t>ab</t></si>", 700_000), b"</sst>"]
    return workbook(path, None, {"xl/sharedStrings.xml": pieces})


def declared_size_lie(path: Path) -> Path:
    """A sheet that declares itself A1:XFD1048576 around two real rows."""
    person = b'<row r="2">' + _inline("A2", "an") + _inline("B2", "Nguyễn Văn An") + b"</row>"
    return workbook(path, sheet([person], dimension=b'<dimension ref="A1:XFD1048576"/>'))


def endless_rows(path: Path, count: int = 200_000) -> Path:
    """Many short rows, small enough unpacked to pass the size check."""

    def rows() -> Iterable[bytes]:
        for n in range(2, count + 2):
            yield f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>'.encode()

    return workbook(path, sheet(rows()))


def unpacked_bomb(path: Path) -> Path:
    """200,000 identical rows of 500 letters: 100 MB of XML once unpacked, 100 KB packed."""
    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 500 + b"</t></is></c></row>"
    return workbook(path, sheet(_repeat(row, 200_000)))


def wide_row(path: Path) -> Path:
    """A single row of a million empty cells (a tree of hundreds of MB if parsed)."""
    return workbook(path, sheet([b'<row r="2">', *_repeat(b'<c r="A2"/>', 1_000_000), b"</row>"]))


def far_row(path: Path) -> Path:
    """The header, then a row numbered 1,048,576: a million empty rows in between."""
    return workbook(path, sheet([b'<row r="1048576">' + _inline("A1048576", "x") + b"</row>"]))


def far_column(path: Path) -> Path:
    """A cell in the last column, XFD: the row would be padded to 16,384 cells."""
    return workbook(path, sheet([b'<row r="2">' + _inline("XFD2", "x") + b"</row>"]))


def many_parts(path: Path) -> Path:
    """Five thousand tiny parts."""
    return workbook(path, None, {f"xl/media/p{n}.xml": [b"<a/>"] for n in range(5000)})


def entity_declaration(path: Path) -> Path:
    """A sheet with an internal DTD (the way into entity expansion)."""
    head = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>'
    return workbook(path, sheet([], head))


def long_xlsx_cell(path: Path) -> Path:
    """A 200,000-character cell in the second row."""
    return workbook(path, sheet([b'<row r="2">' + _inline("A2", "x" * 200_000) + b"</row>"]))


def long_csv_cell(path: Path) -> Path:
    """A CSV cell over csv's own 131,072-character field limit (a 500 before)."""
    path.write_text(",".join(HEADER) + "\nan," + "A" * 200_000 + ",09163,,\n", encoding="utf-8")
    return path


def comma_line(path: Path) -> Path:
    """One line of nine million commas: nine million empty cells in a single row."""
    with path.open("w", encoding="utf-8") as file:
        file.write(",".join(HEADER) + "\n")
        for _ in range(9):
            file.write("," * 1_000_000)
    return path


def blank_lines(path: Path) -> Path:
    """The header and two million blank lines."""
    with path.open("w", encoding="utf-8") as file:
        file.write(",".join(HEADER) + "\n")
        for _ in range(20):
            file.write("\n" * 100_000)
    return path


def oversized_csv(path: Path) -> Path:
    """A well-formed CSV of 11 MB."""
    with path.open("w", encoding="utf-8") as file:
        file.write(",".join(HEADER) + "\n")
        row = "an,Nguyễn Văn An,09163,,\n"
        file.write(row * (11 * MB // len(row.encode())))
    return path


# name → (builder, file suffix, words the refusal must contain)
HOSTILE: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    "shared_string_bomb": (shared_string_bomb, ".xlsx", "khi giải nén nặng"),
    "many_tiny_texts": (many_tiny_texts, ".xlsx", "Bảng chữ dùng chung"),
    "endless_rows": (endless_rows, ".xlsx", "hơn 20.000 dòng"),
    "unpacked_bomb": (unpacked_bomb, ".xlsx", "khi giải nén nặng"),
    "wide_row": (wide_row, ".xlsx", "hơn 20 cột"),
    "far_row": (far_row, ".xlsx", "hơn 20.000 dòng"),
    "far_column": (far_column, ".xlsx", "hơn 20 cột"),
    "many_parts": (many_parts, ".xlsx", "thành phần"),
    "entity_declaration": (entity_declaration, ".xlsx", "khai báo XML"),
    "long_xlsx_cell": (long_xlsx_cell, ".xlsx", "1.000 ký tự"),
    "long_csv_cell": (long_csv_cell, ".csv", "1.000 ký tự"),
    "comma_line": (comma_line, ".csv", "hơn 20 cột"),
    "blank_lines": (blank_lines, ".csv", "hơn 20.000 dòng"),
    "oversized_csv": (oversized_csv, ".csv", "10 MB"),
}


def widest_texts(path: Path) -> Path:
    """Just within the limits: 7,900 shared strings of 1,000 characters, each with an emoji
    (which makes Python store every character in four bytes)."""
    text = ("😀" + "a" * 999).encode()
    pieces = [b"<sst " + MAIN + b">", *_repeat(b"<si><t>" + text + b"</t></si>", 7_900), b"</sst>"]
    return workbook(path, None, {"xl/sharedStrings.xml": pieces})


def most_texts(path: Path) -> Path:
    """Just within the limits: 199,000 tiny shared strings."""
    pieces = [b"<sst " + MAIN + b">", *_repeat(b"<si><t>ab</t></si>", 199_000), b"</sst>"]
    return workbook(path, None, {"xl/sharedStrings.xml": pieces})


# Accepted files that cost the most memory the limits allow.
WITHIN_LIMITS: dict[str, Callable[[Path], Path]] = {
    "widest_texts": widest_texts,
    "most_texts": most_texts,
}


def formatted_columns(path: Path) -> Path:
    """A real-world sheet: a person, then empty but formatted cells out to column AD (30)."""
    cells = _inline("A2", "an") + _inline("B2", "Nguyễn Văn An") + _inline("C2", "09163")
    empty = b"".join(f'<c r="{chr(68 + i)}2" s="0"/>'.encode() for i in range(23))
    empty += b'<c r="AA2" s="0"/><c r="AB2" s="0"/><c r="AC2" s="0"/><c r="AD2" s="0"/>'
    return workbook(path, sheet([b'<row r="2">' + cells + empty + b"</row>"]))
