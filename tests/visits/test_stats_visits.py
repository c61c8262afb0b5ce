"""/stats tells what the Committee's visits led to and the other committees' visits it took
part in, in English and in French; /report's page has the cooperation section in Arabic."""

import re

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.render.page import report_html
from bot.render.words import labels
from storage.figures.statistics import PAPER_PERIOD, transparency_figures
from storage.staff import set_language
from tests.support.chat import staff_bot, write
from tests.support.fake_bot_api import FakeBotApi
from tests.support.outbox import NOW
from tests.support.paper_data import PAPER_FROM, PAPER_TO, load_paper_events
from tests.support.personas import STAFF


@pytest.fixture
def paper_registry(session: Session, staff: None) -> None:
    load_paper_events(session)


async def test_stats_tells_the_visits_outcomes_and_the_cooperation_in_english_and_french(
    api: FakeBotApi, engine: Engine, session: Session, paper_registry: None
) -> None:
    async with staff_bot(api, engine):
        english = await write(api, STAFF, f"/stats {PAPER_FROM} {PAPER_TO}")
    assert ("Those visits led to <b>5</b> national reports drafted and <b>3</b> action plans;"
            " <b>9</b> gave advice on legislation and regulations.") in english.text
    assert ("Visits of other committees the 1540 Committee took part in: <b>3</b> of the CTC,"
            " <b>1</b> of the 1267 Committee, <b>0</b> joint.") in english.text
    set_language(session=session, telegram_user_id=STAFF, language="fr", actor="test",
                 now=NOW)
    session.commit()
    async with staff_bot(api, engine):
        french = await write(api, STAFF, f"/stats {PAPER_FROM} {PAPER_TO}")
    assert ("Visites d'autres comités auxquelles le Comité 1540 a participé : <b>3</b> du CCT,"
            " <b>1</b> du Comité 1267, <b>0</b> conjointes.") in french.text
    assert "<b>5</b> rapports nationaux" in french.text


@pytest.mark.usefixtures("paper_registry")
def test_the_page_shows_the_visits_outcomes_and_the_cooperation_in_arabic(
    session: Session
) -> None:
    figures = transparency_figures(session=session, period=PAPER_PERIOD)
    html = report_html(figures, "ar", generated_on=NOW.date())
    words = labels("ar")
    assert f"<h2>{words['section.cooperation']}</h2>" in html
    for figure, value in (("cooperation.visits_by_lead_body.ctc", "3"),
                          ("cooperation.visits_by_lead_body.c1267", "1"),
                          ("visits.states", "16"), ("visits.by_outcome.action_plan", "3")):
        found = re.search(rf'data-figure="{re.escape(figure)}"><th[^>]*>([^<]*)</th>'
                          r'<td[^>]*>([^<]*)</td>', html)
        assert found, figure
        assert found.group(2) == value
    assert words["lead.ctc"] in html and words["lead.ctc"] != "Counter-Terrorism Committee (CTC)"


async def test_events_shows_who_led_a_visit_of_another_committee(
    api: FakeBotApi, engine: Engine, session: Session, staff: None
) -> None:
    from datetime import date

    from storage import events
    from storage.events import EventFields

    for title, lead in (("Visit of the CTC (invented)", "ctc"),
                        ("Visit of the Committee (invented)", "committee")):
        events.add(session=session, actor="test", now=NOW, fields=EventFields(
            title=title, start_date=date(2023, 5, 2), end_date=date(2023, 5, 2),
            type="visit", lead_body=lead))
    session.commit()
    async with staff_bot(api, engine):
        answer = await write(api, STAFF, "/events")
    blocks = re.split(r"\n(?=\d+\. )", answer.text)
    [ctc] = [block for block in blocks if "Visit of the CTC" in block]
    [own] = [block for block in blocks if "Visit of the Committee" in block]
    assert "led by the CTC" in ctc
    assert "led by" not in own
