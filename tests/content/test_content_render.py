"""Markdown rendering: call-outs, headings, links, images, limits, and no live author HTML."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from elearn.content.mdext import link_scheme
from elearn.content.render import (
    MAX_BLOCK_CHARS,
    MAX_BRACKETS,
    MarkdownTooComplex,
    RenderReport,
    render_inline,
    render_markdown,
    sanitise_html,
)
from tests.content.contentkit import Collection


def resolve(src: str) -> str | None:
    return None if src.startswith("bad") else f"/media/k/{src}"


def render(text: str) -> str:
    return render_markdown(text, resolve_image=resolve)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def live_elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    collector = _Collector()
    collector.feed(html)
    return collector.tags


XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<iframe src='https://evil.example'></iframe>",
    "<svg onload=alert(1)><circle/></svg>",
    "<a href='javascript:alert(1)'>x</a>",
    "<div style='background:url(javascript:alert(1))' onclick='alert(1)'>x</div>",
    "<p style='color:red'>đỏ</p>",
    "<<script>script>alert(1)<</script>/script>",
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
    "<object data='x.swf'></object><embed src='x.swf'>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;&#x61;&#x76;&#x61;script:alert(1))",
    "[x](java&NewLine;script:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](DATA:text/html,<script>alert(1)</script>)",
    "[x](//evil.example/phish)",
    "[x][r]\n\n[r]: javascript:alert(1)",
    '[x](https://ok.example "t\\" onmouseover=alert(1) x=\\"")',
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "> [!NOTE]\n> <script>alert(1)</script>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "<!-- <script>alert(1)</script> -->",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<https://ok.example/" onmouseover="alert(1)>',
]
FORBIDDEN_TAGS = {"script", "iframe", "svg", "math", "style", "object", "embed", "form", "input"}


@pytest.mark.parametrize("source", XSS)
def test_author_html_never_becomes_live(source: str) -> None:
    html = render(source)
    for tag, attrs in live_elements(html):
        assert tag not in FORBIDDEN_TAGS
        for name, value in attrs:
            assert not name.startswith("on"), html
            assert name not in ("style", "srcdoc", "formaction"), html
            if name in ("href", "src"):
                assert link_scheme(value or "") in (None, "http", "https", "mailto"), html


@pytest.mark.parametrize("source", XSS)
def test_sanitiser_alone_also_refuses_raw_html(source: str) -> None:
    html = sanitise_html(source)
    for tag, attrs in live_elements(html):
        assert tag not in FORBIDDEN_TAGS
        assert all(not name.startswith("on") and name != "style" for name, _ in attrs)


def test_raw_html_is_shown_as_text() -> None:
    assert render("<b>đậm</b> và <script>x</script>") == (
        "<p>&lt;b&gt;đậm&lt;/b&gt; và &lt;script&gt;x&lt;/script&gt;</p>"
    )


def test_sanitiser_limits_classes_to_callouts() -> None:
    html = sanitise_html('<aside class="callout evil callout-tip"><p class="x">a</p></aside>')
    assert html == '<aside class="callout callout-tip"><p class="">a</p></aside>'


@pytest.mark.parametrize(
    ("marker", "kind", "title"),
    [
        ("NOTE", "note", "Lưu ý"),
        ("TIP", "tip", "Mẹo"),
        ("IMPORTANT", "important", "Quan trọng"),
        ("WARNING", "warning", "Cảnh báo"),
        ("CAUTION", "caution", "Thận trọng"),
        ("warning", "warning", "Cảnh báo"),
    ],
)
def test_callouts(marker: str, kind: str, title: str) -> None:
    html = render(f"> [!{marker}]\n> Không cung cấp **mã OTP**.\n>\n> Đoạn hai.")
    assert html == (
        f'<aside class="callout callout-{kind}">\n<p class="callout-title">{title}</p>\n'
        "<p>Không cung cấp <strong>mã OTP</strong>.</p>\n<p>Đoạn hai.</p>\n</aside>"
    )


def test_callout_text_on_marker_line() -> None:
    assert render("> [!TIP] Dùng cụm từ dài.") == (
        '<aside class="callout callout-tip">\n<p class="callout-title">Mẹo</p>\n'
        "<p>Dùng cụm từ dài.</p>\n</aside>"
    )


def test_unknown_alert_stays_a_blockquote() -> None:
    assert render("> [!INFO]\n> x") == "<blockquote>\n<p>[!INFO]\nx</p>\n</blockquote>"


def test_h1_headings_are_demoted() -> None:
    assert render("# Một\n\n## Hai\n\n###### Sáu") == "<h2>Một</h2>\n<h3>Hai</h3>\n<h6>Sáu</h6>"
    assert render("## Hai") == "<h2>Hai</h2>"


def test_links() -> None:
    html = render("[a](https://dichvucong.gov.vn) [b](/khoa-hoc) [c](mailto:hotro@xa.gov.vn)")
    assert html == (
        '<p><a href="https://dichvucong.gov.vn" rel="noopener noreferrer">a</a> '
        '<a href="/khoa-hoc">b</a> <a href="mailto:hotro@xa.gov.vn">c</a></p>'
    )


def test_images_resolved_lazy_or_dropped() -> None:
    report = RenderReport()
    html = render_markdown(
        'Trước ![Ảnh](images/a.png "Chú thích") giữa ![](bad.png) sau',
        resolve_image=resolve,
        report=report,
    )
    assert html == (
        '<p>Trước <img alt="Ảnh" loading="lazy" src="/media/k/images/a.png" title="Chú thích">'
        " giữa  sau</p>"
    )
    assert report.images == [("images/a.png", "Ảnh"), ("bad.png", "")]


def test_tables_lists_code() -> None:
    assert render("| a | b |\n|:--|--:|\n| 1 | 2 |") == (
        '<table>\n<thead>\n<tr>\n<th align="left">a</th>\n<th align="right">b</th>\n</tr>\n'
        '</thead>\n<tbody>\n<tr>\n<td align="left">1</td>\n<td align="right">2</td>\n</tr>\n'
        "</tbody>\n</table>"
    )
    assert render("3. ba\n4. bốn") == '<ol start="3">\n<li>ba</li>\n<li>bốn</li>\n</ol>'
    assert render("```\n<b>x</b>\n```") == "<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>"


def test_inline_rendering_keeps_list_markers_as_text() -> None:
    assert render_inline("1. Đọc **mã**", resolve_image=resolve) == "1. Đọc <strong>mã</strong>"
    assert render_inline("- gạch", resolve_image=resolve) == "- gạch"


def test_deep_blockquote_nesting_is_refused() -> None:
    with pytest.raises(MarkdownTooComplex) as caught:
        render("Mở đầu\n\n" + ">" * 10_000 + " x")
    assert (caught.value.kind, caught.value.line, caught.value.amount) == ("nesting", 3, 10_000)


def test_deep_list_nesting_is_refused() -> None:
    text = "\n".join("    " * level + "- mục" for level in range(40))
    with pytest.raises(MarkdownTooComplex) as caught:
        render(text)
    assert (caught.value.kind, caught.value.line, caught.value.amount) == ("nesting", 13, 13)


def test_nesting_inside_code_fences_is_fine() -> None:
    assert render("```\n" + ">" * 100 + "\n```").startswith("<pre><code>&gt;&gt;")


def test_unclosed_fence_does_not_hide_nesting() -> None:
    with pytest.raises(MarkdownTooComplex):
        render("```\n" + ">" * 100)


def test_too_many_brackets_is_refused() -> None:
    with pytest.raises(MarkdownTooComplex) as caught:
        render("[" * (MAX_BRACKETS + 1))
    assert caught.value.kind == "brackets"


def test_very_long_paragraph_is_refused() -> None:
    with pytest.raises(MarkdownTooComplex) as caught:
        render("ngắn\n\n" + "chữ " * (MAX_BLOCK_CHARS // 4 + 1))
    assert (caught.value.kind, caught.value.line) == ("block", 3)


def test_limits_are_reported_with_lines(collection: Collection) -> None:
    lesson = "---\nid: bai\ntitle: Bài\n---\n\nMở đầu\n\n" + ">" * 10_000 + " x\n"
    collection.course(**{"01-bai": lesson})
    assert collection.messages() == [
        "khoa/01-bai.md:8: lỗi: nội dung lồng nhau quá sâu (10000 tầng, tối đa 12); hãy bớt các "
        "dấu > hoặc bớt các mức thụt đầu dòng của danh sách"
    ]


def test_bracket_limit_is_reported(collection: Collection) -> None:
    lesson = "---\nid: bai\ntitle: Bài\n---\n\n" + "[" * 1501 + "\n"
    collection.course(**{"01-bai": lesson})
    assert collection.messages() == [
        "khoa/01-bai.md:6: lỗi: có quá nhiều dấu [ (1501, tối đa 1500); hãy chia nội dung thành "
        "nhiều bài nhỏ hơn"
    ]


def test_block_limit_is_reported(collection: Collection) -> None:
    lesson = "---\nid: bai\ntitle: Bài\n---\n\n" + "a" * 20_000 + "\n"
    collection.course(**{"01-bai": lesson})
    assert collection.messages() == [
        "khoa/01-bai.md:6: lỗi: đoạn văn bắt đầu từ dòng này quá dài (20001 ký tự, tối đa "
        "20000); hãy tách thành nhiều đoạn bằng một dòng trống"
    ]


@pytest.mark.parametrize(
    ("link", "line"),
    [("[x](javascript:alert(1))", 7), ("[bấm](data:text/html,abc)", 7)],
)
def test_unsafe_links_are_errors(collection: Collection, link: str, line: int) -> None:
    href = link[link.index("(") + 1 : -1]
    collection.course(**{"01-bai": f"---\nid: bai\ntitle: Bài\n---\n\nMở đầu\n{link}\n"})
    assert collection.messages() == [
        f"khoa/01-bai.md:{line}: lỗi: liên kết `{href}` không được phép; chỉ dùng liên kết bắt "
        "đầu bằng https://, http:// hoặc mailto:, hoặc đường dẫn trong trang"
    ]
