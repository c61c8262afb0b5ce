"""Staff control of reminders from the command line: policies, plan, pauses, history."""

import json
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, select

from storage import reminders, submissions
from storage.audit import AuditEntry
from storage.parties import Party
from tests.support.cli import Invoke
from tests.support.outbox import NOW, add_poc


def only_silent(session: Session, silent: set[str]) -> None:
    """Every State but `silent` reported a year before today, the commands' today (a fixed
    date would bring the five-year policy due for them some day)."""
    last_year = datetime.now(UTC).date() - timedelta(days=365)
    for party in session.exec(select(Party).where(Party.kind == "state")):
        if party.code not in silent and party.id is not None:
            submissions.add(session=session, party_id=party.id, kind="first_report",
                            submitted_on=last_year, symbol="", note="", actor="test",
                            now=NOW)
    session.commit()


def init_and_resume(outreach: Invoke) -> None:
    """The README's walkthrough: `init` ships the policies paused; staff resume them."""
    outreach("init")
    for policy_id in ("1", "2"):
        assert outreach("reminders", "resume", "--policy", policy_id).exit_code == 0


def test_shipped_policies_are_paused_until_staff_have_seen_the_plan_and_resumed_them(
    outreach: Invoke, session: Session
) -> None:
    outreach("init")
    only_silent(session, {"JPN"})
    add_poc(session, "JPN", "Aiko Sato-Test", "aiko@example.org")
    listed = json.loads(outreach("reminders", "policies", "--format", "json").output)
    assert [p["paused"] for p in listed] == [True, True]

    def planned(*options: str) -> list[str]:
        rows = json.loads(outreach("reminders", "plan", "--days", "1", "--format", "json",
                                   *options).output)
        return [r["state"] for r in rows]

    assert planned() == []
    assert planned("--include-paused") == ["JPN"]  # what resuming would send
    assert "0 reminders queued" in outreach("reminders", "sweep").output
    assert json.loads(outreach("deliveries", "--format", "json").output) == []
    assert "Resumed under policy 1" in outreach("reminders", "resume", "--policy", "1").output
    assert planned() == ["JPN"]


def test_init_ships_two_policies_and_staff_can_add_one(outreach: Invoke, session: Session) -> None:
    outreach("init")
    result = outreach("reminders", "add", "weog-since-2016", "--target", "no_submission_since",
                      "--since", "2016-01-01", "--group", "weog", "--template", "reminder_update",
                      "--every", "120", "--channel", "email", "--max", "3")
    assert result.exit_code == 0, result.output
    listed = json.loads(outreach("reminders", "policies", "--format", "json").output)
    assert [p["name"] for p in listed] == ["non-reporting", "no-submission-5-years",
                                           "weog-since-2016"]
    added = listed[2]
    assert (added["regional_group"], added["channels"], added["cadence_days"]) == (
        "WEOG", ["email"], 120)
    entry = session.exec(select(AuditEntry).where(
        AuditEntry.entity == "reminder_policy", AuditEntry.actor == "cli:test-staff")).one()
    assert entry.after is not None and entry.after["name"] == "weog-since-2016"


def test_a_bad_policy_is_refused_with_the_reason(outreach: Invoke) -> None:
    missing_years = outreach("reminders", "add", "x", "--target", "no_submission_for_years",
                             "--template", "reminder_update", "--every", "90")
    assert missing_years.exit_code == 1 and "--years is required" in missing_years.stderr
    unknown = outreach("reminders", "add", "y", "--target", "no_first_report",
                       "--template", "nope", "--every", "90")
    assert unknown.exit_code == 1 and "reminder_first_report" in unknown.stderr
    outreach("init")
    taken = outreach("reminders", "add", "non-reporting", "--target", "no_first_report",
                     "--template", "reminder_first_report", "--every", "30")
    assert taken.exit_code == 1 and "exists already" in taken.stderr


def test_the_plan_shows_who_gets_what_without_sending(outreach: Invoke, session: Session) -> None:
    init_and_resume(outreach)
    only_silent(session, {"JPN", "PER"})
    add_poc(session, "JPN", "Aiko Sato-Test", "aiko@example.org", language="ru")
    rows = json.loads(outreach("reminders", "plan", "--days", "200", "--format",
                               "json").output)
    japan = [r for r in rows if r["state"] == "JPN"]
    assert [r["cycle"] for r in japan] == [1, 2, 3]  # today, +90, +180 days
    assert japan[0]["english_fallback"] == []  # the reminders exist in Russian
    assert japan[2]["escalated"] is True  # two cycles unanswered
    text = outreach("reminders", "plan").output
    assert "without an active PoC" in text and "PER" in text
    assert json.loads(outreach("deliveries", "--format", "json").output) == []


def test_pausing_a_state_or_a_policy_takes_it_out_of_the_plan(
    outreach: Invoke, session: Session
) -> None:
    init_and_resume(outreach)
    only_silent(session, {"JPN"})
    add_poc(session, "JPN", "Aiko Sato-Test", "aiko@example.org")

    def planned() -> list[str]:
        rows = json.loads(outreach("reminders", "plan", "--days", "1", "--format",
                                   "json").output)
        return [r["state"] for r in rows]

    assert planned() == ["JPN"]
    assert "Paused for Japan" in outreach("reminders", "pause", "--state", "Japan").output
    assert planned() == []
    outreach("reminders", "resume", "--state", "JPN")
    assert planned() == ["JPN"]
    outreach("reminders", "pause", "--policy", "1")
    assert planned() == []
    nothing = outreach("reminders", "pause")
    assert nothing.exit_code == 2 and "--policy ID, --state STATE" in nothing.stderr


def test_sweep_queues_and_history_and_replies_show_it(outreach: Invoke, session: Session) -> None:
    init_and_resume(outreach)
    only_silent(session, {"JPN", "PER"})
    poc = add_poc(session, "JPN", "Aiko Sato-Test", "aiko@example.org")
    swept = outreach("reminders", "sweep")
    assert "1 reminder queued" in swept.output
    assert "PER" in swept.output  # due, but nobody to write to
    assert "0 reminders queued" in outreach("reminders", "sweep").output
    [cycle] = json.loads(outreach("reminders", "history", "JPN", "--format", "json").output)
    assert (cycle["policy"], cycle["cycle"]) == ("non-reporting", 1)
    assert sum(cycle["deliveries"].values()) == 1
    reminders.record_reply(session=session, poc_id=poc, message_id=cycle["message"],
                           answer=reminders.ReplyAnswer.WRONG_CONTACT, channel="email",
                           now=datetime.now(UTC))
    session.commit()
    [reply] = json.loads(outreach("reminders", "replies", "--format", "json").output)
    assert (reply["state"], reply["answer"]) == ("JPN", "wrong_contact")


def test_escalation_can_reach_the_permanent_mission_staff_registered(
    outreach: Invoke, session: Session
) -> None:
    init_and_resume(outreach)
    only_silent(session, {"JPN"})
    add_poc(session, "JPN", "Aiko Sato-Test", "aiko@example.org")
    added = outreach("pocs", "add", "--party", "JPN", "--name", "Permanent Mission of Japan",
                     "--email", "mission.jpn@example.org", "--role", "mission")
    assert added.exit_code == 0, added.output
    outreach("reminders", "edit", "1", "--escalate-to", "mission", "--escalate-after", "1")
    rows = json.loads(outreach("reminders", "plan", "--days", "100", "--format",
                               "json").output)
    assert [(r["cycle"], r["pocs"], r["escalated"]) for r in rows] == [(1, 1, False),
                                                                       (2, 2, True)]


def test_a_policy_for_action_plans_due_an_update(outreach: Invoke, session: Session) -> None:
    only_silent(session, set())
    japan = session.exec(select(Party).where(Party.code == "JPN")).one()
    assert japan.id is not None
    submissions.add(session=session, party_id=japan.id, kind="action_plan",
                    submitted_on=date(2019, 6, 1), symbol="", note="", actor="test",
                    now=NOW)
    session.commit()
    add_poc(session, "JPN", "Aiko Sato-Test", "aiko@example.org")
    result = outreach("reminders", "add", "plan-update", "--target", "action_plan_update_due",
                      "--years", "3", "--template", "reminder_update", "--every", "365")
    assert result.exit_code == 0, result.output
    rows = json.loads(outreach("reminders", "plan", "--days", "1", "--format", "json").output)
    assert [(r["policy"], r["state"]) for r in rows] == [("plan-update", "JPN")]
    no_years = outreach("reminders", "add", "x", "--target", "action_plan_update_due",
                        "--template", "reminder_update", "--every", "365")
    assert no_years.exit_code == 1 and "--years is required" in no_years.stderr
