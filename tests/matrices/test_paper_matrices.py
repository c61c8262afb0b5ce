"""The demo's invented matrices give the seed paper's section 4.3 over its period, on both
backends: through `matrix_figures`, `outreach report` as JSON, CSV, text and the HTML page.

"79% of possible measures were recorded for operative paragraph 1 ...; 77% for operative
paragraph 2 ..., 51% for operative paragraph 3 (c) and (d) ... and 40% for operative paragraph
3 (a) and (b) ... 61% ... nuclear weapons (NW), compared to 58% for chemical weapons (CW) and
50% for biological weapons (BW)"; "The recorded implementation increased globally since 2016
by approximately 6%, with differing degrees within the five UN regional groups."
"""

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from bot.render.words import labels
from storage.figures.matrices import matrix_figures
from storage.figures.statistics import PAPER_PERIOD, Period
from tests.support.cli import Invoke
from tests.support.paper_data import PAPER_FROM, PAPER_TO, load_paper_matrices

PERIOD = ("--from", PAPER_FROM, "--to", PAPER_TO)
# figure path below `matrices` in the JSON (and the CSV) -> the paper's value
FIGURES = {
    "by_section.op1": 79, "by_section.op2": 77, "by_section.op3_cd": 51,
    "by_section.op3_ab": 40, "by_category.nw": 61, "by_category.cw": 58,
    "by_category.bw": 50, "change_points": 6, "states": 193, "states_since": 193,
    "overall.percent": 56, "percent_since": 50, "approved": 193, "published": 193,
}


@pytest.fixture
def paper_matrices(session: Session) -> None:
    load_paper_matrices(session)


def leaf(data: dict[str, object], path: str) -> object:
    value: object = data["matrices"]
    for key in path.split("."):
        assert isinstance(value, dict)
        value = value[key]
    return value


def test_the_figures_json_and_csv_hold_the_papers_matrix_figures(
    outreach: Invoke, session: Session, paper_matrices: None
) -> None:
    figures = matrix_figures(session=session, period=PAPER_PERIOD, since=PAPER_PERIOD.start)
    assert {k: s.percent for k, s in figures.now.by_section.items()} == {
        "op1": 79, "op2": 77, "op3_cd": 51, "op3_ab": 40}
    assert {k: s.percent for k, s in figures.now.by_category.items()} == {
        "nw": 61, "cw": 58, "bw": 50}
    assert figures.change == 6
    changes = figures.change_by_regional_group
    assert len(set(changes.values())) == 5, changes  # differing degrees in every group
    assert all(change > 0 for change in changes.values())
    data = json.loads(outreach("report", *PERIOD, "--format", "json").output)
    rows = {r["figure"]: r["value"] for r in csv.DictReader(io.StringIO(
        outreach("report", *PERIOD, "--format", "csv").output)) if r["section"] == "matrices"}
    for path, value in FIGURES.items():
        assert leaf(data, path) == value, path
        assert rows[path] == str(value), path
    for group, change in changes.items():
        assert leaf(data, f"change_by_regional_group.{group}") == change
        assert rows[f"change_by_regional_group.{group}"] == str(change)
    assert (data["matrices"]["as_of"], data["matrices"]["since"]) == (PAPER_TO, PAPER_FROM)


def test_the_versions_just_outside_each_rule_are_left_out(
    session: Session, paper_matrices: None
) -> None:
    """The demo holds a version approved the day after the period (NOR) and one sent and
    never approved (PER), every measure recorded in both: a day later, the first counts."""
    end = PAPER_PERIOD.end
    on_d = matrix_figures(session=session, period=PAPER_PERIOD, since=PAPER_PERIOD.start)
    later = matrix_figures(session=session, period=Period(end, end + timedelta(days=1)),
                           since=end)
    assert later.now.overall.recorded - on_d.now.overall.recorded > 0
    assert later.then == on_d.now
    assert (later.approved, later.published) == (1, 0)  # NOR's, approved on the 16th
    years_on = matrix_figures(session=session, period=Period(end, date(2026, 1, 1)),
                              since=end)
    # PER's draft is never counted: its 2020 version still is
    assert years_on.now.overall.recorded == later.now.overall.recorded
    before = matrix_figures(session=session, period=Period(date(2016, 1, 10),
                                                           date(2016, 1, 11)),
                            since=date(2016, 1, 10))
    # the day before the first 2016 approvals, none; on it, the three States approved then
    assert (before.then.states, before.now.states) == (0, 3)


def test_the_text_says_the_papers_sentences_and_the_page_draws_the_groups(
    outreach: Invoke, paper_matrices: None, tmp_path: Path
) -> None:
    text = " ".join(outreach("report", *PERIOD).output.split())
    for sentence in (
        "The recorded implementation increased globally since 26 April 2016 by approximately"
        " 6 percentage points (50% to 56% of possible measures recorded), with differing"
        " degrees within the five UN regional groups: African States +",
        "shows that 79% of possible measures were recorded for operative paragraph 1 (the"
        " obligation to refrain from providing support to non-State actors); 77% for"
        " operative paragraph 2 (prohibitions), 51% for operative paragraph 3 (c) and (d)"
        " (border and export controls) and 40% for operative paragraph 3 (a) and (b)",
        "on a global basis 61% of the possible measures were recorded in relation to nuclear"
        " weapons (NW), compared to 58% for chemical weapons (CW) and 50% for biological"
        " weapons (BW).",
        "From 26 April 2016 to 15 April 2022, 193 matrices were approved by the States"
        " concerned and 193 published.",
    ):
        assert sentence in text
    page_file = tmp_path / "report.html"
    assert outreach("report", *PERIOD, "--format", "html", "--lang", "fr",
                    "--out", str(page_file)).exit_code == 0
    page = page_file.read_text(encoding="utf-8")
    section = page[page.index('<section id="matrices">'):]
    section = section[:section.index("</section>")]
    french = labels("fr")
    assert french["section.matrices"] != labels("en")["section.matrices"]
    assert f"<h2>{french['section.matrices']}</h2>".replace("'", "&#39;") in section
    assert 'data-figure="matrices.by_section.op1"' in section
    assert "<svg" in section and french["group.AFR"] in section
