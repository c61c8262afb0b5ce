"""What every answer to a delivery shares: a PoC presses a button under a message or follows
a signed e-mail link from it (a reminder's "received", an assistance follow-up's "met", a
letter's "our response has been sent", ...), and the answer is taken only

- for a delivery that exists, of a message of the kind the answer belongs to (the caller's
  `subject` says what the message is about, or None when it is not of that kind);
- from the chat of the PoC it went to, when it comes from Telegram;
- within `valid_for` (OUTREACH_REPLY_LINK_DAYS) of its sending: an old link must not answer
  today (the outcome is EXPIRED and nothing changes).

Each kind records its answer in its own aggregate (storage.reminders, storage.assistance,
storage.letters, ...) and reports the result as an AnswerTaken, in plain values the chat and
the page show.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Generic, TypeVar

from sqlmodel import Session

from storage.outbox import Delivery, OutboxMessage
from storage.pocs import PointOfContact

Subject = TypeVar("Subject")


class AnswerOutcome(StrEnum):
    RECORDED = "recorded"
    REPEATED = "repeated"  # nothing changed (this answer was given before, or is weaker)
    EXPIRED = "expired"  # the message is older than its answers last: nothing changed


@dataclass(frozen=True)
class AnswerTarget(Generic[Subject]):
    """The delivery an answer is about, its PoC and what its message is about."""

    delivery_id: int
    message_id: int
    poc_id: int
    party_id: int
    language: str  # the PoC's, for what they read next
    expired: bool  # sent more than the links' period ago: no answer is taken any more
    subject: Subject


@dataclass(frozen=True)
class AnswerTaken:
    outcome: AnswerOutcome
    language: str
    until: date | None = None  # a snooze's or a promise's end, when the answer has one


def answer_target(*, session: Session, delivery_id: int, now: datetime, valid_for: timedelta,
                  subject: Callable[[Delivery, OutboxMessage], Subject | None],
                  telegram_chat_id: int | None = None) -> AnswerTarget[Subject] | None:
    """The target of an answer to `delivery_id`; None when no answer can be taken for it (an
    unknown delivery, a message `subject` does not recognise, another PoC's chat)."""
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        return None
    message = session.get(OutboxMessage, delivery.message_id)
    poc = session.get(PointOfContact, delivery.poc_id)
    if message is None or message.id is None or poc is None or poc.id is None:
        return None
    about = subject(delivery, message)
    if about is None:
        return None
    if telegram_chat_id is not None and poc.telegram_chat_id != telegram_chat_id:
        return None
    sent = delivery.sent_at or delivery.created_at
    return AnswerTarget(delivery_id, message.id, poc.id, poc.party_id, poc.language,
                        now > sent + valid_for, about)


def outcome(changed: bool) -> AnswerOutcome:
    return AnswerOutcome.RECORDED if changed else AnswerOutcome.REPEATED
