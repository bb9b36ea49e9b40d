"""Vietnamese display formats: dd/mm/yyyy, 24-hour times, 1.234 and 63,4%."""

from __future__ import annotations

import re
from datetime import date, datetime

from markupsafe import Markup

from elearn.clock import LOCAL_TZ


def format_date(value: datetime | date | None) -> str:
    """05/01/2026 (a timestamp is shown in Vietnam time; a plain date as it is)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_TZ)
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | None) -> str:
    """05/01/2026 14:30 in Vietnam time."""
    return value.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M") if value else ""


def format_number(value: float | int, decimals: int = 0) -> str:
    """1.234.567 or 2,5: dots for thousands, a comma for decimals."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_percent(rate: float, decimals: int = 1) -> str:
    """0.634 → 63,4%."""
    return format_number(rate * 100, decimals) + "%"


def format_time_date(value: datetime | None) -> str:
    """14:05 30/11/2026 in Vietnam time ("số liệu đến 14:05 30/11/2026")."""
    return value.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y") if value else ""


_TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.DOTALL)


def scroll_tables(html: str, label: str) -> Markup:
    """Wrap each table of sanitised course HTML in a box that scrolls sideways on its own,
    reachable by keyboard and named for screen readers, so a wide table never widens the
    page. `html` must already be safe (it comes from the content pipeline's sanitiser)."""
    opening = Markup('<div class="table-scroll" role="region" tabindex="0" aria-label="{}">')
    wrap = opening.format(label)
    return Markup(_TABLE.sub(lambda m: f"{wrap}{m.group(0)}</div>", str(html)))
