"""A submitted action plan closes its State's draft: the rule storage/submissions.py applies
when a submission is recorded (by a command, an import or the chat). Its own module, which
imports neither submissions nor parties, so that storage.submissions can call it."""

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from storage import audit
from storage.action_plans.model import ActionPlanDraft, DraftOutcome

ENTITY = "action_plan_draft"
ACTION_PLAN = "action_plan"  # storage.submissions.SubmissionKind.ACTION_PLAN


def snapshot(draft: ActionPlanDraft) -> dict[str, Any]:
    return {"party_id": draft.party_id, "supported_by": draft.supported_by,
            "opened_on": draft.opened_on.isoformat(),
            "closed_on": draft.closed_on.isoformat() if draft.closed_on else None,
            "outcome": draft.outcome, "submission_id": draft.submission_id,
            "note": draft.note}


def open_draft(*, session: Session, party_id: int) -> ActionPlanDraft | None:
    query = select(ActionPlanDraft).where(ActionPlanDraft.party_id == party_id,
                                          col(ActionPlanDraft.closed_on).is_(None))
    return session.exec(query).first()


def close_submitted(*, session: Session, draft: ActionPlanDraft, submission_id: int,
                    submitted_on: date, actor: str, now: datetime) -> None:
    before = snapshot(draft)
    draft.closed_on, draft.outcome = submitted_on, DraftOutcome.SUBMITTED
    draft.submission_id = submission_id
    session.add(draft)
    audit.record(session=session, actor=actor, action="submitted", entity=ENTITY,
                 entity_id=draft.id or 0, before=before, after=snapshot(draft), now=now)


def on_submission(*, session: Session, party_id: int, kind: str, submission_id: int,
                  submitted_on: date, actor: str, now: datetime) -> bool:
    """An action plan submitted on or after the day its State's open draft began closes
    that draft, linked to it; True when one was closed."""
    if kind != ACTION_PLAN:
        return False
    draft = open_draft(session=session, party_id=party_id)
    if draft is None or submitted_on < draft.opened_on:
        return False
    close_submitted(session=session, draft=draft, submission_id=submission_id,
                    submitted_on=submitted_on, actor=actor, now=now)
    return True
