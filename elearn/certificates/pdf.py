"""Draw a one-page certificate as PDF/A, with a bundled OFL font that covers Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from elearn.formatting import format_date
from elearn.paths import PACKAGE_DIR

FONT_DIR = PACKAGE_DIR / "certificates" / "fonts"
PDF_PROFILE = "PDF/A-2U"  # archivable, and its text (names, the code) stays searchable
LANGUAGE = "vi"

# Landscape A4, in millimetres: the outer frame, the inner frame, and the text column inside.
PAGE_W, PAGE_H = 297, 210
FRAME = (10, 10, 277, 190)
INNER = (14, 14, 269, 182)
MARGIN = 26  # text keeps clear of the inner frame on both sides
QR_SIZE = 34
QR_X, QR_Y = PAGE_W - MARGIN - QR_SIZE, 152
TEXT_BOTTOM = 146  # the centred text ends above the verification block
TITLE_SIZES = (18, 16, 14, 12, 11)  # a long course title steps down until it fits
TITLE_MAX_LINES = 3
BRAND = (11, 92, 173)
INK = (27, 31, 36)
MUTED = (74, 83, 96)


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on a certificate, and shown on its verification page."""

    full_name: str
    unit_name: str
    course_title: str
    completed_at: datetime
    code: str
    verify_path: str  # /certificates/<code>
    verify_url: str | None  # absolute, only when the site's public address is configured
    issuer: str | None = None


def render_pdf(data: CertificateData) -> bytes:
    """Return the PDF/A bytes of a landscape A4 certificate."""
    # Imported here on purpose: fpdf2 (with fontTools and Pillow) adds ~15 MB to every web
    # worker, and certificates are downloaded rarely.
    from fpdf import FPDF  # noqa: PLC0415

    pdf = FPDF(orientation="L", unit="mm", format="A4", enforce_compliance=PDF_PROFILE)
    pdf.set_lang(LANGUAGE)
    pdf.set_title(f"Chứng chỉ hoàn thành – {data.course_title}")
    pdf.set_author(data.issuer or "elearn")
    pdf.set_subject(f"{data.full_name} – {data.code}")
    pdf.set_creator("elearn")
    pdf.add_font("NotoSans", "", str(FONT_DIR / "NotoSans-Regular.ttf"))
    pdf.add_font("NotoSans", "B", str(FONT_DIR / "NotoSans-Bold.ttf"))
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN)
    pdf.add_page()
    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(1.2)
    pdf.rect(*FRAME)
    pdf.set_line_width(0.4)
    pdf.rect(*INNER)

    def line(text: str, size: float, style: str = "", gap: float = 4) -> None:
        pdf.set_font("NotoSans", style, size)
        pdf.multi_cell(0, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_y(22)
    if data.issuer:
        pdf.set_text_color(*INK)
        line(data.issuer.upper(), 12, "B", 5)
    pdf.set_text_color(*BRAND)
    line("CHỨNG CHỈ HOÀN THÀNH KHOÁ HỌC", 24, "B", 6)
    pdf.set_text_color(*INK)
    line("Chứng nhận", 13, "", 2)
    line(data.full_name, 22, "B", 2)
    line(data.unit_name, 12, "", 5)
    line("đã hoàn thành khoá học", 13, "", 2)
    line(data.course_title, _title_size(pdf, data.course_title), "B", 5)
    line(f"Ngày hoàn thành: {format_date(data.completed_at)}", 12, "", 0)

    pdf.set_text_color(*MUTED)
    _one_line(pdf, MARGIN, 160, f"Mã xác minh: {data.code}", 12, "B")
    if data.verify_url:
        _one_line(pdf, MARGIN, 168, "Quét mã QR hoặc mở địa chỉ:", 10)
        _one_line(pdf, MARGIN, 174, data.verify_url, 10)
        _draw_qr(pdf, data.verify_url)
    else:
        _one_line(pdf, MARGIN, 168, "Kiểm tra tại trang học tập, địa chỉ:", 10)
        _one_line(pdf, MARGIN, 174, data.verify_path, 10)
    return bytes(pdf.output())


def _title_size(pdf, title: str) -> float:
    """The largest size at which the course title takes at most three lines."""
    width = PAGE_W - 2 * MARGIN
    for size in TITLE_SIZES:
        pdf.set_font("NotoSans", "B", size)
        lines = pdf.multi_cell(width, size * 0.5, title, align="C", dry_run=True, output="LINES")
        if len(lines) <= TITLE_MAX_LINES:
            return size
    return TITLE_SIZES[-1]


def _one_line(pdf, x: float, y: float, text: str, size: float, style: str = "") -> None:
    """Print text on one line that never wraps (a code must not break), shrinking it to fit
    the space left of the QR code."""
    room = QR_X - 4 - x
    pdf.set_font("NotoSans", style, size)
    while pdf.get_string_width(text) > room and size > 6:
        size -= 0.5
        pdf.set_font("NotoSans", style, size)
    pdf.set_xy(x, y)
    pdf.cell(room, size * 0.5, text, align="L")


def _draw_qr(pdf, url: str) -> None:
    """Draw the QR code of the verification address as vector squares (crisp when printed)."""
    import segno  # noqa: PLC0415  (only certificates need it)

    code = segno.make(url, error="m", micro=False)
    rows = [list(row) for row in code.matrix]
    module = QR_SIZE / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            # Adjacent dark modules as one rectangle: fewer shapes, no hairline gaps.
            pdf.rect(QR_X + start * module, QR_Y + r * module, (c - start) * module, module, "F")
