"""`outreach status`: the reporting figures of the Committee's review, from the registry."""

import json
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session

from bot.demo.dataset import POC_COLUMNS, SUBMISSION_COLUMNS, build_paper_dataset, write_csv
from storage import parties
from tests.support.cli import Invoke


def test_it_reproduces_the_figures_of_the_2022_paper_from_imported_files(
    outreach: Invoke, session: Session, tmp_path: Path
) -> None:
    states = [(p.code, p.iso2 or "") for p in parties.states(session=session)]
    organisations = [p.code for p in parties.organisations(session=session)]
    dataset = build_paper_dataset(states, organisations)
    write_csv(dataset.pocs, POC_COLUMNS, tmp_path / "pocs.csv")
    write_csv(dataset.submissions, SUBMISSION_COLUMNS, tmp_path / "submissions.csv")
    assert outreach("import", "pocs", str(tmp_path / "pocs.csv")).exit_code == 0
    assert outreach("import", "submissions", str(tmp_path / "submissions.csv")).exit_code == 0

    result = outreach("status", "--since", "2016-01-01", "--format", "json")
    figures = json.loads(result.output)

    assert figures["member_states"] == 193
    assert figures["reporting_states"] == 185
    assert figures["non_reporting_states"] == 8
    assert len(figures["non_reporting"]) == 8
    assert figures["states_by_report_count"] == {"1": 61, "2": 28, "3+": 96}
    assert figures["states_submitting_since"] == {"since": "2016-01-01", "count": 75,
                                                  "share": round(75 / 193, 4)}
    assert figures["states_with_poc"] == 136
    assert figures["orgs_with_poc"] == 22
    assert figures["action_plans"] == {"count": 44, "states": 36}
    text = outreach("status", "--since", "2016-01-01").output
    assert "States that have submitted a first report: 185" in text
    assert "75 (39 % of Member States)" in text


def test_since_is_inclusive_and_inactive_pocs_do_not_count(
    outreach: Invoke, write_file: Callable[..., Path]
) -> None:
    outreach("import", "submissions", str(write_file("s.csv", (
        "state,kind,date\n"
        "NOR,first_report,2015-12-31\n"
        "PER,first_report,2016-01-01\n"
        "PER,additional_info,2019-05-05\n"
        "MLI,additional_info,2017-07-07\n"  # additional information without a first report
    ))))
    outreach("import", "pocs", str(write_file("p.csv", (
        "party,full_name,email,status\n"
        "NOR,Ola Nordmann-Test,ola@example.org,inactive\n"
        "PER,Rosa Quispe-Test,rosa@example.org,active\n"
        "OSCE,Jan Novak-Test,jan@example.org,active\n"
    ))))
    figures = json.loads(outreach("status", "--since", "2016-01-01", "--format", "json").output)
    assert figures["reporting_states"] == 2
    assert figures["states_by_report_count"] == {"1": 1, "2": 1, "3+": 0}
    assert "MLI" in figures["non_reporting"]
    assert figures["states_submitting_since"]["count"] == 2  # PER (on the day) and MLI
    assert figures["states_with_poc"] == 1
    assert figures["orgs_with_poc"] == 1


def test_a_state_whose_only_submission_is_an_action_plan_is_not_counted_as_submitting(
    outreach: Invoke, write_file: Callable[..., Path]
) -> None:
    outreach("import", "submissions", str(write_file("s.csv", (
        "state,kind,date\n"
        "PER,first_report,2010-01-01\n"
        "PER,additional_info,2019-05-05\n"
        "MNG,first_report,2005-03-03\n"
        "MNG,action_plan,2020-02-02\n"  # MNG's only submission since 2016
    ))))
    figures = json.loads(outreach("status", "--since", "2016-01-01", "--format", "json").output)
    assert figures["states_submitting_since"]["count"] == 1  # PER
    assert figures["action_plans"] == {"count": 1, "states": 1}
    text = outreach("status", "--since", "2016-01-01").output
    assert ("States with a national report or additional information since 2016-01-01: "
            "1 (1 % of Member States)") in text


def test_an_empty_registry_reports_every_state_as_non_reporting(outreach: Invoke) -> None:
    figures = json.loads(outreach("status", "--format", "json").output)
    assert figures["reporting_states"] == 0
    assert figures["non_reporting_states"] == 193
    assert figures["action_plans"] == {"count": 0, "states": 0}


def test_a_malformed_since_gets_a_usage_error(outreach: Invoke) -> None:
    result = outreach("status", "--since", "last year")
    assert result.exit_code == 2
    assert "is not a date" in result.stderr
