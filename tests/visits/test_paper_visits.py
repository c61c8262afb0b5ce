"""The demo's invented data give the seed paper's visit figures (sections 4.5 and 6) over the
paper's period, on both backends, in storage, the JSON report and its text.

"Since 2016, visits have been conducted to 16 States at their invitation ... Two in 2016, four
in 2017 (one State was visited twice), six in 2018, and four in 2019"; "the 1540 Committee
participated ... in three visits to States of the CTC since April 2016, and one visit of the
1267 Committee". The demo also holds rows just outside each rule (a Committee visit and a CTC
visit two days before the period, a deleted visit inside it, an invitation with no visit):
none of them may count.
"""

import json
from datetime import timedelta

import pytest
from sqlmodel import Session

from storage.figures.statistics import PAPER_PERIOD, Period, transparency_figures
from tests.support.cli import Invoke
from tests.support.paper_data import PAPER_FROM, PAPER_TO, load_paper_events

PERIOD = ("--from", PAPER_FROM, "--to", PAPER_TO)


@pytest.fixture
def paper_registry(session: Session) -> None:
    load_paper_events(session)


@pytest.mark.usefixtures("paper_registry")
def test_the_demo_gives_the_papers_visits_and_cooperation_figures(session: Session) -> None:
    figures = transparency_figures(session=session, period=PAPER_PERIOD)
    visits = figures.visits
    assert (visits.events, visits.states) == (17, 16)
    assert dict(visits.states_by_year) == {2016: 2, 2017: 4, 2018: 6, 2019: 4}
    assert dict(visits.by_year) == {2016: 2, 2017: 5, 2018: 6, 2019: 4}
    outcomes = figures.visit_outcomes
    assert outcomes.invited == 17
    assert dict(outcomes.by_outcome) == {"national_report": 5, "action_plan": 3,
                                         "legislation": 9, "other": 1}
    assert dict(outcomes.by_authority) == {"foreign_affairs": 17, "defence": 6, "health": 5,
                                           "police": 4, "customs": 8, "other": 1}
    assert dict(figures.cooperation.visits_by_lead_body) == {"ctc": 3, "c1267": 1, "joint": 0}


@pytest.mark.usefixtures("paper_registry")
def test_the_rows_just_outside_the_period_count_once_it_widens(session: Session) -> None:
    wider = Period(PAPER_PERIOD.start - timedelta(days=2), PAPER_PERIOD.end)
    figures = transparency_figures(session=session, period=wider)
    # the Committee's visit and the CTC's two days before (the deleted one never)
    assert (figures.visits.events, figures.visits.states) == (18, 17)
    assert figures.visit_outcomes.invited == 18
    assert figures.visit_outcomes.by_outcome["national_report"] == 6
    assert figures.cooperation.visits_by_lead_body["ctc"] == 4
    # the outreach figures of the paper's own period are the paper's, whatever was added
    assert transparency_figures(session=session, period=PAPER_PERIOD).outreach.events == 249


@pytest.mark.usefixtures("paper_registry")
def test_the_report_says_the_same_in_json_and_in_the_papers_words(outreach: Invoke) -> None:
    result = outreach("report", *PERIOD, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["visits"]["states"] == 16
    assert data["visits"]["states_by_year"] == {"2016": 2, "2017": 4, "2018": 6, "2019": 4}
    assert data["visits"]["by_year"]["2017"] == 5
    assert data["visits"]["by_outcome"]["action_plan"] == 3
    assert data["cooperation"]["visits_by_lead_body"] == {"ctc": 3, "c1267": 1, "joint": 0}
    text = outreach("report", *PERIOD)
    assert text.exit_code == 0, text.output
    assert "visits have been conducted to 16 States at their invitation (17 visits)" in (
        text.output)
    assert "2017: 4 States in 5 visits" in text.output
    assert ("in 3 visits to States of the CTC and 1 visit of the 1267 Committee"
            in text.output)
