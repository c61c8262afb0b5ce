"""The transparency page: one self-contained HTML file, readable on a phone, fetching nothing.

Tables are report_data's sections with their labels; the chart is inline SVG. The page is
rendered from templates/report/en/page.html.j2 (one layout, words from labels.j2 of the
reader's language), with lang= and dir= set for Arabic.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.render.charts import outreach_chart_svg
from bot.render.matrix_chart import matrix_chart_svg, matrix_chart_words
from bot.render.report import SECTIONS, report_data, section_period
from bot.render.templates import direction, long_date, render
from bot.render.words import chart_labels, labels
from storage.figures.statistics import TransparencyFigures

# A group of figures whose items are named by a shared vocabulary rather than per section.
ITEM_VOCABULARY = {"by_audience": "audience.", "by_iro_involvement": "iro.",
                   "by_type": "type.", "by_regional_group": "group.",
                   "states_by_report_count": "report_count.", "states_by_area": "area.",
                   "by_section": "matrix_section.", "by_category": "weapon.",
                   "change_by_regional_group": "group.",
                   "by_outcome": "outcome.", "outcomes_with_submission": "outcome.",
                   "by_authority": "authority.", "visits_by_lead_body": "lead.",
                   "states_by_lead_body": "lead.",
                   "by_region": "region.", "hosts_by_region": "region."}
# Shown as a table of its own (years x audiences), not as rows.
MATRIX = "by_year_and_audience"
# A monitored section's own window (its `period`): rows named by the words window.from and
# window.to, and a line under its heading when it is not the page's period.
WINDOW = "period"


@dataclass(frozen=True)
class PageRow:
    label: str
    value: str
    key: str  # section.figure path, as in the JSON and the CSV: a stable hook for tests
    heading: bool = False


@dataclass(frozen=True)
class PageSection:
    key: str
    heading: str
    rows: list[PageRow]
    # the section's own window, when it is not the page's period (MONITORED_SECTIONS)
    window: tuple[str, str] | None = None


def _value(value: Any) -> str:
    return ", ".join(str(item) for item in value) if isinstance(value, list) else str(value)


def _rows(section: str, content: Mapping[str, Any], words: Mapping[str, str]) -> list[PageRow]:
    rows: list[PageRow] = []
    for key, value in content.items():
        path = f"{section}.{key}"
        if key == MATRIX:
            continue
        if not isinstance(value, Mapping):
            rows.append(PageRow(words.get(path, path), _value(value), path))
            continue
        rows.append(PageRow(words.get(WINDOW if key == WINDOW else path, path), "", path,
                            heading=True))
        vocabulary = WINDOW + "." if key == WINDOW else ITEM_VOCABULARY.get(key)
        for item, count in value.items():
            name = f"{vocabulary}{item}" if vocabulary else f"{path}.{item}"
            if isinstance(count, Mapping):  # an entry with figures of its own (a letter)
                rows += _entry(section, path, str(item), count, words)
                continue
            rows.append(PageRow(words.get(name, str(item)), _value(count), f"{path}.{item}"))
    return rows


def _entry(section: str, path: str, item: str, figures: Mapping[str, Any],
           words: Mapping[str, str]) -> list[PageRow]:
    """A sub-heading ("Letter 3") and the entry's figures, labelled as the entry's own
    (`<path>.<figure>`) or else as the section's figure of that name."""
    heading = f"{words.get(f'{path}.entry', path)} {item}"
    return [PageRow(heading, "", f"{path}.{item}", heading=True), *(
        PageRow(words.get(f"{path}.{figure}", words.get(f"{section}.{figure}", figure)),
                _value(value), f"{path}.{item}.{figure}")
        for figure, value in figures.items())]


def _window(figures: TransparencyFigures, section: str, language: str
            ) -> tuple[str, str] | None:
    window = section_period(figures, section)
    if window == figures.period:
        return None
    return long_date(window.start, language), long_date(window.end, language)


def page_sections(figures: TransparencyFigures, language: str) -> list[PageSection]:
    words = labels(language)
    data = report_data(figures)
    return [PageSection(section, words[f"section.{section}"],
                        _rows(section, data[section], words),
                        _window(figures, section, language))
            for section in SECTIONS]


def report_html(
    figures: TransparencyFigures, language: str, generated_on: date, notice: str | None = None,
    invented: bool = False,
) -> str:
    """The whole page. `notice`, when given, is shown as a banner (e.g. "invented data");
    `invented`: the figures are made up, and the chart says so too."""
    words = labels(language)
    return render(
        "report/page.html.j2", language,
        lang=language, direction=direction(language), words=words,
        start=long_date(figures.period.start, language),
        end=long_date(figures.period.end, language),
        generated_on=long_date(generated_on, language),
        sections=page_sections(figures, language),
        outreach=figures.outreach,
        chart=outreach_chart_svg(figures.outreach, chart_labels(language, figures.period, invented))
        if figures.outreach.events else None,
        matrix_chart=matrix_chart_svg(figures.matrices,
                                      matrix_chart_words(figures.matrices, language, invented))
        if figures.matrices.now.states else None,
        notice=notice,
    )
