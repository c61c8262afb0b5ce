"""The matrices in the chat: staff's /matrix STATE shows a State's latest version, its dates
and shares (and which version the figures count); a PoC's /mystatus shows their own State's
latest approved matrix, in the PoC's language, never another State's.

The real reply Application against the fake Bot API; both backends.
"""

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from bot.chat.common import say
from storage import invitations
from storage.matrices.versions import CELLS, Cell
from tests.matrices.support import version
from tests.support.chat import staff_bot, write
from tests.support.fake_bot_api import FakeBotApi
from tests.support.outbox import NOW, add_poc
from tests.support.personas import STAFF, STRANGER

CHAT = 5550140


def kenya(session: Session) -> None:
    """Version 1 approved and published; version 2 a draft under review."""
    given = tuple(Cell(section, category, {"op1": 8, "op2": 7, "op3_cd": 5, "op3_ab": 4}[
        section], 10) for section, category in CELLS)
    version(session, "KEN", 1, date(2020, 6, 1), approved=date(2020, 12, 2),
            published=date(2020, 12, 18), given=given)
    version(session, "KEN", 2, date(2026, 9, 1), recorded=9)
    version(session, "TZA", 1, date(2020, 6, 1), approved=date(2020, 12, 2), recorded=1)
    session.commit()


async def test_matrix_shows_the_latest_version_and_the_one_the_figures_count(
    api: FakeBotApi, engine: Engine, session: Session, staff: None
) -> None:
    kenya(session)
    async with staff_bot(api, engine):
        answer = await write(api, STAFF, "/matrix Kenya")
        typo = await write(api, STAFF, "/matrix Kenia")
        nothing = await write(api, STAFF, "/matrix")
        none_yet = await write(api, STAFF, "/matrix PER")
        stranger = await write(api, STRANGER, "/matrix KEN")
    assert answer.text.startswith("<b>Kenya</b> (KEN)\nMatrix version 2 (template 2017)")
    assert "Not yet approved by the State" in answer.text
    assert "Measures recorded: 108 of 120 (90%)" in answer.text
    assert "The figures count version 1, approved on 2 December 2020." in answer.text
    assert typo.text.startswith('No Member State is called "Kenia". Did you mean KEN (Kenya)?')
    assert nothing.text == say("matrices", "matrix_usage", "en")
    assert none_yet.text == "No matrix is recorded for <b>Peru</b> (PER)."
    assert "Kenya" not in stranger.text


async def test_mystatus_shows_the_pocs_own_states_latest_approved_matrix_in_their_language(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    kenya(session)
    poc_id = add_poc(session, "KEN", "Wanjiru Test-Person", "wanjiru@example.org",
                     language="fr")
    token = invitations.create_invitation(session=session, poc_id=poc_id, actor="test",
                                          now=NOW)
    session.commit()
    async with staff_bot(api, engine):
        await write(api, CHAT, f"/start {token}")
        status = await write(api, CHAT, "/mystatus")
    matrix = status.text.split("\n\n")[-1]
    assert matrix.startswith("<b>La matrice du Comité</b>\n"
                             "Version 1, approuvée par votre État le 2 décembre 2020")
    assert "Publiée le 18 décembre 2020" in matrix
    assert "Mesures consignées : 72 sur 120 (60 %)" in matrix
    assert "PD 1 80%; PD 2 70%; PD 3 c)-d) 50%; PD 3 a)-b) 40%" in matrix
    assert "(90" not in status.text  # the draft under review is not shown to the PoC
    assert "12 sur 120" not in status.text  # nor Tanzania's matrix


async def test_stats_gives_the_matrices_share_and_its_change_over_the_period(
    api: FakeBotApi, engine: Engine, session: Session, staff: None
) -> None:
    version(session, "KEN", 1, date(2015, 6, 1), approved=date(2016, 1, 5), recorded=4)
    version(session, "KEN", 2, date(2020, 6, 1), approved=date(2020, 12, 2), recorded=7)
    version(session, "PER", 1, date(2020, 6, 1), approved=date(2022, 4, 16),
            recorded=10)  # the day after the period: not counted
    session.commit()
    async with staff_bot(api, engine):
        answer = await write(api, STAFF, "/stats 2016-04-26 2022-04-15")
        await write(api, STAFF, "/language fr")
        french = await write(api, STAFF, "/stats 2016-04-26 2022-04-15")
    assert ("Matrices: <b>70%</b> of possible measures recorded in the approved matrix of 1"
            " State (+30 points over the period).") in answer.text
    assert ("Matrices : <b>70 %</b> des mesures possibles consignées dans la matrice approuvée"
            " de 1 État (+30 points sur la période).") in french.text
