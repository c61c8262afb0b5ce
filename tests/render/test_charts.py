"""The outreach chart: PNG for Telegram, inline SVG for the page, words in the reader's language."""

import io
from datetime import date

from PIL import Image
from sqlmodel import Session

from bot.render.charts import outreach_chart_png, outreach_chart_svg
from bot.render.words import chart_labels
from storage import events
from storage.events import Audience, EventFields
from storage.figures.statistics import OutreachFigures, Period, outreach_figures
from tests.support.outbox import NOW


def figures_with_two_years(session: Session) -> OutreachFigures:
    for day, audiences in ((date(2019, 3, 1), (Audience.STATES, Audience.INDUSTRY)),
                           (date(2021, 5, 5), (Audience.PARLIAMENTARIANS,))):
        events.add(session=session, actor="test", now=NOW, fields=EventFields(
            title=f"Invented event {day}", start_date=day, end_date=day, audiences=audiences))
    session.commit()
    return outreach_figures(session=session, period=Period(date(2019, 1, 1), date(2021, 12, 31)))


def test_the_png_is_an_image_telegram_can_show(session: Session) -> None:
    png = outreach_chart_png(figures_with_two_years(session), chart_labels("en"))
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (800, 800)


def test_the_svg_names_years_and_audiences_in_the_readers_language(session: Session) -> None:
    figures = figures_with_two_years(session)
    svg = outreach_chart_svg(figures, chart_labels("fr"))
    assert svg.startswith("<svg")
    assert "Parlementaires" in svg and "Manifestations de sensibilisation par année" in svg
    assert all(f">{year}<" in svg for year in ("2019", "2020", "2021"))  # 2020 shown as 0
    assert "http" not in svg


def test_arabic_and_chinese_charts_keep_english_words() -> None:
    # matplotlib's own font can neither join Arabic letters nor draw Chinese: no broken text
    assert chart_labels("ar") == chart_labels("en") == chart_labels("zh")
    assert chart_labels("ru").audiences["states"] == "Государства"
