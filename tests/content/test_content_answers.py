"""Server-side grading of every question kind, with Vietnamese text and numbers."""

from __future__ import annotations

import unicodedata

import pytest

from elearn.content.answers import (
    Grade,
    grade_question,
    normalise_text,
    parse_vn_number,
    validate_response,
)
from elearn.content.model import Choice, NumericAnswer, Question
from elearn.content.quiz_build import choice_key


def make_question(kind: str, *, choices=(), short=(), numeric=(), points: int = 1) -> Question:
    """Build a Question directly; choices are (text, correct) pairs."""
    return Question(
        id="q",
        kind=kind,  # type: ignore[arg-type]
        text_html="<p>?</p>",
        points=points,
        choices=tuple(
            Choice(choice_key(text), text, text, correct, None, 1) for text, correct in choices
        ),
        short_answers=tuple(short),
        numeric_answers=tuple(NumericAnswer(v, t) for v, t in numeric),
        explanation_html=None,
        line=1,
        content_hash="h",
    )


def key(text: str) -> str:
    return choice_key(text)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("  Mật   Khẩu\tMạnh ", "mật khẩu mạnh"),
        ("ĐÚNG", "đúng"),
        (unicodedata.normalize("NFD", "Hà Nội"), "hà nội"),
        ("hòa", normalise_text("hoà")),
        ("thủy", normalise_text("thuỷ")),
        ("khỏe", normalise_text("khoẻ")),
    ],
)
def test_normalise_text(typed: str, expected: str) -> None:
    assert normalise_text(typed) == expected


def test_normalise_text_keeps_diacritics() -> None:
    assert normalise_text("ma") != normalise_text("mà")
    assert normalise_text("hoa") != normalise_text("hoà")
    assert normalise_text("Hoà Bình") == normalise_text("hòa bình")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("60", 60.0),
        ("-3", -3.0),
        ("−3", -3.0),
        ("+7", 7.0),
        ("2,5", 2.5),
        ("1.500.000", 1_500_000.0),
        ("1.500.000,75", 1_500_000.75),
        ("1 500 000", 1_500_000.0),
        ("1\u00a0500\u00a0000", 1_500_000.0),
        ("2.5", 2.5),
        ("2.55", 2.55),
        ("1500000.5", 1_500_000.5),
        ("1.500", 1500.0),
        ("63,4%", 63.4),
        (" 12 ", 12.0),
    ],
)
def test_parse_vn_number(text: str, value: float) -> None:
    assert parse_vn_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    "text", ["", "abc", "1,500,000", "1.50.000", "1.500.000.5", "12a", "1 50", ",5", "--3", "nan"]
)
def test_parse_vn_number_refuses_unclear_input(text: str) -> None:
    assert parse_vn_number(text) is None


def test_grade_single() -> None:
    q = make_question("single", choices=[("Sai một", False), ("Đúng rồi", True)], points=2)
    assert grade_question(q, key("Đúng rồi")) == Grade(True, 2, 2)
    assert grade_question(q, (key("Đúng rồi"),)) == Grade(True, 2, 2)
    assert grade_question(q, key("Sai một")) == Grade(False, 0, 2)
    assert grade_question(q, ()) == Grade(False, 0, 2)


def test_grade_true_false() -> None:
    q = make_question("true_false", choices=[("Đúng", False), ("Sai", True)])
    assert grade_question(q, key("Sai")).correct
    assert not grade_question(q, key("Đúng")).correct


def test_grade_multiple_is_all_or_nothing() -> None:
    q = make_question("multiple", choices=[("A", True), ("B", True), ("C", False)], points=3)
    assert grade_question(q, (key("B"), key("A"))) == Grade(True, 3, 3)
    assert grade_question(q, (key("A"),)) == Grade(False, 0, 3)
    assert grade_question(q, (key("A"), key("B"), key("C"))) == Grade(False, 0, 3)


def test_grade_short_answer() -> None:
    q = make_question("short", short=["Mã OTP", "otp"])
    assert grade_question(q, "  mã   otp ").correct
    assert grade_question(q, "OTP").correct
    assert grade_question(q, unicodedata.normalize("NFD", "MÃ OTP")).correct
    assert not grade_question(q, "mà otp").correct
    assert not grade_question(q, "").correct


def test_grade_short_answer_tone_position() -> None:
    q = make_question("short", short=["hoà giải"])
    assert grade_question(q, "Hòa giải").correct
    assert not grade_question(q, "hòa giai").correct


def test_answer_typed_without_diacritics_matches_the_answer_without_its_diacritics() -> None:
    """Officials on phones without a Vietnamese keyboard type `hoa don` for `Hóa đơn`."""
    q = make_question("short", short=["Hóa đơn điện tử", "VNeID"])
    assert grade_question(q, "hoa don dien tu").correct
    assert grade_question(q, "  HOA   DON dien tu ").correct
    assert grade_question(q, "vneid").correct
    assert not grade_question(q, "hoa don").correct  # still the whole answer
    assert not grade_question(q, "hoa dôn dien tu").correct  # one diacritic: compared exactly


def test_answer_typed_with_diacritics_is_compared_exactly() -> None:
    """`mà` is not `ma`: whoever types diacritics must type the right ones."""
    plain = make_question("short", short=["ma"])
    assert grade_question(plain, "ma").correct
    assert not grade_question(plain, "mà").correct
    marked = make_question("short", short=["mà"])
    assert grade_question(marked, "mà").correct
    assert grade_question(marked, "ma").correct  # typed without any diacritic
    assert not grade_question(marked, "má").correct
    assert not grade_question(marked, "mã").correct
    assert not grade_question(make_question("short", short=["đi"]), "đì").correct


def test_grade_numeric() -> None:
    q = make_question("numeric", numeric=[(1_500_000.0, 75_000.0)])
    assert grade_question(q, "1.500.000").correct
    assert grade_question(q, "1 575 000").correct
    assert grade_question(q, "1425000").correct
    assert not grade_question(q, "1.575.001").correct
    assert not grade_question(q, "một triệu").correct


def test_grade_numeric_tolerance_survives_float_rounding() -> None:
    q = make_question("numeric", numeric=[(2.5, 0.1)])
    assert grade_question(q, "2,6").correct
    assert grade_question(q, "2,4").correct
    assert not grade_question(q, "2,61").correct


def test_grade_numeric_any_of_several_answers() -> None:
    q = make_question("numeric", numeric=[(12.0, 0.0), (15.0, 0.0)])
    assert grade_question(q, "15").correct
    assert not grade_question(q, "13").correct


def test_validate_response_accepts_well_formed() -> None:
    single = make_question("single", choices=[("A", True), ("B", False)])
    multiple = make_question("multiple", choices=[("A", True), ("B", True)])
    short = make_question("short", short=["x"])
    assert validate_response(single, key("A")) is None
    assert validate_response(single, ()) is None
    assert validate_response(multiple, (key("A"), key("B"))) is None
    assert validate_response(short, "anything") is None


def test_validate_response_refuses_unknown_keys() -> None:
    q = make_question("single", choices=[("A", True), ("B", False)])
    assert validate_response(q, "deadbeef00") == "unknown choice key(s) for question q: deadbeef00"
    assert not grade_question(q, "deadbeef00").correct


def test_validate_response_refuses_wrong_shape() -> None:
    single = make_question("single", choices=[("A", True), ("B", False)])
    multiple = make_question("multiple", choices=[("A", True), ("B", True)])
    short = make_question("short", short=["x"])
    reason = validate_response(single, (key("A"), key("B")))
    assert reason == "several choices sent for a single-answer question"
    assert validate_response(multiple, (key("A"), key("A"))) == "the same choice was sent twice"
    assert validate_response(short, ("a", "b")) == "expected a single typed answer"
    assert validate_response(short, "x" * 1001) == "response longer than 1000 characters"
    assert validate_response(short, 5) == "response must be a string or a tuple of strings"  # type: ignore[arg-type]
    assert not grade_question(single, (key("A"), key("B"))).correct
