"""Every output reports the seed paper's outreach figures for the invented paper data.

249 events from 26 April 2016 to 15 April 2022 (both days included), approximately 82 % with
organisations, 144 to States and civil society, of which 104 States, 15 academia, 17 industry
and 10 parliamentarians: in `outreach report` as text, JSON, CSV, XLSX and HTML (and /stats,
tests/chat/test_stats_chat.py), on both backends. That the boundary days stay inside whatever
the machine's time zone is in tests/e2e/test_report_time_zones.py.
"""

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from tests.support.cli import Invoke
from tests.support.paper_data import PAPER_FROM, PAPER_TO, load_paper_data

PERIOD = ("--from", PAPER_FROM, "--to", PAPER_TO)
# (section, figure) as in the JSON's paths and the CSV's rows -> the paper's value
FIGURES = {
    ("outreach", "events"): 249,
    ("outreach", "events_with_organisations.percent"): 82,
    ("outreach", "events_states_and_civil_society"): 144,
    ("outreach", "by_audience.states"): 104,
    ("outreach", "by_audience.academia"): 15,
    ("outreach", "by_audience.industry"): 17,
    ("outreach", "by_audience.parliamentarians"): 10,
}


def leaf(data: dict[str, Any], section: str, path: str) -> Any:
    value: Any = data[section]
    for key in path.split("."):
        value = value[key]
    return value


@pytest.fixture
def paper_registry(session: Session, tmp_path: Path) -> None:
    load_paper_data(session, tmp_path / "paper")


def test_json_csv_and_xlsx_hold_the_papers_figures(
    outreach: Invoke, paper_registry: None, tmp_path: Path
) -> None:
    data = json.loads(outreach("report", *PERIOD, "--format", "json").output)
    assert data["period"] == {"from": PAPER_FROM, "to": PAPER_TO}
    rows = {(r["section"], r["figure"]): r["value"] for r in csv.DictReader(io.StringIO(
        outreach("report", *PERIOD, "--format", "csv").output))}
    book = tmp_path / "report.xlsx"
    assert outreach("report", *PERIOD, "--format", "xlsx", "--out", str(book)).exit_code == 0
    workbook = load_workbook(book, read_only=True)
    sheet = {str(figure): value for figure, value in
             workbook["outreach"].iter_rows(min_row=2, values_only=True)}
    for (section, figure), value in FIGURES.items():
        assert leaf(data, section, figure) == value, figure
        assert rows[(section, figure)] == str(value), figure
        assert sheet[figure] == value, figure
    assert data["outreach"]["events_with_organisations"]["count"] == 204
    assert data["visits"]["events"] == 17 and data["visits"]["states"] == 16


def test_the_text_and_the_page_say_the_papers_figures(
    outreach: Invoke, paper_registry: None, tmp_path: Path
) -> None:
    text = " ".join(outreach("report", *PERIOD).output.split())
    for sentence in (
        "From 26 April 2016 to 15 April 2022 the Committee and its experts participated in"
        " 249 outreach events.",
        "Approximately 82% of these events (204) were organised, co-organised by or involved",
        "These included 144 outreach events to States and civil society.",
        "Of these, 104 included outreach to States; 15 to academia; 17 to industry and"
        " professional associations; 10 to parliamentarians",
        "visits have been conducted to 16 States at their invitation (17 visits)",
    ):
        assert sentence in text
    page_file = tmp_path / "report.html"
    assert outreach("report", *PERIOD, "--format", "html", "--out", str(page_file)
                    ).exit_code == 0
    page = page_file.read_text(encoding="utf-8")
    for (section, figure), value in FIGURES.items():
        found = re.search(rf'data-figure="{section}\.{re.escape(figure)}">.*?<td[^>]*>(\d+)<',
                          page)
        assert found and found.group(1) == str(value), figure


def test_visits_by_year_say_how_many_states_beside_how_many_visits(
    outreach: Invoke, paper_registry: None, tmp_path: Path
) -> None:
    """The paper's "four in 2017 (one State was visited twice)": 5 visits, 4 States."""
    data = json.loads(outreach("report", *PERIOD, "--format", "json").output)
    assert (data["visits"]["by_year"]["2017"], data["visits"]["states_by_year"]["2017"]) == (5, 4)
    assert data["visits"]["states_by_year"] == {"2016": 2, "2017": 4, "2018": 6, "2019": 4}
    rows = {(r["section"], r["figure"]): r["value"] for r in csv.DictReader(io.StringIO(
        outreach("report", *PERIOD, "--format", "csv").output))}
    assert (rows[("visits", "by_year.2017")], rows[("visits", "states_by_year.2017")]) == (
        "5", "4")
    text = " ".join(outreach("report", *PERIOD).output.split())
    assert ("visits have been conducted to 16 States at their invitation (17 visits): 2016: 2"
            " States, 2017: 4 States in 5 visits, 2018: 6 States, 2019: 4 States.") in text
    page_file = tmp_path / "report.html"
    assert outreach("report", *PERIOD, "--format", "html", "--out", str(page_file)
                    ).exit_code == 0
    page = page_file.read_text(encoding="utf-8")
    assert "States visited by year" in page
    found = re.search(r'data-figure="visits\.states_by_year\.2017">.*?<td[^>]*>(\d+)<', page)
    assert found and found.group(1) == "4"
