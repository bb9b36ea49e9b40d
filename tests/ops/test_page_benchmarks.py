"""The page benchmarks run by hand; here only that they import and their site builds."""

from __future__ import annotations

import brotli

from benchmarks import compression, lesson_page, pages_3g, sample_site
from elearn import create_app


def test_the_benchmark_site_serves_every_measured_page(tmp_path):
    url = f"sqlite:///{tmp_path / 'bench.sqlite'}"
    site = sample_site.build(url, officials=5)
    assert set(site.pages) == set(pages_3g.TARGETS) - {"floor"}
    app = create_app({"ENV": "development", "DATABASE_URL": url, "SECRET_KEY": sample_site.SECRET})
    for name, (path, cookie) in site.pages.items():
        client = app.test_client()
        if cookie:
            client.set_cookie("session", cookie.split("=", 1)[1])
        page = client.get(path)
        assert page.status_code == 200, name
        assert name != "sign-in" or 'action="/login"' in page.text


def test_the_compression_levels_and_figures_are_computed_as_served():
    body = "Mật khẩu mạnh có ít nhất mười hai ký tự. ".encode() * 50
    assert brotli.decompress(compression.compress("br", 2, body)) == body
    assert lesson_page.spread([3.0, 1.0, 2.0], "{:.1f}") == "2.0 (1.0–3.0)"
