"""Reminder policies, the cycles sent under them, PoC replies, and pauses per State.

What is due is decided in scheduler/reminders.py from plain values; this module stores the
facts that decision needs and reads them back in bulk.
"""

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, Session, SQLModel, col, func, select

from storage import audit
from storage.columns import UTCDateTime
from storage.delivery_answers import (
    AnswerOutcome,
    AnswerTaken,
    AnswerTarget,
    answer_target,
    outcome,
)
from storage.outbox import Delivery, OutboxMessage
from storage.parties import Party, PartyKind
from storage.pocs import PocRole, PocStatus, PointOfContact
from storage.submissions import Submission, SubmissionKind


class ReplyAnswer(StrEnum):
    RECEIVED = "received"
    SNOOZE = "snooze"
    WRONG_CONTACT = "wrong_contact"


SNOOZE_DAYS = 30
# How long a reminder's answer links and buttons are taken, by default (OUTREACH_REPLY_LINK_DAYS)
REPLY_LINK_DAYS = 90
REPLY_ONCE = ("poc_id", "message_id", "answer")
POLICY_NAME_MAX = 80


class ReminderPolicy(SQLModel, table=True):
    __tablename__ = "reminder_policy"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=POLICY_NAME_MAX, unique=True)
    target: str = Field(max_length=40)
    years: int | None = None
    since: date | None = None
    regional_group: str | None = Field(default=None, max_length=10)
    template: str = Field(max_length=80)
    channels: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    cadence_days: int
    first_send_on: date
    max_reminders: int
    escalate_after: int | None = None
    escalate_to: str = Field(default="other_pocs", max_length=20)
    paused: bool = False
    created_by: str = Field(max_length=120)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ReminderCycle(SQLModel, table=True):
    """One reminder cycle sent to one State under one policy: the history the rules read."""

    __tablename__ = "reminder_cycle"
    __table_args__ = (UniqueConstraint("policy_id", "party_id", "cycle"),)

    id: int | None = Field(default=None, primary_key=True)
    policy_id: int = Field(foreign_key="reminder_policy.id", index=True)
    party_id: int = Field(foreign_key="party.id", index=True)
    cycle: int
    message_id: int = Field(foreign_key="outbox_message.id")
    escalated: bool = False
    sent_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class PocReply(SQLModel, table=True):
    """A PoC's answer to a reminder: received, remind me later, or not the right contact.
    Each answer once per PoC and message (REPLY_ONCE): giving it again changes nothing."""

    __tablename__ = "poc_reply"
    __table_args__ = (Index("uq_poc_reply_once", *REPLY_ONCE, unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    poc_id: int = Field(foreign_key="poc.id", index=True)
    message_id: int = Field(foreign_key="outbox_message.id", index=True)
    answer: str = Field(max_length=20)
    snooze_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    channel: str = Field(max_length=10)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    seen_by_staff: bool = False


class ReminderPause(SQLModel, table=True):
    """Staff paused reminders for one State (under one policy, or all when policy_id is null)."""

    __tablename__ = "reminder_pause"
    __table_args__ = (UniqueConstraint("party_id", "policy_id"),)

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id", index=True)
    policy_id: int | None = Field(default=None, foreign_key="reminder_policy.id")
    created_by: str = Field(max_length=120)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


def policy_snapshot(policy: ReminderPolicy) -> dict[str, Any]:
    return {
        "name": policy.name, "target": policy.target, "years": policy.years,
        "since": policy.since.isoformat() if policy.since else None,
        "regional_group": policy.regional_group, "template": policy.template,
        "channels": list(policy.channels), "cadence_days": policy.cadence_days,
        "first_send_on": policy.first_send_on.isoformat(),
        "max_reminders": policy.max_reminders, "escalate_after": policy.escalate_after,
        "escalate_to": policy.escalate_to, "paused": policy.paused,
    }


DEFAULT_POLICIES: tuple[dict[str, Any], ...] = (
    {"name": "non-reporting", "target": "no_first_report", "template": "reminder_first_report",
     "cadence_days": 90, "max_reminders": 8, "escalate_after": 2},
    {"name": "no-submission-5-years", "target": "no_submission_for_years", "years": 5,
     "template": "reminder_update", "cadence_days": 180, "max_reminders": 6,
     "escalate_after": 2},
)


def ensure_default_policies(*, session: Session, today: date, now: datetime) -> int:
    """Create the two shipped policies once (by name); staff edits are never overwritten.

    They are created paused: a fresh install must not write to every State before staff have
    imported the reporting history and seen the plan (`reminders plan --include-paused`)."""
    existing = set(session.exec(select(ReminderPolicy.name)))
    created = 0
    for values in DEFAULT_POLICIES:
        if values["name"] in existing:
            continue
        policy = ReminderPolicy(**values, channels=["email", "telegram"], first_send_on=today,
                                paused=True, created_by="system:defaults", created_at=now)
        session.add(policy)
        session.flush()
        audit.record(session=session, actor="system:defaults", action="create",
                     entity="reminder_policy", entity_id=policy.id or 0, before=None,
                     after=policy_snapshot(policy), now=now)
        created += 1
    return created


def policies(*, session: Session) -> list[ReminderPolicy]:
    return list(session.exec(select(ReminderPolicy).order_by(col(ReminderPolicy.id))))


def state_statuses(
    *, session: Session
) -> list[tuple[Party, date | None, date | None, date | None]]:
    """Each Member State with the dates of its first report, its latest submission and its
    latest action plan."""
    first = func.min(Submission.submitted_on).filter(
        col(Submission.kind) == SubmissionKind.FIRST_REPORT)
    latest = func.max(Submission.submitted_on)
    plan = func.max(Submission.submitted_on).filter(
        col(Submission.kind) == SubmissionKind.ACTION_PLAN)
    dates = (
        select(col(Submission.party_id).label("party_id"), first.label("first"),
               latest.label("latest"), plan.label("plan"))
        .group_by(col(Submission.party_id))
        .subquery()
    )
    query = (
        select(Party, dates.c.first, dates.c.latest, dates.c.plan)
        .outerjoin(dates, dates.c.party_id == col(Party.id))
        .where(Party.kind == PartyKind.STATE)
        .order_by(col(Party.id))
    )
    return [(party, first_on, latest_on, plan_on)
            for party, first_on, latest_on, plan_on in session.exec(query)]


class ActiveContact(NamedTuple):
    """What the reminder rules read of an active PoC (not the whole row: a registry may hold
    tens of thousands)."""

    poc_id: int
    party_id: int
    role: str
    timezone: str
    snoozed_until: datetime | None  # its latest snooze's end
    wrong_contact: bool  # it said "not me"


def active_contacts(*, session: Session) -> list[ActiveContact]:
    """Active PoCs (of States and organisations: only the letter reminders reach the
    latter), each with its latest snooze end and whether it said "not me"."""
    snoozes: dict[int, datetime] = {}
    wrong: set[int] = set()
    for poc_id, answer, snooze_until in session.exec(
            select(PocReply.poc_id, PocReply.answer, PocReply.snooze_until)):
        if snooze_until is not None and (poc_id not in snoozes or snooze_until > snoozes[poc_id]):
            snoozes[poc_id] = snooze_until
        if answer == ReplyAnswer.WRONG_CONTACT:
            wrong.add(poc_id)
    query = (
        select(PointOfContact.id, PointOfContact.party_id, PointOfContact.role,
               PointOfContact.timezone)
        .join(Party, col(Party.id) == col(PointOfContact.party_id))
        .where(PointOfContact.status == PocStatus.ACTIVE)
        .order_by(col(PointOfContact.id))
    )
    return [ActiveContact(poc_id, party_id, role, timezone, snoozes.get(poc_id),
                          poc_id in wrong)
            for poc_id, party_id, role, timezone in session.exec(query) if poc_id is not None]


def cycles(*, session: Session) -> list[tuple[ReminderCycle, bool]]:
    """Every cycle sent, with whether any of its PoCs acknowledged it."""
    acknowledged = set(session.exec(select(PocReply.message_id).where(
        col(PocReply.answer).in_([ReplyAnswer.RECEIVED, ReplyAnswer.SNOOZE]))))
    return [(cycle, cycle.message_id in acknowledged)
            for cycle in session.exec(select(ReminderCycle).order_by(col(ReminderCycle.id)))]


def pauses(*, session: Session) -> list[ReminderPause]:
    return list(session.exec(select(ReminderPause)))


def is_national(poc: PointOfContact | ActiveContact) -> bool:
    return poc.role == PocRole.NATIONAL


def is_mission(poc: PointOfContact | ActiveContact) -> bool:
    return poc.role == PocRole.MISSION


def _insert_once(session: Session, values: dict[str, Any]) -> int | None:
    """Insert the reply unless this PoC already gave this answer to this message (the unique
    index): atomic on both backends, so two posts at once still make one row. The new
    row's id, or None when it was there already."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = PocReply.__table__  # type: ignore[attr-defined]
    statement = (insert(table).values(**values)
                 .on_conflict_do_nothing(index_elements=list(REPLY_ONCE))
                 .returning(table.c.id))
    return session.connection().execute(statement).scalar_one_or_none()


def record_reply(*, session: Session, poc_id: int, message_id: int, answer: ReplyAnswer,
                 channel: str, now: datetime) -> PocReply:
    """Record the answer once: the same answer again (a link posted twice, the button
    pressed after the link) changes nothing, not even a snooze's end. The stored reply."""
    return _record_once(session, poc_id, message_id, answer, channel, now)[0]


def _record_once(session: Session, poc_id: int, message_id: int, answer: ReplyAnswer,
                 channel: str, now: datetime) -> tuple[PocReply, bool]:
    """The stored reply, and whether it was stored now (and audited) rather than before."""
    snooze_until = now + timedelta(days=SNOOZE_DAYS) if answer is ReplyAnswer.SNOOZE else None
    new_id = _insert_once(session, {
        "poc_id": poc_id, "message_id": message_id, "answer": answer.value,
        "channel": channel, "snooze_until": snooze_until, "at": now, "seen_by_staff": False})
    if new_id is not None:
        audit.record(session=session, actor=f"poc:{poc_id}", action=f"reply_{answer}",
                     entity="poc_reply", entity_id=new_id, before=None,
                     after={"message_id": message_id, "answer": answer.value,
                            "channel": channel}, now=now)
    stored = session.exec(select(PocReply).where(
        PocReply.poc_id == poc_id, PocReply.message_id == message_id,
        PocReply.answer == answer.value)).one()
    return stored, new_id is not None


def _reminder(delivery: Delivery, message: OutboxMessage) -> int | None:
    return message.id if message.kind == "reminder" else None


def reply_target(*, session: Session, delivery_id: int, now: datetime, valid_for: timedelta,
                 telegram_chat_id: int | None = None) -> AnswerTarget[int] | None:
    """The PoC a reminder's delivery went to (the subject: the reminder's message id) and
    whether its answer links have expired; None when no answer can be taken for it."""
    return answer_target(session=session, delivery_id=delivery_id, now=now,
                         valid_for=valid_for, subject=_reminder,
                         telegram_chat_id=telegram_chat_id)


def reply_to_delivery(
    *, session: Session, delivery_id: int, answer: ReplyAnswer, channel: str, now: datetime,
    valid_for: timedelta, telegram_chat_id: int | None = None,
) -> AnswerTaken | None:
    """Record a PoC's answer to the reminder behind `delivery_id` (storage.delivery_answers
    says when one is taken); `until` is the stored snooze's end."""
    target = reply_target(session=session, delivery_id=delivery_id, now=now,
                          valid_for=valid_for, telegram_chat_id=telegram_chat_id)
    if target is None:
        return None
    if target.expired:
        return AnswerTaken(AnswerOutcome.EXPIRED, target.language)
    reply, new = _record_once(session, target.poc_id, target.subject, answer, channel, now)
    until = reply.snooze_until.date() if reply.snooze_until is not None else None
    return AnswerTaken(outcome(new), target.language, until)
