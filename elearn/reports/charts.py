"""Charts drawn on the server as SVG coordinates: no JavaScript, nothing for the CSP to allow.

Both charts are laid out 360 units wide, the width of a cheap phone, so their 12-unit text
stays readable there; on a wider screen they scale up. Each chart writes its own SVG: a
province's dashboard draws a hundred bars, and a Jinja loop escaping every coordinate cost
more than the rest of the page's figures. Templates place the SVG and give it its text
alternative; every chart comes with a table of its values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup, escape

from elearn.clock import local_today
from elearn.formatting import format_percent

WIDTH = 360
LABEL_H, BAR_H, ROW_GAP = 15, 14, 7  # ranked bars: a name line above each bar
LEFT, RIGHT, TOP, BOTTOM = 34, 10, 16, 34  # trend: room for the axes' labels
TREND_H = 200


@dataclass(frozen=True)
class RankedBar:
    """One unit's bar: where it is drawn and what it says."""

    name: str
    label_y: float
    bar_y: float
    width: float
    value: str
    value_x: float
    value_inside: bool  # the value is written on the bar (white) or just after it (dark)


@dataclass(frozen=True)
class RankedChart:
    width: int
    height: int
    bar_left: int
    bar_space: int
    bars: tuple[RankedBar, ...]

    def svg(self, labelledby: str) -> Markup:
        """The chart as SVG, named by the element whose id is `labelledby`."""
        left, space = self.bar_left, self.bar_space
        parts = [
            f'<svg viewBox="0 0 {self.width} {self.height}" role="img" '
            f'aria-labelledby="{escape(labelledby)}" class="ranked">'
        ]
        for bar in self.bars:
            inside = ' inside" text-anchor="end' if bar.value_inside else ""
            parts.append(
                f'<text x="0" y="{bar.label_y}" class="chart-label">{escape(bar.name)}</text>'
                f'<rect x="{left}" y="{bar.bar_y}" width="{space}" height="{BAR_H}" '
                'class="chart-track"/>'
                f'<rect x="{left}" y="{bar.bar_y}" width="{bar.width}" height="{BAR_H}" '
                'class="chart-bar"/>'
                f'<text x="{bar.value_x}" y="{bar.bar_y + 11}" class="chart-value{inside}">'
                f"{bar.value}</text>"
            )
        parts.append("</svg>")
        return Markup("\n".join(parts))


def ranked_bars(rows: list[tuple[str, float]]) -> RankedChart:
    """Units ranked as given, each a bar of its completion rate (0..1) with the value on it."""
    left, space = 0, WIDTH - 2
    bars = []
    for index, (name, rate) in enumerate(rows):
        top = index * (LABEL_H + BAR_H + ROW_GAP)
        width = round(space * max(min(rate, 1.0), 0.0), 1)
        inside = width > 60
        bars.append(
            RankedBar(
                name=name,
                label_y=top + LABEL_H - 3,
                bar_y=top + LABEL_H,
                width=width,
                value=format_percent(rate),
                value_x=round(left + width - 4 if inside else left + width + 4, 1),
                value_inside=inside,
            )
        )
    height = len(rows) * (LABEL_H + BAR_H + ROW_GAP)
    return RankedChart(WIDTH, height, left, space, tuple(bars))


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    anchor: str = "middle"  # the end ticks keep their label inside the chart


@dataclass(frozen=True)
class WeekBar:
    x: float
    y: float
    width: float
    height: float
    label: str  # "dd/mm/yyyy: n" for the bar's <title>


@dataclass(frozen=True)
class TrendChart:
    """Weekly completions (bars) and the cumulative completion rate (line, 0–100 %), on a
    dated axis; with a deadline, the line the rate must follow to reach 100 % by then."""

    width: int
    height: int
    plot: tuple[float, float, float, float]  # left, top, right, bottom of the plot area
    bars: tuple[WeekBar, ...]
    line: str  # polyline points of the cumulative rate
    last_point: tuple[float, float]
    last_value: str
    max_count: int
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    deadline: date | None
    deadline_x: float | None
    target_line: str | None  # from today's rate to 100 % on the deadline

    def svg(self, labelledby: str, deadline_label: str = "") -> Markup:
        """The chart as SVG; `deadline_label` ("hạn 31/12/2026") is written by the deadline."""
        left, top, right, bottom = self.plot
        parts = [
            f'<svg viewBox="0 0 {self.width} {self.height}" role="img" '
            f'aria-labelledby="{escape(labelledby)}" class="trend">'
        ]
        for tick in self.y_ticks:
            parts.append(
                f'<line x1="{left}" x2="{right}" y1="{tick.position}" y2="{tick.position}" '
                f'class="chart-grid"/><text x="{left - 4}" y="{tick.position + 4}" '
                f'text-anchor="end" class="chart-axis">{escape(tick.label)}</text>'
            )
        for tick in self.x_ticks:
            parts.append(
                f'<line x1="{tick.position}" x2="{tick.position}" y1="{bottom}" '
                f'y2="{bottom + 4}" class="chart-grid"/><text x="{tick.position}" '
                f'y="{bottom + 16}" text-anchor="{tick.anchor}" class="chart-axis">'
                f"{escape(tick.label)}</text>"
            )
        parts.extend(
            f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" '
            f'class="chart-week"><title>{escape(bar.label)}</title></rect>'
            for bar in self.bars
            if bar.height
        )
        if self.target_line:
            parts.append(f'<polyline points="{self.target_line}" class="chart-target"/>')
        if self.deadline_x is not None:
            parts.append(
                f'<line x1="{self.deadline_x}" x2="{self.deadline_x}" y1="{top}" '
                f'y2="{bottom}" class="chart-deadline"/><text x="{self.deadline_x - 3}" '
                f'y="{top - 4}" text-anchor="end" class="chart-axis">'
                f"{escape(deadline_label)}</text>"
            )
        if self.line:
            parts.append(f'<polyline points="{self.line}" class="chart-line"/>')
        x, y = self.last_point
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="3" class="chart-dot"/><text x="{x - 4}" '
            f'y="{y - 6}" text-anchor="end" class="chart-value">{escape(self.last_value)}</text>'
        )
        parts.append("</svg>")
        return Markup("\n".join(parts))


def trend_chart(
    weeks: list[tuple[date, int, int]],
    officials: int,
    *,
    deadline: date | None = None,
    today: date | None = None,
) -> TrendChart:
    """Lay out `weeks` ((monday, completions that week, cumulative completions), oldest first)."""
    first = weeks[0][0] if weeks else (today or local_today())
    last_week_end = (weeks[-1][0] if weeks else first) + timedelta(days=7)
    end = max(last_week_end, deadline + timedelta(days=1)) if deadline else last_week_end
    left, top = LEFT, TOP
    right, bottom = WIDTH - RIGHT, TREND_H - BOTTOM
    span = max((end - first).days, 1)

    def x_of(day: date) -> float:
        return round(left + (right - left) * (day - first).days / span, 1)

    def y_of(rate: float) -> float:
        return round(bottom - (bottom - top) * max(min(rate, 1.0), 0.0), 1)

    max_count = max((count for _, count, _ in weeks), default=0)
    bars, points = [], []
    for monday, count, cumulative in weeks:
        x0, x1 = x_of(monday), x_of(monday + timedelta(days=7))
        height = (bottom - top) * 0.5 * count / max_count if max_count else 0
        bars.append(
            WeekBar(
                x=x0 + 0.5,
                y=round(bottom - height, 1),
                width=round(max(x1 - x0 - 1, 0.5), 1),
                height=round(height, 1),
                label=f"{monday:%d/%m/%Y}: {count}",
            )
        )
        rate = cumulative / officials if officials else 0.0
        points.append((x1, y_of(rate)))
    last_rate = (weeks[-1][2] / officials) if weeks and officials else 0.0
    last_point = points[-1] if points else (left, bottom)
    target = None
    if deadline and deadline >= last_week_end - timedelta(days=7) and officials and last_rate < 1:
        target = f"{last_point[0]},{last_point[1]} {x_of(deadline)},{y_of(1.0)}"
    return TrendChart(
        width=WIDTH,
        height=TREND_H,
        plot=(left, top, right, bottom),
        bars=tuple(bars),
        line=" ".join(f"{x},{y}" for x, y in points),
        last_point=last_point,
        last_value=format_percent(last_rate),
        max_count=max_count,
        x_ticks=_month_ticks(first, end, x_of),
        y_ticks=tuple(Tick(y_of(r), f"{int(r * 100)}%") for r in (0, 0.5, 1.0)),
        deadline=deadline,
        deadline_x=x_of(deadline) if deadline else None,
        target_line=target,
    )


def _month_ticks(first: date, end: date, x_of) -> tuple[Tick, ...]:
    """A dated tick on the first of every third month ("01/2026"): four or five on a phone."""
    ticks = []
    month = date(first.year, first.month, 1)
    while month <= end:
        if month >= first and month.month % 3 == 1:
            x = x_of(month)
            anchor = "end" if x > WIDTH - RIGHT - 22 else "start" if x < LEFT + 22 else "middle"
            ticks.append(Tick(x, f"{month:%m/%Y}", anchor))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return tuple(ticks)
