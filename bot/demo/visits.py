"""Invented invitations, visits, outcomes and authorities met reproducing the seed paper's
section 4.5, beside the committees' visits of section 6 (bot/demo/events.py).

The invented events hold 17 visits led by the 1540 Committee in the paper's period (26 April
2016 to 15 April 2022): 16 States, two in 2016, four in 2017 (one State visited twice: five
visits), six in 2018 and four in 2019; and three visits of the CTC and one of the 1267
Committee. Here every one of the 17 gets the State's invitation (received 45 days before),
outcomes (5 national reports drafted, 3 action plans, 9 with advice on legislation, 1 other;
linked to the State's own submission when it has one dated on or after the visit) and the
authorities met. A few rows just outside the rules test them: a visit of the Committee and one
of the CTC two days before the period, a deleted visit inside it (the Committee's with its
invitation and outcomes), and an invitation with no visit yet. None is after the period: the
days after it are the current review period, whose figures other specs check.

The States are real (their codes); every invitation, reference, title and detail is invented.
Written through storage.events and storage.visits (as staff's commands would), in a fixed
order: the same rows every time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Final

from sqlmodel import Session, col, select

from storage import events, parties
from storage.events import Event, EventFields, EventType, LeadBody
from storage.parties import Party
from storage.submissions import Submission
from storage.visits import records
from storage.visits.model import OUTCOME_SUBMISSION_KINDS, InvitationForm, VisitInvitation

ACTOR: Final = "demo"
INVITED_BEFORE: Final = timedelta(days=45)
# Two days before the period: the day before holds an outreach event of bot/demo/events.py
# whose counts other specs check, and the days after it are the review period's.
DAYS_BEFORE: Final = date(2016, 4, 24)
DELETED_ON: Final = date(2018, 6, 1)
PENDING_RECEIVED: Final = date(2022, 3, 1)
_FORMS: Final = (InvitationForm.NOTE_VERBALE, InvitationForm.NOTE_VERBALE,
                 InvitationForm.LETTER, InvitationForm.ORAL)
_NOTE: Final = "Invented (demonstration data set)."
# The outcomes and authorities of the n-th visit of the period (by date), as the module's
# docstring counts them.
_NATIONAL_REPORT: Final = frozenset({0, 3, 6, 9, 12})
_ACTION_PLAN: Final = frozenset({1, 7, 13})
_OTHER: Final = frozenset({5})


def _outcomes(index: int) -> list[str]:
    chosen = []
    if index in _NATIONAL_REPORT:
        chosen.append("national_report")
    if index in _ACTION_PLAN:
        chosen.append("action_plan")
    if index % 2 == 0:
        chosen.append("legislation")
    if index in _OTHER:
        chosen.append("other")
    return chosen


def _authorities(index: int) -> list[tuple[str, str]]:
    met = [("foreign_affairs", "")]
    for category, every in (("defence", 3), ("health", 4), ("police", 5)):
        if index % every == 0:
            met.append((category, ""))
    if index % 2 == 1:
        met.append(("customs", ""))
    if index == 4:
        met.append(("other", "Ministry of Trade (invented)"))
    return met


def _submission_for(session: Session, state_id: int, outcome: str, visit: Event) -> int | None:
    kinds = OUTCOME_SUBMISSION_KINDS.get(outcome)
    if kinds is None:
        return None
    found = session.exec(select(Submission).where(
        Submission.party_id == state_id, col(Submission.kind).in_(kinds),
        col(Submission.submitted_on) >= visit.start_date)
        .order_by(col(Submission.submitted_on))).first()
    return None if found is None else found.id


def _invited(session: Session, event: Event, index: int, now: datetime) -> VisitInvitation:
    """The invitation that led to `event`, linked to it, with the index-th outcomes."""
    state = session.get(Party, event.country_party_id)
    assert state is not None and event.id is not None
    invitation = records.invite(
        session=session, state=state, received_on=event.start_date - INVITED_BEFORE,
        form=_FORMS[index % len(_FORMS)], reference=f"INVENTED/{index + 1:03d}", note=_NOTE,
        actor=ACTOR, now=now)
    records.link(session=session, invitation=invitation, event_id=event.id, actor=ACTOR,
                 now=now)
    for outcome in _outcomes(index):
        records.set_outcome(session=session, invitation=invitation, outcome=outcome,
                            submission_id=_submission_for(session, state.id or 0, outcome,
                                                          event),
                            detail=_NOTE, actor=ACTOR, now=now)
    records.set_authorities(session=session, invitation=invitation,
                            authorities=_authorities(index), actor=ACTOR, now=now)
    return invitation


def _extra_visit(session: Session, state: Party, day: date, lead: str, number: int,
                 now: datetime) -> Event:
    fields = EventFields(
        title=f"Visit to {state.code} (invented boundary event {number})", start_date=day,
        end_date=day, city=f"Capital of {state.code}", country_party_id=state.id,
        type=EventType.VISIT, lead_body=lead, notes=_NOTE, audiences=("states",),
        organisers=("committee", state.code))
    return events.add(session=session, fields=fields, actor=ACTOR, now=now)


def load_invented_visits(session: Session, now: datetime) -> None:
    """The invitations of the invented visits (the events loaded first), and the rows just
    outside the rules."""
    own = list(session.exec(select(Event).where(
        col(Event.deleted_at).is_(None), Event.type == EventType.VISIT,
        Event.lead_body == LeadBody.COMMITTEE).order_by(col(Event.start_date), col(Event.id))))
    for index, event in enumerate(own):
        _invited(session, event, index, now)
    visited = {event.country_party_id for event in own}
    others = [p for p in parties.states(session=session) if p.id not in visited]
    before = _extra_visit(session, others[0], DAYS_BEFORE, LeadBody.COMMITTEE, 1, now)
    _extra_visit(session, others[1], DAYS_BEFORE, LeadBody.CTC, 2, now)
    deleted = _extra_visit(session, others[2], DELETED_ON, LeadBody.COMMITTEE, 3, now)
    # the rows outside take the first visit's outcomes and authorities (index 0: all kinds)
    for event in (before, deleted):
        _invited(session, event, 0, now)
    assert deleted.id is not None
    events.soft_delete(session=session, event_id=deleted.id, actor=ACTOR, now=now)
    records.invite(session=session, state=others[3], received_on=PENDING_RECEIVED,
                   form=InvitationForm.LETTER, reference="INVENTED/PENDING", note=_NOTE,
                   actor=ACTOR, now=now)
