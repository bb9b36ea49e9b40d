"""Spreadsheets opened and printed as a manager would: LibreOffice turns each XLSX into a PDF,
whose first page carries the title and every column header, and no cell shows ###. And the
screen, XLSX, CSV, print view and API give the same numbers for the same filter."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.webkit import login

EXPORTS = {
    "courses": ("/reports/units/27/courses.xlsx", "Tỷ lệ hoàn thành các khoá học"),
    "children": (
        "/reports/units/27/children.xlsx?course=an-toan",
        "Tỷ lệ hoàn thành theo đơn vị trực thuộc",
    ),
    "officials": ("/reports/units/27/officials.xlsx?course=an-toan", "Danh sách cán bộ"),
}


def _soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is missing; install Debian's libreoffice-calc-nogui")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    return found


def _pdf_pages(xlsx: bytes, folder: Path) -> list[str]:
    """Convert with LibreOffice, headless, as an office PC would print; text per page."""
    source = folder / "report.xlsx"
    source.write_bytes(xlsx)
    profile = folder / "profile"  # a private LibreOffice profile: runs never share one
    subprocess.run(
        [
            _soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(folder / "report.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text.split("\f")


def _headers(xlsx: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(xlsx)).active
    for row in sheet.iter_rows(values_only=True):
        if row and row[0] and sheet.freeze_panes and row[1] is not None:
            return [str(v) for v in row if v is not None]
    raise AssertionError("no header row")


@pytest.mark.parametrize("kind", EXPORTS)
def test_each_workbook_prints_with_its_title_and_every_column_on_page_one(
    app, province, tmp_path, kind
):
    client = app.test_client()
    login(client, "ql-province")
    url, title = EXPORTS[kind]
    xlsx = client.get(url).data
    pages = _pdf_pages(xlsx, tmp_path)
    first = " ".join(pages[0].split())
    assert title in first and "Số liệu đến" in first
    for header in _headers(xlsx):
        for word in header.split():
            assert word in first, (header, first[:400])
    assert "###" not in "".join(pages)
    assert "Trang 1/" in first or "Trang 1" in first  # page numbers in the footer


def test_screen_xlsx_csv_print_and_api_agree(app, province):
    client = app.test_client()
    login(client, "ql-province")
    api = client.get("/api/v1/reports/completion?unit=27&course=an-toan").json
    by_code = {c["unit"]["code"]: c for c in api["children"]}
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/reports/units/27/children.csv?course=an-toan").get_data(as_text=True)
            )
        )
    )
    sheet = load_workbook(
        io.BytesIO(client.get("/reports/units/27/children.xlsx?course=an-toan").data)
    ).active
    xlsx_rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0] in by_code]
    assert len(rows) - 1 == len(xlsx_rows) == len(by_code)
    for code, _name, officials, completed, in_progress, not_started, rate in rows[1:]:
        expected = by_code[code]
        assert [int(officials), int(completed), int(in_progress), int(not_started)] == [
            expected["officials"],
            expected["completed"],
            expected["in_progress"],
            expected["not_started"],
        ]
        assert float(rate) == expected["completion_rate"]  # a decimal, 0..1
    for code, _name, officials, completed, in_progress, not_started, rate in xlsx_rows:
        expected = by_code[code]
        assert (officials, completed, in_progress, not_started, rate) == (
            expected["officials"],
            expected["completed"],
            expected["in_progress"],
            expected["not_started"],
            expected["completion_rate"],
        )
    screen = client.get("/reports/units/27?course=an-toan&print=1").get_data(as_text=True)
    for child in api["children"]:
        if child["officials"]:
            shown = f"{child['completed']}/{child['officials']} đã hoàn thành"
            assert shown in screen, shown
