"""The HTML page shows the peer reviews, the plans in preparation and the coordinators with
the reader's words: in Arabic, every label of these sections is Arabic, the values the
figures'."""

import html
import re
from pathlib import Path

import pytest

from bot.render.words import labels
from tests.peer_reviews.test_paper_monitoring import PERIOD
from tests.support.cli import Invoke


def section(page: str, key: str) -> str:
    found = page[page.index(f'<section id="{key}">'):]
    return found[:found.index("</section>")]


@pytest.mark.usefixtures("invented")
def test_the_arabic_page_names_every_figure_of_these_sections_in_arabic(
    outreach: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "page.html"
    result = outreach("report", *PERIOD, "--format", "html", "--lang", "ar", "--out", str(path))
    assert result.exit_code == 0, result.output
    page = path.read_text(encoding="utf-8")
    arabic, english = labels("ar"), labels("en")
    rows = {key: (html.unescape(label), value) for key, label, value in re.findall(
        r'data-figure="([^"]+)"><th scope="row">([^<]*)</th><td[^>]*>([^<]*)<', page)}
    for key, value in (("peer_reviews.reviews", "4"), ("peer_reviews.states", "9"),
                       ("peer_reviews.meetings", "8"), ("action_plans.in_preparation", "2"),
                       ("action_plans.in_preparation_states", "BWA, MNG"),
                       ("coordinators.count", "5"), ("coordinators.organisations", "4")):
        assert rows[key] == (arabic[key], value), key
        assert arabic[key] != english[key], key
    assert rows["action_plans.in_preparation_by_supporter.committee"][0] == arabic[
        "action_plans.in_preparation_by_supporter.committee"]
    assert rows["coordinators.by_organisation.UNODA"] == ("UNODA", "Africa, Asia")
    assert f"<h2>{html.escape(arabic['section.coordinators'])}</h2>" in section(
        page, "coordinators")
