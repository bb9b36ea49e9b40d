"""Server-side grading: pure functions, so the answer key never has to leave the server."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from elearn.content.model import Question
from elearn.content.vntext import canonical_tones, nfc
from elearn.text import fold

MAX_RESPONSE_CHARS = 1000
Response = tuple[str, ...] | str

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_MINUS = "-\u2212\u2013"
# Vietnamese style: `.` groups thousands, `,` marks decimals; spaces may group thousands too.
_DOT_GROUPS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_SPACE_GROUPS = re.compile(r"\d{1,3}(?: \d{3})+(?:,\d+)?")
_COMMA_DECIMAL = re.compile(r"\d+(?:,\d+)?")
# A lone `.` not followed by exactly three digits can only be a decimal point (`2.5`).
_DOT_DECIMAL = re.compile(r"\d+\.(?:\d{1,2}|\d{4,})")


@dataclass(frozen=True, slots=True)
class Grade:
    """The outcome of one question: right or wrong, and the points that follow."""

    correct: bool
    points_earned: int
    points_possible: int


def normalise_text(s: str) -> str:
    """Fold a typed answer for comparison: NFC, trimmed, single spaces, no case.

    Diacritics stay (`ma` is not `mà`); only the position of the tone mark is
    unified, because keyboards differ on `hòa`/`hoà` and `thủy`/`thuỷ`.
    """
    folded = nfc(_SPACES.sub(" ", nfc(s)).strip().casefold())
    return canonical_tones(folded)


def short_answer_matches(typed: str, accepted: tuple[str, ...] | list[str]) -> bool:
    """Apply the one policy for typed answers, in every quiz.

    An answer typed with any diacritic is compared exactly (after `normalise_text`), so `mà`
    never matches `ma`. An answer typed entirely without diacritics, as on a phone without a
    Vietnamese keyboard, matches an accepted answer whose diacritics are removed: `hoa don`
    matches `Hóa đơn`.
    """
    answer = normalise_text(typed)
    if not answer:
        return False
    if any(answer == normalise_text(a) for a in accepted):
        return True
    plain = fold(answer)
    return plain == answer and any(plain == fold(normalise_text(a)) for a in accepted)


def parse_vn_number(s: str) -> float | None:
    """Read a number written the Vietnamese way; None when it cannot be read unambiguously.

    Accepted: `60`, `-3`, `2,5`, `1.500.000`, `1.500.000,75`, `1 500 000`, `2.5` and
    `1500000.5` (a single dot not followed by exactly three digits is a decimal point),
    an optional trailing `%`. `1.500` is one thousand five hundred; `1,500,000` is refused.
    """
    text = _SPACES.sub(" ", nfc(s)).strip()
    if text.endswith("%"):
        text = text[:-1].rstrip()
    sign = 1.0
    if text and text[0] in _MINUS + "+":
        sign = -1.0 if text[0] in _MINUS else 1.0
        text = text[1:].lstrip()
    if not text or len(text) > 64:
        return None
    if _DOT_GROUPS.fullmatch(text) or _SPACE_GROUPS.fullmatch(text):
        plain = text.replace(".", "").replace(" ", "").replace(",", ".")
    elif _COMMA_DECIMAL.fullmatch(text):
        plain = text.replace(",", ".")
    elif _DOT_DECIMAL.fullmatch(text):
        plain = text
    else:
        return None
    value = sign * float(plain)
    return value if math.isfinite(value) else None


def _as_tuple(response: Response) -> tuple[str, ...]:
    """Accept a bare string for one-value answers; drop empty entries."""
    values = (response,) if isinstance(response, str) else tuple(response)
    return tuple(v for v in values if v != "")


def validate_response(q: Question, response: Response) -> str | None:
    """Explain (in English, for a 400 answer) why a response cannot belong to `q`.

    An empty response is well-formed: the question was left unanswered and grades as wrong.
    """
    if not isinstance(response, str) and not (
        isinstance(response, tuple | list) and all(isinstance(v, str) for v in response)
    ):
        return "response must be a string or a tuple of strings"
    values = _as_tuple(response)
    if any(len(v) > MAX_RESPONSE_CHARS for v in values):
        return f"response longer than {MAX_RESPONSE_CHARS} characters"
    if q.kind in ("short", "numeric"):
        return "expected a single typed answer" if len(values) > 1 else None
    keys = {c.key for c in q.choices}
    if q.kind in ("single", "true_false") and len(values) > 1:
        return "several choices sent for a single-answer question"
    if len(set(values)) != len(values):
        return "the same choice was sent twice"
    unknown = [v for v in values if v not in keys]
    if unknown:
        return f"unknown choice key(s) for question {q.id}: {', '.join(sorted(unknown))}"
    return None


def _numeric_match(q: Question, typed: str) -> bool:
    """Compare a typed number with every accepted value, allowing float rounding noise."""
    value = parse_vn_number(typed)
    if value is None:
        return False
    for answer in q.numeric_answers:
        slack = 1e-9 * max(1.0, abs(answer.value))
        if abs(value - answer.value) <= answer.tolerance + slack:
            return True
    return False


def is_correct(q: Question, response: Response) -> bool:
    """Decide right or wrong; malformed responses are simply wrong."""
    if validate_response(q, response) is not None:
        return False
    values = _as_tuple(response)
    if q.kind in ("short", "numeric"):
        if not values:
            return False
        if q.kind == "numeric":
            return _numeric_match(q, values[0])
        return short_answer_matches(values[0], q.short_answers)
    right = {c.key for c in q.choices if c.correct}
    return bool(values) and set(values) == right


def grade_question(q: Question, response: Response) -> Grade:
    """Grade all-or-nothing: full points for a right answer, none otherwise."""
    correct = is_correct(q, response)
    return Grade(
        correct=correct, points_earned=q.points if correct else 0, points_possible=q.points
    )
