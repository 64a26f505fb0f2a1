"""Issue 21, item 8 (the dashboard's charts): time charts write enough dates to read and never
one over another, the two bars of a comparison differ by pattern as well as colour under a
legend, and each chart states its unit, in both languages."""
import re
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.insight import charts
from app.proposals import services as proposals


def dates_written(svg: str) -> list[tuple[float, str]]:
    return [(float(x), text) for x, text in re.findall(
        r'<text x="([\d.]+)" y="\d+" text-anchor="middle" class="chart-label">([^<]+)</text>', svg)]


@pytest.mark.parametrize("labels", [
    [(date(2026, 1, 1) + timedelta(days=n)).strftime("%d %b %Y") for n in range(90)],
    [f"2026年{1 + n // 28}月{1 + n % 28}日" for n in range(90)],
    [f"Week {n}" for n in range(13)],
], ids=["90 days", "90 days in Chinese", "13 weeks"])
def test_a_time_chart_writes_enough_dates_and_none_over_another(labels):
    svg = charts.columns(list(range(len(labels))), labels, title_id="t")
    written = dates_written(svg)
    assert written[0][1] == labels[0] and written[-1][1] == labels[-1]
    assert len(written) >= 5  # enough to find a day by, not only the first and the last
    for (x1, first), (x2, second) in zip(written, written[1:], strict=False):
        room = (charts.text_width(first) + charts.text_width(second)) / 2
        assert x2 - x1 >= room, f"{first!r} and {second!r} touch"
    assert all(0 <= x - charts.text_width(t) / 2 and x + charts.text_width(t) / 2 <= charts.WIDTH
               for x, t in written)  # none cut at the edges


def test_a_short_series_dates_every_column():
    labels = ["Mar 2026", "Apr 2026", "May 2026"]
    assert [text for _x, text in dates_written(charts.columns([1, 2, 3], labels,
                                                              title_id="t"))] == labels


def test_a_chart_states_its_unit_and_names_it_to_screen_readers():
    svg = charts.columns([1, 2], ["a", "b"], title_id="activity-supports",
                         caption="Supports given per week")
    assert 'aria-labelledby="activity-supports activity-supports-unit"' in svg
    assert 'id="activity-supports-unit">Supports given per week</text>' in svg


def test_the_two_bars_of_a_comparison_differ_by_pattern_and_colour_under_a_legend():
    svg = charts.compare([("Undergraduate", 67, 50), ("Faculty", 33, 10)],
                         series=("Share of participants", "Share of the population"),
                         title_id="figure-patron_types", unit="%", caption="In per cent")
    assert svg.count('class="chart-bar"') == 3  # two groups and the legend's swatch
    assert svg.count('class="chart-bar-hatched"') == 3
    assert 'fill="url(#figure-patron_types-hatch)"' in svg
    assert '<pattern id="figure-patron_types-hatch"' in svg
    legend = svg[svg.index('class="chart-legend"'):]
    assert "Share of participants" in legend and "Share of the population" in legend
    assert ">67%</text>" in svg and ">50%</text>" in svg  # each bar carries its value


def test_the_comparison_colours_keep_3_to_1_against_the_card():
    css = open("static/css/commons.css", encoding="utf-8").read()
    colour = {name: re.search(rf"--{name}: (#[0-9a-f]{{6}})", css).group(1)
              for name in ("accent", "chart-compare", "card", "paper")}
    for bar in ("accent", "chart-compare"):
        for background in ("card", "paper"):
            assert contrast(colour[bar], colour[background]) >= 3
    assert contrast(colour["accent"], colour["chart-compare"]) > 1.4  # apart in lightness too


def contrast(one: str, other: str) -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("lang, words", [
    ("en", ["Supports given per", "Share of participants",
            "Each patron type&#39;s share of all participants and of registered patrons"]),
    ("zh_Hans", ["支持次数", "占参与者比例", "各类读者在全部参与者和注册读者中所占的比例（百分比）"]),
])
def test_the_dashboard_states_each_charts_unit_in_both_languages(client, login, make_user,
                                                                 make_proposal, lang, words):
    proposals.support(make_proposal(), make_user())
    db.session.commit()
    login(make_user(role="staff", patron_type="staff"))
    client.set_cookie("lang", lang)
    page = client.get("/staff/dashboard").text
    assert page.count('class="chart-unit"') == 6  # three time charts and three of bars
    assert page.count('class="chart-legend"') == 1
    for word in words:
        assert word in page
