"""The tables of visits at a State's invitation (migration 0015).

A VisitInvitation is the State's invitation (when it came, in what form) and, once the visit
took place, the event that was the visit (`event_id`: one invitation, one visit; a State that
invites again, as the State visited twice in 2017, has a second invitation). What the visit led
to are its VisitOutcome rows, one per kind, each optionally the submission (a national report,
an action plan) it led to; the authorities met are VisitAuthority rows, in the order given.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import UTCDateTime


class InvitationForm(StrEnum):
    NOTE_VERBALE = "note_verbale"
    LETTER = "letter"
    ORAL = "oral"
    OTHER = "other"


class VisitOutcomeKind(StrEnum):
    """What a visit led to (4.5: "the drafting of a national report or a voluntary National
    Implementation Action Plan, as well as offering advice and views on legislation")."""

    NATIONAL_REPORT = "national_report"  # a national report drafted
    ACTION_PLAN = "action_plan"  # a voluntary national implementation action plan
    LEGISLATION = "legislation"  # advice and views on legislation and regulations
    OTHER = "other"


class AuthorityCategory(StrEnum):
    """The authorities met (4.5: "foreign affairs and defense ministries and health, police,
    and customs officials"); `other` with its name in the detail."""

    FOREIGN_AFFAIRS = "foreign_affairs"
    DEFENCE = "defence"
    HEALTH = "health"
    POLICE = "police"
    CUSTOMS = "customs"
    OTHER = "other"


# The submission kinds an outcome may be linked to (legislation and other: any kind).
OUTCOME_SUBMISSION_KINDS: dict[str, tuple[str, ...]] = {
    VisitOutcomeKind.NATIONAL_REPORT: ("first_report", "additional_info"),
    VisitOutcomeKind.ACTION_PLAN: ("action_plan",),
}

REFERENCE_MAX = 80
NOTE_MAX = 1000
DETAIL_MAX = 1000
AUTHORITY_DETAIL_MAX = 200


def _values(enum: type[StrEnum]) -> str:
    return ", ".join(f"'{member.value}'" for member in enum)


class VisitInvitation(SQLModel, table=True):
    __tablename__ = "visit_invitation"
    __table_args__ = (
        CheckConstraint(f"form IN ({_values(InvitationForm)})", name="ck_visit_invitation_form"),
    )

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id", index=True)  # the inviting State
    received_on: date
    form: str = Field(max_length=20)
    reference: str = Field(default="", max_length=REFERENCE_MAX)  # e.g. the note's symbol
    note: str = Field(default="", max_length=NOTE_MAX)
    event_id: int | None = Field(default=None, foreign_key="event.id", unique=True)
    created_by: str = Field(max_length=120)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class VisitOutcome(SQLModel, table=True):
    __tablename__ = "visit_outcome"
    __table_args__ = (
        UniqueConstraint("invitation_id", "outcome"),
        CheckConstraint(f"outcome IN ({_values(VisitOutcomeKind)})",
                        name="ck_visit_outcome_outcome"),
    )

    id: int | None = Field(default=None, primary_key=True)
    invitation_id: int = Field(foreign_key="visit_invitation.id", index=True)
    outcome: str = Field(max_length=20)
    submission_id: int | None = Field(default=None, foreign_key="submission.id")
    detail: str = Field(default="", max_length=DETAIL_MAX)


class VisitAuthority(SQLModel, table=True):
    __tablename__ = "visit_authority"
    __table_args__ = (
        UniqueConstraint("invitation_id", "position"),
        CheckConstraint(f"category IN ({_values(AuthorityCategory)})",
                        name="ck_visit_authority_category"),
    )

    id: int | None = Field(default=None, primary_key=True)
    invitation_id: int = Field(foreign_key="visit_invitation.id", index=True)
    position: int
    category: str = Field(max_length=20)
    detail: str = Field(default="", max_length=AUTHORITY_DETAIL_MAX)
