"""Manager reports: figures, drill-down, search, exports and the API — always in scope."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import AuditEvent, CourseItem, Unit, User
from elearn.progress import recording
from elearn.text import vi_key, vi_sort_key
from tests.coursekit import right_answers
from tests.webkit import login

ROLE_MATRIX = [
    # role, unit, expected status
    ("province", "27", 200),
    ("province", "261", 200),
    ("province", "XXX", 404),
    ("district", "261", 200),
    ("district", "09367", 200),
    ("district", "256", 403),
    ("district", "27", 403),
    ("district", "XXX", 404),
    ("commune", "09367", 200),
    ("commune", "09370", 403),
    ("commune", "261", 403),
    ("official", "09367", 403),
    ("official", "27", 403),
    ("author", "27", 403),
    ("author", "09367", 403),
]
FORMATS = [
    "/reports/units/{code}",
    "/reports/units/{code}/officials?course=an-toan",
    "/reports/units/{code}/officials.csv?course=an-toan",
    "/reports/units/{code}/children.xlsx?course=an-toan",
    "/api/v1/reports/courses?unit={code}",
    "/api/v1/reports/officials?unit={code}&course=an-toan",
]


def _manager(app, role: str):
    client = app.test_client()
    login(client, f"ql-{role}")
    return client


@pytest.mark.parametrize("role, code, expected", ROLE_MATRIX)
def test_who_sees_what(app, province, role, code, expected):
    client = _manager(app, role)
    for template in FORMATS:
        url = template.format(code=code)
        response = client.get(url)
        if expected == 404 and role in ("official", "author"):
            expected = 403
        assert response.status_code == expected, url
        if url.startswith("/api/") and expected != 200:
            assert "error" in response.json


def test_course_figures_follow_the_contract_definitions(app, province):
    data = _manager(app, "district").get("/api/v1/reports/courses").json
    assert data["unit"] == {"code": "261", "name": "Thành phố Từ Sơn", "kind": "city"}
    (row,) = data["courses"]
    assert row["course"] == {"id": "an-toan", "title": "An toàn thông tin", "required": True}
    # The district and commune managers are provincial staff ("khác"): not counted.
    assert (row["officials"], row["completed"], row["in_progress"], row["not_started"]) == (
        6,
        2,
        1,
        3,
    )
    assert row["completion_rate"] == 0.3333


def test_child_units_come_lowest_rate_first_and_screen_equals_api(app, province):
    client = _manager(app, "province")
    api = client.get("/api/v1/reports/completion?course=an-toan").json
    assert api["totals"]["officials"] == 9 and api["totals"]["completed"] == 3
    page = client.get("/reports/units/27?course=an-toan").get_data(as_text=True)
    names = [c["unit"]["name"] for c in api["children"]]
    assert names[:2] == ["Thành phố Bắc Ninh", "Thành phố Từ Sơn"]  # 1/3 = 2/6: by name
    assert not any(c["officials"] for c in api["children"][2:])  # no one to count: last
    names = names[:2]
    positions = [page.index(name) for name in names]
    assert positions == sorted(positions)
    csv_rows = list(
        csv.reader(
            io.StringIO(
                client.get("/reports/units/27/children.csv?course=an-toan").get_data(as_text=True)
            )
        )
    )
    by_name = {r[1]: r for r in csv_rows[1:]}
    for child in api["children"]:
        row = by_name[child["unit"]["name"]]
        assert [int(row[2]), int(row[3]), int(row[4]), int(row[5])] == [
            child["officials"],
            child["completed"],
            child["in_progress"],
            child["not_started"],
        ]


def test_drill_down_to_officials_not_started_first_in_vietnamese_order(app, province):
    client = _manager(app, "district")
    data = client.get("/api/v1/reports/officials?unit=09367&course=an-toan").json
    statuses = [o["status"] for o in data["officials"]]
    assert statuses == sorted(statuses, key=["not_started", "in_progress", "completed"].index)
    completed = [o for o in data["officials"] if o["status"] == "completed"]
    assert completed[0]["username"] == "dn1" and completed[0]["best_score"] == 100.0
    page = client.get("/reports/units/09367/officials?course=an-toan&status=not_started")
    text = page.get_data(as_text=True)
    assert "Nguyễn Văn An" not in text and "HYPERLINK" in text


def test_search_works_without_diacritics(app, province):
    client = _manager(app, "province")
    data = client.get("/api/v1/reports/officials?course=an-toan&q=nguyen van an").json
    assert [o["username"] for o in data["officials"]] == ["dn1"]
    data = client.get("/api/v1/reports/officials?course=an-toan&q=ANH").json
    assert [o["username"] for o in data["officials"]] == ["dn2"]


def test_names_are_escaped_on_screen(app, province):
    page = (
        _manager(app, "district")
        .get("/reports/units/09367/officials?course=an-toan")
        .get_data(as_text=True)
    )
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_exports_neutralise_formulas_and_open_in_excel(app, province):
    client = _manager(app, "province")
    response = client.get("/reports/units/27/officials.csv?course=an-toan")
    assert response.data.startswith("\ufeff".encode())
    assert 'filename="officials-27-an-toan-' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    names = {r[0] for r in rows[1:]}
    assert '\'=HYPERLINK("http://x","y")' in names and "'+1 Hoàng Văn Đạt" in names
    assert "'@SUM(A1)" in names
    xlsx = client.get("/reports/units/27/officials.xlsx?course=an-toan")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(i for i, v in enumerate(values) if v[0] == "Họ và tên")
    assert values[header][:2] == ["Họ và tên", "Tên đăng nhập"]
    # In the workbook formula-like text is text (a string cell), shown without an apostrophe.
    cell = next(c for c in sheet["A"] if c.value == '=HYPERLINK("http://x","y")')
    assert cell.data_type == "s" and cell.quotePrefix
    assert sheet.cell(row=header + 1, column=1).font.bold
    assert len(values) - header - 1 == len(rows) - 1 == 9


def test_every_export_is_audited(app, province):
    client = _manager(app, "district")
    client.get("/reports/units/261/courses.xlsx")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report.exported"))
        assert event.target == "261" and event.detail["format"] == "xlsx"


def test_bad_parameters(app, province):
    client = _manager(app, "province")
    assert client.get("/reports/units/27/officials?course=an-toan&page=0").status_code == 400
    assert client.get("/reports/units/27/officials?course=an-toan&page=x").status_code == 400
    assert client.get("/reports/units/27/officials?course=an-toan&status=x").status_code == 400
    assert client.get("/reports/units/27?course=khong-co").status_code == 404
    assert client.get("/api/v1/reports/officials?course=an-toan&per_page=501").status_code == 400
    assert client.get("/api/v1/reports/completion?course=khong-co").status_code == 404


def test_trend_chart_and_breakdowns(app, province):
    page = _manager(app, "province").get("/reports/units/27?course=an-toan").get_data(as_text=True)
    assert "<svg" in page and "<polyline" in page and "<script" not in page
    assert "Theo phân loại và trình độ tin học" in page and "Đại học CNTT" in page


def test_api_tokens_work_until_revoked(app, province, runner):
    result = runner.invoke(args=["tokens", "create", "ql-district"])
    token = result.output.strip()
    assert result.exit_code == 0 and token.startswith("el_")
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/reports/courses", headers=headers).json["unit"]["code"] == "261"
    assert api.get("/api/v1/reports/courses?unit=256", headers=headers).status_code == 403
    assert api.get("/reports/units/261", headers=headers).status_code == 302  # API only
    refused = runner.invoke(args=["tokens", "create", "dn1"])
    assert refused.exit_code == 1 and "managers and admins" in refused.output
    client = _manager(app, "district")
    page = client.get("/account/tokens").get_data(as_text=True)
    token_id = re.search(r'name="revoke" value="(\d+)"', page).group(1)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/account/tokens", data={"csrf_token": csrf, "revoke": token_id})
    assert api.get("/api/v1/reports/courses", headers=headers).status_code == 401


def test_the_least_trained_commune_and_its_missing_officials_in_two_clicks(app, province):
    client = _manager(app, "province")
    dashboard = client.get("/reports/units/27?course=an-toan").get_data(as_text=True)
    section = dashboard.split("Xã, phường thấp nhất")[1].split("</ul>")[0]
    first = re.search(r'href="(/reports/units/(\d+)/officials\?[^"]+)"', section)
    assert first.group(2) == "09367"  # Đông Ngàn: 1 of 6, below Vũ Ninh (1 of 3), Tam Sơn
    listing = client.get(first.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "HYPERLINK" in listing and "Nguyễn Văn An" not in listing


def test_strange_numbers_are_bad_requests(app, province):
    client = _manager(app, "province")
    assert client.get("/reports/units/27/officials?course=an-toan&page=%C2%B2").status_code == 400
    assert (
        client.get("/reports/units/27/officials?course=an-toan&page=" + "9" * 5000).status_code
        == 400
    )
    response = client.get("/api/v1/reports/officials?course=an-toan&per_page=%C2%B2")
    assert response.status_code == 400
    assert response.json == {"error": "per_page must be between 1 and 500"}


def test_the_printed_list_is_the_whole_list(app, province, monkeypatch):
    from elearn.reports import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    client = _manager(app, "province")
    paged = client.get("/reports/units/27/officials?course=an-toan").get_data(as_text=True)
    printed = client.get("/reports/units/27/officials?course=an-toan&print=1").get_data(
        as_text=True
    )
    assert paged.count("<tr><td>") == 2 and printed.count("<tr><td>") == 9


def test_the_trend_adds_up_to_the_completions(app, province):
    client = _manager(app, "province")
    page = client.get("/reports/units/27?course=an-toan").get_data(as_text=True)
    table = page.split("Xem số liệu từng tuần")[1]
    cumulative = re.findall(r'<td class="num">([\d.]+)</td><td class="num">[\d,]+%</td>', table)
    assert cumulative[-1] == "3"  # three officials have completed the course


def test_list_totals_match_the_figures(app, province):
    client = _manager(app, "province")
    for status, expected in (("", 9), ("not_started", 4), ("in_progress", 2), ("completed", 3)):
        data = client.get(f"/api/v1/reports/officials?course=an-toan&status={status}").json
        assert data["total"] == expected == len(data["officials"])


def test_pages_run_across_statuses_in_order(app, province):
    client = _manager(app, "province")
    full = client.get("/api/v1/reports/officials?course=an-toan&per_page=500").json["officials"]
    paged = []
    for page in (1, 2, 3):
        data = client.get(f"/api/v1/reports/officials?course=an-toan&per_page=5&page={page}").json
        assert data["total"] == 9
        paged += data["officials"]
    assert [o["username"] for o in paged] == [o["username"] for o in full]
    order = ["not_started", "in_progress", "completed"]
    assert [o["status"] for o in full] == sorted((o["status"] for o in full), key=order.index)
    for status in order:  # within a status, Vietnamese name order
        names = [o["full_name"] for o in full if o["status"] == status]
        assert names == sorted(names, key=vi_sort_key)
    searched = client.get("/api/v1/reports/officials?course=an-toan&q=van&per_page=500").json
    for page in (1, 2, 9):  # a search's total is the same on every page, past the end too
        url = f"/api/v1/reports/officials?course=an-toan&q=van&per_page=1&page={page}"
        assert client.get(url).json["total"] == len(searched["officials"]) > 1
    nobody = "/api/v1/reports/officials?course=an-toan&q=khongcoai"
    assert client.get(nobody).json["total"] == 0
    assert [o["status"] for o in searched["officials"]] == sorted(
        (o["status"] for o in searched["officials"]), key=order.index
    )


def test_child_units_come_a_page_at_a_time_and_exports_carry_them_all(app, province, monkeypatch):
    from elearn.reports import dashboard

    monkeypatch.setattr(dashboard, "PER_PAGE", 1)
    client = _manager(app, "province")

    def child_names(html: str) -> list[str]:
        table = html.split("Theo đơn vị trực thuộc")[1].split("</ul>")[0]
        return re.findall(r'\?course=an-toan">([^<]+)</a>', table)

    ordered = [
        c["unit"]["name"]
        for c in client.get("/api/v1/reports/completion?course=an-toan").json["children"]
    ]  # lowest rate first
    first = client.get("/reports/units/27?course=an-toan").get_data(as_text=True)
    second = client.get("/reports/units/27?course=an-toan&page=2").get_data(as_text=True)
    printed = client.get("/reports/units/27?course=an-toan&print=1").get_data(as_text=True)
    assert child_names(first) == ordered[:1] and child_names(second) == ordered[1:2]
    assert 'href="/reports/units/27?page=2&amp;course=an-toan&amp;sort=rate"' in first
    assert f"Trang 1/{len(ordered)}" in first
    everyone = child_names(printed)
    assert everyone == ordered and len(everyone) > 2
    exported = client.get("/reports/units/27/children.csv?course=an-toan").get_data(as_text=True)
    assert len(list(csv.reader(io.StringIO(exported)))) == len(everyone) + 1
    assert client.get("/reports/units/27?course=an-toan&page=0").status_code == 400
    beyond = client.get("/reports/units/27?course=an-toan&page=999").get_data(as_text=True)
    assert child_names(beyond) == ordered[-1:]  # the last page
    by_name = client.get("/reports/units/27?course=an-toan&sort=name&print=1")
    names = child_names(by_name.get_data(as_text=True))
    assert len(names) > 2 and names == sorted(names, key=vi_key)  # empty units keep their place


def test_a_token_notes_its_last_use_to_the_minute(app, province, runner):
    from datetime import timedelta

    from elearn.models import ApiToken

    token = runner.invoke(args=["tokens", "create", "ql-district"]).output.strip()
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def last_used():
        with app.app_context():
            return db.session.scalar(select(ApiToken.last_used_at))

    assert last_used() is None
    api.get("/api/v1/reports/courses", headers=headers)
    first = last_used()
    assert first is not None
    api.get("/api/v1/reports/courses", headers=headers)
    assert last_used() == first  # a second call within the minute writes nothing
    with app.app_context():
        row = db.session.scalar(select(ApiToken))
        row.last_used_at = first - timedelta(minutes=5)
        db.session.commit()
    api.get("/api/v1/reports/courses", headers=headers)
    assert last_used() > first - timedelta(minutes=5)


def test_the_weakest_communes_are_the_same_however_they_are_found(app, province):
    """A unit whose children are communes takes its weakest from its children's figures;
    any other unit asks the rollups: both give the same communes, in the same order."""
    from elearn.models import Course, Unit
    from elearn.progress import figures
    from elearn.reports import dashboard

    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == province))
        checked = 0
        for code in ("27", "256", "261"):  # the province (districts below) and two districts
            unit = db.session.scalar(select(Unit).where(Unit.code == code))
            children = figures.child_counts(unit, course)
            found = dashboard._lowest_communes(unit, course, children)
            asked = figures.lowest_communes(unit, course, limit=dashboard.LOWEST)
            assert [(r.unit.code, r.counts) for r in found] == [
                (r.unit.code, r.counts) for r in asked
            ]
            checked += bool(found)
        assert checked == 3


def test_a_second_tree_stays_out_of_the_first_ones_figures(app, province, make_user):
    """A province that is the only root reads its rollups whole; once another tree is
    loaded beside it, its figures must still count only its own subtree."""
    client = _manager(app, "province")

    def figures() -> tuple:
        (row,) = client.get("/api/v1/reports/courses?unit=27").json["courses"]
        trend = client.get("/api/v1/reports/completion?unit=27&course=an-toan").json
        trend.pop("as_of")  # the moment of reading, which may tick between the two reads
        return row["officials"], row["completed"], trend

    alone = figures()
    with app.app_context():
        db.session.add(Unit(code="99", name="Tỉnh Khác", kind="province", path="/99/", depth=0))
        db.session.commit()
    make_user("khac1", unit="99", full_name="Đỗ Văn Khác")
    with app.app_context():
        quiz = db.session.scalar(select(CourseItem).where(CourseItem.kind == "quiz"))
        lesson = db.session.scalar(select(CourseItem).where(CourseItem.kind == "lesson"))
        user = db.session.scalar(select(User).where(User.username == "khac1"))
        recording.complete_lesson(user, lesson)
        attempt = recording.start_attempt(user, quiz)
        recording.submit_attempt(user, attempt, quiz, right_answers(attempt, quiz))
        db.session.commit()
    assert figures() == alone
    page = client.get("/reports/units/27?course=an-toan").get_data(as_text=True)
    assert "9 cán bộ, công chức" in page
