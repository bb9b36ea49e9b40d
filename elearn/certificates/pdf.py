"""Draw a one-page certificate as PDF, with a bundled OFL font that covers Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from elearn.formatting import format_date
from elearn.paths import PACKAGE_DIR

FONT_DIR = PACKAGE_DIR / "certificates" / "fonts"


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on a certificate."""

    full_name: str
    unit_name: str
    course_title: str
    completed_at: datetime
    code: str
    verify_url: str


def render_pdf(data: CertificateData) -> bytes:
    """Return the PDF bytes of a landscape A4 certificate."""
    # Imported here on purpose: fpdf2 (with fontTools and Pillow) adds ~15 MB to every web
    # worker, and certificates are downloaded rarely.
    from fpdf import FPDF  # noqa: PLC0415

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(f"Chứng chỉ hoàn thành – {data.course_title}")
    pdf.set_creator("elearn")
    pdf.add_font("NotoSans", "", str(FONT_DIR / "NotoSans-Regular.ttf"))
    pdf.add_font("NotoSans", "B", str(FONT_DIR / "NotoSans-Bold.ttf"))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(11, 92, 173)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_line_width(0.4)
    pdf.rect(14, 14, 269, 182)

    def line(text: str, size: int, style: str = "", gap: float = 4) -> None:
        pdf.set_font("NotoSans", style, size)
        pdf.multi_cell(0, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_y(32)
    pdf.set_text_color(11, 92, 173)
    line("CHỨNG CHỈ HOÀN THÀNH KHOÁ HỌC", 26, "B", 8)
    pdf.set_text_color(27, 31, 36)
    line("Chứng nhận", 14)
    line(data.full_name, 24, "B", 2)
    line(data.unit_name, 13, "", 8)
    line("đã hoàn thành khoá học", 14)
    line(data.course_title, 18, "B", 10)
    line(f"Ngày hoàn thành: {format_date(data.completed_at)}", 13, "", 14)
    pdf.set_text_color(74, 83, 96)
    line(f"Mã xác minh: {data.code}", 11, "", 1)
    line(f"Kiểm tra tại: {data.verify_url}", 10)
    return bytes(pdf.output())
