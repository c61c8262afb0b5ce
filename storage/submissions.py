"""A State's reporting history: national reports, additional information, action plans."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, Session, SQLModel, col, select

from storage import audit
from storage.action_plans.closing import on_submission
from storage.columns import UTCDateTime
from storage.parties import Party

# Resolution 1540 (2004) was adopted on this day; nothing can have been submitted before it.
RESOLUTION_ADOPTED = date(2004, 4, 28)


class SubmissionKind(StrEnum):
    FIRST_REPORT = "first_report"
    ADDITIONAL_INFO = "additional_info"
    ACTION_PLAN = "action_plan"


# A "national report" in the Committee's counts is the first report or any later update.
NATIONAL_REPORT_KINDS = (SubmissionKind.FIRST_REPORT, SubmissionKind.ADDITIONAL_INFO)


class Submission(SQLModel, table=True):
    __tablename__ = "submission"
    __table_args__ = (UniqueConstraint("party_id", "kind", "submitted_on"),)

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id", index=True)
    kind: str = Field(max_length=20)
    submitted_on: date = Field(index=True)
    symbol: str = Field(default="", max_length=80)
    note: str = Field(default="", max_length=2000)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


def snapshot(submission: Submission) -> dict[str, Any]:
    return {
        "party_id": submission.party_id,
        "kind": submission.kind,
        "submitted_on": submission.submitted_on.isoformat(),
        "symbol": submission.symbol,
        "note": submission.note,
    }


def find(*, session: Session, party_id: int, kind: str, submitted_on: date) -> Submission | None:
    query = select(Submission).where(
        Submission.party_id == party_id,
        Submission.kind == kind,
        Submission.submitted_on == submitted_on,
    )
    return session.exec(query).first()


def first_report_dates(*, session: Session) -> dict[int, date]:
    """party id -> date of its first report, for every State that has one."""
    query = select(Submission).where(Submission.kind == SubmissionKind.FIRST_REPORT)
    return {row.party_id: row.submitted_on for row in session.exec(query)}


def add(
    *,
    session: Session,
    party_id: int,
    kind: str,
    submitted_on: date,
    symbol: str,
    note: str,
    actor: str,
    now: datetime,
) -> Submission:
    moment = now
    submission = Submission(
        party_id=party_id, kind=kind, submitted_on=submitted_on, symbol=symbol, note=note,
        created_at=moment,
    )
    session.add(submission)
    session.flush()
    assert submission.id is not None
    audit.record(
        session=session, actor=actor, action="create", entity="submission",
        entity_id=submission.id, before=None, after=snapshot(submission), now=moment,
    )
    # a submitted action plan closes the State's draft (storage/action_plans/closing.py)
    on_submission(session=session, party_id=party_id, kind=kind, submission_id=submission.id,
                  submitted_on=submitted_on, actor=actor, now=moment)
    return submission


def amend(
    *, session: Session, submission: Submission, symbol: str, note: str, actor: str,
    now: datetime,
) -> bool:
    """Change the symbol and note of a recorded submission; False when nothing changes."""
    if (submission.symbol, submission.note) == (symbol, note):
        return False
    assert submission.id is not None
    before = snapshot(submission)
    submission.symbol, submission.note = symbol, note
    session.add(submission)
    audit.record(
        session=session, actor=actor, action="update", entity="submission",
        entity_id=submission.id, before=before, after=snapshot(submission), now=now,
    )
    return True


def history(*, session: Session, party_id: int | None = None) -> list[tuple[Submission, Party]]:
    query = (
        select(Submission, Party)
        .join(Party, col(Party.id) == col(Submission.party_id))
        .order_by(col(Party.code), col(Submission.submitted_on), col(Submission.kind))
    )
    if party_id is not None:
        query = query.where(Submission.party_id == party_id)
    return [(submission, party) for submission, party in session.exec(query)]
