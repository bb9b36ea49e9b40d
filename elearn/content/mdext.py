"""Python-Markdown extensions: GitHub alert call-outs, no raw HTML, safe links and images."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown import Extension, Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

CALLOUT_TITLES = {
    "note": "Lưu ý",
    "tip": "Mẹo",
    "important": "Quan trọng",
    "warning": "Cảnh báo",
    "caution": "Thận trọng",
}
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
EXTERNAL_REL = "noopener noreferrer"
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
# Names an author may mean as a file on their own computer when written as `/…` or `C:\…`.
DOCUMENT_SUFFIXES = frozenset(
    {".xlsx", ".xls", ".xlsm", ".docx", ".doc", ".docm", ".pdf", ".pptx", ".ppt", ".csv"}
    | {".odt", ".ods", ".zip", ".rar"}
)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060\ufeff]+")


@dataclass(slots=True)
class RenderReport:
    """What rendering met that the caller may want to report: images and refused links."""

    images: list[tuple[str, str]] = field(default_factory=list)
    unsafe_links: list[str] = field(default_factory=list)


def link_scheme(url: str) -> str | None:
    """Return the scheme a browser would see, after entities and invisible characters go."""
    plain = html.unescape(url.replace(AMP_SUBSTITUTE, "&"))
    plain = _INVISIBLE.sub("", plain)
    if plain.startswith(("//", "\\\\", "/\\", "\\/")):
        return "//"
    match = _SCHEME.match(plain)
    return match.group(1).lower() if match else None


def is_file_link(url: str) -> bool:
    """Tell a link to a file of the course folder (`files/x.xlsx`) from a page link."""
    shown = url.strip()
    if DRIVE.match(shown):
        return True
    if link_scheme(shown) is not None or not shown or shown.startswith(("#", "?")):
        return False
    if shown.startswith(("/", "\\")):
        name = shown.replace("\\", "/").rsplit("/", 1)[-1]
        return any(name.lower().endswith(suffix) for suffix in DOCUMENT_SUFFIXES)
    return True


def is_safe_href(url: str) -> bool:
    """Allow http, https, mailto and same-site relative links; nothing else."""
    scheme = link_scheme(url)
    return scheme is None or scheme in SAFE_SCHEMES


class CalloutProcessor(BlockProcessor):
    """Turn `> [!NOTE]` blockquotes into `<aside class="callout callout-note">`."""

    START = re.compile(
        r"^[ ]{0,3}>[ ]?\[!(" + "|".join(CALLOUT_TITLES) + r")\][ \t]*(.*)$", re.IGNORECASE
    )
    QUOTE_PREFIX = re.compile(r"^[ ]{0,3}>[ ]?")

    def test(self, parent: etree.Element, block: str) -> bool:
        """Claim a block whose first line is an alert marker."""
        return bool(self.START.match(block.split("\n", 1)[0]))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        """Build the aside with its Vietnamese title, then parse the quoted body inside it."""
        first, _, rest = blocks.pop(0).partition("\n")
        match = self.START.match(first)
        assert match is not None
        kind = match.group(1).lower()
        aside = etree.SubElement(parent, "aside", {"class": f"callout callout-{kind}"})
        title = etree.SubElement(aside, "p", {"class": "callout-title"})
        title.text = CALLOUT_TITLES[kind]
        body = [self.QUOTE_PREFIX.sub("", line) for line in rest.split("\n")] if rest else []
        if match.group(2):
            body.insert(0, match.group(2))
        self.parser.parseChunk(aside, "\n".join(body))


ResolveFile = Callable[[str], tuple[str, str] | None]


class SafetyTreeprocessor(Treeprocessor):
    """Demote headings, resolve images and files (or drop them), refuse unsafe links."""

    def __init__(
        self, md: Markdown, resolve_image: Callable[[str], str | None], report: RenderReport
    ) -> None:
        super().__init__(md)
        self.resolve_image = resolve_image
        self.resolve_file: ResolveFile | None = None
        self.report = report

    def run(self, root: etree.Element) -> None:
        """Walk the finished tree once, after escapes are restored."""
        self._demote_headings(root)
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "img":
                    self._image(parent, child)
                elif child.tag == "a":
                    self._link(child)

    @staticmethod
    def _demote_headings(root: etree.Element) -> None:
        """Shift headings down one level when `#` is used: the page owns the only h1."""
        if root.find(".//h1") is None:
            return
        for level in range(6, 0, -1):
            for heading in root.iter(f"h{level}"):
                heading.tag = f"h{min(level + 1, 6)}"

    def _image(self, parent: etree.Element, img: etree.Element) -> None:
        """Ask the caller for the image URL; drop the image when there is none."""
        src = img.get("src", "")
        self.report.images.append((src, img.get("alt", "")))
        url = self.resolve_image(src)
        if url is None:
            _remove_keeping_tail(parent, img)
            return
        img.set("src", url)
        img.set("loading", "lazy")

    def _link(self, link: etree.Element) -> None:
        """Remove dangerous targets and add rel to links that leave the site."""
        href = link.get("href")
        if href is None:
            return
        if self.resolve_file is not None and is_file_link(href):
            self._file(link, href, self.resolve_file)
        elif not is_safe_href(href):
            self.report.unsafe_links.append(href)
            del link.attrib["href"]
        elif link_scheme(href) in ("http", "https"):
            link.set("rel", EXTERNAL_REL)

    @staticmethod
    def _file(link: etree.Element, href: str, resolve_file: ResolveFile) -> None:
        """Point a file link at its published URL and say its type and size after its text."""
        resolved = resolve_file(href)
        if resolved is None:
            del link.attrib["href"]
            return
        url, label = resolved
        link.set("href", url)
        if len(link):
            last = link[-1]
            last.tail = f"{last.tail or ''} ({label})"
        else:
            link.text = f"{link.text or ''} ({label})"


def _remove_keeping_tail(parent: etree.Element, child: etree.Element) -> None:
    """Remove `child` without losing the text that follows it."""
    if child.tail:
        index = list(parent).index(child)
        if index > 0:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


# Link text and targets longer than this are left as plain text. Python-Markdown scans to
# the end of the paragraph for every unmatched `[` or `(`; the window keeps that linear.
LINK_SCAN_WINDOW = 600
_LINK_PATTERNS = (
    "link",
    "image_link",
    "reference",
    "image_reference",
    "short_reference",
    "short_image_ref",
)


def _bounded(scan: Callable[[str, int], tuple]) -> Callable[[str, int], tuple]:
    """Wrap a bracket scanner so it never looks further than LINK_SCAN_WINDOW characters."""

    def bounded_scan(data: str, index: int) -> tuple:
        return scan(data[: index + LINK_SCAN_WINDOW], index)

    return bounded_scan


def _bound_link_scans(md: Markdown) -> None:
    """Limit how far every link-like inline pattern searches for its closing bracket."""
    for name in _LINK_PATTERNS:
        if name not in md.inlinePatterns:
            continue
        processor = md.inlinePatterns[name]
        for method in ("getText", "getLink"):
            if hasattr(processor, method):
                setattr(processor, method, _bounded(getattr(processor, method)))


class SafeMarkdownExtension(Extension):
    """Register the call-outs and the safety pass, and switch raw HTML off."""

    def __init__(self, resolve_image: Callable[[str], str | None], report: RenderReport) -> None:
        super().__init__()
        self.resolve_image = resolve_image
        self.report = report

    def extendMarkdown(self, md: Markdown) -> None:
        """Raw HTML becomes visible text; the sanitiser still checks the result."""
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        _bound_link_scans(md)
        parser: BlockParser = md.parser
        parser.blockprocessors.register(CalloutProcessor(parser), "callout", 21)
        md.treeprocessors.register(
            SafetyTreeprocessor(md, self.resolve_image, self.report), "elearn_safety", -10
        )
