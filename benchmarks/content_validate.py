"""Benchmark: CPU time to validate hostile lessons at the size limit, and the shipped courses.

    .venv/bin/python benchmarks/content_validate.py [--repeat 5]

Every validator step is linear in its input; this shows what that means for the worst files an
author (or an attacker with an author's account) can write: each pattern fills one lesson up
to the 100 KB limit. CPU time, not wall time, so a busy machine does not distort the figures.
Target: every file under 2 s.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from elearn.content.framework import FRAMEWORK_FILE, default_text
from elearn.content.loader import load_collection
from elearn.content.sourcefile import MAX_SOURCE_BYTES

SHIPPED = Path(__file__).resolve().parents[1] / "courses"
HEAD = "---\nid: bai\ntitle: Bài\n---\n\n"
PATTERNS = {
    "paragraphs": "a" * 98 + "\n\n",
    "unclosed fences": "```a\n" * 199 + "\n",
    "closed fences": "```\nx\n```\n\n",
    "list items": "- a\n" * 200 + "\n",
    "nested lists": "- a\n    - b\n        - c\n" * 66 + "\n",
    "table rows": "| a | b |\n|---|---|\n" + "| c | d |\n" * 198 + "\n",
    "emphasis": "*a* _b_ **c** " * 1300 + "\n\n",
    "code spans": "`a` " * 4500 + "\n\n",
    "line breaks": "a  \n" * 200 + "\n",
    "rules": "***\n" * 200 + "\n",
    "setext headings": "a\n=\n" * 100 + "\n",
    "headings": "# a\n" * 200 + "\n",
    "control characters": "Dòng\x0c có ký tự lạ.\n" * 200 + "\n",
    "tone marks": "hóa hoá " * 1200 + "\n\n",
}


def cpu_seconds(root: Path, repeat: int) -> list[float]:
    """Validate the collection `repeat` times; return each run's CPU time."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        load_collection(root)
        times.append(time.process_time() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "courses"
        (root / "khoa").mkdir(parents=True)
        (root / FRAMEWORK_FILE).write_text(default_text(), encoding="utf-8")
        (root / "khoa" / "course.md").write_text("---\nid: khoa\ntitle: K\n---\n", "utf-8")
        for name, unit in PATTERNS.items():
            count = (MAX_SOURCE_BYTES - 200 - len(HEAD)) // len(unit.encode())
            body = HEAD + unit * count
            (root / "khoa" / "01-bai.md").write_text(body, encoding="utf-8")
            times = cpu_seconds(root, args.repeat)
            print(
                f"{name:<20} {len(body.encode()) // 1024:>4} KB   CPU median "
                f"{statistics.median(times):5.2f} s  (min {min(times):.2f}, max {max(times):.2f})"
            )
    times = cpu_seconds(SHIPPED, args.repeat)
    print(
        f"{'shipped courses':<20} {'':>7}   CPU median {statistics.median(times):5.2f} s  "
        f"(min {min(times):.2f}, max {max(times):.2f})"
    )


if __name__ == "__main__":
    main()
