"""What a sync did, in words the CLI and the authors' page share (no Markdown imported)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SyncReport:
    """What a sync did to each course and item (`course` or `course/item` ids), and to the
    framework's domains (`{"added": [...], "updated": [...], "retired": [...]}`)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    domains: dict[str, list[str]] = field(default_factory=dict)


def courses_and_items(labels: list[str]) -> tuple[int, int]:
    """Count a report list in two units: courses (`course`) and items (`course/item`)."""
    items = sum("/" in label for label in labels)
    return len(labels) - items, items
