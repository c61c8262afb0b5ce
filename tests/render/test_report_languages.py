"""The transparency page in each UN language: every label in that language, none in English
unless the page marks it so (WCAG 3.1.2)."""

import re
from datetime import date

import pytest
from sqlmodel import Session

from bot.render.catalogue import catalogue
from bot.render.page import report_html
from bot.render.words import labels
from storage.figures.statistics import Period, transparency_figures
from storage.parties import UN_LANGUAGES

OTHER_LANGUAGES = [language for language in UN_LANGUAGES if language != "en"]


def test_every_report_label_exists_in_every_language() -> None:
    english = labels("en")
    for language in OTHER_LANGUAGES:
        words = labels(language)
        assert words.keys() == english.keys()
        known = catalogue(language)
        untranslated = [key for key in english if not known.has(english[key], key)]
        assert untranslated == [], f"{language}: {untranslated}"
        # the same as English only where the word is the same ("Organisations" in French)
        same = {key for key in english if words[key] == english[key]}
        assert len(same) <= 2, f"{language}: {same}"


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_page_shows_no_english_label_unmarked(session: Session, language: str) -> None:
    figures = transparency_figures(session=session,
                                   period=Period(date(2021, 1, 1), date(2021, 12, 31)))
    page = report_html(figures, language, date(2022, 1, 10))
    cells = re.findall(r"<t[hd][^>]*>([^<]+)</t[hd]>", page)
    assert cells, "the page has table cells"
    english = {word for key, word in labels("en").items() if labels(language)[key] != word}
    assert [cell for cell in cells if cell.strip() in english] == []
    assert f'<html lang="{language}"' in page
