"""The passport for managers: per domain, the share of a unit's officials covering it — on
the dashboard (a table and a bar each), in CSV/XLSX, in the API, and on the official's page —
counted by the one definition of officials and within the manager's units."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from benchmarks import load
from elearn.extensions import db
from elearn.models import Course, CourseItem, User
from elearn.people import accounts
from elearn.progress import recording
from tests.coursekit import right_answers, sync, write_course
from tests.webkit import login


def _complete(user: User, slug: str) -> None:
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    for item in db.session.scalars(select(CourseItem).where(CourseItem.course_id == course.id)):
        if item.kind == "lesson":
            recording.complete_lesson(user, item)
        else:
            attempt = recording.start_attempt(user, item)
            recording.submit_attempt(user, attempt, item, right_answers(attempt, item))


@pytest.fixture
def covered(app, make_user, tmp_path):
    """Four officials in Từ Sơn (261): two cover "an-toan", one of them also
    "du-lieu-thong-tin"; an inactive official and a "khác" account complete everything but
    are not counted; an official in another district is outside."""
    root = tmp_path / "courses"
    write_course(root, "an-toan", title="An toàn", competencies="an-toan", required="no")
    write_course(
        root, "du-lieu", title="Dữ liệu", competencies="du-lieu-thong-tin, an-toan", required="no"
    )
    with app.app_context():
        sync(root)
    people = {
        "dn1": ("09367", "can_bo", True, ("an-toan",)),
        "dn2": ("09367", "cong_chuc", True, ("du-lieu",)),
        "dn3": ("09370", "can_bo", True, ()),
        "dn4": ("09370", "cong_chuc", True, ()),
        "old": ("09367", "can_bo", False, ("an-toan", "du-lieu")),
        "it": ("09367", "khac", True, ("an-toan", "du-lieu")),
        "vn1": ("09163", "can_bo", True, ("an-toan", "du-lieu")),
    }
    for username, (unit, category, active, _done) in people.items():
        make_user(username, unit=unit, category=category, active=active)
    make_user("ql", unit="261", role="manager", full_name="Quản Lý", category="khac")
    with app.app_context():
        for username, (*_rest, done) in people.items():
            user = db.session.scalar(select(User).where(User.username == username))
            for slug in done:
                _complete(user, slug)
        db.session.commit()
    client = app.test_client()
    login(client, "ql")
    return client


def test_the_api_counts_officials_covering_each_domain(covered):
    data = covered.get("/api/v1/reports/domains?unit=261").json
    assert data["officials"] == 4
    shares = {d["id"]: (d["covered"], d["officials"], d["rate"]) for d in data["domains"]}
    assert shares["an-toan"] == (2, 4, 0.5)
    assert shares["du-lieu-thong-tin"] == (1, 4, 0.25)
    assert shares["tri-tue-nhan-tao"] == (0, 4, 0.0)
    assert [d["id"] for d in data["domains"]][0] == "du-lieu-thong-tin"  # framework order
    commune = covered.get("/api/v1/reports/domains?unit=09370").json
    assert {d["id"]: d["covered"] for d in commune["domains"]}["an-toan"] == 0


def test_a_unit_outside_the_managers_is_refused(covered):
    assert covered.get("/api/v1/reports/domains?unit=256").status_code == 403
    assert covered.get("/api/v1/reports/domains?unit=nope").status_code == 404
    assert covered.get("/reports/units/256/domains.csv").status_code == 403


def test_an_official_cannot_read_the_domain_report(app, covered):
    client = app.test_client()
    login(client, "dn1")
    assert client.get("/api/v1/reports/domains").status_code == 403
    me = client.get("/api/v1/me/passport").json
    assert me["covered"] == 1 and me["next_course"] == "du-lieu"


def test_the_dashboard_shows_a_table_and_a_bar_per_domain(covered):
    page = covered.get("/reports/units/261").get_data(as_text=True)
    assert "Hộ chiếu kỹ năng số: cán bộ đạt từng lĩnh vực" in page
    assert page.count('class="chart-bar"') >= 6
    assert '<th scope="row">An toàn</th><td class="num">2</td>' in page
    assert "50,0%" in page


def test_the_exports_carry_the_unit_then_each_child(covered):
    body = covered.get("/reports/units/261/domains.csv").get_data(as_text=True).lstrip("\ufeff")
    assert next(csv.reader(io.StringIO(body))) == [
        "Mã đơn vị",
        "Đơn vị",
        "Mã lĩnh vực",
        "Lĩnh vực",
        "Số cán bộ",
        "Số cán bộ đạt",
        "Tỷ lệ đạt",
    ]
    rows = {(r["Mã đơn vị"], r["Mã lĩnh vực"]): r for r in csv.DictReader(io.StringIO(body))}
    total = rows[("261", "an-toan")]
    assert (total["Số cán bộ"], total["Số cán bộ đạt"], float(total["Tỷ lệ đạt"])) == (
        "4",
        "2",
        0.5,
    )
    assert (
        rows[("09367", "an-toan")]["Số cán bộ"],
        rows[("09367", "an-toan")]["Số cán bộ đạt"],
    ) == ("2", "2")
    assert rows[("09370", "an-toan")]["Số cán bộ đạt"] == "0"
    xlsx = covered.get("/reports/units/261/domains.xlsx")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")


def test_screen_csv_and_api_agree_for_each_child(covered):
    data = covered.get("/api/v1/reports/domains?unit=261").json
    children = {c["unit"]["code"]: c for c in data["children"]}
    assert children["09367"]["officials"] == 2
    assert {d["id"]: d["covered"] for d in children["09367"]["domains"]}["du-lieu-thong-tin"] == 1
    assert sum(c["officials"] for c in data["children"]) == data["officials"]
    page = covered.get("/reports/units/261").get_data(as_text=True)
    assert "Xem tỷ lệ đạt từng lĩnh vực của các đơn vị trực thuộc" in page
    commune = covered.get("/api/v1/reports/domains?unit=09367").json
    assert commune["children"] == []


def test_the_officials_page_shows_their_passport(covered):
    page = covered.get("/reports/officials/dn2").get_data(as_text=True)
    assert "Hộ chiếu kỹ năng số" in page and "Đã đạt 2/6 lĩnh vực" in page
    record = covered.get("/api/v1/reports/officials/dn2").json
    assert record["passport"]["covered"] == 2


def _covering(client, unit: str = "261") -> dict[str, int]:
    data = client.get(f"/api/v1/reports/domains?unit={unit}").json
    return {d["id"]: d["covered"] for d in data["domains"]}


def test_the_counters_kept_on_the_way_equal_a_recount(app, covered):
    with app.app_context():
        assert load.check_rollups() == []


def test_people_changes_and_publishing_move_the_figures(app, covered, make_user, tmp_path):
    admin = make_user("tinh", role="admin", unit="27")
    with app.app_context():
        actor = db.session.get(User, admin.id)
        dn2 = db.session.scalar(select(User).where(User.username == "dn2"))
        accounts.set_active(actor, dn2, False)  # no longer counted
        db.session.commit()
    assert _covering(covered)["du-lieu-thong-tin"] == 0
    assert _covering(covered)["an-toan"] == 1
    # The course loses its "an-toan" tag: only dn1's course still covers it.
    root = tmp_path / "courses"
    write_course(root, "du-lieu", title="Dữ liệu", competencies="du-lieu-thong-tin", required="no")
    with app.app_context():
        again = db.session.scalar(select(User).where(User.username == "dn2"))
        accounts.set_active(db.session.get(User, admin.id), again, True)
        sync(root)
        assert load.check_rollups() == []
    assert _covering(covered)["an-toan"] == 1
    assert _covering(covered)["du-lieu-thong-tin"] == 1


def test_the_dashboard_gives_the_domains_of_the_child_units_on_its_page(covered, monkeypatch):
    """A country has thousands of communes: the per-child passport table follows the child
    list's page, and the export carries them all."""
    from elearn.reports import dashboard

    monkeypatch.setattr(dashboard, "PER_PAGE", 1)

    def child_domain_rows(page: int) -> list[str]:
        html = covered.get(f"/reports/units/261?page={page}").get_data(as_text=True)
        table = html.split("Tỷ lệ đạt từng lĩnh vực theo đơn vị trực thuộc")[1].split("</table>")[0]
        return re.findall(r'<th scope="row">([^<]+)</th>', table)

    first, second = child_domain_rows(1), child_domain_rows(2)
    assert len(first) == len(second) == 1 and first != second
    export = covered.get("/reports/units/261/domains.csv").get_data(as_text=True)
    assert first[0] in export and second[0] in export
