"""Benchmark: time until the text shows, and bytes sent, over a slow 3G link in Chromium.

    .venv/bin/python -m benchmarks.pages_3g [--rounds 3] [--database-url URL]

The app runs under gunicorn (2 workers) on a new SQLite database (or a throwaway PostgreSQL
database on the server of URL) with the shipped courses; Debian's Chromium opens, at a phone's
360×740 viewport through Chromium's network emulation (300 ms latency, 50,000 bytes/s down
and up), the sign-in page (signed out), an official's home, lesson and quiz pages and a
province manager's dashboard: cold (a new browser profile: empty cache) and warm (the same
page again: the stylesheet and icon from cache, the page itself is never cached). "Text
visible" is the first contentful paint; the bytes are what crossed the wire (compressed).
Service workers are blocked: the offline worker a lesson page installs would otherwise answer
the warm visit and hide its bytes from the page's network events. The "floor" row is one
sentence of HTML from a bare Flask app: what the emulated link and this machine allow at best.
Prints the median (min–max) of the rounds, pages interleaved, and whether each target is met.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from benchmarks import lesson_page, sample_site
from benchmarks.lesson_page import cpu_model, spread
from benchmarks.load import database, free_port, serve, stop
from elearn.paths import PROJECT_DIR

CHROMIUM = "/usr/bin/chromium"
# Chromium's own background traffic has nowhere to go on a closed network: switch it off
# (the browser tests launch it the same way).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SLOW_3G = {
    "offline": False,
    "latency": 300,  # ms, added to every request
    "downloadThroughput": 50_000,  # bytes per second (400 kbit/s)
    "uploadThroughput": 50_000,
}
# Text visible within (ms): cold, warm; None: no target.
TARGETS = {
    "floor": (None, None),  # one sentence of HTML from a bare Flask app: what the link allows
    "sign-in": (450, 350),
    "home": (450, 350),
    "lesson": (450, 350),
    "quiz": (450, 350),
    "dashboard": (600, None),
}
FIRST_PAINT = """() => new Promise(resolve => {
  const check = () => {
    const entry = performance.getEntriesByName('first-contentful-paint')[0];
    entry ? resolve(entry.startTime) : setTimeout(check, 10);
  };
  check();
})"""


def visit(page, cdp, url: str) -> tuple[float, int]:
    """Open `url`; return the first contentful paint (ms) and the bytes received."""
    received: dict[str, int] = {}
    listener = lambda event: received.__setitem__(  # noqa: E731
        event["requestId"], int(event["encodedDataLength"])
    )
    cdp.on("Network.loadingFinished", listener)
    answer = page.goto(url, wait_until="load")
    assert answer is not None and answer.status == 200, f"{url}: {answer and answer.status}"
    paint = page.evaluate(FIRST_PAINT)
    page.wait_for_timeout(200)  # the icon, fetched after the load event
    cdp.remove_listener("Network.loadingFinished", listener)
    return float(paint), sum(received.values())


def measure(browser, base: str, path: str, cookie: str | None) -> dict[str, tuple[float, int]]:
    """A cold and a warm visit of one page in a new browser profile."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", service_workers="block"
    )
    if cookie:
        name, value = cookie.split("=", 1)
        context.add_cookies([{"name": name, "value": value, "url": base}])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    try:
        return {"cold": visit(page, cdp, base + path), "warm": visit(page, cdp, base + path)}
    finally:
        context.close()


def start_baseline():
    """The bare Flask app of the lesson-page benchmark, for the one-sentence floor page."""
    return lesson_page.serve("baseline_app:app", dict(os.environ), PROJECT_DIR / "benchmarks")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", help="a PostgreSQL server; default: a new SQLite file")
    parser.add_argument("--officials", type=int, default=500)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"{os.cpu_count()} cores, {cpu_model()}, load average {os.getloadavg()[0]:.1f}")
    results: dict[tuple[str, str], list[tuple[float, int]]] = {}
    with tempfile.TemporaryDirectory() as tmp, database(args.database_url, Path(tmp)) as url:
        site = sample_site.build(url, officials=args.officials)
        port = free_port()
        server = serve(
            url,
            port,
            workers=2,
            log=Path(tmp) / "gunicorn.log",
            ELEARN_SECRET_KEY=sample_site.SECRET,
        )
        floor, floor_port = start_baseline()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                pages = {
                    "floor": (f"http://127.0.0.1:{floor_port}", "/tiny", None),
                    **{n: (f"http://127.0.0.1:{port}", p, c) for n, (p, c) in site.pages.items()},
                }
                for _round in range(args.rounds):
                    for name, (base, path, cookie) in pages.items():
                        found = measure(browser, base, path, cookie)
                        for visit_kind, figures in found.items():
                            results.setdefault((name, visit_kind), []).append(figures)
                browser.close()
        finally:
            floor.terminate()
            floor.wait(timeout=10)
            stop(server)
    print(
        "Chromium, 360×740, latency 300 ms, 50,000 B/s; "
        f"median (min–max) of {args.rounds} rounds, pages interleaved"
    )
    print(f"{'page':<11}{'visit':<6}{'text visible ms':>24}{'bytes':>24}{'target':>10}")
    verdicts = []
    for (name, visit_kind), runs in results.items():
        paints = [p for p, _ in runs]
        sizes = [float(b) for _, b in runs]
        limit = TARGETS[name][0 if visit_kind == "cold" else 1]
        print(
            f"{name:<11}{visit_kind:<6}{spread(paints):>24}{spread(sizes):>24}"
            f"{'≤ ' + str(limit) if limit else '—':>10}"
        )
        if limit:
            median = statistics.median(paints)
            verdicts.append((f"{name} {visit_kind}: {median:.0f} ms ≤ {limit} ms", median <= limit))
    print()
    for label, met in verdicts:
        print(f"{'met    ' if met else 'NOT MET'}  {label}")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
