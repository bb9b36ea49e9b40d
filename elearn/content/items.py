"""Lessons and quizzes: one numbered file each, read into a Lesson or a Quiz."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from elearn.content import messages as msg
from elearn.content.context import CourseContext, FileContext
from elearn.content.frontmatter import (
    FrontMatter,
    check_id,
    check_keys,
    parse_bool,
    parse_int,
    split_front_matter,
)
from elearn.content.model import Item, Lesson, Problem, Question, Quiz
from elearn.content.quiz_build import build_question
from elearn.content.quiz_parser import parse_quiz
from elearn.content.sourcefile import SourceText, content_hash, read_source

LESSON_KEYS = (("id", "title"), ("minutes",))
QUIZ_KEYS = (("id", "type", "title"), ("pass_mark", "max_attempts", "shuffle"))


@dataclass(slots=True)
class Source:
    """A course file after reading and splitting off its front matter."""

    rel: str
    text: SourceText
    fm: FrontMatter


def open_source(path: Path, rel: str, problems: list[Problem]) -> Source | None:
    """Read a file and its front matter, collecting whatever goes wrong."""
    text, found = read_source(path, rel)
    problems.extend(found)
    if text is None:
        return None
    fm, found = split_front_matter(text.lines, rel)
    problems.extend(found)
    return Source(rel, text, fm) if fm is not None else None


def read_id(src: Source, problems: list[Problem]) -> str | None:
    """Read and check the `id` key; the rest of the file is still checked without it."""
    value = src.fm.raw("id")
    if not value:
        return None
    found = check_id(value, src.rel, src.fm.line_of("id"))
    problems.extend(found)
    return None if found else value


def read_minutes(src: Source, problems: list[Problem]) -> int | None:
    """Read the optional positive `minutes` estimate."""
    value, found = parse_int(src.fm, "minutes", src.rel, low=1, high=None, message=msg.BAD_MINUTES)
    problems.extend(found)
    return value


def _lesson(src: Source, ctx: CourseContext, position: int) -> Lesson | None:
    """Build a lesson page from its file."""
    problems = ctx.problems
    if src.fm.raw("type") is not None:
        src.fm.fields.pop("type")  # `type: lesson` is harmless; other values were refused
    problems += check_keys(src.fm, src.rel, *LESSON_KEYS, "bài học")
    lesson_id = read_id(src, problems)
    minutes = read_minutes(src, problems)
    fc = ctx.file(src.rel, src.text.lines)
    body_index = src.fm.body_index
    html = ""
    body = "\n".join(src.text.lines[body_index:])
    if not body.strip():
        problems.append(msg.warning(src.rel, src.fm.start_line, msg.EMPTY_LESSON))
    else:
        html = fc.render(body, (body_index + 1, len(src.text.lines)))
    if lesson_id is None or not src.fm.raw("title"):
        return None
    return Lesson(
        id=lesson_id,
        title=src.fm.raw("title") or "",
        minutes=minutes,
        html=html,
        source_path=src.rel,
        position=position,
        line=src.fm.start_line,
        content_hash=content_hash(src.text.text),
        images=tuple(fc.images),
    )


def _quiz_questions(src: Source, fc: FileContext) -> tuple[str, list[Question | None]]:
    """Parse and build every question of a quiz, checking ids are unique."""
    problems = fc.course.problems
    lines = src.text.lines
    raw_quiz, found = parse_quiz(lines, src.fm.body_index, src.rel)
    problems.extend(found)
    if not raw_quiz.questions:
        problems.append(msg.error(src.rel, src.fm.start_line, msg.NO_QUESTIONS))
    first_seen: dict[str, int] = {}
    for raw in raw_quiz.questions:
        if raw.qid is None or not raw.qid:
            continue
        if raw.qid in first_seen:
            first = first_seen[raw.qid]
            for line in (first, raw.line):
                problems.append(
                    msg.error(src.rel, line, msg.DUPLICATE_QUESTION_ID, raw.qid, first, raw.line)
                )
        first_seen.setdefault(raw.qid, raw.line)
    intro = "\n".join(raw_quiz.intro)
    intro_end = raw_quiz.questions[0].line - 1 if raw_quiz.questions else len(lines)
    intro_html = fc.render(intro, (raw_quiz.intro_line, intro_end)) if intro.strip() else ""
    built: list[Question | None] = []
    for n, raw in enumerate(raw_quiz.questions):
        end = raw_quiz.questions[n + 1].line - 1 if n + 1 < len(raw_quiz.questions) else len(lines)
        built.append(build_question(raw, fc, end))
    return intro_html, built


def _quiz(src: Source, ctx: CourseContext, position: int) -> Quiz | None:
    """Build a quiz from its file."""
    problems = ctx.problems
    errors_before = sum(p.severity == "error" for p in problems)
    problems += check_keys(src.fm, src.rel, *QUIZ_KEYS, "bài kiểm tra")
    quiz_id = read_id(src, problems)
    fm, rel = src.fm, src.rel
    pass_mark, found = parse_int(fm, "pass_mark", rel, low=0, high=100, message=msg.BAD_PASS_MARK)
    problems += found
    attempts, found = parse_int(
        fm, "max_attempts", rel, low=0, high=None, message=msg.BAD_MAX_ATTEMPTS
    )
    problems += found
    shuffle, found = parse_bool(fm, "shuffle", False, rel)
    problems += found
    fc = ctx.file(rel, src.text.lines)
    if not fc.check_complexity(fm.body_index):
        return None
    intro_html, questions = _quiz_questions(src, fc)
    if quiz_id is None or sum(p.severity == "error" for p in problems) > errors_before:
        return None
    return Quiz(
        id=quiz_id,
        title=fm.raw("title") or "",
        pass_mark=80 if pass_mark is None else pass_mark,
        max_attempts=attempts or 0,
        shuffle=shuffle,
        intro_html=intro_html,
        questions=tuple(q for q in questions if q is not None),
        source_path=rel,
        position=position,
        line=fm.start_line,
        content_hash=content_hash(src.text.text),
    )


def load_item(src: Source, ctx: CourseContext, position: int) -> Item | None:
    """Build a lesson or a quiz depending on `type`; None when the file has errors."""
    kind = (src.fm.raw("type") or "lesson").strip().lower()
    if kind == "quiz":
        return _quiz(src, ctx, position)
    if kind != "lesson":
        ctx.problems.append(
            msg.error(src.rel, src.fm.line_of("type"), msg.BAD_TYPE, src.fm.raw("type"))
        )
    return _lesson(src, ctx, position)
