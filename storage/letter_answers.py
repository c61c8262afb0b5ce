"""A PoC's answer to a letter that expects one, by a Telegram button or a signed e-mail link:
"our response has been sent" (a response, not yet judged substantive by staff) or "we will
respond within PROMISE_DAYS days" (a promise: reminders wait until that date).

The rules are the reminders' (storage.reminders.reply_target) and the assistance
follow-ups' (storage.assistance.follow_up_answers): an answer is taken only for a delivery
of the letter itself or of one of its reminders, only from the chat of the PoC it went to
when it comes from Telegram, and only within `valid_for` (OUTREACH_REPLY_LINK_DAYS) of its
sending. It is recorded for the PoC's party through storage.letters.record (audited; the
same answer again changes nothing; a promise never replaces a response).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session

from storage import letters
from storage.letters import ResponseKind
from storage.outbox import Delivery, OutboxMessage
from storage.pocs import PointOfContact

PROMISE_DAYS = 30


class LetterAnswer(StrEnum):
    RESPONDED = "responded"
    PROMISE = "promise"


class LetterOutcome(StrEnum):
    RECORDED = "recorded"
    REPEATED = "repeated"  # nothing changed (the same answer, or a promise after a response)
    EXPIRED = "expired"  # the message is older than its answers last: nothing changed


@dataclass(frozen=True)
class LetterTarget:
    letter_id: int
    party_id: int
    poc_id: int
    language: str  # the PoC's, for what they read next
    expired: bool


@dataclass(frozen=True)
class LetterTaken:
    outcome: LetterOutcome
    letter_id: int
    language: str
    promised_by: str | None  # YYYY-MM-DD, for a promise


def letter_target(*, session: Session, delivery_id: int, now: datetime,
                  valid_for: timedelta, telegram_chat_id: int | None = None,
                  ) -> LetterTarget | None:
    """The letter and PoC a delivery of a letter (or of its reminder) went to; None when no
    answer can be taken for it (unknown delivery, a message that is no letter, another
    chat)."""
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        return None
    message = session.get(OutboxMessage, delivery.message_id)
    poc = session.get(PointOfContact, delivery.poc_id)
    if message is None or poc is None or poc.id is None:
        return None
    letter = letters.letter_of_message(session=session, message=message)
    if letter is None or letter.id is None:
        return None
    if telegram_chat_id is not None and poc.telegram_chat_id != telegram_chat_id:
        return None
    sent = delivery.sent_at or delivery.created_at
    return LetterTarget(letter.id, poc.party_id, poc.id, poc.language, now > sent + valid_for)


def answer_letter(*, session: Session, delivery_id: int, answer: LetterAnswer, channel: str,
                  now: datetime, valid_for: timedelta, telegram_chat_id: int | None = None,
                  ) -> LetterTaken | None:
    """Record the PoC's `answer` for its party; None when it cannot be taken (see
    letter_target). The caller commits."""
    target = letter_target(session=session, delivery_id=delivery_id, now=now,
                           valid_for=valid_for, telegram_chat_id=telegram_chat_id)
    if target is None:
        return None
    if target.expired:
        return LetterTaken(LetterOutcome.EXPIRED, target.letter_id, target.language, None)
    promise = answer is LetterAnswer.PROMISE
    promised_by = (now + timedelta(days=PROMISE_DAYS)).date() if promise else None
    done = letters.record(
        session=session, letter_id=target.letter_id, party_id=target.party_id,
        kind=ResponseKind.PROMISE if promise else ResponseKind.RESPONSE, on=now.date(),
        channel=channel, actor=f"poc:{target.poc_id}", now=now, promised_by=promised_by,
        poc_id=target.poc_id)
    stored = done.response.promised_by
    return LetterTaken(LetterOutcome.RECORDED if done.changed else LetterOutcome.REPEATED,
                       target.letter_id, target.language,
                       stored.isoformat() if stored and promise else None)
