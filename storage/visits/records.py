"""Invitations to visit a State, their visits, outcomes and the authorities met: every write
audited (entity "visit", the invitation's id), every refusal a VisitError naming a message of
templates/cli/<lang>/messages.j2, raised before anything is written."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from storage import audit
from storage.events import Event, EventType, LeadBody
from storage.parties import Party, PartyKind
from storage.problems import RefusedChange
from storage.submissions import RESOLUTION_ADOPTED, Submission
from storage.visits.model import (
    AUTHORITY_DETAIL_MAX,
    DETAIL_MAX,
    NOTE_MAX,
    OUTCOME_SUBMISSION_KINDS,
    REFERENCE_MAX,
    AuthorityCategory,
    InvitationForm,
    VisitAuthority,
    VisitInvitation,
    VisitOutcome,
    VisitOutcomeKind,
)

# The lead bodies of a visit at a State's invitation: the 1540 Committee's own visits. Visits
# of the CTC or the 1267 Committee (and joint ones) are cooperation (section 6), never these.
OWN_VISIT_LEADS: tuple[str, ...] = (LeadBody.COMMITTEE,)


class VisitError(RefusedChange):
    """A refused change; `code` names a message of templates/cli/<lang>/messages.j2."""


@dataclass(frozen=True)
class VisitView:
    invitation: VisitInvitation
    state: Party
    event: Event | None
    outcomes: tuple[VisitOutcome, ...]
    authorities: tuple[VisitAuthority, ...]
    submissions: dict[int, Submission]  # the outcomes' submissions by id


def _text(value: str, what: str, limit: int) -> str:
    value = value.strip()
    if len(value) > limit:
        raise VisitError("visit_text_too_long", what=what, limit=str(limit))
    return value


def _choice(value: str, allowed: type[InvitationForm] | type[VisitOutcomeKind]
            | type[AuthorityCategory], code: str) -> str:
    wanted = value.strip().lower().replace(" ", "_").replace("-", "_")
    if wanted not in {member.value for member in allowed}:
        raise VisitError(code, value=value, allowed=", ".join(allowed))
    return wanted


def snapshot(*, session: Session, invitation: VisitInvitation) -> dict[str, Any]:
    assert invitation.id is not None
    outcomes = _outcomes(session, invitation.id)
    authorities = _authorities(session, invitation.id)
    return {
        "party_id": invitation.party_id, "received_on": invitation.received_on.isoformat(),
        "form": invitation.form, "reference": invitation.reference, "note": invitation.note,
        "event_id": invitation.event_id,
        "outcomes": [{"outcome": o.outcome, "submission_id": o.submission_id,
                      "detail": o.detail} for o in outcomes],
        "authorities": [{"category": a.category, "detail": a.detail} for a in authorities],
    }


def _record(session: Session, invitation: VisitInvitation, action: str,
            before: dict[str, Any] | None, actor: str, now: datetime) -> None:
    assert invitation.id is not None
    audit.record(session=session, actor=actor, action=action, entity="visit",
                 entity_id=invitation.id, before=before,
                 after=snapshot(session=session, invitation=invitation), now=now)


def invite(*, session: Session, state: Party, received_on: date, form: str, reference: str,
           note: str, actor: str, now: datetime) -> VisitInvitation:
    """Record a State's invitation to visit it."""
    if state.kind != PartyKind.STATE or state.id is None:
        raise VisitError("visit_not_a_state", value=state.code)
    if received_on > now.date() or received_on < RESOLUTION_ADOPTED:
        raise VisitError("visit_bad_received_on", day=received_on.isoformat(),
                         first=RESOLUTION_ADOPTED.isoformat())
    invitation = VisitInvitation(
        party_id=state.id, received_on=received_on,
        form=_choice(form, InvitationForm, "visit_unknown_form"),
        reference=_text(reference, "reference", REFERENCE_MAX),
        note=_text(note, "note", NOTE_MAX), created_by=actor, created_at=now)
    session.add(invitation)
    session.flush()
    _record(session, invitation, "create", None, actor, now)
    return invitation


def get(*, session: Session, invitation_id: int) -> VisitInvitation:
    invitation = session.get(VisitInvitation, invitation_id)
    if invitation is None:
        raise VisitError("visit_not_found", id=str(invitation_id))
    return invitation


def link(*, session: Session, invitation: VisitInvitation, event_id: int, actor: str,
         now: datetime) -> None:
    """Name the event that was the visit: a live event of type visit, led by the 1540
    Committee, in the inviting State, on or after the invitation came, and no other
    invitation's visit."""
    event = session.get(Event, event_id)
    if event is None or event.deleted_at is not None:
        raise VisitError("visit_event_not_found", id=str(event_id))
    if event.type != EventType.VISIT:
        raise VisitError("visit_event_not_a_visit", id=str(event_id), type=event.type)
    if event.lead_body not in OWN_VISIT_LEADS:
        raise VisitError("visit_event_other_lead", id=str(event_id), lead=event.lead_body)
    if event.country_party_id != invitation.party_id:
        raise VisitError("visit_event_other_state", id=str(event_id))
    if event.start_date < invitation.received_on:
        raise VisitError("visit_event_before_invitation", id=str(event_id),
                         start=event.start_date.isoformat(),
                         received=invitation.received_on.isoformat())
    taken = session.exec(select(VisitInvitation).where(
        VisitInvitation.event_id == event_id, col(VisitInvitation.id) != invitation.id)).first()
    if taken is not None:
        raise VisitError("visit_event_taken", id=str(event_id), other=str(taken.id))
    if invitation.event_id == event_id:
        return
    before = snapshot(session=session, invitation=invitation)
    invitation.event_id = event_id
    session.add(invitation)
    session.flush()
    _record(session, invitation, "update", before, actor, now)


def _visit_event(session: Session, invitation: VisitInvitation) -> Event:
    event = None if invitation.event_id is None else session.get(Event, invitation.event_id)
    if event is None:
        raise VisitError("visit_not_linked", id=str(invitation.id))
    return event


def _linked_submission(session: Session, invitation: VisitInvitation, outcome: str,
                       submission_id: int, visit: Event) -> None:
    submission = session.get(Submission, submission_id)
    if submission is None:
        raise VisitError("visit_submission_not_found", id=str(submission_id))
    if submission.party_id != invitation.party_id:
        raise VisitError("visit_submission_other_state", id=str(submission_id))
    kinds = OUTCOME_SUBMISSION_KINDS.get(outcome)
    if kinds is not None and submission.kind not in kinds:
        raise VisitError("visit_submission_wrong_kind", id=str(submission_id),
                         kind=submission.kind, outcome=outcome)
    if submission.submitted_on < visit.start_date:
        raise VisitError("visit_submission_before_visit", id=str(submission_id),
                         day=submission.submitted_on.isoformat(),
                         start=visit.start_date.isoformat())


def set_outcome(*, session: Session, invitation: VisitInvitation, outcome: str,
                submission_id: int | None, detail: str, actor: str, now: datetime) -> bool:
    """Record what the visit led to (one row per kind: given again, it is replaced), with the
    submission it led to: one of the same State, of a kind that fits the outcome, submitted
    on or after the visit began. False when it was recorded so already."""
    visit = _visit_event(session, invitation)
    kind = _choice(outcome, VisitOutcomeKind, "visit_unknown_outcome")
    detail = _text(detail, "detail", DETAIL_MAX)
    if submission_id is not None:
        _linked_submission(session, invitation, kind, submission_id, visit)
    assert invitation.id is not None
    row = session.exec(select(VisitOutcome).where(
        VisitOutcome.invitation_id == invitation.id, VisitOutcome.outcome == kind)).first()
    if row is not None and (row.submission_id, row.detail) == (submission_id, detail):
        return False
    before = snapshot(session=session, invitation=invitation)
    if row is None:
        row = VisitOutcome(invitation_id=invitation.id, outcome=kind)
    row.submission_id, row.detail = submission_id, detail
    session.add(row)
    session.flush()
    _record(session, invitation, "update", before, actor, now)
    return True


def parse_authority(value: str) -> tuple[str, str]:
    """"customs", "other:Ministry of Trade" or "health: Institute of Public Health" as
    (category, detail)."""
    category, _, detail = value.partition(":")
    return (_choice(category, AuthorityCategory, "visit_unknown_authority"),
            _text(detail, "authority", AUTHORITY_DETAIL_MAX))


def set_authorities(*, session: Session, invitation: VisitInvitation,
                    authorities: Sequence[tuple[str, str]], actor: str, now: datetime) -> bool:
    """The authorities met on the visit, in order, replacing those recorded; each
    (category, detail) once. False when they were these already."""
    _visit_event(session, invitation)
    wanted: list[tuple[str, str]] = []
    for category, detail in authorities:
        checked = (_choice(category, AuthorityCategory, "visit_unknown_authority"),
                   _text(detail, "authority", AUTHORITY_DETAIL_MAX))
        if checked not in wanted:
            wanted.append(checked)
    assert invitation.id is not None
    current = _authorities(session, invitation.id)
    if [(a.category, a.detail) for a in current] == wanted:
        return False
    before = snapshot(session=session, invitation=invitation)
    for row in current:
        session.delete(row)
    session.flush()
    for position, (category, detail) in enumerate(wanted):
        session.add(VisitAuthority(invitation_id=invitation.id, position=position,
                                   category=category, detail=detail))
    session.flush()
    _record(session, invitation, "update", before, actor, now)
    return True


def _outcomes(session: Session, invitation_id: int) -> list[VisitOutcome]:
    order = {kind.value: index for index, kind in enumerate(VisitOutcomeKind)}
    rows = session.exec(select(VisitOutcome).where(VisitOutcome.invitation_id == invitation_id))
    return sorted(rows, key=lambda row: order[row.outcome])


def _authorities(session: Session, invitation_id: int) -> list[VisitAuthority]:
    return list(session.exec(select(VisitAuthority)
                             .where(VisitAuthority.invitation_id == invitation_id)
                             .order_by(col(VisitAuthority.position))))


def view(*, session: Session, invitation: VisitInvitation) -> VisitView:
    assert invitation.id is not None
    state = session.get(Party, invitation.party_id)
    assert state is not None
    event = None if invitation.event_id is None else session.get(Event, invitation.event_id)
    outcomes = _outcomes(session, invitation.id)
    linked = [o.submission_id for o in outcomes if o.submission_id is not None]
    found = session.exec(select(Submission).where(col(Submission.id).in_(linked))).all()
    return VisitView(invitation, state, event, tuple(outcomes),
                     tuple(_authorities(session, invitation.id)),
                     {s.id: s for s in found if s.id is not None})


def listing(*, session: Session, state: Party | None = None) -> list[VisitView]:
    """Every invitation (of `state` when given), by the day it came, then id."""
    query = select(VisitInvitation)
    if state is not None:
        query = query.where(VisitInvitation.party_id == state.id)
    query = query.order_by(col(VisitInvitation.received_on), col(VisitInvitation.id))
    return [view(session=session, invitation=row) for row in session.exec(query)]
