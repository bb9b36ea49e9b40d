"""Rendering inside one course: images resolved against its folder, problems given lines."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate

from elearn.content import messages as msg
from elearn.content.files import CourseFiles
from elearn.content.images import CourseImages
from elearn.content.mdext import RenderReport
from elearn.content.model import Problem
from elearn.content.render import (
    MarkdownTooComplex,
    check_complexity,
    render_inline,
    render_markdown,
)

ImageUrl = Callable[[str, str], str]
_COMPLEXITY_MESSAGES = {
    "nesting": msg.TOO_DEEP,
    "brackets": msg.TOO_MANY_BRACKETS,
    "block": msg.BLOCK_TOO_LONG,
    "blocks": msg.TOO_MANY_BLOCKS,
    "lines": msg.BLOCK_TOO_MANY_LINES,
}


@dataclass(slots=True)
class FileContext:
    """One source file being rendered: its lines locate images and links for messages."""

    course: CourseContext
    rel: str
    lines: tuple[str, ...]
    images: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    _text: str = ""
    _starts: list[int] = field(default_factory=list)

    def check_complexity(self, body_index: int) -> bool:
        """Refuse the body before rendering when it breaks a structural limit."""
        try:
            check_complexity("\n".join(self.lines[body_index:]))
        except MarkdownTooComplex as exc:
            template = _COMPLEXITY_MESSAGES[exc.kind]
            line = body_index + exc.line
            self.course.problems.append(msg.error(self.rel, line, template, exc.amount, exc.limit))
            return False
        return True

    def _line_of(self, needle: str, span: tuple[int, int], cursor: list[int]) -> int:
        """Find the 1-based line holding `needle`, searching forward from the last hit.

        One `str.find` over the joined file per needle, so a thousand links cost milliseconds
        even when their text cannot be found in the source.
        """
        if not self._starts:
            self._text = "\n".join(self.lines)
            self._starts = list(accumulate((len(line) + 1 for line in self.lines), initial=0))
        first, last = span
        count = len(self.lines)
        for low, high in ((cursor[0], last + 1), (first, cursor[0])):
            low, high = max(low, 1), min(high, count + 1)
            if low >= high:
                continue
            found = self._text.find(needle, self._starts[low - 1], self._starts[high - 1])
            if found >= 0:
                cursor[0] = bisect_right(self._starts, found)
                return cursor[0]
        return first

    def render(self, text: str, span: tuple[int, int], *, inline: bool = False) -> str:
        """Render Markdown from lines `span` of this file, reporting images, files and bad links."""
        report = RenderReport()
        cursor = [span[0]]
        course = self.course

        def resolve(src: str) -> str | None:
            line = self._line_of(src, span, cursor)
            check = course.images.check(src)
            for template, args in check.errors:
                course.problems.append(msg.error(self.rel, line, template, *args))
            for template, args in check.warnings:
                course.problems.append(msg.warning(self.rel, line, template, *args))
            if check.rel_path is None:
                return None
            if check.rel_path not in self.images:
                self.images.append(check.rel_path)
            return course.image_url(course.course_id, check.rel_path)

        def resolve_file(href: str) -> tuple[str, str] | None:
            line = self._line_of(href, span, cursor)
            check = course.files.check(href)
            for template, args in check.errors:
                course.problems.append(msg.error(self.rel, line, template, *args))
            for template, args in check.warnings:
                course.problems.append(msg.warning(self.rel, line, template, *args))
            if check.file is None:
                return None
            if check.file.rel_path not in self.files:
                self.files.append(check.file.rel_path)
            return check.url, check.label

        renderer = render_inline if inline else render_markdown
        try:
            html = renderer(text, resolve_image=resolve, resolve_file=resolve_file, report=report)
        except MarkdownTooComplex as exc:
            template = _COMPLEXITY_MESSAGES[exc.kind]
            line = min(span[0] + exc.line - 1, max(span))
            course.problems.append(msg.error(self.rel, line, template, exc.amount, exc.limit))
            return ""
        cursor[0] = span[0]
        for src, alt in report.images:
            if not alt.strip():
                line = self._line_of(src, span, cursor)
                course.problems.append(msg.warning(self.rel, line, msg.IMAGE_NO_ALT, src))
        cursor[0] = span[0]
        for href in report.unsafe_links:
            line = self._line_of(href, span, cursor)
            course.problems.append(msg.error(self.rel, line, msg.UNSAFE_LINK, href))
        return html


@dataclass(slots=True)
class CourseContext:
    """Shared state while one course folder is loaded."""

    course_id: str
    image_url: ImageUrl
    images: CourseImages
    files: CourseFiles
    problems: list[Problem] = field(default_factory=list)
    sources: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    def file(self, rel: str, lines: tuple[str, ...]) -> FileContext:
        """Start rendering one file of this course; its text joins the course-wide checks."""
        self.sources.append((rel, lines))
        return FileContext(self, rel, lines)
