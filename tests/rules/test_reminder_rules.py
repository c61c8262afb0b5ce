"""What reminder is due: table-driven specs with a fixed `now`, no database, no clock."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from scheduler.reminders import (
    Contact,
    EscalateTo,
    Plan,
    Policy,
    SentCycle,
    StateStatus,
    Target,
    plan,
)
from scheduler.working_hours import WorkingHours, next_working_moment

NOW = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
NON_REPORTING = Policy(id=1, target=Target.NO_FIRST_REPORT, cadence_days=90,
                       first_send_on=date(2026, 1, 1), max_reminders=4, escalate_after=2)
STALE = Policy(id=2, target=Target.NO_SUBMISSION_FOR_YEARS, years=5, cadence_days=180,
               first_send_on=date(2026, 1, 1), max_reminders=10)
SILENT = StateStatus(party_id=10, electoral_group="AFR", first_report_on=None,
                     last_submission_on=None)
REPORTED = StateStatus(party_id=11, electoral_group="WEOG", first_report_on=date(2005, 1, 1),
                       last_submission_on=date(2024, 3, 1))
QUIET_SINCE_2019 = StateStatus(party_id=12, electoral_group="APG",
                               first_report_on=date(2005, 1, 1),
                               last_submission_on=date(2019, 6, 30))
NATIONAL = Contact(poc_id=100, party_id=10, national=True)
ASSISTANCE = Contact(poc_id=101, party_id=10, national=False)


def sent(cycle: int, days_ago: int, acknowledged: bool = False, policy: int = 1,
         party: int = 10) -> SentCycle:
    return SentCycle(policy_id=policy, party_id=party, cycle=cycle,
                     sent_at=NOW - timedelta(days=days_ago), acknowledged=acknowledged)


def due_of(result: Plan) -> list[tuple[int, int, int, tuple[int, ...], bool]]:
    return [(d.policy_id, d.party_id, d.cycle, d.poc_ids, d.escalated) for d in result.due]


@pytest.mark.parametrize(("case", "history", "expected"), [
    ("first reminder of a new policy", [], [(1, 10, 1, (100,), False)]),
    ("cadence not yet over", [sent(1, 30)], []),
    ("cadence over: next cycle", [sent(1, 91)], [(1, 10, 2, (100,), False)]),
    ("a two-week outage catches up once", [sent(1, 104)], [(1, 10, 2, (100,), False)]),
    ("two unacknowledged: escalate to every PoC", [sent(1, 200), sent(2, 100)],
     [(1, 10, 3, (100, 101), True)]),
    ("an acknowledgement resets escalation", [sent(1, 200), sent(2, 100, acknowledged=True)],
     [(1, 10, 3, (100,), False)]),
    ("maximum reached", [sent(n, 400 - 90 * n) for n in range(1, 5)], []),
])
def test_cycles_of_the_non_reporting_policy(
    case: str, history: list[SentCycle], expected: list[tuple[int, int, int, tuple[int, ...], bool]]
) -> None:
    result = plan([NON_REPORTING], [SILENT], [NATIONAL, ASSISTANCE], history, NOW)
    assert due_of(result) == expected, case


def test_a_state_that_reports_stops_being_reminded() -> None:
    reported_now = replace(SILENT, first_report_on=date(2026, 11, 20),
                           last_submission_on=date(2026, 11, 20))
    assert plan([NON_REPORTING], [reported_now], [NATIONAL], [sent(1, 120)], NOW).due == []


def test_a_new_policy_dated_in_the_past_sends_one_reminder_not_a_burst() -> None:
    old = replace(NON_REPORTING, first_send_on=date(2020, 1, 1))
    result = plan([old], [SILENT], [NATIONAL], [], NOW)
    assert due_of(result) == [(1, 10, 1, (100,), False)]
    after = plan([old], [SILENT], [NATIONAL], [sent(1, 0)], NOW)
    assert after.due == []


def test_a_first_send_date_in_the_future_waits_for_it() -> None:
    later = replace(NON_REPORTING, first_send_on=date(2026, 12, 1))
    assert plan([later], [SILENT], [NATIONAL], [], NOW).due == []


def test_a_snoozed_poc_is_skipped_until_the_snooze_ends() -> None:
    snoozing = replace(NATIONAL, snoozed_until=NOW + timedelta(days=30))
    assert plan([NON_REPORTING], [SILENT], [snoozing], [], NOW).due == []
    woken = plan([NON_REPORTING], [SILENT], [snoozing], [], NOW + timedelta(days=31))
    assert due_of(woken) == [(1, 10, 1, (100,), False)]


def test_with_the_national_poc_snoozed_nobody_else_is_bothered() -> None:
    snoozing = replace(NATIONAL, snoozed_until=NOW + timedelta(days=30))
    assert plan([NON_REPORTING], [SILENT], [snoozing, ASSISTANCE], [], NOW).due == []


def test_a_state_without_an_active_poc_is_reported_to_staff() -> None:
    result = plan([NON_REPORTING], [SILENT], [], [], NOW)
    assert result.due == [] and result.without_poc == [(1, 10)]


def test_a_state_whose_pocs_all_said_not_me_is_reported_to_staff() -> None:
    result = plan([NON_REPORTING], [SILENT], [replace(NATIONAL, wrong_contact=True)], [], NOW)
    assert result.due == [] and result.without_poc == [(1, 10)]


def test_paused_policies_and_paused_states_send_nothing() -> None:
    assert plan([replace(NON_REPORTING, paused=True)], [SILENT], [NATIONAL], [], NOW).due == []
    assert plan([NON_REPORTING], [replace(SILENT, paused=True)], [NATIONAL], [], NOW).due == []


def test_the_stale_policy_targets_states_silent_for_five_years() -> None:
    contacts = [Contact(poc_id=120, party_id=12, national=True),
                Contact(poc_id=110, party_id=11, national=True), NATIONAL]
    result = plan([STALE], [SILENT, REPORTED, QUIET_SINCE_2019], contacts, [], NOW)
    assert [d.party_id for d in result.due] == [12]  # SILENT is the non-reporting policy's


def test_a_group_filter_keeps_other_groups_out() -> None:
    asian = replace(STALE, group="APG")
    quiet_african = replace(QUIET_SINCE_2019, party_id=10, electoral_group="AFR")
    contacts = [Contact(poc_id=120, party_id=12, national=True), NATIONAL]
    assert [d.party_id for d in plan([asian], [quiet_african, QUIET_SINCE_2019], contacts, [],
                                     NOW).due] == [12]


def test_five_years_back_from_a_leap_day() -> None:
    leap = datetime(2028, 2, 29, 12, tzinfo=UTC)
    on_the_edge = replace(QUIET_SINCE_2019, last_submission_on=date(2023, 2, 28))
    just_inside = replace(QUIET_SINCE_2019, last_submission_on=date(2023, 3, 1))
    contact = Contact(poc_id=120, party_id=12, national=True)
    assert plan([STALE], [on_the_edge], [contact], [], leap).due == []
    assert plan([STALE], [just_inside], [contact], [], leap).due == []
    before = replace(QUIET_SINCE_2019, last_submission_on=date(2023, 2, 27))
    assert len(plan([STALE], [before], [contact], [], leap).due) == 1


def test_the_dedupe_key_names_policy_state_and_cycle() -> None:
    [reminder] = plan([NON_REPORTING], [SILENT], [NATIONAL], [sent(1, 95)], NOW).due
    assert reminder.dedupe_key == "reminder:1:10:2"


@pytest.mark.parametrize(("now", "zone", "expected"), [
    # Friday 14:00 UTC = 09:00 in New York: open
    (datetime(2026, 11, 27, 14, 0, tzinfo=UTC), "America/New_York",
     datetime(2026, 11, 27, 14, 0, tzinfo=UTC)),
    # Friday 23:00 UTC = Saturday 08:00 in Tokyo: Monday 09:00 Tokyo
    (datetime(2026, 11, 27, 23, 0, tzinfo=UTC), "Asia/Tokyo",
     datetime(2026, 11, 30, 0, 0, tzinfo=UTC)),
    # 03:00 in Nairobi on a Tuesday: 09:00 the same day
    (datetime(2026, 11, 24, 0, 0, tzinfo=UTC), "Africa/Nairobi",
     datetime(2026, 11, 24, 6, 0, tzinfo=UTC)),
    # New York springs forward on Sunday 8 March 2026: Monday opens at 09:00 EDT (13:00 UTC)
    (datetime(2026, 3, 7, 3, 0, tzinfo=UTC), "America/New_York",
     datetime(2026, 3, 9, 13, 0, tzinfo=UTC)),
    # Europe falls back on Sunday 25 October 2026: Monday opens at 09:00 CET (08:00 UTC)
    (datetime(2026, 10, 24, 12, 0, tzinfo=UTC), "Europe/Paris",
     datetime(2026, 10, 26, 8, 0, tzinfo=UTC)),
    # after closing on 31 December: the next working day, Friday 1 January 2027
    (datetime(2026, 12, 31, 18, 0, tzinfo=UTC), "Europe/London",
     datetime(2027, 1, 1, 9, 0, tzinfo=UTC)),
])
def test_deliveries_wait_for_the_pocs_working_hours(
    now: datetime, zone: str, expected: datetime
) -> None:
    assert next_working_moment(now, zone) == expected


def test_working_hours_are_configurable() -> None:
    saturday_only = WorkingHours(weekdays=frozenset({5}))
    monday = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    assert next_working_moment(monday, "UTC", saturday_only) == datetime(2026, 12, 5, 9, 0,
                                                                         tzinfo=UTC)


@pytest.mark.parametrize("now", [
    datetime(2026, 3, 31, 23, 59, tzinfo=UTC),  # last minute of a quarter
    datetime(2026, 4, 1, 0, 0, tzinfo=UTC),  # first minute of the next
    datetime(2026, 12, 31, 23, 59, tzinfo=UTC),  # year end
])
def test_quarter_and_year_ends_change_nothing_but_the_date(now: datetime) -> None:
    just_due = [SentCycle(1, 10, 1, now - timedelta(days=90), False)]
    not_yet = [SentCycle(1, 10, 1, now - timedelta(days=90) + timedelta(minutes=1), False)]
    assert len(plan([NON_REPORTING], [SILENT], [NATIONAL], just_due, now).due) == 1
    assert plan([NON_REPORTING], [SILENT], [NATIONAL], not_yet, now).due == []


PLAN_UPDATE = Policy(id=3, target=Target.ACTION_PLAN_UPDATE_DUE, years=3, cadence_days=180,
                     first_send_on=date(2026, 1, 1), max_reminders=3)


def test_an_action_plan_older_than_the_policys_years_is_due_for_an_update() -> None:
    old_plan = replace(QUIET_SINCE_2019, last_action_plan_on=date(2020, 5, 1))
    fresh_plan = replace(QUIET_SINCE_2019, last_action_plan_on=date(2025, 5, 1))
    no_plan = QUIET_SINCE_2019
    contact = Contact(poc_id=120, party_id=12, national=True)
    assert len(plan([PLAN_UPDATE], [old_plan], [contact], [], NOW).due) == 1
    assert plan([PLAN_UPDATE], [fresh_plan], [contact], [], NOW).due == []
    assert plan([PLAN_UPDATE], [no_plan], [contact], [], NOW).due == []


MISSION = Contact(poc_id=190, party_id=10, national=False, mission=True)


def test_a_mission_address_is_written_to_only_when_a_policy_escalates_to_it() -> None:
    to_mission = replace(NON_REPORTING, escalate_to=EscalateTo.MISSION)
    contacts = [NATIONAL, ASSISTANCE, MISSION]
    assert due_of(plan([to_mission], [SILENT], contacts, [], NOW)) == [
        (1, 10, 1, (100,), False)]
    unanswered = [sent(1, 200), sent(2, 100)]
    assert due_of(plan([to_mission], [SILENT], contacts, unanswered, NOW)) == [
        (1, 10, 3, (100, 190), True)]
    # escalating to the other PoCs never includes the mission address
    assert due_of(plan([NON_REPORTING], [SILENT], contacts, unanswered, NOW)) == [
        (1, 10, 3, (100, 101), True)]


def test_a_state_with_only_a_mission_address_is_reported_to_staff() -> None:
    result = plan([NON_REPORTING], [SILENT], [MISSION], [], NOW)
    assert result.due == [] and result.without_poc == [(1, 10)]
