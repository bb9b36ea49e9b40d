"""One style of tone marks per course: a warning at each line of the minority style."""

from __future__ import annotations

import pytest

from elearn.content.tones import restyle, tone_style
from tests.content.contentkit import Collection

NEUTRAL = "---\nid: khoa-hoc\ntitle: Thử\n---\n\nGiới thiệu.\n"  # no oa, oe or uy with a tone


def lesson(body: str, lesson_id: str = "bai") -> str:
    return f"---\nid: {lesson_id}\ntitle: Bài\n---\n\n{body}\n"


@pytest.mark.parametrize(
    ("word", "style"),
    [
        ("hóa", "old"),
        ("hoá", "new"),
        ("khóa", "old"),
        ("khoá", "new"),
        ("thủy", "old"),
        ("thuỷ", "new"),
        ("Ủy", "old"),
        ("Uỷ", "new"),
        ("HÒA", "old"),
        ("khoẻ", "new"),
        ("ngụy", "old"),
        ("hoà", "new"),
        # one place only: a final consonant, a third vowel, `qu`, a vowel-quality mark
        ("hoàng", None),
        ("hoài", None),
        ("khuya", None),
        ("quý", None),
        ("Quỳ", None),
        ("thuở", None),
        ("toán", None),
        ("của", None),
        ("Zoom", None),
        ("hoa", None),
    ],
)
def test_tone_style(word: str, style: str | None) -> None:
    assert tone_style(word) == style


def test_restyle() -> None:
    assert [restyle(w, "old") for w in ("hoá", "thuỷ", "Uỷ", "khoẻ")] == [
        "hóa",
        "thủy",
        "Ủy",
        "khỏe",
    ]
    assert [restyle(w, "new") for w in ("hóa", "thủy", "Ủy")] == ["hoá", "thuỷ", "Uỷ"]


def test_one_style_throughout_is_fine(collection: Collection) -> None:
    collection.course(
        course_md=NEUTRAL, **{"01-bai": lesson("Số hóa hồ sơ, khóa màn hình, Ủy ban, tùy chọn.")}
    )
    assert collection.messages() == []
    collection.course(
        course_md=NEUTRAL, **{"01-bai": lesson("Số hoá hồ sơ, khoá màn hình, Uỷ ban, tuỳ chọn.")}
    )
    assert collection.messages() == []


def test_minority_style_is_warned_at_each_line_with_the_fix(collection: Collection) -> None:
    body = "Số hóa hồ sơ và khóa màn hình.\n\nỦy ban xã.\n\nTùy trường hợp, số hoá và Uỷ ban."
    files = {"01-bai": lesson(body), "02-hai": lesson("Thoả thuận.", "hai")}
    collection.course(course_md=NEUTRAL, **files)
    result = collection.load()
    assert result.ok  # a warning, never an error
    assert [str(p) for p in result.problems] == [
        "khoa/01-bai.md:10: cảnh báo: hãy viết `hóa` thay cho `hoá`, `Ủy` thay cho `Uỷ`: phần còn "
        "lại của khoá học đặt dấu thanh theo kiểu khác (4 chỗ, ví dụ: hóa, khóa, Ủy, Tùy); mỗi "
        "khoá học nên viết thống nhất một kiểu, văn bản nhà nước viết hóa, khóa, thủy, Ủy ban",
        "khoa/02-hai.md:6: cảnh báo: hãy viết `Thỏa` thay cho `Thoả`: phần còn lại của khoá học "
        "đặt dấu thanh theo kiểu khác (4 chỗ, ví dụ: hóa, khóa, Ủy, Tùy); mỗi khoá học nên viết "
        "thống nhất một kiểu, văn bản nhà nước viết hóa, khóa, thủy, Ủy ban",
    ]


def test_the_new_style_can_be_the_majority(collection: Collection) -> None:
    body = "Số hoá, khoá, thuỷ, tuỳ.\n\nMột chỗ hóa."
    collection.course(course_md=NEUTRAL, **{"01-bai": lesson(body)})
    (message,) = collection.messages()
    assert message.startswith("khoa/01-bai.md:8: cảnh báo: hãy viết `hoá` thay cho `hóa`")


def test_an_even_split_warns_against_the_state_documents_style(collection: Collection) -> None:
    collection.course(course_md=NEUTRAL, **{"01-bai": lesson("Số hóa.\n\nSố hoá.")})
    (message,) = collection.messages()
    assert message.startswith("khoa/01-bai.md:8: cảnh báo: hãy viết `hóa` thay cho `hoá`")


def test_course_md_titles_count_and_courses_are_judged_apart(collection: Collection) -> None:
    collection.course(
        "mot",
        course_md="---\nid: mot\ntitle: Chuyển đổi số hoá\n---\n\nGiới thiệu.\n",
        **{"01-bai": lesson("Số hóa và khóa học.")},
    )
    collection.course(
        "hai",
        course_md="---\nid: hai\ntitle: Khoá học\n---\n\nGiới thiệu.\n",
        **{"01-bai": lesson("Số hoá.")},
    )
    assert [m.split(": cảnh báo")[0] for m in collection.messages()] == ["mot/course.md:3"]
