"""The demo's invented data give every assistance figure of the seed paper (section 5), over
the paper's period, on both backends: through `assistance_figures`, `outreach report` as
JSON, CSV, text and the HTML page in Arabic.

"Since 2016, a total of 38 requests from 35 States have been received and another one State
has maintained in force a previous request"; of the 35 States, 18 and 19 needed operative
paragraph 3 (a-b) and (c-d), 12 OP 2, 20 training, 12 outreach, 11 legislation, 10
equipment, 11 funding; "20 assistance requests from 18 requesting States published"; "six of
the 16 international organisations registered as assistance providers have responded to as
many as 20 specific requests"; "no regional conferences have taken place since 2016".
"""

import csv
import html
import io
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from bot.render.words import labels
from storage.figures.assistance import assistance_figures
from storage.figures.statistics import PAPER_PERIOD, Period
from tests.support.cli import Invoke
from tests.support.paper_data import PAPER_FROM, PAPER_TO, load_paper_events

PERIOD = ("--from", PAPER_FROM, "--to", PAPER_TO)
AREAS = {"op3_ab": 18, "op3_cd": 19, "op2": 12, "training": 20, "outreach": 12,
         "legislation": 11, "equipment": 10, "funding": 11, "other": 0}
# figure path below `assistance` in the JSON (and the CSV) -> the paper's value
FIGURES = {
    "requests": 38,
    "requesting_states": 35,
    "maintained_states": 1,
    **{f"states_by_area.{area}": count for area, count in AREAS.items()},
    "published.requests": 20,
    "published.states": 18,
    "registered_providers.organisations": 16,
    "organisation_responses.organisations": 6,
    "organisation_responses.requests": 20,
    "regional_conferences": 0,
}


@pytest.fixture
def paper_registry(session: Session) -> None:
    """The demo's invented events and assistance (its PoCs and submissions count in no
    assistance figure, and loading them took most of these specs' time)."""
    load_paper_events(session)


def leaf(data: dict[str, object], path: str) -> object:
    value: object = data["assistance"]
    for key in path.split("."):
        assert isinstance(value, dict)
        value = value[key]
    return value


def test_the_figures_and_the_json_and_csv_hold_the_papers_assistance_figures(
    outreach: Invoke, session: Session, paper_registry: None
) -> None:
    figures = assistance_figures(session=session, period=PAPER_PERIOD)
    assert (figures.requests, figures.requesting_states, figures.maintained_states) == (
        38, 35, 1)
    assert dict(figures.states_by_area) == AREAS
    assert (figures.published_requests, figures.published_states) == (20, 18)
    assert figures.registered_organisations == 16
    assert (figures.responding_organisations,
            figures.requests_answered_by_organisations) == (6, 20)
    assert figures.regional_conferences == 0
    data = json.loads(outreach("report", *PERIOD, "--format", "json").output)
    rows = {r["figure"]: r["value"] for r in csv.DictReader(io.StringIO(
        outreach("report", *PERIOD, "--format", "csv").output)) if r["section"] == "assistance"}
    for path, value in FIGURES.items():
        assert leaf(data, path) == value, path
        assert rows[path] == str(value), path


def test_the_rows_just_outside_each_rule_are_left_out(
    session: Session, paper_registry: None
) -> None:
    """The invented data hold a request the day before and the day after the period, one
    no staff confirmed, an offer after the period and a provider registered after it: a day
    wider each side, the two requests count, and nothing else changes."""
    wider = Period(PAPER_PERIOD.start - timedelta(days=1), PAPER_PERIOD.end + timedelta(days=1))
    figures = assistance_figures(session=session, period=wider)
    assert (figures.requests, figures.requesting_states, figures.maintained_states) == (
        40, 37, 1)
    assert (figures.published_requests, figures.registered_organisations) == (20, 16)
    assert figures.responding_organisations == 6
    later = assistance_figures(session=session, period=Period(PAPER_PERIOD.end, date(2026, 1, 1)))
    # after the period: the request of the day after, the WHO offer, the AU's registration;
    # the published request met in 2023 is off the website by then
    assert (later.requests, later.responding_organisations) == (1, 1)
    assert (later.registered_organisations, later.published_requests) == (17, 19)


def test_the_text_says_the_papers_sentences_and_the_arabic_page_its_figures(
    outreach: Invoke, paper_registry: None, tmp_path: Path
) -> None:
    text = " ".join(outreach("report", *PERIOD).output.split())
    for sentence in (
        "From 26 April 2016 to 15 April 2022, a total of 38 requests from 35 States have been"
        " received and another 1 State has maintained in force a previous request.",
        "Of the 35 States that requested assistance, 18 and 19 needed support on operative"
        " paragraph 3 (a-b) and 3 (c-d) areas respectively. 12 requested assistance on"
        " operative paragraph 2 obligations; 20 requested training; 12 requested assistance"
        " on outreach activities; 11 requested support for drafting legislation; 10 requested"
        " equipment and 11 requested funding support.",
        "On 15 April 2022 there were 20 assistance requests from 18 requesting States"
        " published on the Committee's website.",
        "6 of the 16 international organisations registered as assistance providers have"
        " responded to as many as 20 specific requests",
        "No regional assistance conferences took place from 26 April 2016 to 15 April 2022.",
    ):
        assert sentence in text
    page_file = tmp_path / "report.html"
    assert outreach("report", *PERIOD, "--format", "html", "--lang", "ar",
                    "--out", str(page_file)).exit_code == 0
    page = page_file.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    section = page[page.index('<section id="assistance">'):]
    section = section[:section.index("</section>")]
    arabic, english = labels("ar"), labels("en")
    assert f"<h2>{html.escape(arabic['section.assistance'])}</h2>" in section
    shown = {key: (html.unescape(label), value) for key, label, value in re.findall(
        r'data-figure="assistance\.([^"]+)"><th scope="row">([^<]*)</th><td[^>]*>(\d+)<',
        section)}
    for path, value in FIGURES.items():
        word = f"area.{path.split('.')[1]}" if path.startswith("states_by_area.") \
            else f"assistance.{path}"
        assert shown[path] == (arabic[word], str(value)), path
        assert arabic[word] != english[word], word
    headings = re.findall(r'<th scope="rowgroup" colspan="2">([^<]*)</th>', section)
    assert html.unescape(headings[0]) == arabic["assistance.states_by_area"]
    assert not any(html.unescape(cell) in english.values()
                   for cell in re.findall(r"<t[hd][^>]*>([^<]+)</t[hd]>", section))
