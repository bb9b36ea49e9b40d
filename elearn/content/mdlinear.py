"""Python-Markdown's fenced code and tables, with scans that stay linear in the text.

Upstream searches forward from every fence opener (quadratic when fences are left open) and
splits a whole block into rows each time it asks "is this a table?" (quadratic in the lines
of a block that other processors split line by line: headings, rules). These subclasses give
the same HTML while looking at each line a bounded number of times.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions.fenced_code import FencedBlockPreprocessor, FencedCodeExtension
from markdown.extensions.tables import (
    PIPE_LEFT,
    PIPE_NONE,
    PIPE_RIGHT,
    TableExtension,
    TableProcessor,
)
from markdown.serializers import _escape_attrib_html

from elearn.content.fences import OPENER, fence_spans


class LinearFencedBlockPreprocessor(FencedBlockPreprocessor):
    """Fenced code blocks found in one pass instead of one search per opener."""

    def run(self, lines: list[str]) -> list[str]:
        """Stash each closed fence as `<pre><code>`; unclosed fences stay ordinary text."""
        out: list[str] = []
        previous = 0
        for first, last in fence_spans(lines):
            out.extend(lines[previous:first])
            match = OPENER.match(lines[first])
            assert match is not None
            code = "".join(line + "\n" for line in lines[first + 1 : last])
            lang = match.group("lang")
            lang_attr = f' class="language-{_escape_attrib_html(lang)}"' if lang else ""
            html = f"<pre><code{lang_attr}>{self._escape(code)}</code></pre>"
            out.extend(("", self.md.htmlStash.store(html), ""))
            previous = last + 1
        out.extend(lines[previous:])
        return out


class LinearFencedCodeExtension(FencedCodeExtension):
    """Fenced code whose scan stays linear however many fences are left open."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the one-pass preprocessor under the name and priority of the original."""
        md.registerExtension(self)
        md.preprocessors.register(
            LinearFencedBlockPreprocessor(md, self.getConfigs()), "fenced_code_block", 25
        )


class LinearTableProcessor(TableProcessor):
    """Tables, recognised from their first two rows without splitting the whole block."""

    def test(self, parent: etree.Element, block: str) -> bool:
        """Check the header and separator rows, as upstream does, reading only those."""
        head = block.split("\n", 2)
        if len(head) < 2:
            return False
        header0 = head[0].strip(" ")
        self.border = PIPE_NONE
        if header0.startswith("|"):
            self.border |= PIPE_LEFT
        if self.RE_END_BORDER.search(header0) is not None:
            self.border |= PIPE_RIGHT
        row0_len = len(self._split_row(header0))
        is_table = row0_len > 1
        if not is_table and row0_len == 1 and self.border:
            # A one-column table needs a pipe on every row; stop at the first row without.
            for line in block.split("\n")[1:]:
                row = line.strip(" ")
                is_table = row.startswith("|") or self.RE_END_BORDER.search(row) is not None
                if not is_table:
                    break
        if is_table:
            row = self._split_row(head[1].strip(" "))
            is_table = len(row) == row0_len and set("".join(row)) <= set("|:- ")
            if is_table:
                self.separator = row
        return is_table


class LinearTableExtension(TableExtension):
    """Tables whose detection reads two rows per block, not all of them."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the processor under the name and priority of the original."""
        if "|" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("|")
        md.parser.blockprocessors.register(
            LinearTableProcessor(md.parser, self.getConfigs()), "table", 75
        )
