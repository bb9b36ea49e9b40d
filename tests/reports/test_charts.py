"""The dashboard's charts: values written on the bars, names escaped, the deadline drawn."""

from __future__ import annotations

from datetime import date

from elearn.reports.charts import ranked_bars, trend_chart


def test_ranked_bars_write_each_value_and_escape_names():
    svg = str(ranked_bars([("Xã <b>An</b>", 0.5), ("Phường Đông", 0.05)]).svg("cap"))
    assert svg.startswith('<svg viewBox="0 0 360 72" role="img" aria-labelledby="cap"')
    assert "Xã &lt;b&gt;An&lt;/b&gt;" in svg and "<b>" not in svg
    assert 'class="chart-value inside" text-anchor="end">50,0%</text>' in svg  # on the bar
    assert 'class="chart-value">5,0%</text>' in svg  # too short: just after it
    assert svg.count('class="chart-bar"') == 2


def test_trend_draws_weeks_the_rate_and_the_deadline():
    weeks = [(date(2026, 11, 2), 3, 3), (date(2026, 11, 9), 0, 3), (date(2026, 11, 16), 1, 4)]
    chart = trend_chart(weeks, 10, deadline=date(2026, 12, 31), today=date(2026, 11, 20))
    svg = str(chart.svg("trend", "hạn 31/12/2026"))
    assert svg.count('class="chart-week"') == 2  # a week without completions draws no bar
    assert "<title>02/11/2026: 3</title>" in svg
    assert ">hạn 31/12/2026</text>" in svg and 'class="chart-target"' in svg
    assert chart.last_value == "40,0%" and ">40,0%</text>" in svg
    without = str(trend_chart(weeks, 10, today=date(2026, 11, 20)).svg("trend"))
    assert "chart-deadline" not in without and "chart-target" not in without
