"""Exports never hand a spreadsheet a formula: not at the start of a cell, and not after any
list separator a spreadsheet may split the cell on (`,`, `;` in vi-VN, tab)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from elearn.spreadsheets import Column, TitleBlock, neutralise, to_csv, to_xlsx
from tests.webkit import login

SEPARATORS = re.compile(r"[,;\t]")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)")
HOSTILE = [
    "Nguyễn;=1+1",
    '=HYPERLINK("http://x","y")',
    "Trần, @SUM(A1)",
    "a\t-2+3",
    "+cmd|' /C calc'!A0",
    "x;;=1",
    "tên ; =1",
    "\r=1",
]
HARMLESS = ["Nguyễn Văn An", "-5", "1,5", "+84", "a-b", "09163", "Lê; Trần, Phạm"]


def _dangerous_pieces(text: str) -> list[str]:
    return [
        piece
        for piece in SEPARATORS.split(text)
        if piece.lstrip(" ").startswith(("=", "+", "-", "@", "\r"))
        and not PLAIN_NUMBER.fullmatch(piece)
    ]


@pytest.mark.parametrize("value", HOSTILE)
def test_no_piece_of_a_neutralised_cell_starts_a_formula(value):
    assert _dangerous_pieces(value)  # the sample is hostile
    assert _dangerous_pieces(neutralise(value)) == []


@pytest.mark.parametrize("value", HARMLESS)
def test_harmless_text_and_plain_numbers_are_left_alone(value):
    assert neutralise(value) == value


def test_csv_and_xlsx_exports_carry_only_neutralised_text():
    columns = (Column("name", lambda row: row),)
    exported = to_csv(columns, HOSTILE).decode("utf-8-sig")
    for delimiter in (",", ";", "\t"):  # however a spreadsheet splits the lines
        for row in csv.reader(io.StringIO(exported), delimiter=delimiter):
            for cell in row:
                assert not cell.lstrip(" ").startswith(("=", "+", "@")), (delimiter, cell)
    workbook = to_xlsx(columns, HOSTILE, heading=TitleBlock("x"), sheet="x")
    cells = [row[0] for row in load_workbook(io.BytesIO(workbook)).active.iter_rows(min_row=4)]
    assert cells[0].value == "Nguyễn;'=1+1"
    assert all(cell.data_type == "s" for cell in cells)  # text cells, never formulas
    for cell in cells:
        # A dangerous first piece is marked as text (quotePrefix: no visible apostrophe);
        # every piece after a separator is neutralised as in CSV.
        first, *rest = SEPARATORS.split(cell.value, maxsplit=1)
        assert _dangerous_pieces(rest[0] if rest else "") == [], cell.value
        assert not _dangerous_pieces(first) or cell.quotePrefix, cell.value


def test_a_name_typed_at_the_sign_in_form_reaches_the_audit_csv_defused(app, make_user):
    make_user("quantri", role="admin", unit="27")
    login(app.test_client(), "Nguyễn;=1+1", "sai-mat-khau-123")
    client = app.test_client()
    login(client, "quantri")
    exported = client.get("/admin/audit.csv?action=login.failed").data.decode("utf-8-sig")
    assert "nguyễn;'=1+1" in exported
    for row in csv.reader(io.StringIO(exported), delimiter=";"):  # Excel in vi-VN
        assert not any(cell.startswith("=") for cell in row), row
