"""Markdown to safe HTML: python-markdown for structure, nh3 as the last word on safety."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Literal

import nh3
from markdown import Markdown
from markdown.extensions.sane_lists import SaneListExtension

from elearn.content.fences import fence_spans
from elearn.content.mdext import (
    CALLOUT_TITLES,
    EXTERNAL_REL,
    RenderReport,
    ResolveFile,
    SafeMarkdownExtension,
    SafetyTreeprocessor,
)
from elearn.content.mdlinear import LinearFencedCodeExtension, LinearTableExtension

__all__ = [
    "MAX_BLOCK_CHARS",
    "MAX_BLOCKS",
    "MAX_BLOCK_LINES",
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
# Its block parser pops blocks off the front of a list: quadratic in their number. The
# longest shipped lesson has 45 blocks.
MAX_BLOCKS = 2_000
# Some of its block processors search the rest of a block again after each line they split
# off (headings, rules): quadratic in the lines of one block. A table of all 126 communes of
# a province fits; the longest shipped block has 13 lines.
MAX_BLOCK_LINES = 200
ComplexityKind = Literal["nesting", "brackets", "block", "blocks", "lines"]
_LIMITS: dict[str, int] = {
    "nesting": MAX_NESTING,
    "brackets": MAX_BRACKETS,
    "block": MAX_BLOCK_CHARS,
    "blocks": MAX_BLOCKS,
    "lines": MAX_BLOCK_LINES,
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


def check_complexity(text: str) -> None:
    """Raise MarkdownTooComplex for nesting, brackets or paragraphs no real lesson reaches.

    One pass over the lines: the time it takes grows linearly with the text.
    """
    lines = text.split("\n")
    spans = fence_spans(lines)
    fenced = {index for first, last in spans for index in range(first, last + 1)}
    openers = {first for first, _ in spans}
    brackets, blocks = 0, 0
    block_start, block_chars, block_lines = 1, 0, 0
    for index, line in enumerate(lines):
        number = index + 1
        if index in fenced or not line.strip():
            block_chars, block_lines = 0, 0
            if index in openers:
                blocks += 1
                if blocks > MAX_BLOCKS:
                    raise MarkdownTooComplex("blocks", number, blocks)
            continue
        depth = _line_depth(line)
        if depth > MAX_NESTING:
            raise MarkdownTooComplex("nesting", number, depth)
        brackets += line.count("[")
        if brackets > MAX_BRACKETS:
            raise MarkdownTooComplex("brackets", number, brackets)
        if block_chars == 0:
            block_start = number
            blocks += 1
            if blocks > MAX_BLOCKS:
                raise MarkdownTooComplex("blocks", number, blocks)
        block_chars += len(line) + 1
        block_lines += 1
        if block_chars > MAX_BLOCK_CHARS:
            raise MarkdownTooComplex("block", block_start, block_chars)
        if block_lines > MAX_BLOCK_LINES:
            raise MarkdownTooComplex("lines", block_start, block_lines)


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
    resolve_file: ResolveFile | None = None,
    report: RenderReport | None = None,
) -> str:
    """Render author Markdown to sanitised HTML; refuse absurd structure.

    `resolve_file` turns a link to a file of the course folder into its URL and label, or
    None to drop the link; without it such links are left as written.
    """
    check_complexity(text)
    md, safety = _converter()
    safety.resolve_image, safety.report = resolve_image, report or RenderReport()
    safety.resolve_file = resolve_file
    try:
        html = md.reset().convert(text)
    except RecursionError as exc:
        raise MarkdownTooComplex("nesting", 1, MAX_NESTING + 1) from exc
    finally:
        safety.resolve_image, safety.report = _no_image, RenderReport()
        safety.resolve_file = None
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
                LinearTableExtension(use_align_attribute=True),
                LinearFencedCodeExtension(),
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
    resolve_file: ResolveFile | None = None,
    report: RenderReport | None = None,
) -> str:
    """Render one line (a choice) as inline HTML: `1. xyz` stays text, not a list."""
    escaped = _BLOCK_START.sub(_escape_block_start, " ".join(text.split()), count=1)
    html = render_markdown(
        escaped, resolve_image=resolve_image, resolve_file=resolve_file, report=report
    )
    match = _SINGLE_PARAGRAPH.match(html.strip())
    return match.group(1) if match else html
