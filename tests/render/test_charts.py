"""The outreach chart: PNG for Telegram (and a 16:9 one for slides), inline SVG for the page,
words in the reader's language, with its period, its source and its caveats."""

import io
import logging
import warnings
from datetime import date
from itertools import combinations
from pathlib import Path

import pytest
from arabic_reshaper import reshape
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image
from sqlmodel import Session

from bot.render import chart_fonts
from bot.render.chart_fonts import fonts_for_chart, shaped
from bot.render.charts import outreach_chart_figure, outreach_chart_png, outreach_chart_svg
from bot.render.page import report_html
from bot.render.words import ChartLabels, chart_labels
from storage import events
from storage.events import Audience, EventFields
from storage.figures.statistics import (
    OutreachFigures,
    Period,
    outreach_figures,
    transparency_figures,
)
from tests.support.outbox import NOW

WHOLE_YEARS = Period(date(2019, 1, 1), date(2021, 12, 31))
PART_YEARS = Period(date(2019, 4, 26), date(2021, 4, 15))
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def add_events(session: Session) -> None:
    for day, audiences in ((date(2019, 5, 1), (Audience.STATES, Audience.INDUSTRY)),
                           (date(2021, 3, 5), (Audience.PARLIAMENTARIANS,
                                               Audience.CIVIL_SOCIETY))):
        events.add(session=session, actor="test", now=NOW, fields=EventFields(
            title=f"Invented event {day}", start_date=day, end_date=day, audiences=audiences))
    session.commit()


def figures_of(session: Session, period: Period = WHOLE_YEARS) -> OutreachFigures:
    add_events(session)
    return outreach_figures(session=session, period=period)


def drawn(figures: OutreachFigures, labels: ChartLabels) -> tuple[Figure, list[Text]]:
    """The PNG's figure drawn, no glyph-missing warning allowed, and its visible texts."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
        png = outreach_chart_png(figures, labels)
        with fonts_for_chart():  # as outreach_chart_png draws it
            figure = outreach_chart_figure(figures, labels)
            FigureCanvasAgg(figure).draw()  # type: ignore[no-untyped-call]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"chart-{labels.language}.png").write_bytes(png)
    texts = [text for text in figure.findobj(Text) if text.get_visible() and text.get_text()]
    return figure, texts


def test_the_png_is_an_image_telegram_can_show(session: Session) -> None:
    png = outreach_chart_png(figures_of(session), chart_labels("en", WHOLE_YEARS))
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (800, 800)


def test_the_slide_png_is_full_hd(session: Session) -> None:
    png = outreach_chart_png(figures_of(session), chart_labels("en", WHOLE_YEARS),
                             shape="slide")
    assert Image.open(io.BytesIO(png)).size == (1920, 1080)


def test_the_svg_names_years_and_audiences_in_the_readers_language(session: Session) -> None:
    figures = figures_of(session)
    svg = outreach_chart_svg(figures, chart_labels("fr", WHOLE_YEARS))
    assert svg.startswith('<svg style="direction: ltr"')
    assert "Parlementaires" in svg and "Manifestations de sensibilisation par année" in svg
    assert all(f">{year}<" in svg for year in ("2019", "2020", "2021"))  # 2020 shown as 0
    assert "http" not in svg


@pytest.mark.parametrize("language", ["zh", "ar"])
def test_arabic_and_chinese_charts_speak_their_language(session: Session,
                                                        language: str) -> None:
    labels = chart_labels(language, PART_YEARS)
    assert labels.by_year != chart_labels("en", PART_YEARS).by_year
    _, texts = drawn(figures_of(session, PART_YEARS), labels)
    on_chart = {text.get_text() for text in texts}
    words = [labels.title, labels.caption, labels.by_audience, labels.by_year,
             labels.audiences["states"], labels.all_events, labels.partial_year_note]
    assert {shaped(word, language) for word in words} <= on_chart


def test_arabic_png_text_is_joined_and_right_to_left(session: Session) -> None:
    labels = chart_labels("ar", PART_YEARS)
    _, texts = drawn(figures_of(session, PART_YEARS), labels)
    on_chart = {text.get_text() for text in texts}
    assert labels.by_year not in on_chart  # not as typed: letters unjoined, logical order
    # joined (presentation forms), then in display order: Agg draws left to right
    assert reshape(labels.by_year)[::-1] in on_chart
    assert any("\ufe70" <= letter <= "\ufeff" for letter in reshape(labels.by_year))


@pytest.mark.parametrize("language", ["ar", "zh", "en", "fr", "es", "ru"])
def test_chart_texts_neither_overlap_nor_leave_the_image(session: Session, language: str) -> None:
    labels = chart_labels(language, PART_YEARS, invented=True)
    figure, texts = drawn(figures_of(session, PART_YEARS), labels)
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [(text.get_text(), text.get_window_extent(renderer)) for text in texts]
    assert len(boxes) > 15
    overlapping = [(a, b) for (a, box_a), (b, box_b) in combinations(boxes, 2)
                   if box_a.overlaps(box_b)]
    assert overlapping == []
    width, height = figure.canvas.get_width_height()
    # (a number past an axis' limits is an undrawn tick matplotlib keeps: not checked)
    cut = [text for text, box in boxes if not text.replace(".", "").isdigit()
           and (box.x0 < 0 or box.y0 < 0 or box.x1 > width or box.y1 > height)]
    assert cut == []  # nothing drawn past the image's edges


def test_the_chart_states_period_source_and_partial_years(session: Session) -> None:
    figures = figures_of(session, PART_YEARS)
    svg = outreach_chart_svg(figures, chart_labels("en", PART_YEARS))
    assert "26 April 2019 \u2013 15 April 2021 · Source: 1540 Committee registry" in svg
    assert ">2019*<" in svg and ">2021*<" in svg and ">2020<" in svg
    assert "* partial year" in svg
    whole = outreach_chart_svg(outreach_figures(session=session, period=WHOLE_YEARS),
                               chart_labels("en", WHOLE_YEARS))
    assert ">2019<" in whole and ">2021<" in whole and "partial year" not in whole


def test_invented_data_are_marked_only_when_the_caller_says_so(session: Session) -> None:
    figures = figures_of(session)
    assert "Invented data" in outreach_chart_svg(figures, chart_labels("en", WHOLE_YEARS,
                                                                       invented=True))
    assert "Invented data" not in outreach_chart_svg(figures, chart_labels("en", WHOLE_YEARS))


def test_the_arabic_page_keeps_its_chart_left_to_right(session: Session) -> None:
    add_events(session)
    page = report_html(transparency_figures(session=session, period=WHOLE_YEARS), "ar",
                       date(2022, 1, 10))
    assert '<html lang="ar" dir="rtl"' in page
    figure = page[page.index("<figure"):page.index("</figure>")]
    assert 'dir="ltr"' in figure[:figure.index(">")]
    assert '<svg style="direction: ltr"' in figure
    labels = chart_labels("ar", WHOLE_YEARS)
    assert labels.by_year in figure  # as typed: the browser shapes Arabic itself


def test_without_the_font_the_chart_keeps_english_words_and_says_why(
        session: Session, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(chart_fonts, "font_available", lambda family: False)
    monkeypatch.setattr(chart_fonts, "_warned", set())
    figures = figures_of(session)
    with caplog.at_level(logging.WARNING):
        svg = outreach_chart_svg(figures, chart_labels("zh", WHOLE_YEARS))
        outreach_chart_svg(figures, chart_labels("zh", WHOLE_YEARS))
    assert "Outreach events by year" in svg and "外联活动" not in svg
    warned = [record.getMessage() for record in caplog.records]
    assert len(warned) == 1 and "fonts-noto-cjk" in warned[0]
