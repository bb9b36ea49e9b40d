"""Hostile or broken course files: control characters, and input that once took minutes.

Timed checks count the CPU time of this process (so a busy shared machine does not fail them)
and stop the work when it runs out, so code that regresses to quadratic fails in 2 s rather
than hanging the suite for minutes.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from markdown import Markdown
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension

from elearn.content.fences import fence_spans
from elearn.content.mdext import RenderReport, SafeMarkdownExtension
from elearn.content.quiz_parser import parse_quiz
from elearn.content.render import (
    MAX_BLOCK_LINES,
    MAX_BLOCKS,
    MarkdownTooComplex,
    check_complexity,
    render_markdown,
    sanitise_html,
)
from elearn.content.sourcefile import MAX_SOURCE_BYTES, control_characters, normalise_source
from elearn.content.tones import mixed_style_warnings
from tests.content.contentkit import LESSON, Collection

SHIPPED = Path(__file__).resolve().parents[2] / "courses"
HEAD = "---\nid: bai\ntitle: Bài\n---\n\n"


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail the test if the block uses more than `seconds` of CPU (and stop it there)."""

    def expired(_signum, _frame):
        raise TimeoutError(f"took more than {seconds} s of CPU time")

    previous = signal.signal(signal.SIGPROF, expired)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def fill(unit: str, size: int) -> str:
    """A lesson body repeating `unit` up to about `size` bytes in all."""
    return HEAD + unit * ((size - len(HEAD.encode())) // len(unit.encode()))


# Control characters


def test_nul_byte_is_refused_with_its_line_and_column(collection: Collection) -> None:
    collection.course(**{"01-bai": LESSON.replace("Nội dung bài một.", "Nội dung\x00 bài một.")})
    result = collection.load()
    assert [str(p) for p in result.problems] == [
        "khoa/01-bai.md:6: lỗi: dòng có ký tự điều khiển U+0000 ở cột 9 (thường do chép từ Word, "
        "PDF hoặc một tệp hỏng); hãy xoá ký tự này: mở tệp bằng Notepad++, chọn Xem > Hiện ký "
        "hiệu > Hiện mọi ký tự (View > Show Symbol > Show All Characters) rồi xoá ký tự lạ trên "
        "dòng"
    ]
    assert result.courses == ()


@pytest.mark.parametrize("char", ["\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f"])
def test_every_c0_control_but_tab_and_line_ends_is_refused(
    collection: Collection, char: str
) -> None:
    collection.course(**{"01-bai": LESSON + f"Dòng có {char} ở giữa.\n"})
    (message,) = collection.messages()
    assert message.startswith(f"khoa/01-bai.md:7: lỗi: dòng có ký tự điều khiển U+{ord(char):04X}")


def test_tab_and_crlf_are_text(collection: Collection) -> None:
    lesson = LESSON.replace("Nội dung bài một.", "Cột\tcột.\r\nDòng hai.\rDòng ba.")
    collection.course(**{"01-bai": lesson})
    assert collection.messages() == []


def test_control_characters_in_course_md_and_framework_file(collection: Collection) -> None:
    collection.course(course_md="---\nid: khoa-hoc\ntitle: Khoá\x07 học\n---\n")
    framework = collection.root / "khung-nang-luc.md"
    framework.write_text(framework.read_text("utf-8") + "Ghi chú\x00\n", encoding="utf-8")
    lines = [m.split(": lỗi")[0] for m in collection.messages() if "lỗi" in m]
    assert lines == ["khoa/course.md:3", "khung-nang-luc.md:9"]


def test_one_report_per_line_and_at_most_ten_lines(collection: Collection) -> None:
    body = "".join(f"Dòng {n}: \x00\x00 và \x01\n" for n in range(1, 16))
    collection.course(**{"01-bai": HEAD + body})
    messages = collection.messages()
    assert [m.split(": ")[0] for m in messages] == [f"khoa/01-bai.md:{n}" for n in range(6, 16)] + [
        "khoa/01-bai.md:20"
    ]
    assert messages[-1].endswith(
        "còn 5 dòng khác có ký tự điều khiển; hãy xoá chúng như ở các dòng trên"
    )


def test_control_character_scan_is_linear_on_5_mb() -> None:
    text = normalise_source(("x" * 1000 + "\x00" * 1000 + "\n") * 2600)
    with within(2):
        problems = control_characters(text, "a.md")
    assert len(problems) == 11 and problems[0].line == 1


def test_nul_byte_never_reaches_the_database(runner, tmp_path: Path) -> None:
    """A NUL used to pass validation and then break the PostgreSQL sync with a traceback."""
    collection = Collection(tmp_path / "courses")
    collection.course(**{"01-bai": LESSON.replace("một.", "m\x00t.")})
    result = runner.invoke(args=["courses", "sync", str(collection.root)])
    assert result.exit_code == 1
    assert "khoa/01-bai.md:6: lỗi: dòng có ký tự điều khiển U+0000" in result.output
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit


# Linear time


def test_largest_lesson_of_unclosed_fences_validates_in_under_2_s(collection: Collection) -> None:
    """Each unclosed fence was scanned to the end of the file: 100 KB took over a minute."""
    collection.course(**{"01-bai": fill("```a\n" * 199 + "\n", MAX_SOURCE_BYTES - 100)})
    with within(2):
        result = collection.load()
    assert result.ok


def test_5_mb_lesson_with_an_unclosed_fence_validates_in_under_2_s(collection: Collection) -> None:
    collection.course(**{"01-bai": HEAD + "```\n" + "dong ma\n" * 650_000})
    with within(2):
        (message,) = collection.messages()
    assert message.startswith("khoa/01-bai.md:1: lỗi: tệp quá lớn (5079 KB), giới hạn là 100 KB")


def test_scans_of_raw_text_take_under_2_s_on_5_mb_of_unclosed_fences() -> None:
    """Fences, structure and control characters are scanned in one pass, whatever the size."""
    lines = ("```a", "## Câu hỏi? {#cau}", "- [x] Đúng", "~~~b", "Đoạn văn.", "") * 100_000
    text = "\n".join(lines)
    assert len(text.encode()) > 5_000_000
    with within(2):
        assert fence_spans(lines) == []
        with pytest.raises(MarkdownTooComplex):
            check_complexity(text)
        assert control_characters(normalise_source(text), "k.md") == []


def test_quiz_and_spelling_scans_grow_linearly_up_to_ten_times_the_size_limit() -> None:
    """Four times the questions take about four times the CPU (a quadratic scan would take
    sixteen): a ratio, so a busy machine does not make it fail."""

    def scan(copies: int) -> float:
        lines = ("```a", "## Câu hỏi? {#cau}", "- [x] Đúng", "~~~b", "hóa hoá khỏe", "") * copies
        started = time.process_time()
        with within(20):
            raw, _ = parse_quiz(lines, 0, "k.md")
            warnings = mixed_style_warnings([("k.md", lines)])
        assert len(raw.questions) == copies and len(warnings) == copies
        return time.process_time() - started

    large_lines = ("```a", "## Câu hỏi? {#cau}", "- [x] Đúng", "~~~b", "hóa hoá khỏe", "") * 20_000
    assert len("\n".join(large_lines).encode()) > 10 * MAX_SOURCE_BYTES
    small, large = scan(5_000), scan(20_000)
    assert large < 8 * small, f"{small:.2f} s for 5,000 questions, {large:.2f} s for 20,000"


@pytest.mark.parametrize(
    "unit",
    [
        "```a\n\n",  # unclosed fences
        "```\n```\n\n",  # many tiny closed fences
        "# a\n" * 200 + "\n",  # headings split off one line at a time
        "***\n" * 200 + "\n",  # rules, likewise
        "| a | b |\n" * 200 + "\n",  # "is this a table?" asked of every remainder
    ],
)
def test_hostile_lessons_at_the_size_limit_validate_in_under_2_s(
    collection: Collection, unit: str
) -> None:
    collection.course(**{"01-bai": fill(unit, MAX_SOURCE_BYTES - 100)})
    with within(2):
        collection.load()


def test_too_many_blocks_is_refused_with_its_line(collection: Collection) -> None:
    collection.course(**{"01-bai": HEAD + "Đoạn.\n\n" * (MAX_BLOCKS + 1)})
    assert collection.messages() == [
        f"khoa/01-bai.md:{6 + 2 * MAX_BLOCKS}: lỗi: tệp có quá nhiều đoạn ({MAX_BLOCKS + 1} đoạn "
        f"tính đến dòng này, tối đa {MAX_BLOCKS}); một bài học nên đọc xong trong vài phút: hãy "
        "chia nội dung thành nhiều bài ngắn hơn"
    ]


def test_too_many_lines_in_one_block_is_refused_with_its_first_line(
    collection: Collection,
) -> None:
    collection.course(**{"01-bai": HEAD + "Mở đầu.\n\n" + "# Tiêu đề\n" * (MAX_BLOCK_LINES + 1)})
    assert collection.messages() == [
        f"khoa/01-bai.md:8: lỗi: đoạn bắt đầu từ dòng này có quá nhiều dòng liền nhau "
        f"({MAX_BLOCK_LINES + 1} dòng, tối đa {MAX_BLOCK_LINES}); hãy tách thành nhiều đoạn bằng "
        "một dòng trống, hoặc chia bảng dài thành nhiều bảng"
    ]


# The one-pass fence and table scans render exactly what Python-Markdown's own do


def upstream(text: str) -> str:
    """Render as before the one-pass scans: the same pipeline with Python-Markdown's own."""
    md = Markdown(
        extensions=[
            TableExtension(use_align_attribute=True),
            FencedCodeExtension(),
            SaneListExtension(),
            SafeMarkdownExtension(lambda src: src, RenderReport()),
        ],
        output_format="html",
    )
    return sanitise_html(md.convert(text))


EDGE_CASES = [
    "```\ncode\n```",
    "```python\nx = 1\n```\n\nAfter.",
    "~~~\ncode\n~~~~\nstill code\n~~~",
    "````\n```\nnested\n```\n````",
    "```\nnever closed\n\nparagraph",
    "```a\n```b\n```\n```",
    "Text\n```\ncode right after text\n```",
    "```\n```",
    "``` { .python }\ncode\n```",
    "| a | b |\n|---|:-:|\n| 1 | 2 |",
    "| a |\n|---|\n| 1 |",
    "| a |\n| b |\nnot a row",
    "a | b\n--|--\n1 | 2",
    "# h\n| a | b |\n|---|---|\n| 1 | 2 |",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_same_html_as_python_markdown_on_edge_cases(text: str) -> None:
    assert render_markdown(text, resolve_image=lambda src: None) == upstream(text)


def test_same_html_as_python_markdown_on_every_shipped_lesson() -> None:
    for path in sorted(SHIPPED.glob("*/*.md")):
        body = path.read_text("utf-8").split("\n---\n", 1)[-1]
        mine = render_markdown(body, resolve_image=lambda src: src)
        assert mine == upstream(body), path
