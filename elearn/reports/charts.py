"""A small SVG chart drawn on the server: weekly completions and the cumulative rate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT, PAD = 640, 180, 24


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass(frozen=True)
class TrendChart:
    """Coordinates for the template; no drawing logic in the template itself."""

    width: int
    height: int
    bars: tuple[Bar, ...]
    line: str  # polyline points of the cumulative rate
    max_count: int


def trend_chart(weeks: list[tuple[date, int, int]], officials: int) -> TrendChart:
    """Scale weekly counts to bars and the cumulative rate (0..100%) to a line."""
    max_count = max((count for _, count, _ in weeks), default=0) or 1
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    step = inner_w / max(len(weeks), 1)
    bars, points = [], []
    for index, (monday, count, cumulative) in enumerate(weeks):
        height = inner_h * count / max_count
        x = PAD + index * step
        bars.append(
            Bar(
                round(x + 1, 1),
                round(PAD + inner_h - height, 1),
                round(max(step - 2, 1), 1),
                round(height, 1),
                f"{monday:%d/%m/%Y}: {count}",
            )
        )
        rate = cumulative / officials if officials else 0
        points.append(f"{x + step / 2:.1f},{PAD + inner_h - inner_h * rate:.1f}")
    return TrendChart(WIDTH, HEIGHT, tuple(bars), " ".join(points), max_count)
