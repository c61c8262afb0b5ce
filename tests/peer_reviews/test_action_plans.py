"""`outreach action-plans`: a State helped to draft its voluntary National Implementation
Action Plan, with milestones; its submitted plan closes the draft by itself, linked to it;
the figure counts the drafts open on the period's last day."""

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlmodel import Session

from storage import audit
from storage.figures.monitoring import preparation_figures
from storage.figures.statistics import Period
from tests.support.cli import Invoke


def drafts(outreach: Invoke, *args: str) -> list[dict[str, object]]:
    result = outreach("action-plans", "list", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    found: list[dict[str, object]] = json.loads(result.output)
    return found


def submit(outreach: Invoke, write_file: Callable[..., Path], state: str, on: str) -> None:
    path = write_file("plan.csv", f"state,kind,date\n{state},action_plan,{on}\n")
    result = outreach("import", "submissions", str(path))
    assert result.exit_code == 0, result.output


def in_preparation(session: Session, on: date) -> list[str]:
    figures = preparation_figures(session=session, period=Period(date(2016, 1, 1), on))
    return [line.code for line in figures.in_preparation]


def test_a_submitted_plan_closes_the_draft_linked_to_it(
    outreach: Invoke, session: Session, write_file: Callable[..., Path]
) -> None:
    assert outreach("action-plans", "start", "BWA", "--on", "2021-03-15").exit_code == 0
    result = outreach("action-plans", "milestone", "1", "First draft shared", "--on",
                      "2021-06-02")
    assert result.exit_code == 0, result.output
    [draft] = drafts(outreach, "--open")
    assert (draft["state"], draft["supported_by"], draft["milestones"]) == (
        "BWA", "committee", 1)
    submit(outreach, write_file, "BWA", "2022-01-10")
    assert drafts(outreach, "--open") == []
    [closed] = drafts(outreach)
    assert (closed["closed_on"], closed["outcome"], closed["submission"]) == (
        "2022-01-10", "submitted", 1)
    actions = [entry.action for entry in audit.entries(session=session,
                                                       entity="action_plan_draft")]
    assert actions == ["create", "milestone", "submitted"]
    # in preparation up to the day before its plan, not on that day
    assert in_preparation(session, date(2022, 1, 9)) == ["BWA"]
    assert in_preparation(session, date(2022, 1, 10)) == []
    assert in_preparation(session, date(2021, 3, 14)) == []


def test_a_plan_dated_before_the_start_does_not_close_it_and_one_after_a_late_start_does(
    outreach: Invoke, write_file: Callable[..., Path]
) -> None:
    submit(outreach, write_file, "MNG", "2015-05-05")  # an earlier plan
    result = outreach("action-plans", "start", "MNG", "--on", "2020-10-05",
                      "--supported-by", "OSCE")
    assert result.exit_code == 0, result.output
    assert [d["state"] for d in drafts(outreach, "--open")] == ["MNG"]
    # a draft recorded late, after the plan it led to: closed at once, linked
    submit(outreach, write_file, "PAN", "2022-03-10")
    late = outreach("action-plans", "start", "PAN", "--on", "2020-09-01",
                    "--supported-by", "OAS/CICTE")
    assert late.exit_code == 0
    assert "closed already: the State's action plan is recorded on 2022-03-10" in late.output
    assert [d["state"] for d in drafts(outreach, "--open")] == ["MNG"]


def test_a_discontinued_draft_and_the_refusals(outreach: Invoke, session: Session) -> None:
    outreach("action-plans", "start", "TLS", "--on", "2019-02-01")
    for args, words in (
        (("start", "TLS", "--on", "2020-01-01"), "TLS already has an action plan in preparation"),
        (("start", "OSCE", "--on", "2020-01-01"), '"OSCE" is an organisation'),
        (("start", "LSO", "--on", "2020-01-01", "--supported-by", "LSO"),
         "LSO cannot support its own action plan"),
        (("start", "LSO", "--on", "2003-01-01"), "before resolution 1540 was adopted"),
        (("start", "LSO", "--on", "2999-01-01"), "is in the future"),
        (("milestone", "1", "Too early", "--on", "2019-01-01"), "Draft 1 began on 2019-02-01"),
        (("milestone", "1", "x" * 501, "--on", "2019-03-01"), "at most 500 characters"),
        (("close", "9", "--on", "2020-01-01"), "No action plan in preparation with id 9"),
    ):
        result = outreach("action-plans", *args)
        assert result.exit_code != 0, args
        assert words in result.output, (args, result.output)
    assert [entry.action for entry in audit.entries(session=session,
                                                    entity="action_plan_draft")] == ["create"]
    assert outreach("action-plans", "close", "1", "--on", "2022-04-15").exit_code == 0
    [draft] = drafts(outreach)
    assert (draft["closed_on"], draft["outcome"]) == ("2022-04-15", "discontinued")
    closed = outreach("action-plans", "milestone", "1", "After", "--on", "2022-05-01")
    assert closed.exit_code == 1 and "was closed on 2022-04-15" in closed.output
    assert in_preparation(session, date(2022, 4, 14)) == ["TLS"]
    assert in_preparation(session, date(2022, 4, 15)) == []
