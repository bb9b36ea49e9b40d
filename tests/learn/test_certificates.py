"""Certificates worth showing: issuer, unit, QR code of the verification address, PDF/A."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from elearn.certificates.pdf import CertificateData, render_pdf
from elearn.config import ISSUER_MAX
from elearn.errors import ConfigError
from elearn.extensions import db
from elearn.models import CourseItem
from tests.coursekit import RIGHT_ANSWERS_TEXT
from tests.webkit import (
    complete_lessons,
    pdf_qr_codes,
    pdf_text,
    start_attempt,
    submit_attempt,
)

ISSUER = "Sở Nội vụ tỉnh Bắc Ninh"
MM = 72 / 25.4  # PDF points per millimetre


def _complete_course(app, client) -> str:
    """Finish the test course with every answer right; return the certificate's code."""
    complete_lessons(client, "an-toan", ("mat-khau", "otp"))
    url, page = start_attempt(client)
    with app.app_context():
        quiz = db.session.scalar(select(CourseItem).where(CourseItem.kind == "quiz"))
        answers: dict = {
            f"q-{q.slug}": [c["key"] for c in q.answer_key["choices"] if c["correct"]]
            for q in quiz.questions
            if q.answer_key.get("choices")
        }
    answers.update({f"q-{k}": v for k, v in RIGHT_ANSWERS_TEXT.items()})
    submit_attempt(client, url, page, answers)
    course = client.get("/courses/an-toan").get_data(as_text=True)
    return re.search(r'href="/certificates/([A-Z0-9-]+)"', course).group(1)


def _certificate(app, official, tmp_path: Path) -> tuple[str, Path]:
    code = _complete_course(app, official)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(official.get(f"/certificates/{code}.pdf").data)
    return code, path


@pytest.fixture
def issued(app, official, tmp_path):
    """A completed course's certificate with the issuer and the public address configured."""
    app.config.update(ISSUER=ISSUER, PUBLIC_URL="https://hoc.bacninh.gov.vn")
    return _certificate(app, official, tmp_path)


def test_the_pdf_names_the_issuer_and_the_unit_and_its_qr_opens_the_verification_page(app, issued):
    code, path = issued
    text = pdf_text(path)
    assert ISSUER.upper() in text
    assert "Phường Vũ Ninh" in text  # the official's unit, as on the verification page
    assert f"Mã xác minh: {code}" in text  # the code on one line, never split
    url = f"https://hoc.bacninh.gov.vn/certificates/{code}"
    assert pdf_qr_codes(path) == [url]
    page = app.test_client().get(f"/certificates/{code}").get_data(as_text=True)
    assert ISSUER in page and "Phường Vũ Ninh" in page
    assert f'<span class="code">{code}</span>' in page


def test_the_pdf_is_pdf_a_in_vietnamese(issued):
    _code, path = issued
    raw = path.read_bytes()
    assert b"<pdfaid:part>2</pdfaid:part>" in raw and b"<pdfaid:conformance>U" in raw
    assert b"/OutputIntents" in raw and b"GTS_PDFA1" in raw
    assert re.search(rb"/Lang \((?:\xfe\xff\x00v\x00i|vi)\)", raw)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "PDF version:     1.7" in info


def test_without_a_public_address_the_pdf_prints_the_code_and_path_and_no_qr(
    app, official, tmp_path
):
    code, path = _certificate(app, official, tmp_path)
    text = pdf_text(path)
    assert f"/certificates/{code}" in text and "http" not in text
    assert pdf_qr_codes(path) == []
    assert "Cơ quan cấp" not in app.test_client().get(f"/certificates/{code}").get_data(True)


def _words(pdf: Path) -> list[tuple[float, float, float, float, str]]:
    """Every word with its box in millimetres (x0, y0, x1, y1)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<'
    return [
        (float(a) / MM, float(b) / MM, float(c) / MM, float(d) / MM, w)
        for a, b, c, d, w in re.findall(pattern, html)
    ]


def test_a_long_course_title_wraps_inside_the_frame_above_the_code(tmp_path):
    title = " ".join(["Kỹ năng số cơ bản cho cán bộ, công chức cấp xã"] * 5)
    data = CertificateData(
        full_name="Nguyễn Thị Hồng Nhung",
        unit_name="Ủy ban nhân dân xã Cảnh Hưng",
        course_title=title,
        completed_at=datetime(2026, 1, 5, 3, tzinfo=UTC),
        code="7KQ2-MX9P-R4TD",
        verify_path="/certificates/7KQ2-MX9P-R4TD",
        verify_url="https://hoc.bacninh.gov.vn/certificates/7KQ2-MX9P-R4TD",
        issuer=ISSUER,
    )
    path = tmp_path / "long.pdf"
    path.write_bytes(render_pdf(data))
    words = _words(path)
    inner_left, inner_right = 14, 14 + 269
    assert all(inner_left < x0 and x1 < inner_right for x0, _y0, x1, _y1, _w in words)
    code_top = next(y0 for _x0, y0, _x1, _y1, w in words if w == "7KQ2-MX9P-R4TD")
    date_bottom = next(y1 for _x0, _y0, _x1, y1, w in words if w == "05/01/2026")
    assert date_bottom < code_top  # the wrapped title pushed nothing onto the code block
    text = pdf_text(path)
    assert text.count("Kỹ năng số") == 5  # nothing of the title was cut


@pytest.mark.parametrize("value", [" \t ", "x" * (ISSUER_MAX + 1), "Sở Nội vụ\x07"])
def test_a_bad_issuer_setting_stops_the_app_with_its_name(make_app, value):
    with pytest.raises(ConfigError, match="ELEARN_ISSUER"):
        make_app(ISSUER=value)


def test_the_issuer_setting_is_stored_nfc_on_one_line(make_app):
    app = make_app(ISSUER=unicodedata.normalize("NFD", "  Sở Nội vụ\n tỉnh Bắc Ninh "))
    assert app.config["ISSUER"] == ISSUER


def test_view_certificate_opens_it_and_a_completed_course_card_links_it(app, official):
    code = _complete_course(app, official)
    home = official.get("/").get_data(as_text=True)
    assert re.search(rf'<a class="card-action" href="/certificates/{code}">Xem chứng chỉ', home)
    page = official.get(f"/certificates/{code}").get_data(as_text=True)
    assert f'href="/certificates/{code}.pdf">Tải chứng chỉ (PDF)' in page
    stranger = app.test_client().get(f"/certificates/{code}").get_data(as_text=True)
    assert "Tải chứng chỉ" not in stranger  # only the owner is offered the PDF
