"""Find fenced code blocks in one pass, with the rule Python-Markdown applies to them.

A fence opens on a line starting with three or more backticks or tildes (optionally followed
by a language or `{attributes}`) and closes on the next line that holds exactly the same
fence. Searching forward from every opener is quadratic when fences are left open (a 200 KB
lesson took minutes); here each opener finds its closer through an index of closer lines,
so the whole scan is O(n log n) in the number of lines.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

# Python-Markdown's opening fence (fenced_code.FencedBlockPreprocessor.FENCED_BLOCK_RE),
# one line at a time; tabs count as spaces because Python-Markdown expands them first.
OPENER = re.compile(
    r"""^(?P<fence>~{3,}|`{3,})[ \t]*
    (?:\{(?P<attrs>[^\n]*)\}
      |\.?(?P<lang>[\w#.+-]*)[ \t]*(?:hl_lines=(?P<quot>"|')(?P<hl_lines>.*?)(?P=quot)[ \t]*)?)
    $""",
    re.VERBOSE,
)
_CLOSER = re.compile(r"^(~{3,}|`{3,})[ \t]*$")


def fence_spans(lines: Sequence[str], start: int = 0) -> list[tuple[int, int]]:
    """Return (opener, closer) line indexes of every closed fence from `start` on."""
    closers: dict[str, list[int]] = {}
    for index in range(start, len(lines)):
        line = lines[index]
        if line[:1] in "`~" and (match := _CLOSER.match(line)):
            closers.setdefault(match.group(1), []).append(index)
    spans: list[tuple[int, int]] = []
    index = start
    while index < len(lines):
        line = lines[index]
        match = OPENER.match(line) if line[:1] in "`~" else None
        if match is not None:
            candidates = closers.get(match.group("fence"), ())
            found = bisect_right(candidates, index)
            if found < len(candidates):
                end = candidates[found]
                spans.append((index, end))
                index = end + 1
                continue
        index += 1
    return spans


def fenced_indexes(lines: Sequence[str], start: int = 0) -> set[int]:
    """Indexes of the lines inside closed fences (fence lines included)."""
    inside: set[int] = set()
    for first, last in fence_spans(lines, start):
        inside.update(range(first, last + 1))
    return inside
