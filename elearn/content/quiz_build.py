"""Second pass over a quiz: decide each question's kind, check its answer key, render it."""

from __future__ import annotations

import hashlib
import re

from elearn.content import messages as msg
from elearn.content.answers import parse_vn_number
from elearn.content.context import FileContext
from elearn.content.model import Choice, NumericAnswer, Problem, Question, QuestionKind
from elearn.content.quiz_parser import RawChoice, RawQuestion
from elearn.content.sourcefile import content_hash
from elearn.content.vntext import fold_keyword, nfc

_TOLERANCE = re.compile(r"\s*(?:±|\+/-|\+-)\s*")
# Digits with `.` or `,` are meant as a number; digits and spaces alone may be a phone number.
_NUMBERISH = re.compile(r"^[\s\d%+\-\u2212]*\d[\s\d%+\-\u2212]*[.,][\s\d.,%]*$")
_TRUE_FALSE = ("dung", "sai")
# What every multiple-answer question tells the learner, in its heading or the text below it.
MULTIPLE_PROMPT = "Chọn tất cả các ý đúng"


def choice_key(text: str) -> str:
    """Derive a choice's stable key from its text, so reordering choices changes nothing."""
    return hashlib.sha256(nfc(text).encode("utf-8")).hexdigest()[:10]


def parse_numeric(value: str) -> NumericAnswer | None:
    """Read `60`, `1.500.000 ± 5%` or `2,5 +/- 0,1` into a value and absolute tolerance."""
    number_text, *rest = _TOLERANCE.split(value, maxsplit=1)
    number = parse_vn_number(number_text)
    if number is None:
        return None
    if not rest:
        return NumericAnswer(number, 0.0)
    spread = rest[0].strip()
    percent = spread.endswith("%")
    amount = parse_vn_number(spread[:-1] if percent else spread)
    if amount is None or amount < 0:
        return None
    return NumericAnswer(number, abs(number) * amount / 100 if percent else amount)


def _kind_of_choices(raw: RawQuestion, fc: FileContext) -> QuestionKind | None:
    """Check the choices of a question and tell single, multiple or true/false apart."""
    problems: list[Problem] = []
    rel = fc.rel
    right = sum(c.correct for c in raw.choices)
    if len(raw.choices) < 2:
        problems.append(msg.error(rel, raw.line, msg.TOO_FEW_CHOICES))
    if right == 0:
        problems.append(msg.error(rel, raw.line, msg.NO_CORRECT))
    seen: dict[str, int] = {}
    for choice in raw.choices:
        text = " ".join(choice.text.split())
        if text in seen:
            problems.append(msg.error(rel, choice.line, msg.DUPLICATE_CHOICE, text, seen[text]))
        seen.setdefault(text, choice.line)
    texts = tuple(sorted(fold_keyword(c.text) for c in raw.choices))
    kind: QuestionKind
    if raw.type == "multiple":
        kind = "multiple"
    elif len(raw.choices) == 2 and texts == _TRUE_FALSE:
        kind = "true_false"
        if right > 1:
            problems.append(msg.error(rel, raw.line, msg.TRUE_FALSE_BOTH))
    elif raw.type == "single" and right > 1:
        problems.append(msg.error(rel, raw.line, msg.SINGLE_MANY, right))
        kind = "single"
    else:
        kind = "single" if right <= 1 else "multiple"
    if kind == "multiple" and not problems and not _asks_for_every_answer(raw):
        fc.course.problems.append(
            msg.warning(rel, raw.line, msg.MULTIPLE_NO_PROMPT, MULTIPLE_PROMPT)
        )
    fc.course.problems.extend(problems)
    return None if problems else kind


def _asks_for_every_answer(raw: RawQuestion) -> bool:
    """Whether the question's own words say to choose every right answer (case and spacing
    aside), so the learner is told so in the course's words, not only by the checkboxes."""
    words = " ".join(nfc(" ".join([raw.heading, *raw.text_lines])).split()).casefold()
    return MULTIPLE_PROMPT.casefold() in words


def _answers(raw: RawQuestion, fc: FileContext) -> tuple[QuestionKind, list, list] | None:
    """Split `Đáp án:` lines into numbers or texts; a failed number is an error."""
    problems: list[Problem] = []
    if raw.type:
        problems.append(msg.error(fc.rel, raw.line, msg.TYPE_NOT_CHOICE, raw.type))
    numbers: list[NumericAnswer] = []
    texts: list[str] = []
    with_tolerance = False
    for value, line in raw.answers:
        if not value:
            continue
        has_tolerance = bool(_TOLERANCE.search(value))
        with_tolerance |= has_tolerance
        number = parse_numeric(value)
        if number is not None:
            numbers.append(number)
        elif has_tolerance or _NUMBERISH.match(value):
            problems.append(msg.error(fc.rel, line, msg.BAD_NUMBER, value))
        texts.append(" ".join(value.split()))
    if numbers and len(numbers) != len(texts) and with_tolerance and not problems:
        problems.append(msg.error(fc.rel, raw.line, msg.NUMBER_AND_TEXT))
    fc.course.problems.extend(problems)
    if problems or not texts:
        return None
    if len(numbers) == len(texts):
        return "numeric", [], numbers
    return "short", texts, []


def _choice(raw: RawChoice, fc: FileContext, end_line: int) -> Choice:
    """Render one choice and the feedback quoted under it."""
    text = " ".join(raw.text.split())
    feedback = None
    if raw.feedback:
        feedback = fc.render("\n".join(raw.feedback), (raw.line, end_line)) or None
    return Choice(
        key=choice_key(text),
        text=text,
        html=fc.render(raw.text, (raw.line, raw.line), inline=True),
        correct=raw.correct,
        feedback_html=feedback,
        line=raw.line,
    )


def build_question(raw: RawQuestion, fc: FileContext, end_line: int) -> Question | None:
    """Turn a parsed block into a Question, or report why it cannot be graded."""
    kind: QuestionKind | None
    short: list[str] = []
    numbers: list[NumericAnswer] = []
    if raw.broken or (raw.choices and raw.answers):
        kind = None  # the parser already explained what to fix first
    elif raw.choices:
        kind = _kind_of_choices(raw, fc)
    elif raw.answers:
        result = _answers(raw, fc)
        kind = result[0] if result else None
        if result:
            short, numbers = result[1], result[2]
    else:
        fc.course.problems.append(msg.error(fc.rel, raw.line, msg.NO_ANSWER))
        return None
    span = (raw.line, end_line)
    heading_html = fc.render(raw.heading, (raw.line, raw.line), inline=True)
    text_html = f"<p>{heading_html}</p>"
    if raw.text_lines:
        text_html += "\n" + fc.render("\n".join(raw.text_lines), span)
    choices = tuple(_choice(c, fc, end_line) for c in raw.choices)
    explanation = None
    if raw.explanation:
        explanation = fc.render("\n".join(raw.explanation), (raw.explanation_line, end_line))
    if kind is None or raw.qid is None or raw.broken:
        return None
    canonical = f"{raw.heading}\x00type={kind}\x00points={raw.points}"
    return Question(
        id=raw.qid,
        kind=kind,
        text_html=text_html,
        points=raw.points,
        choices=choices,
        short_answers=tuple(short),
        numeric_answers=tuple(numbers),
        explanation_html=explanation or None,
        line=raw.line,
        content_hash=content_hash(canonical, raw.body),
        lesson=raw.lesson,
    )
