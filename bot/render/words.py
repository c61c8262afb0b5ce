"""The words of the transparency report in the reader's language, from templates/report/.

templates/report/en/labels.j2 holds one dict of words marked for translation, each with its key
as the translators' context; the catalogue check (tests/rules/test_translations.py) keeps every
language complete.

ChartLabels lives here, not beside the chart in bot.render.charts, so that the report's words
come without matplotlib: the chart imports its words, never the other way round. The CLI
imports this module at start (for the report's formats); babel waits for a date to write.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from bot.render.templates import DEFAULT_LANGUAGE, environment, long_date
from storage.figures.statistics import Period
from storage.parties import UN_LANGUAGES

# Punctuation, not words: the en dash between two dates reads the same in every language.
DATE_RANGE = "{start} \u2013 {end}"
LABELS = "report/en/labels.j2"


@dataclass(frozen=True)
class ChartLabels:
    """Every word on the chart, already in the reader's language."""

    by_audience: str
    by_year: str
    events: str
    all_events: str
    audiences: Mapping[str, str]  # audience code -> name
    title: str
    caption: str  # the period and the source, under the title
    partial_year_note: str  # explains the "*" after a year the period does not cover whole
    invented_note: str | None  # said on the chart when its data are invented (the demo's)
    period: Period
    language: str
    invented: bool


@cache
def labels(language: str) -> dict[str, str]:
    """Every label in `language`: templates/report/en/labels.j2 rendered through that
    language's catalogue (templates/locale/<language>/LC_MESSAGES/report.po)."""
    language = language if language in UN_LANGUAGES else DEFAULT_LANGUAGE
    found = environment(language).get_template(LABELS).module.labels  # type: ignore[attr-defined]
    return {str(key): str(value) for key, value in found.items()}


def chart_labels(language: str, period: Period, invented: bool = False) -> ChartLabels:
    """The chart's words in `language` for figures of `period`; `invented`: the data are
    made up (the demo's) and the chart must say so."""
    language = language if language in UN_LANGUAGES else DEFAULT_LANGUAGE
    words = labels(language)
    dates = DATE_RANGE.format(start=long_date(period.start, language),
                              end=long_date(period.end, language))
    return ChartLabels(
        by_audience=words["chart.by_audience"],
        by_year=words["chart.by_year"],
        events=words["chart.events"],
        all_events=words["chart.all_events"],
        audiences={key.removeprefix("audience."): value for key, value in words.items()
                   if key.startswith("audience.")},
        title=words["outreach.events"],
        caption=f"{dates} · {words['chart.source']}",
        partial_year_note=f"* {words['chart.partial_year']}",
        invented_note=words["chart.invented"] if invented else None,
        period=period,
        language=language,
        invented=invented,
    )
