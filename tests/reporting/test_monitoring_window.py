"""`outreach report --since`: the monitoring figures (reporting, PoC trainings) count over
their own window beside the outreach period, in one run, and every format says so; without
it the window is the period and the report reads as before."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from storage import submissions
from storage.events import EventType
from tests.support.cli import Invoke
from tests.support.outbox import NOW
from tests.trainings.builders import add_course, attended, party_id, poc_of

PERIOD = ("--from", "2016-04-26", "--to", "2022-04-15")
SINCE = ("--since", "2016-01-01")


@pytest.fixture
def registry(session: Session) -> None:
    """Between the window's start and the period's: a report and a course."""
    submissions.add(session=session, party_id=party_id(session, "KEN"),
                    kind="first_report", submitted_on=date(2016, 2, 1), symbol="", note="",
                    actor="test", now=NOW)
    course = add_course(session, date(2016, 3, 3), "CHL", "latin_america")
    attended(session, course, poc_of(session, "ARG"))
    add_course(session, date(2016, 3, 4), "CHL", event_type=EventType.WORKSHOP,
               title="Workshop")
    session.commit()


def page(outreach: Invoke, folder: Path, *options: str) -> str:
    path = folder / "report.html"
    result = outreach("report", *PERIOD, *options, "--format", "html", "--out", str(path))
    assert result.exit_code == 0, result.output
    return path.read_text(encoding="utf-8")


def report(outreach: Invoke, *options: str) -> dict[str, dict[str, object]]:
    result = outreach("report", *PERIOD, *options, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, dict[str, object]] = json.loads(result.output)
    return data


@pytest.mark.usefixtures("registry")
def test_the_monitoring_figures_count_from_since_and_the_outreach_from_the_period(
    outreach: Invoke, tmp_path: Path
) -> None:
    data = report(outreach, *SINCE)
    assert data["period"] == {"from": "2016-04-26", "to": "2022-04-15"}
    for section in ("reporting", "trainings"):
        assert data[section]["period"] == {"from": "2016-01-01", "to": "2022-04-15"}
    assert data["reporting"]["states_submitting"] == {"count": 1, "percent": 1}
    assert data["trainings"]["courses"] == 1 and data["trainings"]["attended"] == ["ARG"]
    assert data["reporting"]["non_reporting_states_at_start"] == (
        data["reporting"]["non_reporting_states"] + 1)  # type: ignore[operator]
    assert data["outreach"]["events"] == 0  # the March event is before the period

    text = outreach("report", *PERIOD, *SINCE).output
    assert "From 26 April 2016 to 15 April 2022 the Committee" in text
    assert "information from 1 January 2016 to 15 April 2022" in text
    assert "From 1 January 2016 to 15 April 2022, 1 training course for Points of Contact" in (
        text)
    windows = re.findall(r'data-window="(\w+)">[^<]*: 1 January 2016 \u2013 15 April 2022<',
                         page(outreach, tmp_path, *SINCE))
    assert windows == ["reporting", "trainings"]


@pytest.mark.usefixtures("registry")
def test_without_since_the_window_is_the_period_and_no_section_says_otherwise(
    outreach: Invoke, tmp_path: Path
) -> None:
    data = report(outreach)
    assert data["reporting"]["period"] == data["period"] == data["trainings"]["period"]
    assert data["reporting"]["states_submitting"] == {"count": 0, "percent": 0}
    assert data["trainings"]["courses"] == 0
    text = outreach("report", *PERIOD).output
    assert "information from 26 April 2016 to 15 April 2022" in text
    assert "data-window=" not in page(outreach, tmp_path)


def test_the_silent_year_is_asked_for_and_a_bad_window_is_refused(outreach: Invoke) -> None:
    assert report(outreach, "--silent-since", "2012")["reporting"]["silent_since"] == {
        "year": 2012, "count": 0, "states": []}
    late = outreach("report", *PERIOD, "--since", "2022-04-16")
    assert late.exit_code == 2 and "2022-04-16" in late.output
    malformed = outreach("report", *PERIOD, "--since", "2016-13-01")
    assert malformed.exit_code == 2 and "--since" in malformed.output
