"""Markdown to safe HTML: python-markdown for structure, nh3 as the last word on safety."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Literal

import nh3
from markdown import Markdown
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension

from elearn.content.mdext import (
    CALLOUT_TITLES,
    EXTERNAL_REL,
    RenderReport,
    SafeMarkdownExtension,
    SafetyTreeprocessor,
)

__all__ = [
    "MAX_BLOCK_CHARS",
    "MAX_BRACKETS",
    "MAX_NESTING",
    "MarkdownTooComplex",
    "RenderReport",
    "check_complexity",
    "render_inline",
    "render_markdown",
    "sanitise_html",
]

# Real lessons rarely nest past 4 levels or hold more than a few dozen links; these limits
# keep the recursive parser and its bracket scans bounded.
MAX_NESTING = 12
MAX_BRACKETS = 1500
# Python-Markdown's inline pass is superlinear in the length of one paragraph.
MAX_BLOCK_CHARS = 20_000
ComplexityKind = Literal["nesting", "brackets", "block"]
_LIMITS: dict[str, int] = {
    "nesting": MAX_NESTING,
    "brackets": MAX_BRACKETS,
    "block": MAX_BLOCK_CHARS,
}

_ALLOWED_TAGS = frozenset(
    {"h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "table", "thead", "tbody", "tr"}
    | {"th", "td", "a", "img", "code", "pre", "blockquote", "strong", "em", "aside", "div"}
    | {"hr", "br"}
)
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}
_ATTRIBUTE_VALUES = {
    "a": {"rel": {EXTERNAL_REL}},
    "img": {"loading": {"lazy"}},
    "th": {"align": {"left", "center", "right"}},
    "td": {"align": {"left", "center", "right"}},
}
_CALLOUT_CLASSES = {"callout"} | {f"callout-{kind}" for kind in CALLOUT_TITLES}
_ALLOWED_CLASSES = {
    "aside": _CALLOUT_CLASSES,
    "div": _CALLOUT_CLASSES,
    "p": {"callout-title"},
}
_URL_SCHEMES = frozenset({"http", "https", "mailto"})

_FENCE = re.compile(r"^(`{3,}|~{3,})")
_CONTAINER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")
_SINGLE_PARAGRAPH = re.compile(r"^<p>((?:(?!<p[ >]).)*)</p>$", re.DOTALL)
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-*+>#])")


class MarkdownTooComplex(ValueError):
    """Markdown beyond a structural limit, refused so rendering time stays bounded."""

    def __init__(self, kind: ComplexityKind, line: int, amount: int) -> None:
        limit = _LIMITS[kind]
        super().__init__(f"{kind} {amount} (line {line}) exceeds the limit of {limit}")
        self.kind = kind
        self.line = line
        self.amount = amount
        self.limit = limit


def _line_depth(line: str) -> int:
    """Count quote and list markers plus 4-column indents at the start of a line."""
    expanded = line.expandtabs(4)
    indent = len(expanded) - len(expanded.lstrip(" "))
    depth = indent // 4
    pos = 0
    while match := _CONTAINER.match(expanded, pos):
        depth += 1
        pos = match.end()
    return depth


def _fenced_lines(lines: list[str]) -> set[int]:
    """Find lines inside closed code fences, matching Python-Markdown's own fence rule."""
    inside: set[int] = set()
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if match:
            fence = match.group(1)
            for end in range(index + 1, len(lines)):
                if lines[end].rstrip(" ") == fence:
                    inside.update(range(index, end + 1))
                    index = end
                    break
        index += 1
    return inside


def check_complexity(text: str) -> None:
    """Raise MarkdownTooComplex for nesting, brackets or paragraphs no real lesson reaches."""
    lines = text.split("\n")
    fenced = _fenced_lines(lines)
    brackets = 0
    block_start, block_chars = 1, 0
    for index, line in enumerate(lines):
        number = index + 1
        if index in fenced or not line.strip():
            block_chars = 0
            continue
        depth = _line_depth(line)
        if depth > MAX_NESTING:
            raise MarkdownTooComplex("nesting", number, depth)
        brackets += line.count("[")
        if brackets > MAX_BRACKETS:
            raise MarkdownTooComplex("brackets", number, brackets)
        if block_chars == 0:
            block_start = number
        block_chars += len(line) + 1
        if block_chars > MAX_BLOCK_CHARS:
            raise MarkdownTooComplex("block", block_start, block_chars)


# Built once: configuring the sanitiser costs more than cleaning one fragment.
_CLEANER = nh3.Cleaner(
    tags=set(_ALLOWED_TAGS),
    attributes={tag: set(attrs) for tag, attrs in _ALLOWED_ATTRIBUTES.items()},
    tag_attribute_values={
        tag: {name: set(values) for name, values in attrs.items()}
        for tag, attrs in _ATTRIBUTE_VALUES.items()
    },
    allowed_classes={tag: set(classes) for tag, classes in _ALLOWED_CLASSES.items()},
    url_schemes=set(_URL_SCHEMES),
    link_rel=None,
    strip_comments=True,
)


def sanitise_html(html: str) -> str:
    """Keep only the tags, attributes and URL schemes course pages need."""
    return _CLEANER.clean(html)


def render_markdown(
    text: str,
    *,
    resolve_image: Callable[[str], str | None],
    report: RenderReport | None = None,
) -> str:
    """Render author Markdown to sanitised HTML; refuse absurd structure."""
    check_complexity(text)
    md, safety = _converter()
    safety.resolve_image, safety.report = resolve_image, report or RenderReport()
    try:
        html = md.reset().convert(text)
    except RecursionError as exc:
        raise MarkdownTooComplex("nesting", 1, MAX_NESTING + 1) from exc
    finally:
        safety.resolve_image, safety.report = _no_image, RenderReport()
    return sanitise_html(html)


_local = threading.local()


def _no_image(_src: str) -> None:
    return None


def _converter() -> tuple[Markdown, SafetyTreeprocessor]:
    """One Markdown converter per thread, reused: building one costs more than a conversion
    (a 50-course sync renders thousands of fragments)."""
    if not hasattr(_local, "converter"):
        md = Markdown(
            extensions=[
                TableExtension(use_align_attribute=True),
                FencedCodeExtension(),
                SaneListExtension(),
                SafeMarkdownExtension(_no_image, RenderReport()),
            ],
            output_format="html",
        )
        _local.converter = (md, md.treeprocessors["elearn_safety"])
    return _local.converter


def _escape_block_start(match: re.Match[str]) -> str:
    """Backslash-escape the character that would start a list, quote or heading."""
    if match.group(1):
        return f"{match.group(1)}\\{match.group(2)}"
    return "\\" + match.group(3)


def render_inline(
    text: str,
    *,
    resolve_image: Callable[[str], str | None],
    report: RenderReport | None = None,
) -> str:
    """Render one line (a choice) as inline HTML: `1. xyz` stays text, not a list."""
    escaped = _BLOCK_START.sub(_escape_block_start, " ".join(text.split()), count=1)
    html = render_markdown(escaped, resolve_image=resolve_image, report=report)
    match = _SINGLE_PARAGRAPH.match(html.strip())
    return match.group(1) if match else html
