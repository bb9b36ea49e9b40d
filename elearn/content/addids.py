"""Write missing question ids into quiz files, changing nothing else, byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

from elearn.content.frontmatter import split_front_matter
from elearn.content.quiz_parser import heading_indexes, split_heading
from elearn.content.sourcefile import decode_source, looks_like_utf16
from elearn.content.vntext import nfc, slugify

_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")


def _existing_ids(lines: list[str], headings: list[int]) -> set[str]:
    """Collect the ids already written, so new ones never collide with them."""
    ids: set[str] = set()
    for index in headings:
        _, attrs = split_heading(lines[index])
        ids.update(token[1:] for token in (attrs or "").split() if token.startswith("#"))
    return ids


def _unique(base: str, used: set[str]) -> str:
    """Append -2, -3, … until the id is unused in this file."""
    candidate, n = base, 2
    while candidate in used:
        candidate = f"{base}-{n}"
        n += 1
    used.add(candidate)
    return candidate


def add_missing_question_ids(text: str) -> tuple[str, int]:
    """Give every question heading of a quiz an id made from its text; return the count.

    Only files whose front matter says `type: quiz` are touched. The BOM, line endings
    and every other character stay exactly as they were.
    """
    pieces = _LINE_BREAK.split(text)
    originals = pieces[0::2]
    lines = [nfc(line) for line in originals]
    if lines:
        lines[0] = lines[0].removeprefix("\ufeff")
    fm, _ = split_front_matter(tuple(lines), "")
    if fm is None or (fm.raw("type") or "").strip().lower() != "quiz":
        return text, 0
    headings = heading_indexes(lines, fm.body_index)
    used = _existing_ids(lines, headings)
    added = 0
    for index in headings:
        heading, attrs = split_heading(lines[index])
        if attrs is not None and any(t.startswith("#") for t in attrs.split()):
            continue
        new_id = _unique(slugify(heading) or "cau-hoi", used)
        original = originals[index]
        if attrs is not None:
            brace = original.rfind("{") + 1
            spacer = " " if attrs.strip() else ""
            originals[index] = f"{original[:brace]}#{new_id}{spacer}{original[brace:]}"
        else:
            end = len(original.rstrip(" \t"))
            originals[index] = f"{original[:end]} {{#{new_id}}}{original[end:]}"
        added += 1
    if not added:
        return text, 0
    pieces[0::2] = originals
    return "".join(pieces), added


def add_ids_in_file(path: Path) -> int:
    """Rewrite one file in place when ids were added; unreadable files are left alone."""
    data = path.read_bytes()
    if looks_like_utf16(data):
        return 0
    text, _ = decode_source(data, "")
    if text is None:
        return 0
    original = data.decode("utf-8")  # keeps the BOM character, so it is written back
    updated, count = add_missing_question_ids(original)
    if count:
        path.write_bytes(updated.encode("utf-8"))
    return count


def add_ids_in_folder(root: Path) -> list[tuple[str, int]]:
    """Add ids in every quiz of a collection (or of one course folder); list what changed."""
    root = Path(root)
    real_root = root.resolve()
    base = root.parent if (root / "course.md").is_file() else root
    changed: list[tuple[str, int]] = []
    for path in sorted([*root.glob("*.md"), *root.glob("*/*.md")]):
        if path.name.lower() == "course.md" or path.is_symlink() or not path.is_file():
            continue
        if not path.resolve().is_relative_to(real_root):
            continue
        count = add_ids_in_file(path)
        if count:
            changed.append((path.relative_to(base).as_posix(), count))
    return changed
