"""The matrix shares by UN regional group (seed paper, section 4.3): a bar chart of the
percentage of possible measures recorded, on the day the change is counted from and on the
period's last day, one pair of bars per group. SVG for the HTML page, PNG for the demo.

Drawn as bot/render/charts.py draws: matplotlib's Agg canvas without pyplot, fixed
margins, text kept as text in the SVG (inlined in the page, nothing fetched), the chart's
period and source stated, and invented data said to be invented.
"""

import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from textwrap import fill

import matplotlib
from matplotlib.figure import Figure

from bot.render.chart_fonts import can_draw, fonts_for_chart, shaped
from bot.render.charts import NO_SVG_METADATA, SVG, XLINK, Words
from bot.render.templates import DEFAULT_LANGUAGE, long_date
from bot.render.words import labels
from storage.figures.matrices import MatrixFigures

matplotlib.use("Agg")

THEN_COLOUR, NOW_COLOUR = "#56B4E9", "#0072B2"  # Okabe-Ito, as the outreach chart
LABEL_WIDTH = 24


@dataclass(frozen=True)
class MatrixChartWords:
    title: str
    axis: str
    then: str  # legend: the day the change is counted from
    now: str  # legend: the period's last day
    groups: Mapping[str, str]
    source: str
    invented_note: str | None
    language: str


def matrix_chart_words(figures: MatrixFigures, language: str,
                       invented: bool = False) -> MatrixChartWords:
    language = language if can_draw(language) else DEFAULT_LANGUAGE
    words = labels(language)
    on = words["matrices.chart_on"]
    return MatrixChartWords(
        title=words["matrices.chart_title"], axis=words["matrices.chart_percent"],
        then=f"{on} {long_date(figures.then.on, language)}",
        now=f"{on} {long_date(figures.now.on, language)}",
        groups={key.removeprefix("group."): value for key, value in words.items()
                if key.startswith("group.")},
        source=words["chart.source"],
        invented_note=words["chart.invented"] if invented else None, language=language)


def matrix_chart_figure(figures: MatrixFigures, words: MatrixChartWords,
                        for_png: bool = True) -> Figure:
    say: Words = partial(shaped, language=words.language) if for_png else str
    groups = list(figures.now.by_regional_group)
    now = [figures.now.by_regional_group[g].percent for g in groups]
    then = [figures.then.by_regional_group[g].percent for g in groups]
    figure = Figure(figsize=(8, 5))
    figure.subplots_adjust(left=0.3, right=0.95, top=0.84, bottom=0.2)
    axes = figure.subplots()
    positions = range(len(groups))
    height = 0.38
    first = axes.barh([p - height / 2 for p in positions], then, height, color=THEN_COLOUR,
                      label=say(words.then))
    second = axes.barh([p + height / 2 for p in positions], now, height, color=NOW_COLOUR,
                       label=say(words.now))
    for bars, values in ((first, then), (second, now)):
        axes.bar_label(bars, labels=[f"{value}%" for value in values], padding=3,
                       fontsize="small")
    axes.set_yticks(list(positions),
                    [say(fill(words.groups.get(g, g), LABEL_WIDTH)) for g in groups])
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel(say(words.axis))
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize="small", frameon=False, ncols=2, loc="upper left",
                bbox_to_anchor=(0, -0.12))
    right_to_left = words.language == "ar"
    side = "right" if right_to_left else "left"
    x = 0.98 if right_to_left else 0.02
    figure.text(x, 0.975, say(words.title), ha=side, va="top", fontsize="large",
                fontweight="bold")
    figure.text(x, 0.91, say(words.source), ha=side, va="top", fontsize="small")
    if words.invented_note:
        figure.text(x, 0.012, say(words.invented_note), ha=side, va="bottom",
                    fontsize="small", style="italic")
    return figure


def matrix_chart_png(figures: MatrixFigures, words: MatrixChartWords) -> bytes:
    """800 x 500 pixels."""
    buffer = io.BytesIO()
    with fonts_for_chart():
        matrix_chart_figure(figures, words).savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def matrix_chart_svg(figures: MatrixFigures, words: MatrixChartWords) -> str:
    """An <svg> element to inline in the page, text kept as text, always left to right."""
    buffer = io.StringIO()
    with fonts_for_chart(), matplotlib.rc_context({"svg.fonttype": "none",
                                               "svg.hashsalt": "outreach"}):
        matrix_chart_figure(figures, words, for_png=False).savefig(
            buffer, format="svg", metadata=NO_SVG_METADATA)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = svg.replace("<svg ", '<svg style="direction: ltr" ', 1)
    return svg.replace(f' xmlns:xlink="{XLINK}"', "", 1).replace(f' xmlns="{SVG}"', "", 1)
