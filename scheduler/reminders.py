"""What reminder is due, for whom: a pure function of the registry's state and `now`.

No I/O and no clock of its own: the caller reads the database and the time once, and
passes plain values. The rules, in the order they apply:

- A policy targets States (no first report; nothing submitted for N years; nothing since a
  date, the last two among States that have reported), optionally of one regional group.
  A State that no longer matches (it reported) is never reminded again by that policy.
- Each (policy, State) has numbered cycles. Cycle n+1 is due at the later of the policy's
  first send date and cycle n's date plus the cadence. Counting from what was actually sent,
  not from the calendar, means a new policy with a first date in the past, or a bot that was
  down for two weeks, sends one reminder now, never a burst of back-dated ones.
- At most `max_reminders` cycles per State; paused policies and paused States send nothing.
- Recipients are the State's active national PoCs (any active PoC if it has no national one)
  who have not snoozed past `now` and have not said they are the wrong contact. After
  `escalate_after` unacknowledged cycles in a row, every other active PoC is added too, or,
  if the policy says so, the Permanent Mission address staff registered (a PoC of role
  "mission", never written to otherwise).
- "Action plan update due" targets States whose latest action plan is older than N years.
- "Unanswered letter" targets the parties (States or organisations) a letter expecting a
  response was written to, from the day scheduler.letters.remind_from names (after the due
  date, or after a promised date); a response stops it. Only that policy reaches
  organisations: every other target is for States.
- "Unapproved matrix" targets the State a draft matrix was sent to for review, from the day
  scheduler.matrix_reviews.remind_from names (after the date it was asked to answer by);
  an approval stops it, comments received pause it.
- A State the policy targets but that has no active PoC at all is reported to staff.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum


class Target(StrEnum):
    NO_FIRST_REPORT = "no_first_report"
    NO_SUBMISSION_FOR_YEARS = "no_submission_for_years"
    NO_SUBMISSION_SINCE = "no_submission_since"
    ACTION_PLAN_UPDATE_DUE = "action_plan_update_due"
    UNANSWERED_LETTER = "unanswered_letter"
    UNAPPROVED_MATRIX = "unapproved_matrix"


class EscalateTo(StrEnum):
    OTHER_POCS = "other_pocs"  # every active PoC of the State
    MISSION = "mission"  # the Permanent Mission address staff registered (role "mission")


@dataclass(frozen=True)
class Policy:
    id: int
    target: Target
    cadence_days: int
    first_send_on: date
    max_reminders: int
    years: int | None = None
    since: date | None = None
    group: str | None = None
    escalate_after: int | None = None
    escalate_to: EscalateTo = EscalateTo.OTHER_POCS
    paused: bool = False
    letter_id: int | None = None  # the letter an "unanswered letter" policy chases
    matrix_review_id: int | None = None  # the review an "unapproved matrix" policy chases


@dataclass(frozen=True)
class StateStatus:
    party_id: int
    electoral_group: str | None
    first_report_on: date | None
    last_submission_on: date | None
    paused: bool = False
    last_action_plan_on: date | None = None
    is_state: bool = True  # False: an organisation, reached only by letter reminders
    # (letter id, first day it may be reminded) for each letter it still owes an answer to
    letters_owed: tuple[tuple[int, date], ...] = ()
    # (review id, first day it may be reminded) for each draft matrix awaiting its approval
    matrices_owed: tuple[tuple[int, date], ...] = ()


@dataclass(frozen=True)
class Contact:
    poc_id: int
    party_id: int
    national: bool
    snoozed_until: datetime | None = None
    wrong_contact: bool = False
    mission: bool = False  # a Permanent Mission address: written to only on escalation


@dataclass(frozen=True)
class SentCycle:
    policy_id: int
    party_id: int
    cycle: int
    sent_at: datetime
    acknowledged: bool


@dataclass(frozen=True)
class DueReminder:
    policy_id: int
    party_id: int
    cycle: int
    poc_ids: tuple[int, ...]
    escalated: bool

    @property
    def dedupe_key(self) -> str:
        return f"reminder:{self.policy_id}:{self.party_id}:{self.cycle}"


@dataclass(frozen=True)
class Plan:
    due: list[DueReminder]
    without_poc: list[tuple[int, int]]  # (policy id, party id): staff must find a PoC


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def targets(policy: Policy, state: StateStatus, today: date) -> bool:
    if policy.target is Target.UNANSWERED_LETTER:
        return any(letter == policy.letter_id and today >= start
                   for letter, start in state.letters_owed)
    if policy.target is Target.UNAPPROVED_MATRIX:
        return any(review == policy.matrix_review_id and today >= start
                   for review, start in state.matrices_owed)
    if not state.is_state:
        return False
    if policy.group is not None and state.electoral_group != policy.group:
        return False
    if policy.target is Target.NO_FIRST_REPORT:
        return state.first_report_on is None
    if state.first_report_on is None:
        return False  # a State that never reported is the non-reporting policy's concern
    if policy.target is Target.ACTION_PLAN_UPDATE_DUE:
        assert policy.years is not None
        plan_on = state.last_action_plan_on
        return plan_on is not None and plan_on < _years_before(today, policy.years)
    last = state.last_submission_on
    if policy.target is Target.NO_SUBMISSION_FOR_YEARS:
        assert policy.years is not None
        return last is None or last < _years_before(today, policy.years)
    assert policy.since is not None
    return last is None or last < policy.since


def next_due(policy: Policy, cycles: Sequence[SentCycle]) -> datetime | date:
    """When the next cycle may go: a date (first cycle) or an instant (after a previous one)."""
    if not cycles:
        return policy.first_send_on
    last = max(cycles, key=lambda sent: sent.cycle)
    after_cadence = last.sent_at + timedelta(days=policy.cadence_days)
    return max(after_cadence, _midnight(policy.first_send_on, last.sent_at))


def _midnight(day: date, like: datetime) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=like.tzinfo)


def _is_due(when: datetime | date, now: datetime) -> bool:
    if isinstance(when, datetime):
        return now >= when
    return now.date() >= when


def _unacknowledged_streak(cycles: Sequence[SentCycle]) -> int:
    streak = 0
    for sent in sorted(cycles, key=lambda c: c.cycle, reverse=True):
        if sent.acknowledged:
            break
        streak += 1
    return streak


def plan(
    policies: Sequence[Policy],
    states: Sequence[StateStatus],
    contacts: Sequence[Contact],
    history: Sequence[SentCycle],
    now: datetime,
) -> Plan:
    return Planner(policies, states, contacts).plan(history, now)


class Planner:
    """The rules over one registry's policies, States and PoCs, indexed once and asked for any
    `now` and history: `reminders plan` asks for each of 120 days, and grouping 20,000 PoCs
    by State each time cost more than the rules themselves."""

    def __init__(self, policies: Sequence[Policy], states: Sequence[StateStatus],
                 contacts: Sequence[Contact]) -> None:
        self._policies = sorted(policies, key=lambda p: p.id)
        self._states = sorted(states, key=lambda s: s.party_id)
        self._by_party: dict[int, list[Contact]] = {}
        for contact in contacts:
            self._by_party.setdefault(contact.party_id, []).append(contact)

    def plan(self, history: Sequence[SentCycle], now: datetime) -> Plan:
        sent: dict[tuple[int, int], list[SentCycle]] = {}
        for cycle in history:
            sent.setdefault((cycle.policy_id, cycle.party_id), []).append(cycle)
        due: list[DueReminder] = []
        without_poc: list[tuple[int, int]] = []
        for policy in self._policies:
            if policy.paused:
                continue
            for state in self._states:
                if state.paused or not targets(policy, state, now.date()):
                    continue
                cycles = sent.get((policy.id, state.party_id), [])
                if len(cycles) >= policy.max_reminders or not _is_due(
                        next_due(policy, cycles), now):
                    continue
                found = self._due(policy, state, cycles, now)
                if found is None:
                    without_poc.append((policy.id, state.party_id))
                elif found:
                    due.append(found[0])
        return Plan(due=due, without_poc=without_poc)

    def _due(self, policy: Policy, state: StateStatus, cycles: Sequence[SentCycle],
             now: datetime) -> tuple[DueReminder] | tuple[()] | None:
        """The State's reminder; () when every PoC snoozed; None when it has no PoC to write
        to (staff must find one)."""
        everyone = self._by_party.get(state.party_id, [])
        missions = [c for c in everyone if c.mission and not c.wrong_contact]
        contacts_of_state = [c for c in everyone if not c.mission]
        willing = [c for c in contacts_of_state if not c.wrong_contact]
        if not willing:  # no PoC, or every PoC said "not me": as good as none, staff must act
            return None
        usable = [c for c in willing if c.snoozed_until is None or c.snoozed_until <= now]
        escalated = (policy.escalate_after is not None
                     and _unacknowledged_streak(cycles) >= policy.escalate_after)
        # The national PoCs are the addressees while there are any; a snoozed national
        # PoC is not replaced by the others, who would be written to out of turn.
        has_national = any(c.national for c in willing)
        base = [c for c in usable if c.national] if has_national else usable
        if not base:
            return ()  # every PoC snoozed: the cycle waits for the first to wake
        chosen = base
        if escalated and policy.escalate_to is EscalateTo.OTHER_POCS:
            chosen = usable
        elif escalated:
            chosen = base + missions
        return (DueReminder(
            policy_id=policy.id, party_id=state.party_id, cycle=len(cycles) + 1,
            poc_ids=tuple(sorted(c.poc_id for c in chosen)), escalated=escalated,
        ),)
