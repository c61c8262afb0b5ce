"""The demo's invented data give the paper's figures of sections 4.6, 4.7 and 6 over its
period, on both backends, in the figures, the JSON, the CSV and the text: "A trilateral peer
review between the Kyrgyz Republic, the Republic of Tajikistan and the Republic of Belarus was
conducted between 2014 and 2017. A review between Chile and Colombia took place in 2017. In
2019 peer reviews were conducted between the Dominican Republic and Panama, and between
Paraguay and Uruguay" (4 reviews, 9 States); "currently supporting two States, namely
Botswana and Mongolia"; CARICOM, OAS and OSCE's regional 1540 coordinators and UNODA's for
Africa and Asia (5). The rows just outside each rule are left out."""

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from storage.action_plans import drafts
from storage.figures.monitoring import (
    coordinator_figures,
    peer_review_figures,
    preparation_figures,
)
from storage.figures.statistics import PAPER_PERIOD, Period, transparency_figures
from tests.support.cli import Invoke
from tests.support.paper_data import PAPER_FROM, PAPER_TO, load_paper_data

PERIOD = ("--from", PAPER_FROM, "--to", PAPER_TO)
FIGURES = {
    ("peer_reviews", "reviews"): 4,
    ("peer_reviews", "states"): 9,
    ("peer_reviews", "by_year.2016"): 1,
    ("peer_reviews", "by_year.2017"): 2,
    ("peer_reviews", "by_year.2018"): 0,
    ("peer_reviews", "by_year.2019"): 2,
    ("peer_reviews", "states_by_year.2017"): 5,
    ("peer_reviews", "conducted"):
        "KGZ-TJK-BLR 2014-2017;CHL-COL 2017;DOM-PAN 2019;PRY-URY 2019",
    ("peer_reviews", "meetings"): 8,
    ("action_plans", "in_preparation"): 2,
    ("action_plans", "in_preparation_states"): "BWA;MNG",
    ("action_plans", "in_preparation_by_supporter.committee"): 1,
    ("action_plans", "in_preparation_by_supporter.OSCE"): 1,
    ("coordinators", "count"): 5,
    ("coordinators", "organisations"): 4,
    ("coordinators", "by_organisation.UNODA"): "Africa;Asia",
}


def leaf(data: dict[str, object], section: str, path: str) -> object:
    value: object = data[section]
    for key in path.split("."):
        assert isinstance(value, dict)
        value = value[key]
    return ";".join(map(str, value)) if isinstance(value, list) else value


@pytest.mark.usefixtures("invented")
def test_the_report_holds_the_papers_reviews_plans_and_coordinators(
    outreach: Invoke, session: Session
) -> None:
    reviews = peer_review_figures(session=session, period=PAPER_PERIOD)
    assert (reviews.reviews, reviews.states) == (4, 9)
    assert reviews.conducted[0].codes == ("KGZ", "TJK", "BLR")
    plans = preparation_figures(session=session, period=PAPER_PERIOD)
    assert [(line.code, line.supported_by) for line in plans.in_preparation] == [
        ("BWA", "committee"), ("MNG", "OSCE")]
    coordinators = coordinator_figures(session=session)
    assert dict(coordinators.by_organisation) == {
        "CARICOM": ("the Caribbean",), "OAS/CICTE": ("the Americas",),
        "OSCE": ("the OSCE region",), "UNODA": ("Africa", "Asia")}
    data = json.loads(outreach("report", *PERIOD, "--format", "json").output)
    rows = {(r["section"], r["figure"]): r["value"] for r in csv.DictReader(io.StringIO(
        outreach("report", *PERIOD, "--format", "csv").output))}
    for (section, path), value in FIGURES.items():
        assert leaf(data, section, path) == value, path
        assert rows[(section, path)] == str(value), path


@pytest.mark.usefixtures("invented")
def test_the_text_says_it_in_the_papers_sentences(outreach: Invoke) -> None:
    text = " ".join(outreach("report", *PERIOD).output.split())
    for sentence in (
        "From 26 April 2016 to 15 April 2022, 4 peer reviews were conducted among 9 States: a"
        " trilateral review between Kyrgyzstan, Tajikistan and Belarus between 2014 and 2017;"
        " a review between Chile and Colombia in 2017;",
        "a review between Paraguay and Uruguay in 2019.",
        "On 15 April 2022 the Committee and its partners were supporting 2 States, namely"
        " Botswana (with the 1540 Committee) and Mongolia (with OSCE), in the process of"
        " developing their action plans.",
        "5 regional 1540 coordinators of 4 organisations are recorded (as recorded today):"
        " CARICOM for the Caribbean; OAS/CICTE for the Americas; OSCE for the OSCE region;"
        " UNODA for Africa and Asia.",
    ):
        assert sentence in text


@pytest.mark.usefixtures("invented")
def test_the_rows_just_outside_each_rule_are_left_out(session: Session) -> None:
    """A review that ended in 2015 and one that began in 2023 count once the period reaches
    their years; the draft opened the day after the period and the one discontinued on its
    last day are out of it, in on the day each rule lets them in; the former coordinator,
    inactive, never counts."""
    wider = peer_review_figures(session=session, period=Period(date(2015, 12, 31),
                                                               date(2023, 1, 1)))
    assert (wider.reviews, wider.states) == (6, 13)
    assert (wider.by_year[2015], wider.by_year[2023]) == (2, 1)  # with KGZ-TJK-BLR
    after = PAPER_PERIOD.end + timedelta(days=1)
    assert [line.code for line in preparation_figures(
        session=session, period=Period(PAPER_PERIOD.start, after)).in_preparation] == [
        "BWA", "LSO", "MNG"]
    before = PAPER_PERIOD.end - timedelta(days=1)
    assert [line.code for line in preparation_figures(
        session=session, period=Period(PAPER_PERIOD.start, before)).in_preparation] == [
        "BWA", "MNG", "TLS"]
    figures = transparency_figures(session=session, period=PAPER_PERIOD)
    assert figures.coordinators.count == 5
    assert "Central Asia" not in str(figures.coordinators.by_organisation)


def test_the_whole_demo_closes_a_draft_by_its_plan_and_keeps_the_papers_counts(
    session: Session, tmp_path: Path
) -> None:
    """With the invented submissions loaded, the draft of the State whose action plan came
    latest in the period was closed by that plan, linked to it; the paper's 44 plans of 36
    States, 22 organisations with a PoC and 2 plans in preparation stand."""
    load_paper_data(session, tmp_path / "demo")
    closed = [view for view in drafts.listing(session=session)
              if view.draft.outcome == "submitted"]
    assert len(closed) == 1
    [view] = closed
    assert view.submission is not None and view.submission.kind == "action_plan"
    assert view.draft.closed_on == view.submission.submitted_on
    assert view.draft.closed_on is not None and view.draft.closed_on in PAPER_PERIOD
    figures = transparency_figures(session=session, period=PAPER_PERIOD)
    assert (figures.reporting.action_plans, figures.reporting.action_plan_states) == (44, 36)
    assert figures.reporting.orgs_with_poc == 22
    assert figures.action_plans_in_preparation.count == 2
    assert (figures.peer_reviews.reviews, figures.coordinators.count) == (4, 5)
