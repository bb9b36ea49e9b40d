"""Simulated officials for benchmarks/load.py: each signs in, opens home, a course, its lessons
(pressing "Đã học xong", now and then twice), then starts and submits the quiz, and goes on
to the next course, pausing between pages as a reader does. Every answer is timed by step.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field

import httpx

PASSWORD = "hoa-sen-no-ven-ho-2026"  # every simulated official's
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
ITEM_LINK = r'<a href="(/courses/{slug}/[a-z0-9-]+)">'
ACTION = re.compile(r'<form method="post"[^>]* action="([^"]+)"')
CHOICE = re.compile(r'<input type="(radio|checkbox)" id="[^"]+" name="(q-[^"]+)" value="([^"]+)"')
TEXT_FIELD = re.compile(r'<input type="text" id="[^"]+" name="(q-[^"]+)"')
ATTEMPT_TOKEN = re.compile(r'name="attempt_token" value="([^"]+)"')
SERVER_ERROR = 500


@dataclass
class Results:
    """Every answer the officials got, and what the site acknowledged."""

    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    failures: list[str] = field(default_factory=list)  # responses ≥ 500 and transport errors
    unavailable: int = 0  # of those, 503 answers with Retry-After (the database was away)
    completions: set[tuple[str, str]] = field(default_factory=set)  # (username, lesson path)
    attempts: dict[int, str] = field(default_factory=dict)  # attempt id → username
    requests: int = 0
    seconds: float = 0.0
    server_cpu: float = 0.0  # CPU seconds the app server's workers used (when measured)
    client_cpu: float = 0.0  # CPU seconds the simulated officials used

    def server_errors(self) -> int:
        """Answers of 500 and above, and requests that got no answer at all."""
        return len(self.failures)


class Official:
    """One simulated official with their own cookies, going through courses page by page."""

    def __init__(
        self, base: str, username: str, results: Results, rng: random.Random, think: float
    ) -> None:
        self.client = httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=False)
        self.username = username
        self.results = results
        self.rng = rng
        self.think = think
        self.csrf = ""

    async def request(self, step: str, method: str, path: str, **kwargs) -> httpx.Response | None:
        """Send one request, timing it under `step`; None when the request failed."""
        started = time.perf_counter()
        try:
            response = await self.client.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            self.results.failures.append(f"{step} {method} {path}: {type(error).__name__}")
            return None
        self.results.timings[step].append(time.perf_counter() - started)
        self.results.requests += 1
        self.results.statuses[response.status_code] += 1
        if response.status_code >= SERVER_ERROR:
            if response.status_code == 503 and response.headers.get("Retry-After"):
                self.results.unavailable += 1
            self.results.failures.append(f"{step} {method} {path}: {response.status_code}")
            return None
        return response

    async def pause(self) -> None:
        if self.think:
            await asyncio.sleep(self.rng.uniform(0, 2 * self.think))

    async def sign_in(self) -> bool:
        page = await self.request("sign-in form", "GET", "/login")
        if page is None:
            return False
        self.csrf = CSRF.search(page.text).group(1)
        answer = await self.request(
            "sign in",
            "POST",
            "/login",
            data={"username": self.username, "password": PASSWORD, "csrf_token": self.csrf},
        )
        if answer is None or answer.status_code != 302:
            return False
        home = await self.request("home", "GET", "/")
        if home is None:
            return False
        self.csrf = CSRF.search(home.text).group(1)  # the session's token from now on
        return True

    async def take_course(self, slug: str) -> None:
        page = await self.request("course", "GET", f"/courses/{slug}")
        if page is None:
            return
        links = list(dict.fromkeys(re.findall(ITEM_LINK.format(slug=slug), page.text)))
        for link in links:
            await self.pause()
            item = await self.request("lesson or quiz page", "GET", link)
            if item is None or item.status_code != 200:
                continue
            for action in ACTION.findall(item.text):
                if action.endswith("/complete"):
                    await self.complete(action)
                elif action.endswith("/start"):
                    await self.quiz(action)

    async def complete(self, action: str) -> None:
        presses = 2 if self.rng.random() < 0.1 else 1  # a double press records once
        for _ in range(presses):
            answer = await self.request(
                "Đã học xong", "POST", action, data={"csrf_token": self.csrf}
            )
            if answer is not None and answer.status_code == 302:
                self.results.completions.add((self.username, action.removesuffix("/complete")))

    async def quiz(self, action: str) -> None:
        started = await self.request("start quiz", "POST", action, data={"csrf_token": self.csrf})
        if started is None or "/attempts/" not in started.headers.get("Location", ""):
            return  # no attempts left: the quiz page said so
        path = started.headers["Location"]
        form = await self.request("attempt page", "GET", path)
        if form is None:
            return
        token = ATTEMPT_TOKEN.search(form.text)
        if token is None:
            return  # already submitted (the page shows the result)
        data: dict[str, list[str] | str] = {
            "csrf_token": self.csrf,
            "attempt_token": token.group(1),
        }
        choices: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for kind, name, value in CHOICE.findall(form.text):
            choices[name].append((kind, value))
        for name, options in choices.items():
            if options[0][0] == "radio":
                data[name] = self.rng.choice(options)[1]
            else:
                data[name] = [v for _, v in options if self.rng.random() < 0.5] or [options[0][1]]
        for name in TEXT_FIELD.findall(form.text):
            data[name] = str(self.rng.randint(1, 9))
        await self.pause()
        answer = await self.request("submit quiz", "POST", path, data=data)
        if answer is not None and answer.status_code == 302:
            self.results.attempts[int(path.rsplit("/", 1)[1])] = self.username
            await self.request("result", "GET", path)

    async def run(self, courses: list[str], until: float, at_least: int) -> None:
        try:
            while not await self.sign_in():  # "try again", as the 503 page asks
                if time.monotonic() >= until:
                    return
                await asyncio.sleep(0.5)
            turn = self.rng.randrange(len(courses))
            done = 0
            while time.monotonic() < until or done < at_least:
                await self.take_course(courses[turn % len(courses)])
                turn += 1
                done += 1
                if time.monotonic() < until:
                    await self.request("home", "GET", "/")
        finally:
            await self.client.aclose()


async def _drive(base: str, usernames: list[str], courses: list[str], seconds: float, **kw):
    results = kw["results"]
    until = time.monotonic() + seconds
    started = time.monotonic()
    officials = [
        Official(base, name, results, random.Random(f"{kw['seed']}-{name}"), kw["think"])
        for name in usernames
    ]

    async def bounded(index: int, official: Official) -> None:
        # Arrivals are spread over `ramp` seconds: offices do not all sign in the same second.
        await asyncio.sleep(kw["ramp"] * index / len(officials))
        try:
            await asyncio.wait_for(
                official.run(courses, until, kw["at_least"]), timeout=seconds + 90
            )
        except TimeoutError:
            results.failures.append(f"{official.username}: still waiting 90 s after the end")

    await asyncio.gather(*(bounded(i, o) for i, o in enumerate(officials)))
    results.seconds = time.monotonic() - started
    return results


def drive(
    base: str,
    usernames: list[str],
    courses: list[str],
    seconds: float,
    *,
    think: float = 1.0,
    seed: int = 13,
    at_least: int = 0,
    ramp: float = 0.0,
    results: Results | None = None,
) -> Results:
    """Let every official learn for `seconds` (each finishes the page in hand, and at least
    `at_least` whole courses, so a short run always reaches a quiz), arriving one by one over
    the first `ramp` seconds. Pass `results` to watch them fill from another thread."""
    results = results if results is not None else Results()
    return asyncio.run(
        _drive(
            base,
            usernames,
            courses,
            seconds,
            think=think,
            seed=seed,
            at_least=at_least,
            ramp=ramp,
            results=results,
        )
    )


# Reporting --------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def report(results: Results) -> str:
    """Requests per second overall, and p50/p95/p99 in milliseconds per step."""
    lines = [
        f"{results.requests} requests in {results.seconds:.1f} s: "
        f"{results.requests / results.seconds:.0f} req/s; statuses "
        + ", ".join(f"{code}×{n}" for code, n in sorted(results.statuses.items())),
        f"{len(results.completions)} completions and {len(results.attempts)} quiz attempts "
        f"acknowledged; {results.server_errors()} failed request(s)",
        f"app workers used {results.server_cpu:.1f} CPU s "
        f"({1000 * results.server_cpu / max(results.requests, 1):.1f} ms per request), "
        f"the simulated officials {results.client_cpu:.1f} CPU s",
        f"{'step':<20}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}",
    ]
    for step, values in results.timings.items():
        ms = [v * 1000 for v in values]
        lines.append(
            f"{step:<20}{len(ms):>7}{percentile(ms, 0.5):>9.1f}"
            f"{percentile(ms, 0.95):>9.1f}{percentile(ms, 0.99):>9.1f}"
        )
    return "\n".join(lines)


def spread(runs: list[Results]) -> str:
    """The range over repeated runs: requests per second, and p50/p95/p99 per step."""
    rates = [r.requests / r.seconds for r in runs]
    lines = [
        f"over {len(runs)} runs: {min(rates):.0f}–{max(rates):.0f} req/s",
        f"{'step':<20}{'p50 ms':>17}{'p95 ms':>17}{'p99 ms':>17}",
    ]
    for step in runs[0].timings:
        cells = []
        for share in (0.5, 0.95, 0.99):
            values = [percentile([v * 1000 for v in r.timings[step]], share) for r in runs]
            cells.append(f"{min(values):.0f}–{max(values):.0f}")
        lines.append(f"{step:<20}" + "".join(f"{c:>17}" for c in cells))
    return "\n".join(lines)
