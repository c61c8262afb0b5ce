"""Letters that expect an answer: a Chair's message or a one-off message marked as awaiting a
response from each party written to by a due date, and the responses recorded per party.

A letter is either a Chair's message (`chair_message_id`: its deliveries are those of the
outbox messages the Chair's release queued, one per language) or one message queued by
`outreach send` (`outbox_message_id`). The parties written to are the parties of the PoCs
the letter has deliveries for. One response per party and letter (unique); recording again
updates it (audited with before and after). A promise ("we will respond by DATE") is kept on
the same row as kind "promise" until a response replaces it.

What is owed and when to remind is decided in scheduler/letters.py from plain values.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, Session, SQLModel, col, select

from storage import audit
from storage.chair import ChairMessage, outbox_message_ids
from storage.columns import UTCDateTime
from storage.inbox.model import InboxStatus, ReceivedDocument
from storage.outbox import Delivery, OutboxMessage
from storage.parties import Party
from storage.pocs import PointOfContact
from storage.reminders import ReminderPolicy, policy_snapshot

RESPONSE_CHANNELS = ("telegram", "email", "note_verbale", "staff")
LETTER_TARGET = "unanswered_letter"
LETTER_TEMPLATE = "reminder_letter"
# A letter's reminder policy, created paused with the letter: staff resume it to send.
LETTER_CADENCE_DAYS, LETTER_MAX_REMINDERS, LETTER_ESCALATE_AFTER = 30, 3, 2


class ResponseKind(StrEnum):
    RESPONSE = "response"  # the party answered (substantive or not, or not yet judged)
    PROMISE = "promise"  # "we will respond by ...": stops reminders until that date


class Letter(SQLModel, table=True):
    __tablename__ = "letter"
    __table_args__ = (
        CheckConstraint("(chair_message_id IS NULL) <> (outbox_message_id IS NULL)",
                        name="ck_letter_one_source"),
    )

    id: int | None = Field(default=None, primary_key=True)
    chair_message_id: int | None = Field(default=None, foreign_key="chair_message.id",
                                         unique=True)
    outbox_message_id: int | None = Field(default=None, foreign_key="outbox_message.id",
                                          unique=True)
    due_on: date
    policy_id: int | None = Field(default=None, foreign_key="reminder_policy.id")
    created_by: str = Field(max_length=120)
    created_at: datetime = Field(sa_column=Column(
        UTCDateTime(), nullable=False))


class LetterResponse(SQLModel, table=True):
    """One party's answer to one letter (the latest: a second recording updates it)."""

    __tablename__ = "letter_response"
    __table_args__ = (
        UniqueConstraint("letter_id", "party_id"),
        CheckConstraint("kind IN ('response', 'promise')", name="ck_letter_response_kind"),
        CheckConstraint("channel IN ('telegram', 'email', 'note_verbale', 'staff')",
                        name="ck_letter_response_channel"),
    )

    id: int | None = Field(default=None, primary_key=True)
    letter_id: int = Field(foreign_key="letter.id", index=True)
    party_id: int = Field(foreign_key="party.id", index=True)
    kind: str = Field(max_length=10)
    substantive: bool | None = None  # None: not judged yet (a PoC's button or link)
    responded_on: date
    promised_by: date | None = None
    channel: str = Field(max_length=20)
    poc_id: int | None = Field(default=None, foreign_key="poc.id")
    # the received document it came with (the inbox's), filled when the inbox links it
    document_id: int | None = None
    recorded_by: str = Field(max_length=120)
    recorded_at: datetime = Field(sa_column=Column(
        UTCDateTime(), nullable=False))


class LetterError(ValueError):
    """A refused letter operation; `code` names the sentence in templates/cli."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _snapshot(response: LetterResponse) -> dict[str, Any]:
    return {"letter_id": response.letter_id, "party_id": response.party_id,
            "kind": response.kind, "substantive": response.substantive,
            "responded_on": response.responded_on.isoformat(),
            "promised_by": response.promised_by.isoformat() if response.promised_by else None,
            "channel": response.channel, "poc_id": response.poc_id,
            "document_id": response.document_id}


def _create(session: Session, letter: Letter, actor: str, now: datetime, label: str) -> Letter:
    """Store the letter and its paused reminder policy (first send the day after the due
    date), both audited."""
    session.add(letter)
    session.flush()
    policy = ReminderPolicy(
        name=f"letter-{letter.id}: {label}"[:80], target=LETTER_TARGET,
        template=LETTER_TEMPLATE, channels=["email", "telegram"],
        first_send_on=letter.due_on + timedelta(days=1), paused=True,
        created_by=actor, created_at=now, cadence_days=LETTER_CADENCE_DAYS,
        max_reminders=LETTER_MAX_REMINDERS, escalate_after=LETTER_ESCALATE_AFTER)
    session.add(policy)
    session.flush()
    letter.policy_id = policy.id
    audit.record(session=session, actor=actor, action="create", entity="reminder_policy",
                 entity_id=policy.id or 0, before=None, after=policy_snapshot(policy), now=now)
    audit.record(session=session, actor=actor, action="expect_response", entity="letter",
                 entity_id=letter.id or 0, before=None,
                 after={"chair_message_id": letter.chair_message_id,
                        "outbox_message_id": letter.outbox_message_id,
                        "due_on": letter.due_on.isoformat(), "policy_id": policy.id}, now=now)
    return letter


def expect_for_chair(*, session: Session, chair_message_id: int, due_on: date, actor: str,
                     now: datetime) -> Letter:
    """Mark a Chair's message as expecting a response by `due_on`, or move its due date."""
    if session.get(ChairMessage, chair_message_id) is None:
        raise LetterError("letter_chair_not_found", message_id=chair_message_id)
    found = session.exec(select(Letter).where(
        Letter.chair_message_id == chair_message_id)).first()
    if found is not None:
        return _move_due(session, found, due_on, actor, now)
    return _create(session, Letter(chair_message_id=chair_message_id, due_on=due_on,
                                   created_by=actor, created_at=now),
                   actor, now, f"Chair's message {chair_message_id}")


def expect_for_message(*, session: Session, outbox_message_id: int, due_on: date, actor: str,
                       now: datetime) -> Letter:
    """Mark a message queued by `outreach send` as expecting a response by `due_on`."""
    return _create(session, Letter(outbox_message_id=outbox_message_id, due_on=due_on,
                                   created_by=actor, created_at=now),
                   actor, now, f"message {outbox_message_id}")


def _move_due(session: Session, letter: Letter, due_on: date, actor: str,
              now: datetime) -> Letter:
    """A new due date; its policy's first send moves with it (both audited)."""
    if letter.due_on != due_on:
        before = letter.due_on.isoformat()
        letter.due_on = due_on
        session.add(letter)
        audit.record(session=session, actor=actor, action="move_due", entity="letter",
                     entity_id=letter.id or 0, before={"due_on": before},
                     after={"due_on": due_on.isoformat()}, now=now)
        policy = session.get(ReminderPolicy, letter.policy_id) if letter.policy_id else None
        if policy is not None:
            old = policy_snapshot(policy)
            policy.first_send_on = due_on + timedelta(days=1)
            session.add(policy)
            audit.record(session=session, actor=actor, action="update",
                         entity="reminder_policy", entity_id=policy.id or 0, before=old,
                         after=policy_snapshot(policy), now=now)
    return letter


def get(*, session: Session, letter_id: int) -> Letter:
    letter = session.get(Letter, letter_id)
    if letter is None:
        raise LetterError("letter_not_found", letter_id=letter_id)
    return letter


def letters(*, session: Session) -> list[Letter]:
    return list(session.exec(select(Letter).order_by(col(Letter.id))))


def outbox_ids(*, session: Session, letter: Letter) -> list[int]:
    """The outbox messages that carry the letter (one per language for a Chair's)."""
    if letter.outbox_message_id is not None:
        return [letter.outbox_message_id]
    assert letter.chair_message_id is not None
    return sorted(outbox_message_ids(session=session, message_id=letter.chair_message_id))


def written_to(*, session: Session, letter: Letter) -> list[Party]:
    """The parties the letter has at least one delivery for, by name."""
    ids = outbox_ids(session=session, letter=letter)
    if not ids:
        return []
    query = (select(Party).distinct()
             .join(PointOfContact, col(PointOfContact.party_id) == col(Party.id))
             .join(Delivery, col(Delivery.poc_id) == col(PointOfContact.id))
             .where(col(Delivery.message_id).in_(ids)).order_by(col(Party.name)))
    return list(session.exec(query))


def responses(*, session: Session, letter_id: int | None = None) -> list[LetterResponse]:
    query = select(LetterResponse).order_by(col(LetterResponse.id))
    if letter_id is not None:
        query = query.where(LetterResponse.letter_id == letter_id)
    return list(session.exec(query))


@dataclass(frozen=True)
class Recorded:
    response: LetterResponse
    changed: bool  # False: the same answer again, nothing written


def record(*, session: Session, letter_id: int, party_id: int, kind: ResponseKind,
           on: date, channel: str, actor: str, now: datetime,
           substantive: bool | None = None, promised_by: date | None = None,
           poc_id: int | None = None, document_id: int | None = None) -> Recorded:
    """Record the party's response (or promise); a second one updates the first (audited),
    except that a promise never replaces a response, and a PoC's button (substantive None)
    keeps what staff judged. `document_id`: the received document the response is (the
    inbox's, on staff's confirmation); a later record without one keeps it."""
    if channel not in RESPONSE_CHANNELS:
        raise LetterError("letter_bad_channel", channel=channel)
    if kind is ResponseKind.PROMISE and (promised_by is None or promised_by < on):
        raise LetterError("letter_bad_promise")
    found = session.exec(select(LetterResponse).where(
        LetterResponse.letter_id == letter_id, LetterResponse.party_id == party_id)).first()
    if found is None:
        response = LetterResponse(
            letter_id=letter_id, party_id=party_id, kind=kind.value, substantive=substantive,
            responded_on=on, promised_by=promised_by, channel=channel, poc_id=poc_id,
            document_id=document_id, recorded_by=actor, recorded_at=now)
        session.add(response)
        session.flush()
        audit.record(session=session, actor=actor, action="letter_response",
                     entity="letter_response", entity_id=response.id or 0, before=None,
                     after=_snapshot(response), now=now)
        return Recorded(response, True)
    if kind is ResponseKind.PROMISE and found.kind == ResponseKind.RESPONSE:
        return Recorded(found, False)  # the answer came already: a promise adds nothing
    before = _snapshot(found)
    found.kind = kind.value
    found.responded_on = on
    found.promised_by = promised_by if kind is ResponseKind.PROMISE else None
    if substantive is not None or kind is ResponseKind.PROMISE:
        found.substantive = substantive
    found.channel, found.poc_id = channel, poc_id if poc_id is not None else found.poc_id
    if document_id is not None:
        found.document_id = document_id
    found.recorded_by, found.recorded_at = actor, now
    after = _snapshot(found)
    if after == before:
        return Recorded(found, False)
    session.add(found)
    audit.record(session=session, actor=actor, action="letter_response_update",
                 entity="letter_response", entity_id=found.id or 0, before=before,
                 after=after, now=now)
    return Recorded(found, True)


def letter_of_message(*, session: Session, message: OutboxMessage) -> Letter | None:
    """The letter an outbox message carries or reminds of (a letter's reminder names it in
    its context under "letter")."""
    letter_id = message.context.get("letter")
    if isinstance(letter_id, int):
        return session.get(Letter, letter_id)
    found = session.exec(select(Letter).where(
        Letter.outbox_message_id == message.id)).first()
    if found is not None:
        return found
    key = message.dedupe_key or ""
    parts = key.split(":")
    if len(parts) == 3 and parts[0] == "chair" and parts[1].isdigit():
        return session.exec(select(Letter).where(
            Letter.chair_message_id == int(parts[1]))).first()
    return None


@dataclass(frozen=True)
class Owed:
    """A party written to by a letter with a reminder policy, and its answer so far."""

    letter_id: int
    party_id: int
    due_on: date
    kind: str | None  # None: no answer; else ResponseKind
    promised_by: date | None
    under_review: bool = False  # a document the party sent as its response awaits staff


def reminder_facts(*, session: Session) -> tuple[dict[int, int], list[Owed], dict[int, Party]]:
    """For the reminder sweep: policy id -> letter id, every (letter, party written to) with
    its answer, and those parties by id."""
    by_policy: dict[int, int] = {}
    owed: list[Owed] = []
    parties: dict[int, Party] = {}
    answers = {(r.letter_id, r.party_id): r for r in responses(session=session)}
    reviewing = documents_under_review(session=session)
    for letter in letters(session=session):
        if letter.policy_id is None or letter.id is None:
            continue
        by_policy[letter.policy_id] = letter.id
        for party in written_to(session=session, letter=letter):
            parties[party.id or 0] = party
            answer = answers.get((letter.id, party.id or 0))
            owed.append(Owed(letter.id, party.id or 0, letter.due_on,
                             answer.kind if answer else None,
                             answer.promised_by if answer else None,
                             (letter.id, party.id or 0) in reviewing))
    return by_policy, owed, parties


def reminder_context(*, session: Session, letter_id: int) -> dict[str, str]:
    """What a letter's reminder says of the letter: when it was sent and when it was due."""
    letter = get(session=session, letter_id=letter_id)
    sent = session.exec(select(OutboxMessage.created_at).where(
        col(OutboxMessage.id).in_(outbox_ids(session=session, letter=letter)))).first()
    return {"letter_sent_on": sent.date().isoformat() if sent else "",
            "letter_due_on": letter.due_on.isoformat()}


def letter_message_ids(*, session: Session, messages: list[OutboxMessage]) -> dict[int, int]:
    """Which of `messages` carry a letter that expects a response or remind of one, by
    message id, with the letter's id: those get the letter's answer buttons and links, and
    an upload link naming the letter."""
    found: dict[int, int] = {}
    for message in messages:
        letter = letter_of_message(session=session, message=message)
        if message.id is not None and letter is not None and letter.id is not None:
            found[message.id] = letter.id
    return found


def documents_under_review(*, session: Session) -> set[tuple[int, int]]:
    """(letter id, party id) of the documents sent as responses to a letter that staff have
    not decided on yet: reminders of that letter wait for the decision."""
    query = select(ReceivedDocument.letter_id, ReceivedDocument.party_id).where(
        col(ReceivedDocument.letter_id).is_not(None),
        ReceivedDocument.status == InboxStatus.RECEIVED)
    return {(letter_id, party_id) for letter_id, party_id in session.exec(query)
            if letter_id is not None}


def open_letters(*, session: Session, party_id: int) -> list[Letter]:
    """The letters written to the party that it has not responded to (a promise leaves a
    letter open), oldest first: what a PoC's document may answer."""
    answered = {r.letter_id for r in session.exec(select(LetterResponse).where(
        LetterResponse.party_id == party_id, LetterResponse.kind == ResponseKind.RESPONSE))}
    return [letter for letter in letters(session=session)
            if letter.id not in answered and any(
                party.id == party_id for party in written_to(session=session, letter=letter))]
