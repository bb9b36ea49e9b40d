"""The honour board: units at 100 % of the required courses, the officials who finished them,
the units that moved most; and each official's unit standing among its siblings."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from tests.webkit import login


def _client(app, username: str):
    client = app.test_client()
    login(client, username)
    return client


def test_the_board_names_units_and_people_who_finished_the_required_courses(app, province):
    client = _client(app, "ql-province")
    page = client.get("/reports/units/27/honours").get_data(as_text=True)
    done = page.split("Đơn vị đã hoàn thành 100%")[1].split("</ol>")[0]
    assert "Phường Tam Sơn" in done and "Phường Đông Ngàn" not in done  # ch1 alone; dn2 not yet
    people = page.split("Cán bộ đã hoàn thành mọi khoá học bắt buộc")[1]
    assert "(3)" in people.split("</h2>")[0]
    assert {"dn1", "ch1", "vn1"} == set(re.findall(r'href="/reports/officials/([^"]+)"', people))
    improved = page.split("Tiến bộ nhất trong 30 ngày qua")[1].split("</ol>")[0]
    assert "Thành phố Từ Sơn" in improved and "thêm 2 người hoàn thành" in improved


def test_the_board_prints_on_one_page_and_exports_three_sheets(app, province):
    client = _client(app, "ql-province")
    printed = client.get("/reports/units/27/honours?print=1").get_data(as_text=True)
    assert "Bảng vinh danh" in printed and "Số liệu đến" in printed
    assert 'href="/reports/officials/' not in printed  # no links on paper
    workbook = load_workbook(io.BytesIO(client.get("/reports/units/27/honours.xlsx").data))
    assert len(workbook.sheetnames) == 3
    people = workbook.worksheets[1]
    assert people["A1"].value == "Cán bộ đã hoàn thành mọi khoá học bắt buộc"
    names = [row[0] for row in people.iter_rows(min_row=6, values_only=True)]
    assert sorted(names) == sorted(["Nguyễn Văn An", "Lê Văn Bình", "Phạm Thị Dung"])


def test_a_manager_sees_only_the_board_of_their_own_units(app, province):
    client = _client(app, "ql-district")
    assert client.get("/reports/units/261/honours").status_code == 200
    assert client.get("/reports/units/27/honours").status_code == 403
    assert client.get("/reports/units/256/honours.xlsx").status_code == 403


def test_an_officials_home_shows_their_units_rank_among_its_siblings(app, province):
    home = _client(app, "dn2").get("/").get_data(as_text=True)
    # Đông Ngàn: dn1 of 5 officials done (20 %); Tam Sơn: 1 of 1 — 2nd of 2 in Từ Sơn.
    assert "Phường Đông Ngàn: 20% cán bộ đã hoàn thành các khoá bắt buộc – thứ 2/2 trong" in home
    assert "Học tập" in home
    manager_home = _client(app, "ql-commune").get("/").get_data(as_text=True)
    assert "cán bộ đã hoàn thành các khoá bắt buộc" not in manager_home  # not an official
