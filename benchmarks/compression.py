"""Benchmark: bytes and CPU time of brotli and gzip at each level on the app's own pages.

    .venv/bin/python -m benchmarks.compression [--repeat 300]

Prints, for the sign-in, home, lesson, quiz and dashboard pages and the stylesheet, the size
each level gives and the median time to compress it once (one core). On a 50 KB/s link one
kilobyte costs the reader 20 ms; a millisecond of worker CPU costs the server a page's share
of its capacity. The chosen levels are in elearn/config.py with these figures.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import tempfile
import time
from pathlib import Path

import brotli

from benchmarks import sample_site
from elearn import create_app
from elearn.paths import PROJECT_DIR

LEVELS = [("br", q) for q in (0, 1, 2, 3, 4, 5, 6, 11)] + [("gzip", q) for q in (1, 4, 6, 9)]


def compress(algorithm: str, level: int, data: bytes) -> bytes:
    """Compress as Flask-Compress does (brotli in text mode, its default window)."""
    if algorithm == "br":
        return brotli.compress(data, mode=brotli.MODE_TEXT, quality=level)
    return gzip.compress(data, level)


def bodies(url: str) -> dict[str, bytes]:
    """The pages' HTML as served before compression, and the stylesheet."""
    site = sample_site.build(url, officials=50)
    app = create_app({"ENV": "development", "DATABASE_URL": url, "SECRET_KEY": sample_site.SECRET})
    found = {}
    for name, (path, cookie) in site.pages.items():
        client = app.test_client()
        if cookie:
            client.set_cookie("session", cookie.split("=", 1)[1])
        found[name] = client.get(path, headers={"Accept-Encoding": "identity"}).get_data()
    found["style.css"] = (PROJECT_DIR / "elearn" / "static" / "style.css").read_bytes()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pages = bodies(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
    print("size in bytes / median time in ms per compression")
    print(f"{'level':<8}" + "".join(f"{name:>20}" for name in pages))
    print(f"{'none':<8}" + "".join(f"{len(body):>20}" for body in pages.values()))
    for algorithm, level in LEVELS:
        cells = []
        for body in pages.values():
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                size = len(compress(algorithm, level, body))
                times.append(time.perf_counter() - started)
            cells.append(f"{size:>8} / {statistics.median(times) * 1000:6.3f} ms")
        print(f"{algorithm + ' ' + str(level):<8}" + "".join(f"{c:>20}" for c in cells))


if __name__ == "__main__":
    main()
