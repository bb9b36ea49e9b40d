"""Helpers for tests that drive the site as a browser would: sign in, read forms, count days.

Plain functions, imported by tests; the fixtures that build apps, users and courses live in
the conftest.py files.
"""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from pathlib import Path

from flask.testing import FlaskClient

STRONG_PASSWORD = "hoa-sen-no-ven-ho-2026"
TEST_SECRET = "pX4-Tq9wZc2Lr7Nv_J3bK8sYd6Hf1Gm5aUe0"  # random-looking: production accepts it
UNITS_CSV = Path(__file__).resolve().parent.parent / "elearn" / "data" / "bac-ninh-units-2024.csv"


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """Fetch a page and return the CSRF token of its first form."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'type="hidden" name="csrf_token" value="([^"]+)"', page
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: FlaskClient, username: str, password: str = STRONG_PASSWORD, **extra: str):
    """Sign in through the real form, CSRF token included."""
    token = csrf_token(client)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token, **extra}
    )


def shows_sign_in(response) -> bool:
    """The home page of a signed-out visitor: the sign-in form itself, no redirect."""
    return response.status_code == 200 and 'action="/login"' in response.get_data(as_text=True)


def form_token(page: str) -> str:
    """The CSRF token of the first form on a page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def attempt_form(page: str) -> dict[str, list[str]]:
    """The fields of an attempt page: question field → choice values (or [] for text)."""
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(
        r'<input type="(?:radio|checkbox)" id="[^"]+" '
        r'name="(q-[^"]+)" value="([^"]+)"',
        page,
    ):
        fields.setdefault(name, []).append(value)
    for name in re.findall(r'<input type="text" id="[^"]+" name="(q-[^"]+)"', page):
        fields[name] = []
    return fields


def days(n: int) -> timedelta:
    """n days, for due dates relative to today."""
    return timedelta(days=n)


def start_attempt(client: FlaskClient, course: str = "an-toan", quiz: str = "kiem-tra"):
    """Press "Làm bài kiểm tra" on a quiz page; return the attempt's URL and its form page."""
    page = client.get(f"/courses/{course}/{quiz}").get_data(as_text=True)
    response = client.post(f"/courses/{course}/{quiz}/start", data={"csrf_token": form_token(page)})
    assert response.status_code == 302, response.status_code
    return response.location, client.get(response.location).get_data(as_text=True)


def submit_attempt(client: FlaskClient, url: str, page: str, answers: dict):
    """Send an attempt's form with these answers (field → value or values)."""
    token = re.search(r'name="attempt_token" value="([^"]+)"', page).group(1)
    data = {"csrf_token": form_token(page), "attempt_token": token, **answers}
    return client.post(url, data=data)


def complete_lessons(client: FlaskClient, course: str, lessons: tuple[str, ...]) -> None:
    """Press "Đã học xong" on each lesson."""
    for lesson in lessons:
        page = client.get(f"/courses/{course}/{lesson}").get_data(as_text=True)
        client.post(f"/courses/{course}/{lesson}/complete", data={"csrf_token": form_token(page)})


def pdf_text(path: Path) -> str:
    """The text of a PDF as poppler extracts it (what a reader would copy)."""
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_qr_codes(pdf: Path) -> list[str]:
    """Render the PDF's first page as a picture, as a phone camera would see it printed, and
    read every QR code on it."""
    import zxingcpp
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(pdf)], check=True)
    with Image.open(pdf.with_suffix(".pdf.png")) as image:
        return [code.text for code in zxingcpp.read_barcodes(image)]
