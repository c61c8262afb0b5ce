"""Bar charts of the outreach figures: PNG for Telegram (and a 16:9 one for slides), SVG for
the HTML page.

Headless: figures are drawn on matplotlib's Agg canvas without pyplot, so no display, no
global state, and two threads can draw at once. The SVG keeps its text as text (the page's
browser draws and shapes it with local fonts: nothing is fetched) and is inlined in the page.
Every chart states its period and source, marks a year the period covers only in part, and
says so when its data are invented.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from textwrap import fill
from typing import Literal

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bot.render.chart_fonts import can_draw, fonts_for_chart, shaped
from bot.render.templates import DEFAULT_LANGUAGE
from bot.render.words import ChartLabels, chart_labels
from storage.figures.statistics import OutreachFigures, Period

# The figures below never touch pyplot; should anything in the process use it, no display.
matplotlib.use("Agg")

# Colour-blind-safe (Okabe-Ito), one per audience in storage.events.Audience order.
AUDIENCE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
TOTAL_COLOUR = "#D9D9D9"
LABEL_WIDTH = 26  # characters of an audience's name per line, left of its bar
# No creator, date or licence block (and no URL in it): the SVG is part of a page.
NO_SVG_METADATA: dict[str, str | None] = {
    "Creator": None, "Date": None, "Format": None, "Type": None}
XLINK = "http://www.w3.org/1999/xlink"
SVG = "http://www.w3.org/2000/svg"
PARTIAL_MARK = "*"

Shape = Literal["page", "slide"]
Side = Literal["left", "right"]
Words = Callable[[str], str]  # a text as the canvas must get it (shaped for Agg, or as is)


@dataclass(frozen=True)
class Layout:
    """Where the parts of one chart shape go, in figure fractions."""

    size: tuple[float, float]  # inches
    dpi: int  # for the PNG
    rows: int
    columns: int
    margins: dict[str, float]
    legend_columns: int  # the legend under the years' chart fits its width


LAYOUTS: dict[Shape, Layout] = {
    # 800 x 800: Telegram and the page, the two charts one above the other
    "page": Layout((8, 8), 100, 2, 1, dict(left=0.27, right=0.97, top=0.87, bottom=0.19,
                                             hspace=0.35), 3),
    # 1920 x 1080: a slide, the two charts side by side
    "slide": Layout((12.8, 7.2), 150, 1, 2, dict(left=0.17, right=0.98, top=0.84, bottom=0.22,
                                               wspace=0.25), 2),
}


def partial_years(period: Period) -> set[int]:
    """The period's first and last years when it does not cover them whole."""
    years = set()
    if (period.start.month, period.start.day) != (1, 1):
        years.add(period.start.year)
    if (period.end.month, period.end.day) != (12, 31):
        years.add(period.end.year)
    return years


def _by_audience(axes: Axes, figures: OutreachFigures, labels: ChartLabels, words: Words,
                 title_side: Side) -> None:
    codes = list(figures.by_audience)
    counts = [figures.by_audience[code] for code in codes]
    positions = range(len(codes))
    bars = axes.barh(positions, counts, color=AUDIENCE_COLOURS[:len(codes)])
    axes.bar_label(bars, padding=3)
    axes.set_yticks(list(positions),
                    [words(fill(labels.audiences.get(c, c), LABEL_WIDTH)) for c in codes])
    axes.invert_yaxis()  # first audience on top, as in the paper
    axes.set_title(words(labels.by_audience), loc=title_side)
    axes.set_xlabel(words(labels.events))
    axes.margins(x=0.12)


def _by_year(axes: Axes, figures: OutreachFigures, labels: ChartLabels, words: Words,
             title_side: Side, legend_columns: int) -> None:
    years = list(figures.by_year)
    positions = range(len(years))
    axes.bar(positions, [figures.by_year[y] for y in years], width=0.8, color=TOTAL_COLOUR,
             label=words(labels.all_events))
    # One line per audience over the years' bars: readable for 20 years as for 2, and a
    # handful of lines draw in a fraction of the time of a bar per year and audience.
    for index, code in enumerate(figures.by_audience):
        if figures.by_audience[code]:
            axes.plot(positions, [figures.by_year_and_audience[y][code] for y in years],
                      color=AUDIENCE_COLOURS[index], marker="o", markersize=4,
                      label=words(fill(labels.audiences.get(code, code), LABEL_WIDTH)))
    partial = partial_years(labels.period)
    names = [f"{y}{PARTIAL_MARK}" if y in partial else str(y) for y in years]
    step = -(-len(years) // 12)  # at most a dozen year labels
    shown = list(positions)[::step]
    if years and shown[-1] != len(years) - 1 and years[-1] in partial:
        shown.append(len(years) - 1)  # a partial last year is always named, with its mark
    axes.set_xticks(shown, [names[i] for i in shown])
    axes.set_title(words(labels.by_year), loc=title_side)
    axes.set_ylabel(words(labels.events))
    axes.set_ylim(bottom=0)
    axes.legend(fontsize="small", frameon=False, ncols=legend_columns, loc="upper left",
                bbox_to_anchor=(0, -0.1))


def _notes(labels: ChartLabels, figures: OutreachFigures) -> list[str]:
    notes = []
    if partial_years(labels.period) & set(figures.by_year):
        notes.append(labels.partial_year_note)
    if labels.invented_note:
        notes.append(labels.invented_note)
    return notes


def outreach_chart_figure(figures: OutreachFigures, labels: ChartLabels,
                          shape: Shape = "page", for_png: bool = True) -> Figure:
    """The drawn-to-be chart; `for_png`: the words are shaped for Agg (not for SVG)."""
    if not can_draw(labels.language):
        labels = chart_labels(DEFAULT_LANGUAGE, labels.period, labels.invented)
    words: Words = partial(shaped, language=labels.language) if for_png else str
    right_to_left = labels.language == "ar"
    side: Side = "right" if right_to_left else "left"
    x = 0.98 if right_to_left else 0.02
    layout = LAYOUTS[shape]
    # Fixed margins, not a layout engine: constrained layout would measure every text once
    # more and cost as much as drawing the chart (the labels are wrapped to fit instead).
    figure = Figure(figsize=layout.size)
    figure.subplots_adjust(**layout.margins)
    first, second = figure.subplots(layout.rows, layout.columns)
    _by_audience(first, figures, labels, words, side)
    _by_year(second, figures, labels, words, side, layout.legend_columns)
    for axes in (first, second):
        axes.spines[["top", "right"]].set_visible(False)
    figure.text(x, 0.985, words(labels.title), ha=side, va="top", fontsize="x-large",
                fontweight="bold")
    figure.text(x, 0.94, words(labels.caption), ha=side, va="top", fontsize="medium")
    notes = _notes(labels, figures)
    if notes:
        figure.text(x, 0.012, words("   ".join(notes)), ha=side, va="bottom",
                    fontsize="small", style="italic")
    return figure


def outreach_chart_png(figures: OutreachFigures, labels: ChartLabels,
                       shape: Shape = "page") -> bytes:
    """The chart as PNG bytes: 800 x 800 pixels for "page", 1920 x 1080 for "slide"."""
    buffer = io.BytesIO()
    with fonts_for_chart():
        figure = outreach_chart_figure(figures, labels, shape)
        figure.savefig(buffer, format="png", dpi=LAYOUTS[shape].dpi)
    return buffer.getvalue()


def outreach_chart_svg(figures: OutreachFigures, labels: ChartLabels) -> str:
    """The chart as an <svg> element, text kept as text, to inline in an HTML page; always
    left to right, even inside an Arabic page (its axes are drawn that way)."""
    buffer = io.StringIO()
    with fonts_for_chart(), matplotlib.rc_context({"svg.fonttype": "none",
                                               "svg.hashsalt": "outreach"}):
        figure = outreach_chart_figure(figures, labels, for_png=False)
        figure.savefig(buffer, format="svg", metadata=NO_SVG_METADATA)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # without the XML prologue and DOCTYPE
    svg = svg.replace("<svg ", '<svg style="direction: ltr" ', 1)
    # HTML gives inline SVG its namespaces: the page then names no URL at all.
    return svg.replace(f' xmlns:xlink="{XLINK}"', "", 1).replace(f' xmlns="{SVG}"', "", 1)


