"""The outbox: every message we send, and one delivery row per recipient and channel.

A delivery moves pending -> sending -> sent | retry | failed, or to uncertain when a process
died after handing it to the network and before recording the outcome. Claims are leases:
a dispatcher that dies while holding a claim (before `sending`) loses it when the lease ends,
and the delivery is simply claimed again; nothing had left.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import JSON, Column, Index, Integer, UniqueConstraint, and_, bindparam, or_, update
from sqlalchemy import select as core_select
from sqlalchemy.engine import CursorResult
from sqlmodel import Field, Session, SQLModel, col, func, select

from storage import audit
from storage.columns import UTCDateTime, within
from storage.parties import Party
from storage.pocs import PocEmail, PocStatus, PointOfContact


class Channel(StrEnum):
    EMAIL = "email"
    TELEGRAM = "telegram"


class DeliveryState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    UNCERTAIN = "uncertain"


CLAIMABLE = (DeliveryState.PENDING, DeliveryState.RETRY)

# A message whose context names its language under this key (the Chair's, written in one
# language per outbox message) is rendered in that language, whatever the PoC's.
WRITTEN_IN = "written_in"

AUDIENCE_MAX = 200  # characters of a message's audience: a summary, the deliveries say who
LAST_ERROR_MAX = 500  # characters of a delivery's last error: a server's words, cut visibly


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    template: str = Field(max_length=80)
    context: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    audience: str = Field(max_length=AUDIENCE_MAX)
    created_by: str = Field(max_length=120)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    not_before: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # Callers that must never create the same message twice (a reminder cycle) set a key.
    dedupe_key: str | None = Field(default=None, max_length=200, unique=True)


class Delivery(SQLModel, table=True):
    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("message_id", "poc_id", "channel"),
        Index("ix_delivery_due", "state", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="outbox_message.id", index=True)
    poc_id: int = Field(foreign_key="poc.id", index=True)
    channel: str = Field(max_length=10)
    state: str = Field(default=DeliveryState.PENDING, max_length=10)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    lease_owner: str | None = Field(default=None, max_length=80)
    lease_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    last_error: str = Field(default="", max_length=LAST_ERROR_MAX)
    external_id: str | None = Field(default=None, max_length=200)
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


@dataclass(frozen=True)
class Recipient:
    poc_id: int
    channel: Channel
    # Not before this instant for this recipient (their working hours); else the message's.
    not_before: datetime | None = None


def enqueue(
    *,
    session: Session,
    kind: str,
    template: str,
    context: dict[str, Any],
    audience: str,
    recipients: list[Recipient],
    created_by: str,
    now: datetime,
    not_before: datetime | None = None,
    dedupe_key: str | None = None,
    audited: dict[str, Any] | None = None,
) -> OutboxMessage:
    """A message and its deliveries, in the caller's transaction.

    `audience` is a summary for people (cut visibly to AUDIENCE_MAX); `audited` adds what the
    audit entry should keep in full (the targets as typed). With a dedupe_key that already
    exists, the existing message is returned and nothing is added; the unique constraint backs
    this up against a concurrent caller.
    """
    if dedupe_key is not None:
        existing = session.exec(
            select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
        ).first()
        if existing is not None:
            return existing
    audience = within(audience, AUDIENCE_MAX)
    message = OutboxMessage(
        kind=kind, template=template, context=context, audience=audience,
        created_by=created_by, created_at=now, not_before=not_before or now,
        dedupe_key=dedupe_key,
    )
    session.add(message)
    session.flush()
    assert message.id is not None
    seen: set[tuple[int, Channel]] = set()
    for recipient in recipients:
        if (recipient.poc_id, recipient.channel) in seen:
            continue
        seen.add((recipient.poc_id, recipient.channel))
        session.add(Delivery(
            message_id=message.id, poc_id=recipient.poc_id, channel=recipient.channel,
            next_attempt_at=max(recipient.not_before or message.not_before, message.not_before),
            created_at=now, updated_at=now,
        ))
    audit.record(session=session, actor=created_by, action="enqueue", entity="outbox_message",
                 entity_id=message.id, before=None,
                 after={"kind": kind, "template": template, "audience": audience,
                        "deliveries": len(seen), **(audited or {})}, now=now)
    session.flush()
    return message


def targets_audience(targets: Sequence[str]) -> str:
    """"to: A, B and N more (T targets)": as many of the targets as an audience holds, and
    how many it leaves out (a send to every State names 193)."""
    whole = "to: " + ", ".join(targets)
    if len(whole) <= AUDIENCE_MAX:
        return whole
    total = len(targets)
    longest_tail = len(f" and {total} more ({total} targets)")
    shown: list[str] = []
    length = len("to: ")
    for target in targets:
        added = len(target) + (len(", ") if shown else 0)
        if length + added + longest_tail > AUDIENCE_MAX:
            break
        shown.append(target)
        length += added
    if not shown:
        return f"to: {total} targets"
    return f"to: {', '.join(shown)} and {total - len(shown)} more ({total} targets)"


def claim(
    *, session: Session, owner: str, now: datetime, limit: int, lease: timedelta,
    channel: Channel | None = None,
) -> list[int]:
    """Take up to `limit` due deliveries for `owner`, committed, so no one else takes them.

    PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED, so concurrent dispatchers take disjoint
    rows without waiting. SQLite: one writer at a time, and the UPDATE re-checks the due
    condition, so a row another process claimed first is simply not updated.
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    candidates, take = _claim_statements(channel is not None, postgres)
    values = {"c_now": now, "c_channel": channel and str(channel)}
    connection = session.connection()
    ids = [row[0] for row in connection.execute(candidates, {**values, "c_limit": limit})]
    if not ids:
        session.commit()
        return []
    result = connection.execute(take, {**values, "c_ids": ids, "c_owner": owner,
                                       "c_lease_until": now + lease})
    claimed = sorted(row[0] for row in result)
    session.commit()
    return claimed


@cache
def _claim_statements(by_channel: bool, postgres: bool) -> tuple[Any, Any]:
    """The claim's SELECT and UPDATE, built once per shape with every value a bound
    parameter: SQLAlchemy reuses their compiled form instead of compiling them per batch."""
    table = Delivery.__table__  # type: ignore[attr-defined]
    now: Any = bindparam("c_now", type_=UTCDateTime())
    condition = and_(
        table.c.state.in_([str(state) for state in CLAIMABLE]),
        table.c.next_attempt_at <= now,
        or_(table.c.lease_until.is_(None), table.c.lease_until < now),
    )
    if by_channel:
        condition = and_(condition, table.c.channel == bindparam("c_channel"))
    candidates = (core_select(table.c.id).where(condition).order_by(table.c.id)
                  .limit(bindparam("c_limit", type_=Integer)))
    if postgres:
        candidates = candidates.with_for_update(skip_locked=True)
    take = (update(table)
            .where(table.c.id.in_(bindparam("c_ids", expanding=True)), condition)
            .values(lease_owner=bindparam("c_owner"), lease_until=bindparam("c_lease_until"),
                    updated_at=now)
            .returning(table.c.id))
    return candidates, take


def _conditional(session: Session, delivery_id: int, owner: str, states: tuple[str, ...],
                 commit: bool, **values: Any) -> bool:
    result = session.exec(
        update(Delivery)
        .where(col(Delivery.id) == delivery_id, col(Delivery.lease_owner) == owner,
               col(Delivery.state).in_(states))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    if commit:
        session.commit()
    return bool(result.rowcount == 1)


def mark_sending(*, session: Session, delivery_id: int, owner: str, now: datetime,
                 lease: timedelta) -> bool:
    """The last word before the network: committed, so a crash after it reads `uncertain`.

    The same commit carries whatever outcome the caller staged with commit=False (the
    previous delivery's), which saves a disk flush per message and changes no guarantee:
    an outcome lost in a crash leaves its row `sending`, hence `uncertain`, never resent.
    """
    return _conditional(
        session, delivery_id, owner, CLAIMABLE, True, state=DeliveryState.SENDING,
        attempts=Delivery.attempts + 1, lease_until=now + lease, updated_at=now,
    )


# The owner may still record the outcome after a sweep called its row uncertain: it knows.
_RECORDABLE = (DeliveryState.SENDING, DeliveryState.UNCERTAIN)


def record_sent(*, session: Session, delivery_id: int, owner: str, now: datetime,
                external_id: str | None, commit: bool = True) -> bool:
    return _conditional(
        session, delivery_id, owner, _RECORDABLE, commit, state=DeliveryState.SENT, sent_at=now,
        external_id=external_id, last_error="", lease_owner=None, lease_until=None,
        updated_at=now,
    )


def record_retry(*, session: Session, delivery_id: int, owner: str, now: datetime,
                 reason: str, next_attempt_at: datetime, commit: bool = True) -> bool:
    return _conditional(
        session, delivery_id, owner, _RECORDABLE, commit, state=DeliveryState.RETRY,
        last_error=within(reason, LAST_ERROR_MAX), next_attempt_at=next_attempt_at,
        lease_owner=None, lease_until=None, updated_at=now,
    )


def record_failed(*, session: Session, delivery_id: int, owner: str, now: datetime,
                  reason: str, commit: bool = True) -> bool:
    return _conditional(
        session, delivery_id, owner, (*_RECORDABLE, *CLAIMABLE), commit,
        state=DeliveryState.FAILED,
        last_error=within(reason, LAST_ERROR_MAX), lease_owner=None, lease_until=None,
        updated_at=now,
    )


def record_uncertain(*, session: Session, delivery_id: int, owner: str, now: datetime,
                     reason: str, commit: bool = True) -> bool:
    return _conditional(
        session, delivery_id, owner, _RECORDABLE, commit, state=DeliveryState.UNCERTAIN,
        last_error=within(reason, LAST_ERROR_MAX), lease_owner=None, lease_until=None,
        updated_at=now,
    )


def release(*, session: Session, delivery_id: int, owner: str, now: datetime,
            commit: bool = True) -> bool:
    """Give back a claim that never reached the network (shutting down, not yet due)."""
    return _conditional(session, delivery_id, owner, CLAIMABLE, commit, lease_owner=None,
                        lease_until=None, updated_at=now)


def sweep_abandoned(*, session: Session, now: datetime) -> int:
    """Deliveries left `sending` by a dead process become `uncertain`: never resent alone."""
    result = session.exec(
        update(Delivery)
        .where(col(Delivery.state) == DeliveryState.SENDING, col(Delivery.lease_until) < now)
        .values(state=DeliveryState.UNCERTAIN, updated_at=now,
                last_error="the sending process stopped before recording the outcome; "
                "check with the recipient, then resend if needed")
    )
    assert isinstance(result, CursorResult)
    session.commit()
    return int(result.rowcount)


def resend(*, session: Session, delivery_ids: list[int], actor: str, now: datetime) -> list[int]:
    """A person decided: these uncertain or failed deliveries go out again. Audited."""
    done: list[int] = []
    for delivery in session.exec(select(Delivery).where(col(Delivery.id).in_(delivery_ids))):
        if delivery.state not in (DeliveryState.UNCERTAIN, DeliveryState.FAILED):
            continue
        assert delivery.id is not None
        before = {"state": delivery.state, "last_error": delivery.last_error}
        delivery.state = DeliveryState.PENDING
        delivery.next_attempt_at = now
        delivery.lease_owner = None
        delivery.lease_until = None
        delivery.updated_at = now
        session.add(delivery)
        audit.record(session=session, actor=actor, action="resend", entity="delivery",
                     entity_id=delivery.id, before=before, after={"state": "pending"}, now=now)
        done.append(delivery.id)
    session.commit()
    return sorted(done)


@dataclass(frozen=True)
class DeliveryPage:
    rows: list[tuple[Delivery, str]]  # a delivery and the code of its PoC's party
    total: int  # deliveries matching the filters, on every page: what the page leaves out


def listing(*, session: Session, state: str | None = None, message_id: int | None = None,
            limit: int = 500, offset: int = 0) -> DeliveryPage:
    """One page of deliveries (oldest first), with how many match in all."""
    query = (
        select(Delivery, Party.code)
        .join(PointOfContact, col(PointOfContact.id) == col(Delivery.poc_id))
        .join(Party, col(Party.id) == col(PointOfContact.party_id))
    )
    if state is not None:
        query = query.where(Delivery.state == state)
    if message_id is not None:
        query = query.where(Delivery.message_id == message_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page = query.order_by(col(Delivery.id)).offset(offset).limit(limit)
    return DeliveryPage(rows=[(delivery, code) for delivery, code in session.exec(page)],
                        total=total)


def counts_by_state(*, session: Session, message_id: int | None = None) -> dict[str, int]:
    query = select(Delivery.state, func.count()).group_by(col(Delivery.state))
    if message_id is not None:
        query = query.where(Delivery.message_id == message_id)
    return {state: count for state, count in session.exec(query)}


@dataclass(frozen=True)
class Audience:
    recipients: list[Recipient]
    unreachable: list[int]  # PoC ids with no channel we may use: staff must see them


def audience_of(*, session: Session, poc_ids: list[int]) -> Audience:
    """Every channel each active PoC can be reached by; those with none are listed apart."""
    recipients: list[Recipient] = []
    unreachable: list[int] = []
    with_email = set(session.exec(
        select(PocEmail.poc_id).where(col(PocEmail.poc_id).in_(poc_ids), PocEmail.position == 0)
    ))
    query = select(PointOfContact).where(col(PointOfContact.id).in_(poc_ids),
                                         PointOfContact.status == PocStatus.ACTIVE)
    for poc in session.exec(query.order_by(col(PointOfContact.id))):
        assert poc.id is not None
        channels = []
        if poc.id in with_email and poc.email_opted_out_at is None:
            channels.append(Channel.EMAIL)
        if poc.telegram_chat_id is not None and poc.telegram_unreachable_at is None:
            channels.append(Channel.TELEGRAM)
        if not channels:
            unreachable.append(poc.id)
        recipients.extend(Recipient(poc.id, channel) for channel in channels)
    return Audience(recipients=recipients, unreachable=unreachable)
