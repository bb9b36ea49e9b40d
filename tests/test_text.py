"""Vietnamese names: search without diacritics, sort in Vietnamese order."""

from __future__ import annotations

import unicodedata

from elearn.formatting import format_number, format_percent
from elearn.text import clean, fold, vi_sort_key


def test_fold_finds_names_without_diacritics():
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold(unicodedata.normalize("NFD", "Trần Thị Ánh")) == "tran thi anh"


def test_clean_normalises_to_nfc_and_collapses_spaces():
    assert clean(unicodedata.normalize("NFD", "  Lê   Thị  Hà ")) == "Lê Thị Hà"


def test_names_sort_by_given_name_in_vietnamese_order():
    names = [
        "Trần Thị Ăn",
        "Lê Văn Dũng",
        "Phạm Đức Đạt",
        "Hoàng Văn Anh",
        "Lê An",
        "Đỗ Văn Bình",
        "Ngô Thị Ánh",
        "Nguyễn Văn An",
        "Vũ Thị Âu",
    ]
    assert sorted(names, key=vi_sort_key) == [
        "Lê An",
        "Nguyễn Văn An",
        "Hoàng Văn Anh",
        "Ngô Thị Ánh",
        "Trần Thị Ăn",
        "Vũ Thị Âu",
        "Đỗ Văn Bình",
        "Lê Văn Dũng",
        "Phạm Đức Đạt",
    ]


def test_d_with_stroke_sorts_after_d():
    assert sorted(["Đào", "Dung", "Duy"], key=vi_sort_key) == ["Dung", "Duy", "Đào"]


def test_vietnamese_number_formats():
    assert format_number(1500000) == "1.500.000"
    assert format_number(2.5, 1) == "2,5"
    assert format_percent(0.634) == "63,4%"
