"""First pass over a quiz, line by line, so every mistake gets its exact line number.

A question block runs from its `## ` heading to the next one. Its lines are, in order:
question text; choices (`- [ ]`/`- [x]`, each optionally followed by `> feedback` lines)
or `Đáp án:` lines; then `Giải thích:`, whose text continues on every following line up to
the next question heading, so an explanation may hold several paragraphs, lists or images.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from elearn.content import messages as msg
from elearn.content.fences import fenced_indexes
from elearn.content.frontmatter import ID_RE
from elearn.content.model import Problem
from elearn.content.sourcefile import trim_blank
from elearn.content.vntext import fold_keyword, slugify

HEADING = re.compile(r"^ {0,3}##(?!#)(?P<space>[ \t]*)(?P<text>.*?)[ \t]*$")
ATTRIBUTES = re.compile(r"^(?P<text>.*?)[ \t]*\{(?P<attrs>[^{}]*)\}$")
_CLOSING_HASHES = re.compile(r"[ \t]+#+$")
_CHOICE = re.compile(r"^[ \t]*[-*+][ \t]+\[(?P<mark>[ xX])\](?:[ \t]+(?P<text>.*?))?[ \t]*$")
# Near misses of a choice: `- []`, `-[x]`, `- [ x]`, `1. [ ]`, or a box with no list marker.
_BAD_BOX = re.compile(r"^[ \t]*(?:(?:[-*+]|\d{1,3}[.)])[ \t]*\[[^\]]{0,4}\]|\[(?:[ xX]?)\][ \t])")
_LIST_ITEM = re.compile(r"^[ \t]*[-*+][ \t]+(?P<text>.*)$")
_FEEDBACK = re.compile(r"^[ \t]*>[ \t]?(?P<text>.*)$")
_BOLD = re.compile(r"^(\*\*|__)")
_ANSWER_WORDS = frozenset({"dap an", "answer", "answers"})
_EXPLANATION_WORDS = frozenset({"giai thich", "explanation"})
QUESTION_TYPES = ("single", "multiple")


@dataclass(slots=True)
class RawChoice:
    """A `- [ ]`/`- [x]` line with any feedback quoted under it."""

    text: str
    correct: bool
    line: int
    feedback: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RawQuestion:
    """One `##` block, split into its parts but not yet rendered."""

    heading: str
    line: int
    qid: str | None = None
    type: str | None = None
    points: int = 1
    lesson: str | None = None
    text_lines: list[str] = field(default_factory=list)
    text_line: int = 0
    choices: list[RawChoice] = field(default_factory=list)
    answers: list[tuple[str, int]] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    explanation_line: int = 0
    body: list[str] = field(default_factory=list)
    broken: bool = False


@dataclass(slots=True)
class RawQuiz:
    """The introduction and the questions of a quiz file."""

    intro: list[str]
    intro_line: int
    questions: list[RawQuestion]


def keyword_line(line: str) -> tuple[str, str] | None:
    """Recognise `Đáp án:`/`Giải thích:` in any case, with or without accents or bold."""
    stripped = _BOLD.sub("", line.strip())
    head, colon, rest = stripped.partition(":")
    if not colon or len(head) > 20:
        return None
    word = fold_keyword(head.strip("*_ \t"))
    if word in _ANSWER_WORDS:
        kind = "answer"
    elif word in _EXPLANATION_WORDS:
        kind = "explanation"
    else:
        return None
    return kind, _BOLD.sub("", rest.strip()).strip()


def heading_indexes(lines: tuple[str, ...] | list[str], start: int) -> list[int]:
    """Indexes of `## ` question headings from `start` on, skipping code fences."""
    fenced = fenced_indexes(lines, start)
    return [
        i
        for i in range(start, len(lines))
        if i not in fenced and (m := HEADING.match(lines[i])) and m.group("space")
    ]


def split_heading(line: str) -> tuple[str, str | None]:
    """Split a heading line into its text and the inside of a trailing `{…}`, if any."""
    match = HEADING.match(line)
    assert match is not None
    text = _CLOSING_HASHES.sub("", match.group("text"))
    attrs = ATTRIBUTES.match(text)
    if attrs is None:
        return text.strip(), None
    return attrs.group("text").strip(), attrs.group("attrs")


def _parse_attributes(q: RawQuestion, attrs: str, rel: str) -> list[Problem]:
    """Read `#id`, `type=`, `points=` and `lesson=` from the braces of a question heading."""
    problems: list[Problem] = []
    for token in attrs.split():
        key, eq, value = token.partition("=")
        if token.startswith("#") and q.qid is None:
            q.qid = token[1:]
            if not ID_RE.fullmatch(q.qid):
                example = slugify(q.qid or q.heading) or "mat-khau-manh"
                problems.append(msg.error(rel, q.line, msg.BAD_QUESTION_ID, q.qid, example))
        elif eq and key == "type" and value in QUESTION_TYPES:
            q.type = value
        elif eq and key == "points" and re.fullmatch(r"\d{1,3}", value) and int(value) >= 1:
            q.points = int(value)
        elif eq and key == "lesson" and ID_RE.fullmatch(value):
            q.lesson = value  # whether the course has that lesson is checked with the course
        elif eq and key in ("type", "points", "lesson"):
            problems.append(msg.error(rel, q.line, msg.BAD_OPTION_VALUE[key], value))
        else:
            problems.append(msg.error(rel, q.line, msg.UNKNOWN_OPTION, token))
    if q.qid is None:
        example = slugify(q.heading) or "cau-hoi"
        problems.append(msg.error(rel, q.line, msg.MISSING_QUESTION_ID, q.heading, example))
    return problems


def _parse_block(q: RawQuestion, lines: list[str], first: int, rel: str) -> list[Problem]:
    """Sort the lines under one heading into text, choices, answers and explanation."""
    problems: list[Problem] = []
    fenced = fenced_indexes(lines, 0)
    phase = "text"  # then "answers", then "explanation"
    last = ""  # kind of the previous non-blank line
    for index, line in enumerate(lines):
        number = first + index
        if phase == "explanation":
            if index not in fenced and (
                _CHOICE.match(line) or _BAD_BOX.match(line) or keyword_line(line)
            ):
                problems.append(msg.error(rel, number, msg.AFTER_EXPLANATION))
            else:
                q.explanation.append(line)
            continue
        if index in fenced or not line.strip():
            if phase == "text":
                q.text_lines.append(line)
            elif line.strip():
                problems.append(msg.error(rel, number, msg.STRAY_LINE))
            continue
        keyword = keyword_line(line)
        choice = _CHOICE.match(line)
        if keyword and keyword[0] == "explanation":
            phase, q.explanation_line = "explanation", number
            if keyword[1]:
                q.explanation.append(keyword[1])
        elif keyword:
            if q.choices and not q.answers:
                problems.append(msg.error(rel, number, msg.MIXED))
            if not keyword[1]:
                problems.append(msg.error(rel, number, msg.EMPTY_ANSWER))
            q.answers.append((keyword[1], number))
            phase, last = "answers", "answer"
        elif choice:
            if q.answers and not q.choices:
                problems.append(msg.error(rel, number, msg.MIXED))
            if not choice.group("text"):
                problems.append(msg.error(rel, number, msg.EMPTY_CHOICE))
            text = choice.group("text") or ""
            q.choices.append(RawChoice(text, choice.group("mark") != " ", number))
            phase, last = "answers", "choice"
        elif _BAD_BOX.match(line):
            problems.append(msg.error(rel, number, msg.BAD_BOX, line.strip()))
            phase, last = "answers", "bad"
        elif (m := _FEEDBACK.match(line)) and q.choices and last in ("choice", "feedback"):
            q.choices[-1].feedback.append(m.group("text"))
            last = "feedback"
        elif phase == "text":
            q.text_lines.append(line)
        elif last == "choice" and line[:1] in " \t" and not _FEEDBACK.match(line):
            q.choices[-1].text += " " + line.strip()
        elif q.choices and (item := _LIST_ITEM.match(line)):
            problems.append(msg.error(rel, number, msg.NO_BOX, item.group("text").strip()))
        else:
            problems.append(msg.error(rel, number, msg.STRAY_LINE))
    return problems


def parse_quiz(lines: tuple[str, ...], body_index: int, rel: str) -> tuple[RawQuiz, list[Problem]]:
    """Split a quiz body into introduction and questions, reporting structural mistakes."""
    problems: list[Problem] = []
    fenced = fenced_indexes(lines, body_index)
    for i in range(body_index, len(lines)):
        match = HEADING.match(lines[i])
        if i not in fenced and match and not match.group("space") and match.group("text"):
            problems.append(msg.error(rel, i + 1, msg.HEADING_NO_SPACE))
    starts = heading_indexes(lines, body_index)
    intro_end = starts[0] if starts else len(lines)
    intro = list(lines[body_index:intro_end])
    for offset, line in enumerate(intro):
        if offset + body_index not in fenced and (_CHOICE.match(line) or keyword_line(line)):
            problems.append(msg.error(rel, body_index + offset + 1, msg.BEFORE_FIRST_QUESTION))
    questions: list[RawQuestion] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        text, attrs = split_heading(lines[start])
        q = RawQuestion(heading=text, line=start + 1, text_line=start + 2)
        if not text:
            problems.append(msg.error(rel, q.line, msg.EMPTY_HEADING))
        problems += _parse_attributes(q, attrs or "", rel)
        block = list(lines[start + 1 : end])
        block_problems = _parse_block(q, block, start + 2, rel)
        q.broken = bool(block_problems)
        problems += block_problems
        q.text_lines = trim_blank(q.text_lines)
        q.explanation = trim_blank(q.explanation)
        q.body = trim_blank([line.rstrip() for line in block])
        questions.append(q)
    return RawQuiz(intro=intro, intro_line=body_index + 1, questions=questions), problems
