"""/stats tells the peer reviews, the plans in preparation and the coordinators in the
staff's working languages, English and French, on the demo's invented records."""

import pytest
from sqlmodel import Session

from bot.chat.common import say
from storage.figures.statistics import PAPER_PERIOD, transparency_figures


@pytest.mark.usefixtures("invented")
@pytest.mark.parametrize(("language", "sentence"), [
    ("en", "Peer reviews: <b>4</b> among 9 States. Action plans in preparation on the last"
           " day: <b>2</b>. Regional 1540 coordinators (today): <b>5</b>."),
    ("fr", "Examens par les pairs : <b>4</b> entre 9 États. Plans d'action en préparation le"
           " dernier jour : <b>2</b>. Coordonnateurs régionaux 1540 (aujourd'hui) : <b>5</b>."),
])
def test_stats_says_the_reviews_plans_and_coordinators(
    session: Session, language: str, sentence: str
) -> None:
    figures = transparency_figures(session=session, period=PAPER_PERIOD)
    text = " ".join(say("stats", "stats", language, figures=figures).split())
    assert sentence in text
    assert "<b>8</b>" in text  # the reviews' meetings, still told beside the visits
