"""A Chair's message leaves: release into the outbox exactly once, then report and retry.

Release turns an approved message into one outbox message per body language (dedupe key
`chair:<id>:<language>`) and one delivery per PoC and usable channel. The state change
approved -> sending is a conditional UPDATE that only one transaction can win; the outbox's
unique keys back it up. Sending itself is the dispatcher's business.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.engine import CursorResult
from sqlmodel import Session, col, select

from storage import audit, outbox
from storage.chair import (
    ENTITY,
    OUTBOX_KIND,
    ChairBody,
    ChairMessage,
    ChairState,
    RetryRefused,
    bodies,
    complete_languages,
    get,
    outbox_message_ids,
    snapshot,
)
from storage.chair_audience import AudienceFilter, RecipientPlan, plan
from storage.outbox import WRITTEN_IN, Channel, Delivery, DeliveryState, Recipient
from storage.parties import Party
from storage.pocs import PointOfContact

TEMPLATE = "chair_message"


@dataclass(frozen=True)
class Release:
    message_id: int
    outbox_ids: dict[str, int]  # body language -> outbox message id
    deliveries: int
    unreachable: list[int]  # PoC ids without a usable channel


def outbox_context(message_id: int, body: ChairBody) -> dict[str, Any]:
    """What an outbox message of one language carries: the templates render it."""
    return {WRITTEN_IN: body.language, "chair_message_id": message_id,
            "subject": body.subject, "markdown": body.markdown}


def recipients(*, session: Session, message: ChairMessage) -> RecipientPlan:
    """Who would receive `message` now, in which language, by which channels."""
    assert message.id is not None
    return plan(session=session, audience=AudienceFilter.from_json(message.audience),
                body_languages=complete_languages(session=session, message_id=message.id))


def release(*, session: Session, message_id: int, actor: str, now: datetime) -> Release | None:
    """Queue an approved, due message; None when it is not (or another process won the race).

    Flushes, does not commit: the state change and the deliveries commit together.
    """
    claimed = session.exec(
        update(ChairMessage)
        .where(col(ChairMessage.id) == message_id, col(ChairMessage.state) == ChairState.APPROVED,
               or_(col(ChairMessage.send_at).is_(None), col(ChairMessage.send_at) <= now))
        .values(state=ChairState.SENDING, released_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(claimed, CursorResult)
    if claimed.rowcount != 1:
        return None
    message = get(session=session, message_id=message_id)
    session.refresh(message)
    texts = bodies(session=session, message_id=message_id)
    chosen = recipients(session=session, message=message)
    by_language: dict[str, list[Recipient]] = {}
    for person in chosen.reachable:
        by_language.setdefault(person.language, []).extend(
            Recipient(person.poc_id, channel) for channel in person.channels)
    outbox_ids: dict[str, int] = {}
    for language, people in by_language.items():
        body = texts[language]
        queued = outbox.enqueue(
            session=session, kind=OUTBOX_KIND, template=TEMPLATE,
            context=outbox_context(message_id, body),
            audience=f"chair message {message_id}, {language}", recipients=people,
            created_by=actor, now=now, dedupe_key=f"chair:{message_id}:{language}",
        )
        assert queued.id is not None
        outbox_ids[language] = queued.id
    message.unreachable = [person.poc_id for person in chosen.unreachable]
    session.add(message)
    count = sum(len(people) for people in by_language.values())
    audit.record(session=session, actor=actor, action="release", entity=ENTITY,
                 entity_id=message_id, before={"state": ChairState.APPROVED},
                 after={**snapshot(message), "deliveries": count, "outbox": outbox_ids,
                        "unreachable": len(message.unreachable)}, now=now)
    session.flush()
    return Release(message_id=message_id, outbox_ids=outbox_ids, deliveries=count,
                   unreachable=list(message.unreachable))


def due(*, session: Session, now: datetime) -> list[int]:
    """Approved messages whose time has come."""
    query = select(ChairMessage.id).where(
        ChairMessage.state == ChairState.APPROVED,
        or_(col(ChairMessage.send_at).is_(None), col(ChairMessage.send_at) <= now),
    ).order_by(col(ChairMessage.id))
    return [message_id for message_id in session.exec(query) if message_id is not None]


def release_due(*, session: Session, actor: str, now: datetime) -> list[Release]:
    """Release every due message, each in its own committed transaction."""
    released = []
    for message_id in due(session=session, now=now):
        result = release(session=session, message_id=message_id, actor=actor, now=now)
        session.commit()
        if result is not None:
            released.append(result)
    return released


_UNFINISHED = (DeliveryState.PENDING, DeliveryState.SENDING, DeliveryState.RETRY)


def settle(*, session: Session, actor: str, now: datetime) -> list[int]:
    """Released messages none of whose deliveries is still under way become sent; committed."""
    settled = []
    for message in session.exec(select(ChairMessage).where(
            ChairMessage.state == ChairState.SENDING)):
        assert message.id is not None
        outbox_ids = list(outbox_message_ids(session=session, message_id=message.id))
        unfinished = session.exec(select(Delivery.id).where(
            col(Delivery.message_id).in_(outbox_ids),
            col(Delivery.state).in_(_UNFINISHED)).limit(1)).first()
        if unfinished is not None:
            continue
        done = session.exec(
            update(ChairMessage)
            .where(col(ChairMessage.id) == message.id,
                   col(ChairMessage.state) == ChairState.SENDING)
            .values(state=ChairState.SENT, sent_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        assert isinstance(done, CursorResult)
        if done.rowcount == 1:
            audit.record(session=session, actor=actor, action="settle", entity=ENTITY,
                         entity_id=message.id, before={"state": ChairState.SENDING},
                         after={"state": ChairState.SENT}, now=now)
            settled.append(message.id)
    session.commit()
    for message_id in settled:
        stored = session.get(ChairMessage, message_id)
        if stored is not None:
            session.refresh(stored)
    return settled


# How staff read delivery states
STATUS_BUCKETS = ("sent", "pending", "retrying", "failed", "uncertain")
_BUCKET_OF = {
    DeliveryState.SENT: "sent", DeliveryState.PENDING: "pending",
    DeliveryState.SENDING: "pending", DeliveryState.RETRY: "retrying",
    DeliveryState.FAILED: "failed", DeliveryState.UNCERTAIN: "uncertain",
}


@dataclass(frozen=True)
class ProblemDelivery:
    delivery_id: int
    poc_id: int
    party_code: str
    channel: str
    language: str
    state: str
    reason: str


@dataclass(frozen=True)
class ChairStatus:
    message: ChairMessage
    # (channel, language) -> bucket -> count; every bucket present
    counts: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    problems: list[ProblemDelivery] = field(default_factory=list)  # failed and uncertain
    unreachable: list[tuple[int, str]] = field(default_factory=list)  # (poc id, party code)

    def total(self, bucket: str) -> int:
        return sum(row[bucket] for row in self.counts.values())


def status(*, session: Session, message_id: int) -> ChairStatus:
    """Deliveries of a message per channel and language, with the ones needing a person."""
    message = get(session=session, message_id=message_id)
    session.refresh(message)
    languages = outbox_message_ids(session=session, message_id=message_id)
    counts: dict[tuple[str, str], dict[str, int]] = {}
    problems = []
    query = (
        select(Delivery, Party.code)
        .join(PointOfContact, col(PointOfContact.id) == col(Delivery.poc_id))
        .join(Party, col(Party.id) == col(PointOfContact.party_id))
        .where(col(Delivery.message_id).in_(list(languages)))
        .order_by(col(Delivery.id))
        .execution_options(populate_existing=True)  # the outbox updates rows in SQL
    )
    for delivery, code in session.exec(query):
        assert delivery.id is not None
        language = languages[delivery.message_id]
        row = counts.setdefault((delivery.channel, language),
                                dict.fromkeys(STATUS_BUCKETS, 0))
        row[_BUCKET_OF[DeliveryState(delivery.state)]] += 1
        if delivery.state in (DeliveryState.FAILED, DeliveryState.UNCERTAIN):
            problems.append(ProblemDelivery(delivery.id, delivery.poc_id, code, delivery.channel,
                                            language, delivery.state, delivery.last_error))
    unreachable = list(session.exec(
        select(PointOfContact.id, Party.code)
        .join(Party, col(Party.id) == col(PointOfContact.party_id))
        .where(col(PointOfContact.id).in_(message.unreachable))
        .order_by(col(PointOfContact.id))))
    ordered = dict(sorted(counts.items(), key=lambda item: (
        list(Channel).index(Channel(item[0][0])), item[0][1])))
    return ChairStatus(message=message, counts=ordered, problems=problems,
                       unreachable=[(poc_id or 0, code) for poc_id, code in unreachable])


def retry_failed(*, session: Session, message_id: int, actor: str, now: datetime,
                 delivery_ids: Iterable[int] | None = None) -> list[int]:
    """Send the failed deliveries again (all, or those of `delivery_ids`); committed.

    Refused for a message that was cancelled or never released.
    """
    message = get(session=session, message_id=message_id)
    if message.state not in (ChairState.SENDING, ChairState.SENT):
        raise RetryRefused(message_id, state=message.state)
    outbox_ids = list(outbox_message_ids(session=session, message_id=message_id))
    query = select(Delivery.id).where(col(Delivery.message_id).in_(outbox_ids),
                                      Delivery.state == DeliveryState.FAILED)
    if delivery_ids is not None:
        query = query.where(col(Delivery.id).in_(list(delivery_ids)))
    failed = [delivery_id for delivery_id in session.exec(query) if delivery_id is not None]
    if not failed:
        return []
    before = snapshot(message)
    if message.state == ChairState.SENT:  # under way again until the retries settle
        message.state = ChairState.SENDING
        message.sent_at = None
        session.add(message)
    audit.record(session=session, actor=actor, action="retry", entity=ENTITY,
                 entity_id=message_id, before=before,
                 after={**snapshot(message), "deliveries": len(failed)}, now=now)
    return outbox.resend(session=session, delivery_ids=failed, actor=actor, now=now)
