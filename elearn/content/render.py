"""Markdown to safe HTML: python-markdown for structure, nh3 as the last word on safety."""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3
from markdown import Markdown
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension

from elearn.content.mdext import CALLOUT_TITLES, EXTERNAL_REL, RenderReport, SafeMarkdownExtension

__all__ = [
    "MAX_NESTING",
    "MarkdownTooDeep",
    "RenderReport",
    "deepest_nesting",
    "render_inline",
    "render_markdown",
    "sanitise_html",
]

# Real lessons rarely nest past 4 levels; the limit keeps the recursive parser bounded.
MAX_NESTING = 12

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

_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_CONTAINER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")
_SINGLE_PARAGRAPH = re.compile(r"^<p>((?:(?!<p[ >]).)*)</p>$", re.DOTALL)
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-*+>#])")


class MarkdownTooDeep(ValueError):
    """Nesting beyond MAX_NESTING: refused so rendering time stays bounded."""

    def __init__(self, line: int, depth: int) -> None:
        super().__init__(f"nesting depth {depth} on line {line} exceeds {MAX_NESTING}")
        self.line = line
        self.depth = depth


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


def deepest_nesting(text: str) -> tuple[int, int]:
    """Return (1-based line, depth) of the most deeply nested line outside code fences."""
    best_line, best_depth = 1, 0
    fence: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group(1)
            continue
        depth = _line_depth(line)
        if depth > best_depth:
            best_line, best_depth = number, depth
    return best_line, best_depth


def sanitise_html(html: str) -> str:
    """Keep only the tags, attributes and URL schemes course pages need."""
    return nh3.clean(
        html,
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


def render_markdown(
    text: str,
    *,
    resolve_image: Callable[[str], str | None],
    report: RenderReport | None = None,
) -> str:
    """Render author Markdown to sanitised HTML; raise MarkdownTooDeep on absurd nesting."""
    line, depth = deepest_nesting(text)
    if depth > MAX_NESTING:
        raise MarkdownTooDeep(line, depth)
    md = Markdown(
        extensions=[
            TableExtension(use_align_attribute=True),
            FencedCodeExtension(),
            SaneListExtension(),
            SafeMarkdownExtension(resolve_image, report or RenderReport()),
        ],
        output_format="html",
    )
    try:
        html = md.convert(text)
    except RecursionError as exc:
        raise MarkdownTooDeep(line, depth) from exc
    return sanitise_html(html)


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
