"""The demo's invented data give the seed paper's sections 4.2 and 4.4 over its monitoring
window ("since 2016") beside its outreach period, in one run, on both backends, every
earlier figure unchanged; and `outreach demo` says the data is invented on every line that
names States.

4.2: "the number of non-reporting States has been reduced from 17 to 8 ... several States
have not submitted additional information since 2008". 4.4: "From 2016 to date, courses have
been organized in Chile (for the Latin American region), Barbados (for the CARICOM region),
the Russian Federation (two, for the OSCE region), China (two, for the Asia-Pacific region)
and the African Union (two, for the African Union region)." Just outside the rules
(bot/demo/trainings.py): courses the day before and the day after the window and one deleted,
each attended by a State that attended nothing else (NZL, CAN, ISL: among those that never
did); the African Union's PoC at a course (a PoC, not a State).
"""

import csv
import io
import json
import re
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from bot.cli import app
from tests.support.cli import Invoke
from tests.support.paper_data import PAPER_FROM, PAPER_TO, load_paper_data

PERIOD = ("--from", PAPER_FROM, "--to", PAPER_TO)
SINCE = ("--since", "2016-01-01")
REGIONS = {"latin_america": 1, "caricom": 1, "osce": 2, "asia_pacific": 2,
           "african_union": 2, "other": 0, "none": 0}
HOSTS = {"latin_america": ["CHL"], "caricom": ["BRB"], "osce": ["RUS", "RUS"],
         "asia_pacific": ["CHN", "CHN"], "african_union": ["ETH", "ETH"], "other": [],
         "none": []}


@pytest.fixture
def paper_registry(session: Session, tmp_path: Path) -> None:
    load_paper_data(session, tmp_path / "paper")


def test_the_report_gives_the_papers_monitoring_figures_beside_its_outreach(
    outreach: Invoke, paper_registry: None
) -> None:
    data = json.loads(outreach("report", *PERIOD, *SINCE, "--format", "json").output)
    reporting, trainings = data["reporting"], data["trainings"]
    assert reporting["period"] == trainings["period"] == {"from": "2016-01-01",
                                                          "to": PAPER_TO}
    assert (reporting["non_reporting_states_at_start"], reporting["non_reporting_states"]) == (
        17, 8)
    assert set(reporting["non_reporting"]) < set(reporting["non_reporting_at_start"])
    assert reporting["silent_since"]["year"] == 2008
    assert reporting["silent_since"]["count"] == 47
    assert sum(reporting["states_by_latest_year"].values()) == 185
    assert sum(count for year, count in reporting["states_by_latest_year"].items()
               if year < "2008") == 47
    assert trainings["courses"] == 8
    assert trainings["by_region"] == REGIONS and trainings["hosts_by_region"] == HOSTS
    assert (trainings["states_attended"], trainings["pocs_attended"]) == (61, 62)
    assert trainings["states_never_attended"] == 75
    assert {"NZL", "CAN", "ISL"} <= set(trainings["never_attended"])
    assert not {"NZL", "CAN", "ISL"} & set(trainings["attended"])
    # the figures the paper gave before stay as they were
    assert reporting["reporting_states"] == 185
    assert reporting["states_by_report_count"] == {"1": 61, "2": 28, "3+": 96}
    assert reporting["states_submitting"] == {"count": 75, "percent": 39}
    assert (data["action_plans"]["count"], data["action_plans"]["states"]) == (44, 36)
    assert data["outreach"]["events"] == 249 and data["outreach"]["by_type"]["poc_training"] == 8
    assert (data["visits"]["events"], data["visits"]["states"]) == (17, 16)

    rows = {(r["section"], r["figure"]): r["value"] for r in csv.DictReader(io.StringIO(
        outreach("report", *PERIOD, *SINCE, "--format", "csv").output))}
    assert rows[("reporting", "non_reporting_states_at_start")] == "17"
    assert rows[("trainings", "hosts_by_region.osce")] == "RUS;RUS"
    text = " ".join(outreach("report", *PERIOD, *SINCE).output.split())
    assert ("From 1 January 2016 to 15 April 2022 the number of non-reporting States has been"
            " reduced from 17 to 8.") in text
    assert ("8 training courses for Points of Contact were organised: Latin America 1 (in CHL);"
            " CARICOM region 1 (in BRB); OSCE region 2 (in RUS, RUS); Asia-Pacific 2 (in CHN, CHN);"
            " African Union region 2 (in ETH, ETH).") in text
    # the paper's outreach period as the window too: the same 17 and 8 courses
    alone = json.loads(outreach("report", *PERIOD, "--format", "json").output)
    assert alone["reporting"]["non_reporting_states_at_start"] == 17
    assert alone["trainings"]["courses"] == 8


STATE_CODE = re.compile(r"\b(?:CHL|BRB|RUS|CHN|ETH|AUS|BEN|ARM|AUT)\b")


def test_the_demo_says_invented_on_every_line_naming_states(tmp_path: Path) -> None:
    env = {"OUTREACH_DATA_DIR": str(tmp_path), "OUTREACH_DATABASE_URL": "",
           "OUTREACH_TELEGRAM_TOKEN": "", "OUTREACH_SMTP_URL": ""}
    result = CliRunner().invoke(app, ["demo"], env=env)
    assert result.exit_code == 0, result.output
    naming = [line for line in result.output.splitlines() if STATE_CODE.search(line)]
    assert len(naming) >= 3  # the non-reporting, the silent and the courses
    assert all("invented" in line.lower() for line in naming), naming
    output = " ".join(result.output.split())
    assert "non-reporting States from 17 to 8; 47 reporting States silent since 2008" in output
    assert "8 courses; Latin America 1 (in CHL, invented)" in output
