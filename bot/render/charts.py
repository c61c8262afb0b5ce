"""Bar charts of the outreach figures: PNG for Telegram, SVG for the HTML page.

Headless: figures are drawn on matplotlib's Agg canvas without pyplot, so no display, no
global state, and two threads can draw at once. The SVG keeps its text as text (the page's
browser draws it with local fonts: nothing is fetched) and is inlined in the page.
"""

import io
from textwrap import fill

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bot.render.words import ChartLabels
from storage.figures.statistics import OutreachFigures

# The figures below never touch pyplot; should anything in the process use it, no display.
matplotlib.use("Agg")

# Colour-blind-safe (Okabe-Ito), one per audience in storage.events.Audience order.
AUDIENCE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
TOTAL_COLOUR = "#D9D9D9"
LABEL_WIDTH = 22  # characters of an audience's name per line, left of its bar
# No creator, date or licence block (and no URL in it): the SVG is part of a page.
NO_SVG_METADATA: dict[str, str | None] = {
    "Creator": None, "Date": None, "Format": None, "Type": None}
XLINK = "http://www.w3.org/1999/xlink"
SVG = "http://www.w3.org/2000/svg"


def _by_audience(axes: Axes, figures: OutreachFigures, labels: ChartLabels) -> None:
    codes = list(figures.by_audience)
    counts = [figures.by_audience[code] for code in codes]
    positions = range(len(codes))
    bars = axes.barh(positions, counts, color=AUDIENCE_COLOURS[:len(codes)])
    axes.bar_label(bars, padding=3)
    axes.set_yticks(list(positions),
                    [fill(labels.audiences.get(c, c), LABEL_WIDTH) for c in codes])
    axes.invert_yaxis()  # first audience on top, as in the paper
    axes.set_title(labels.by_audience, loc="left")
    axes.set_xlabel(labels.events)
    axes.margins(x=0.12)


def _by_year(axes: Axes, figures: OutreachFigures, labels: ChartLabels) -> None:
    years = list(figures.by_year)
    positions = range(len(years))
    axes.bar(positions, [figures.by_year[y] for y in years], width=0.8, color=TOTAL_COLOUR,
             label=labels.all_events)
    # One line per audience over the years' bars: readable for 20 years as for 2, and a
    # handful of lines draw in a fraction of the time of a bar per year and audience.
    for index, code in enumerate(figures.by_audience):
        if figures.by_audience[code]:
            axes.plot(positions, [figures.by_year_and_audience[y][code] for y in years],
                      color=AUDIENCE_COLOURS[index], marker="o", markersize=4,
                      label=labels.audiences.get(code, code))
    step = -(-len(years) // 12)  # at most a dozen year labels
    axes.set_xticks(list(positions)[::step], [str(y) for y in years][::step])
    axes.set_title(labels.by_year, loc="left")
    axes.set_ylabel(labels.events)
    axes.set_ylim(bottom=0)
    axes.legend(fontsize="small", frameon=False, ncols=3, loc="upper left",
                bbox_to_anchor=(0, -0.08))


def _draw(figures: OutreachFigures, labels: ChartLabels) -> Figure:
    # Fixed margins, not a layout engine: constrained layout would measure every text once
    # more and cost as much as drawing the chart (the labels are wrapped to fit instead).
    figure = Figure(figsize=(8, 8))
    figure.subplots_adjust(left=0.25, right=0.97, top=0.95, bottom=0.14, hspace=0.3)
    top, bottom = figure.subplots(2, 1)
    _by_audience(top, figures, labels)
    _by_year(bottom, figures, labels)
    for axes in (top, bottom):
        axes.spines[["top", "right"]].set_visible(False)
    return figure


def outreach_chart_png(figures: OutreachFigures, labels: ChartLabels, dpi: int = 100) -> bytes:
    """The chart as PNG bytes (800 x 800 pixels at the default dpi)."""
    buffer = io.BytesIO()
    _draw(figures, labels).savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def outreach_chart_svg(figures: OutreachFigures, labels: ChartLabels) -> str:
    """The chart as an <svg> element, text kept as text, to inline in an HTML page."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "outreach"}):
        _draw(figures, labels).savefig(buffer, format="svg", metadata=NO_SVG_METADATA)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # without the XML prologue and DOCTYPE
    # HTML gives inline SVG its namespaces: the page then names no URL at all.
    return svg.replace(f' xmlns:xlink="{XLINK}"', "", 1).replace(f' xmlns="{SVG}"', "", 1)
