"""Vietnamese text helpers behind keywords, generated ids and answer comparison."""

from __future__ import annotations

import pytest

from elearn.content.vntext import canonical_tones, fold_keyword, slugify, strip_diacritics


def test_strip_diacritics_maps_d_bar() -> None:
    assert strip_diacritics("Đáp án đúng") == "Dap an dung"


def test_fold_keyword() -> None:
    assert fold_keyword("  ĐÁP   ÁN ") == "dap an"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Mật khẩu mạnh là gì?", "mat-khau-manh-la-gi"),
        ("Đường dây nóng 113", "duong-day-nong-113"),
        ("???", ""),
        (
            "Khi có người gọi điện tự xưng là công an và yêu cầu đọc mã OTP",
            "khi-co-nguoi-goi-dien-tu-xung-la-cong-an-va-yeu",
        ),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug
    assert len(slug) <= 48


@pytest.mark.parametrize(
    ("old_style", "new_style"),
    [("hòa", "hoà"), ("thủy", "thuỷ"), ("khỏe", "khoẻ"), ("họa", "hoạ"), ("ủy", "uỷ")],
)
def test_tone_placement_is_unified(old_style: str, new_style: str) -> None:
    assert canonical_tones(old_style) == canonical_tones(new_style)


@pytest.mark.parametrize(
    "word", ["người", "thuyền", "quả", "giả", "ngoài", "mía", "của", "hoàng", "toán", "nghiêng"]
)
def test_tone_placement_leaves_regular_words_alone(word: str) -> None:
    assert canonical_tones(word) == word
