"""A voluntary National Implementation Action Plan in preparation (seed paper, section 4.6:
"The Committee is currently supporting two States, namely Botswana and Mongolia, who are in
the process of developing said action plans"): the State, who supports it (the Committee or an
organisation such as OAS or OSCE), the day the support began, its milestones, and how it
ended: the State submitted its plan (the submission is linked; storage/action_plans/drafts.py
closes the draft when the submission is recorded) or the work was discontinued.

A State has at most one draft open at a time.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, Index, text
from sqlmodel import Field, SQLModel

from storage.columns import UTCDateTime

SUPPORTER_MAX = 20  # a party's code or "committee"
NOTE_MAX = 1000
MILESTONE_MAX = 500
OPEN = "closed_on IS NULL"


class DraftOutcome(StrEnum):
    SUBMITTED = "submitted"  # the State submitted its plan (a Submission of kind action_plan)
    DISCONTINUED = "discontinued"  # the work stopped without a plan


class ActionPlanDraft(SQLModel, table=True):
    __tablename__ = "action_plan_draft"
    __table_args__ = (
        CheckConstraint("outcome IS NULL OR outcome IN ('submitted', 'discontinued')",
                        name="ck_action_plan_draft_outcome"),
        CheckConstraint("(closed_on IS NULL) = (outcome IS NULL)",
                        name="ck_action_plan_draft_closed"),
        CheckConstraint("closed_on IS NULL OR closed_on >= opened_on",
                        name="ck_action_plan_draft_dates"),
        Index("ux_action_plan_draft_open", "party_id", unique=True,
              sqlite_where=text(OPEN), postgresql_where=text(OPEN)),
    )

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id", index=True)
    supported_by: str = Field(max_length=SUPPORTER_MAX)
    opened_on: date
    closed_on: date | None = None
    outcome: str | None = Field(default=None, max_length=20)
    submission_id: int | None = Field(default=None, foreign_key="submission.id")
    note: str = Field(default="", max_length=NOTE_MAX)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ActionPlanMilestone(SQLModel, table=True):
    """A step of the drafting: a day and what happened (a draft shared, a workshop held)."""

    __tablename__ = "action_plan_milestone"

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="action_plan_draft.id", index=True)
    reached_on: date
    text: str = Field(max_length=MILESTONE_MAX)
