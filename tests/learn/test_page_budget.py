"""Size budgets for a weak 3G link: measured on the shipped courses, compressed as served."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import CourseItem
from tests.coursekit import sync
from tests.webkit import login

SHIPPED = Path(__file__).resolve().parents[2] / "courses"
FIRST_VISIT_BUDGET = 30 * 1024
REPEAT_VISIT_BUDGET = 5 * 1024


def _gzip_size(client, url: str) -> tuple[int, str]:
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    body = response.get_data()
    response.close()
    return len(body), gzip.decompress(body).decode()


def _asset_size(client, url: str) -> int:
    """Bytes on the wire: text compressed, the (already small) icon as it is."""
    if url.split("?")[0].endswith(".ico"):
        response = client.get(url)
        assert response.status_code == 200
        size = len(response.get_data())
        response.close()
        return size
    return _gzip_size(client, url)[0]


def test_the_largest_shipped_lesson_fits_the_budgets(app, make_user):
    with app.app_context():
        sync(SHIPPED)
        largest = db.session.execute(
            select(CourseItem)
            .where(CourseItem.kind == "lesson")
            .order_by(func.length(CourseItem.html).desc())
            .limit(1)
        ).scalar_one()
        url = f"/courses/{largest.course.slug}/{largest.slug}"
    make_user("an")
    client = app.test_client()
    login(client, "an")
    html_size, page = _gzip_size(client, url)
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert assets, "the page loads its stylesheet"
    assert "<script" not in page and "http://" not in page.split("<article")[0]
    asset_sizes = [_asset_size(client, asset) for asset in assets]
    assert html_size + sum(asset_sizes) <= FIRST_VISIT_BUDGET
    assert html_size <= REPEAT_VISIT_BUDGET  # assets are cached for a year on a repeat visit
