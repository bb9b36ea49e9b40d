"""Importing the administrative tree: all or nothing, every bad row named."""

from __future__ import annotations

import unicodedata

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from elearn.admin.units import import_units
from elearn.errors import ImportProblem
from elearn.extensions import db
from elearn.models import AuditEvent, Unit
from elearn.units import units_in_subtree
from tests.webkit import UNITS_CSV

HEADER = "code,name,kind,parent_code\n"


def _count_units() -> int:
    return db.session.scalar(select(func.count()).select_from(Unit)) or 0


def _write(tmp_path, text: str, name: str = "units.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_the_real_bac_ninh_tree_imports_with_its_subtrees(app):
    with app.app_context():
        report = import_units(UNITS_CSV)
        db.session.commit()
        assert len(report.created) == 135 and report.updated == []
        province = db.session.scalar(select(Unit).where(Unit.code == "27"))
        assert len(units_in_subtree(province)) == 135
        tu_son = db.session.scalar(select(Unit).where(Unit.code == "261"))
        communes = units_in_subtree(tu_son)[1:]
        assert tu_son.name == "Thành phố Từ Sơn" and len(communes) == 12
        assert {u.kind for u in communes} == {"ward"}  # Từ Sơn is all wards
        assert all(u.parent_id == tu_son.id and u.depth == 2 for u in communes)
        kinds = db.session.execute(
            select(Unit.kind, func.count()).where(Unit.depth == 2).group_by(Unit.kind)
        ).all()
        assert dict(kinds) == {"commune": 70, "ward": 52, "township": 4}


def test_importing_the_same_file_twice_changes_nothing(app):
    with app.app_context():
        import_units(UNITS_CSV)
        db.session.commit()
        report = import_units(UNITS_CSV)
        assert report.created == [] and report.updated == [] and report.unchanged == 135


def test_dry_run_writes_nothing(app):
    with app.app_context():
        report = import_units(UNITS_CSV, dry_run=True)
        db.session.rollback()
        assert len(report.created) == 135
        assert _count_units() == 0


def test_vietnamese_kind_labels_and_nfd_names_are_accepted(app, tmp_path):
    decomposed = unicodedata.normalize("NFD", "Xã Tân Hồng")
    path = _write(
        tmp_path,
        HEADER + "1,Tỉnh Thử,tỉnh,\n2,Thị xã Thử,Thị xã,1\n"
        f"3,{decomposed},xa,2\n4,Phường Một,PHƯỜNG,2\n5,Thị trấn Hai,thi tran,2\n",
    )
    with app.app_context():
        import_units(path)
        db.session.commit()
        units = {u.code: u for u in db.session.scalars(select(Unit))}
        assert units["3"].name == unicodedata.normalize("NFC", "Xã Tân Hồng")
        assert [units[c].kind for c in "12345"] == [
            "province",
            "town",
            "commune",
            "ward",
            "township",
        ]
        assert units["5"].path == "/1/2/5/"


def test_rows_may_come_before_their_parents(app, tmp_path):
    path = _write(
        tmp_path, HEADER + "3,Xã Ba,commune,2\n2,Huyện Hai,district,1\n1,Tỉnh Một,province,\n"
    )
    with app.app_context():
        import_units(path)
        db.session.commit()
        assert db.session.scalar(select(Unit.path).where(Unit.code == "3")) == "/1/2/3/"


def _problems(app, path) -> list[str]:
    with app.app_context():
        with pytest.raises(ImportProblem) as error:
            import_units(path)
        db.session.rollback()
        assert _count_units() == 0, "a bad file must write nothing"
        return [str(p) for p in error.value.problems]


def test_every_bad_row_is_reported_and_nothing_is_written(app, tmp_path):
    path = _write(
        tmp_path,
        HEADER
        + "1,Tỉnh Một,province,\n"
        + "2,Huyện Hai,district,99\n"  # unknown parent
        + "1,Tỉnh Trùng,province,\n"  # duplicate code
        + "3,,commune,1\n"  # empty name
        + "4,Xã Bốn,làng,1\n"  # unknown kind
        + "5 5,Xã Năm,commune,1\n",  # bad code
    )
    assert _problems(app, path) == [
        "row 4, column code: 1 is already on row 2",
        "row 5, column name: empty; every unit needs its name",
        "row 6, column kind: 'làng' is not one of province (tỉnh), city (thành phố), "
        "town (thị xã), district (huyện), ward (phường), commune (xã), township (thị trấn)",
        "row 7, column code: '5 5' may only contain letters, digits, - and _",
        "row 3, column parent_code: unknown unit 99; add it to the file above this row "
        "or import it first",
    ]


def test_a_cycle_is_refused(app, tmp_path):
    path = _write(
        tmp_path, HEADER + "1,Tỉnh Một,province,3\n2,Huyện Hai,district,1\n3,Xã Ba,commune,2\n"
    )
    problems = _problems(app, path)
    assert len(problems) == 3
    assert problems[0].startswith("row 2, column parent_code: 1 would be inside itself")


def test_a_cycle_through_existing_units_is_refused(app, tmp_path):
    with app.app_context():
        import_units(_write(tmp_path, HEADER + "1,Tỉnh Một,province,\n2,Huyện Hai,district,1\n"))
        db.session.commit()
        with pytest.raises(ImportProblem, match="inside itself"):
            import_units(_write(tmp_path, HEADER + "1,Tỉnh Một,province,2\n", "loop.csv"))


def test_missing_columns_are_named(app, tmp_path):
    path = _write(tmp_path, "code,name\n1,Tỉnh Một\n")
    assert _problems(app, path) == [
        "row 1: thiếu cột kind, parent_code; dòng tiêu đề cần có các cột "
        "code,name,kind,parent_code,merged_from."
    ]


def test_utf16_and_legacy_encodings_are_refused_by_name(app, tmp_path):
    utf16 = _write(tmp_path, HEADER + "1,Tỉnh Một,province,\n", "u16.csv", "utf-16")
    assert "UTF-16" in _problems(app, utf16)[0]
    legacy_text = unicodedata.normalize("NFD", HEADER + "1,Tỉnh Hà Nam,province,\n")
    legacy = _write(tmp_path, legacy_text, "cp.csv", "cp1258")
    assert "Windows-1258" in _problems(app, legacy)[0]


def test_a_file_that_is_not_a_table_is_refused(app, tmp_path):
    png = tmp_path / "picture.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "không phải" in _problems(app, png)[0]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    assert "không đọc được tệp Excel" in _problems(app, broken)[0]


def test_bom_and_semicolons_from_excel_are_accepted(app, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffcode;name;kind;parent_code\r\n1;Tỉnh Một;province;\r\n".encode())
    with app.app_context():
        import_units(path)
        assert _count_units() == 1


def test_xlsx_files_import_like_csv(app, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "name", "kind", "parent_code"])
    sheet.append(["27", "Tỉnh Bắc Ninh", "tỉnh", None])
    sheet.append([256, "Thành phố Bắc Ninh", "thành phố", 27])
    path = tmp_path / "units.xlsx"
    workbook.save(path)
    with app.app_context():
        import_units(path)
        db.session.commit()
        assert db.session.scalar(select(Unit.path).where(Unit.code == "256")) == "/27/256/"


def test_a_successful_import_is_audited(app):
    with app.app_context():
        import_units(UNITS_CSV)
        db.session.commit()
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "units.imported"))
        assert event.detail == {"created": 135, "updated": 0}
