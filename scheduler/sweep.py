"""The reminder sweep: read the registry, ask the rules what is due, queue it once.

Safe to run twice, after a restart, or beside another process: each cycle is queued under a
unique key (policy, State, cycle), and a second attempt finds it and adds nothing.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from scheduler.letters import Answer, remind_from
from scheduler.matrix_reviews import Stand
from scheduler.matrix_reviews import remind_from as review_remind_from
from scheduler.reminders import (
    Contact,
    EscalateTo,
    Plan,
    Planner,
    Policy,
    SentCycle,
    StateStatus,
    Target,
)
from scheduler.working_hours import WorkingHours, next_working_moment
from storage import letters as letter_store
from storage import outbox
from storage import reminders as store
from storage.matrices import reviews as review_store
from storage.outbox import Channel, Recipient

SWEEP_ACTOR = "system:reminders"


@dataclass
class SweepReport:
    queued: list[tuple[int, int, int]] = field(default_factory=list)  # policy, party, cycle
    without_poc: list[tuple[int, int]] = field(default_factory=list)
    unreachable_pocs: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Facts:
    """Everything the rules read, loaded once."""

    stored: list[store.ReminderPolicy]
    policies: list[Policy]
    states: list[StateStatus]
    contacts: list[Contact]
    history: list[SentCycle]
    paused: frozenset[tuple[int, int | None]]  # (party, policy or None for all)
    zones: dict[int, str]  # PoC id -> IANA time zone, for working hours
    letters: dict[int, int] = field(default_factory=dict)  # policy id -> letter id
    reviews: dict[int, int] = field(default_factory=dict)  # policy id -> matrix review id

    @cached_property
    def planner(self) -> Planner:
        return Planner(self.policies, self.states, self.contacts)

    def plan(self, now: datetime, simulated: Sequence[SentCycle] = ()) -> Plan:
        result = self.planner.plan([*self.history, *simulated], now)
        due = [d for d in result.due if (d.party_id, None) not in self.paused
               and (d.party_id, d.policy_id) not in self.paused]
        return Plan(due=due, without_poc=result.without_poc)


def load_facts(session: Session, *, include_paused: bool = False) -> Facts:
    """`include_paused` plans paused policies as if resumed: what staff would send by resuming
    them (paused States stay paused)."""
    stored = store.policies(session=session)
    by_policy, owed_letters, _ = letter_store.reminder_facts(session=session)
    review_policies, owed_reviews = review_store.reminder_facts(session=session)
    active = store.active_contacts(session=session)
    return Facts(
        stored=stored,
        policies=[
            Policy(id=p.id or 0, target=Target(p.target), cadence_days=p.cadence_days,
                   first_send_on=p.first_send_on, max_reminders=p.max_reminders,
                   years=p.years, since=p.since, group=p.regional_group,
                   escalate_after=p.escalate_after, escalate_to=EscalateTo(p.escalate_to),
                   paused=p.paused and not include_paused, letter_id=by_policy.get(p.id or 0),
                   matrix_review_id=review_policies.get(p.id or 0))
            for p in stored
        ],
        states=_with_reviews(_statuses(session, owed_letters), owed_reviews),
        contacts=[
            Contact(poc_id=poc.poc_id, party_id=poc.party_id, national=store.is_national(poc),
                    snoozed_until=poc.snoozed_until, wrong_contact=poc.wrong_contact,
                    mission=store.is_mission(poc))
            for poc in active
        ],
        history=[
            SentCycle(policy_id=c.policy_id, party_id=c.party_id, cycle=c.cycle,
                      sent_at=c.sent_at, acknowledged=acknowledged)
            for c, acknowledged in store.cycles(session=session)
        ],
        paused=frozenset((p.party_id, p.policy_id) for p in store.pauses(session=session)),
        zones={poc.poc_id: poc.timezone for poc in active},
        letters=by_policy,
        reviews=review_policies,
    )


def _with_reviews(states: list[StateStatus], owed: list[review_store.Owed]
                  ) -> list[StateStatus]:
    """Each State with the draft matrices it has still to answer (scheduler.matrix_reviews)."""
    starts: dict[int, list[tuple[int, date]]] = {}
    for item in owed:
        start = review_remind_from(item.due_on, Stand(item.state))
        if start is not None:
            starts.setdefault(item.party_id, []).append((item.review_id, start))
    if not starts:
        return states
    return [replace(state, matrices_owed=tuple(starts.get(state.party_id, ())))
            if state.party_id in starts else state for state in states]


def _statuses(session: Session, owed: list[letter_store.Owed]) -> list[StateStatus]:
    """Every State, and every organisation that still owes a letter an answer."""
    starts: dict[int, list[tuple[int, date]]] = {}
    for item in owed:
        answer = (None if item.kind is None else Answer(
            promise=item.kind == letter_store.ResponseKind.PROMISE,
            promised_by=item.promised_by))
        start = remind_from(item.due_on, answer, item.under_review)
        if start is not None:
            starts.setdefault(item.party_id, []).append((item.letter_id, start))
    states = [
        StateStatus(party_id=party.id or 0, electoral_group=party.electoral_group,
                    first_report_on=first, last_submission_on=latest,
                    last_action_plan_on=plan_on,
                    letters_owed=tuple(starts.pop(party.id or 0, ())))
        for party, first, latest, plan_on in store.state_statuses(session=session)
    ]
    states += [StateStatus(party_id=party_id, electoral_group=None, first_report_on=None,
                           last_submission_on=None, is_state=False,
                           letters_owed=tuple(letters))
               for party_id, letters in sorted(starts.items())]
    return states


def sweep(*, session: Session, now: datetime, hours: WorkingHours | None = None) -> SweepReport:
    """Queue every due cycle, each in its own transaction so one conflict loses no other."""
    hours = hours or WorkingHours()
    facts = load_facts(session)
    result = facts.plan(now)
    by_id = {p.id: p for p in facts.stored}
    last_submission = {state.party_id: state.last_submission_on for state in facts.states}
    report = SweepReport(without_poc=list(result.without_poc))
    for due in result.due:
        policy = by_id[due.policy_id]
        audience = outbox.audience_of(session=session, poc_ids=list(due.poc_ids))
        report.unreachable_pocs.extend(audience.unreachable)
        recipients = [
            Recipient(r.poc_id, r.channel,
                      not_before=next_working_moment(now, facts.zones.get(r.poc_id, "UTC"), hours))
            for r in audience.recipients if r.channel in {Channel(c) for c in policy.channels}
        ]
        if not recipients:
            continue
        context: dict[str, object] = {"cycle": due.cycle, "policy": policy.name,
                                      "escalated": due.escalated}
        if due.policy_id in facts.letters:
            context["letter"] = facts.letters[due.policy_id]
            context.update(letter_store.reminder_context(session=session,
                                                         letter_id=facts.letters[due.policy_id]))
        if due.policy_id in facts.reviews:
            context.update(review_store.reminder_context(
                session=session, review_id=facts.reviews[due.policy_id]))
        latest = last_submission.get(due.party_id)
        if latest is not None:
            context["last_submission"] = latest.isoformat()
        try:
            message = outbox.enqueue(
                session=session, kind="reminder", template=policy.template, context=context,
                audience=f"reminder {policy.name}, party {due.party_id}, cycle {due.cycle}",
                recipients=recipients, created_by=SWEEP_ACTOR, now=now,
                dedupe_key=due.dedupe_key,
            )
            session.add(store.ReminderCycle(
                policy_id=due.policy_id, party_id=due.party_id, cycle=due.cycle,
                message_id=message.id or 0, escalated=due.escalated, sent_at=now))
            session.commit()
        except IntegrityError:
            session.rollback()  # another sweep queued this cycle first: nothing to add
            continue
        report.queued.append((due.policy_id, due.party_id, due.cycle))
    session.commit()
    return report
