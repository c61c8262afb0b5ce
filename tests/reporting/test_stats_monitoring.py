"""/stats in the staff's chat tells the reporting freshness and the PoC trainings of the
period, in English and in French; the real PTB Application against the fake Bot API, both
backends."""

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from storage import submissions
from storage.staff import set_language
from tests.support.chat import staff_bot, write
from tests.support.fake_bot_api import FakeBotApi
from tests.support.outbox import NOW
from tests.support.personas import STAFF
from tests.trainings.builders import add_course, attended, party_id, poc_of


@pytest.fixture
def registry(session: Session, staff: None) -> None:
    for code, day in (("KEN", date(2004, 9, 1)), ("FRA", date(2019, 3, 3))):
        submissions.add(session=session, party_id=party_id(session, code),
                        kind="first_report", submitted_on=day, symbol="", note="",
                        actor="test", now=NOW)
    course = add_course(session, date(2019, 5, 5), "BRB", "caricom")
    attended(session, course, poc_of(session, "JAM"))
    poc_of(session, "BHS")
    session.commit()


@pytest.mark.usefixtures("registry")
async def test_stats_tells_non_reporting_at_both_ends_silent_states_and_courses(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    async with staff_bot(api, engine):
        english = (await write(api, STAFF, "/stats 2019-01-01 2019-12-31")).text
        set_language(session=session, telegram_user_id=STAFF, language="fr", actor="test",
                     now=NOW)
        session.commit()
        french = (await write(api, STAFF, "/stats 2019-01-01 2019-12-31")).text
    assert "Non-reporting States: <b>192</b> on 1 January 2019, <b>191</b> on 31 December" in (
        english)
    assert ("<b>1</b> reporting State has sent no national report or additional information"
            " since 2008.") in english
    assert ("Point of Contact training courses: <b>1</b>; the PoCs of 1 States attended at"
            " least one, those of 1 States with a PoC none.") in english
    assert "États n'ayant pas présenté de rapport : <b>192</b> le 1 janvier 2019" in french
    assert "Cours de formation des points de contact : <b>1</b>" in french
