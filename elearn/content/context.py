"""Rendering inside one course: images resolved against its folder, problems given lines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from elearn.content import messages as msg
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
}


@dataclass(slots=True)
class FileContext:
    """One source file being rendered: its lines locate images and links for messages."""

    course: CourseContext
    rel: str
    lines: tuple[str, ...]
    images: list[str] = field(default_factory=list)

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
        """Find the 1-based line holding `needle`, searching forward from the last hit."""
        first, last = span
        order = list(range(cursor[0], last + 1)) + list(range(first, cursor[0]))
        for number in order:
            if 0 < number <= len(self.lines) and needle in self.lines[number - 1]:
                cursor[0] = number
                return number
        return first

    def render(self, text: str, span: tuple[int, int], *, inline: bool = False) -> str:
        """Render Markdown from lines `span` of this file, reporting images and bad links."""
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

        renderer = render_inline if inline else render_markdown
        try:
            html = renderer(text, resolve_image=resolve, report=report)
        except MarkdownTooComplex as exc:
            template = _COMPLEXITY_MESSAGES[exc.kind]
            course.problems.append(msg.error(self.rel, span[0], template, exc.amount, exc.limit))
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
    problems: list[Problem] = field(default_factory=list)

    def file(self, rel: str, lines: tuple[str, ...]) -> FileContext:
        """Start rendering one file of this course."""
        return FileContext(self, rel, lines)
