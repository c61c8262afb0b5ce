"""Action plans in preparation: started, given milestones, closed; every write audited.

Closing is automatic when the plan is submitted: recording a Submission of kind action_plan
dated on or after the day the State's open draft began closes the draft that day, linked to
the submission (storage/action_plans/closing.py, called by storage.submissions.add). Starting
a draft for a State whose plan is already recorded on or after the start day closes it at once
the same way. Staff close a draft by hand only when the work stopped without a plan
(`discontinue`).

A refused change raises DraftError with its problems (codes of templates/cli/en/messages.j2);
nothing is written then.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from storage import audit
from storage.action_plans.closing import ENTITY, close_submitted, open_draft, snapshot
from storage.action_plans.model import (
    MILESTONE_MAX,
    NOTE_MAX,
    ActionPlanDraft,
    ActionPlanMilestone,
    DraftOutcome,
)
from storage.events import COMMITTEE
from storage.parties import Party, PartyKind
from storage.problems import Problem
from storage.submissions import RESOLUTION_ADOPTED, Submission, SubmissionKind


class DraftError(Exception):
    def __init__(self, code: str, **params: str) -> None:
        self.problem = Problem(None, code, params)
        super().__init__(f"{code} {params}")


@dataclass(frozen=True)
class DraftView:
    draft: ActionPlanDraft
    party: Party
    milestones: tuple[ActionPlanMilestone, ...]
    submission: Submission | None


def _check_day(value: date, today: date, what: str) -> None:
    if value < RESOLUTION_ADOPTED:
        raise DraftError("draft_date_too_early", what=what, value=value.isoformat())
    if value > today:
        raise DraftError("draft_date_in_future", what=what, value=value.isoformat())


def _check_text(value: str, limit: int, what: str) -> None:
    if len(value) > limit or not value.isprintable():
        raise DraftError("draft_text_invalid", what=what, limit=str(limit))


def get(*, session: Session, draft_id: int) -> ActionPlanDraft:
    found = session.get(ActionPlanDraft, draft_id)
    if found is None:
        raise DraftError("draft_not_found", id=str(draft_id))
    return found


def start(*, session: Session, party: Party, supporter: Party | None, opened_on: date,
          note: str, actor: str, now: datetime) -> ActionPlanDraft:
    """The Committee (`supporter` None) or a party begins helping `party` draft its plan."""
    if party.kind != PartyKind.STATE or party.id is None:
        raise DraftError("draft_not_a_state", value=party.code)
    if supporter is not None and supporter.id == party.id:
        raise DraftError("draft_supports_itself", value=party.code)
    _check_day(opened_on, now.date(), "start")
    _check_text(note, NOTE_MAX, "note")
    current = open_draft(session=session, party_id=party.id)
    if current is not None:
        raise DraftError("draft_already_open", state=party.code, id=str(current.id),
                         on=current.opened_on.isoformat())
    draft = ActionPlanDraft(party_id=party.id, opened_on=opened_on, note=note,
                            supported_by=COMMITTEE if supporter is None else supporter.code,
                            created_at=now)
    session.add(draft)
    session.flush()
    assert draft.id is not None
    audit.record(session=session, actor=actor, action="create", entity=ENTITY,
                 entity_id=draft.id, before=None, after=snapshot(draft), now=now)
    submitted = session.exec(
        select(Submission).where(Submission.party_id == party.id,
                                 Submission.kind == SubmissionKind.ACTION_PLAN,
                                 col(Submission.submitted_on) >= opened_on)
        .order_by(col(Submission.submitted_on))).first()
    if submitted is not None and submitted.id is not None:
        close_submitted(session=session, draft=draft, submission_id=submitted.id,
                        submitted_on=submitted.submitted_on, actor=actor, now=now)
    return draft


def milestone(*, session: Session, draft: ActionPlanDraft, on: date, text: str, actor: str,
              now: datetime) -> ActionPlanMilestone:
    """A step of an open draft, on a day from its start to today."""
    assert draft.id is not None
    if draft.closed_on is not None:
        raise DraftError("draft_closed", id=str(draft.id), on=draft.closed_on.isoformat())
    _check_day(on, now.date(), "milestone")
    if on < draft.opened_on:
        raise DraftError("draft_before_start", id=str(draft.id), value=on.isoformat(),
                         start=draft.opened_on.isoformat())
    text = " ".join(text.split())
    if not text:
        raise DraftError("draft_milestone_empty")
    _check_text(text, MILESTONE_MAX, "milestone")
    found = ActionPlanMilestone(draft_id=draft.id, reached_on=on, text=text)
    session.add(found)
    session.flush()
    audit.record(session=session, actor=actor, action="milestone", entity=ENTITY,
                 entity_id=draft.id, before=None,
                 after={"reached_on": on.isoformat(), "text": text}, now=now)
    return found


def discontinue(*, session: Session, draft: ActionPlanDraft, on: date, actor: str,
                now: datetime) -> None:
    """Close an open draft whose work stopped without a plan."""
    assert draft.id is not None
    if draft.closed_on is not None:
        raise DraftError("draft_closed", id=str(draft.id), on=draft.closed_on.isoformat())
    _check_day(on, now.date(), "closing")
    if on < draft.opened_on:
        raise DraftError("draft_before_start", id=str(draft.id), value=on.isoformat(),
                         start=draft.opened_on.isoformat())
    before = snapshot(draft)
    draft.closed_on, draft.outcome = on, DraftOutcome.DISCONTINUED
    session.add(draft)
    audit.record(session=session, actor=actor, action="discontinue", entity=ENTITY,
                 entity_id=draft.id, before=before, after=snapshot(draft), now=now)


def listing(*, session: Session, party_id: int | None = None,
            open_only: bool = False) -> list[DraftView]:
    """Drafts with their State, milestones and submission, by start day."""
    query = (select(ActionPlanDraft, Party)
             .join(Party, col(Party.id) == col(ActionPlanDraft.party_id))
             .order_by(col(ActionPlanDraft.opened_on), col(ActionPlanDraft.id)))
    if party_id is not None:
        query = query.where(ActionPlanDraft.party_id == party_id)
    if open_only:
        query = query.where(col(ActionPlanDraft.closed_on).is_(None))
    rows: Sequence[tuple[ActionPlanDraft, Party]] = list(session.exec(query))
    milestones: dict[int, list[ActionPlanMilestone]] = {}
    ids = [draft.id for draft, _ in rows]
    for found in session.exec(select(ActionPlanMilestone)
                              .where(col(ActionPlanMilestone.draft_id).in_(ids))
                              .order_by(col(ActionPlanMilestone.reached_on),
                                        col(ActionPlanMilestone.id))):
        milestones.setdefault(found.draft_id, []).append(found)
    return [DraftView(draft, party, tuple(milestones.get(draft.id or 0, ())),
                      session.get(Submission, draft.submission_id)
                      if draft.submission_id else None)
            for draft, party in rows]
