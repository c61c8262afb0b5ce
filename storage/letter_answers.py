"""A PoC's answer to a letter that expects one, by a Telegram button or a signed e-mail link:
"our response has been sent" (a response, not yet judged substantive by staff) or "we will
respond within PROMISE_DAYS days" (a promise: reminders wait until that date).

Taken as every answer to a delivery is (storage.delivery_answers): only for a delivery of
the letter itself or of one of its reminders, only from the chat of the PoC it went to when
it comes from Telegram, and only within OUTREACH_REPLY_LINK_DAYS of its sending. It is
recorded for the PoC's party through storage.letters.record (audited; the same answer again
changes nothing; a promise never replaces a response).
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session

from storage import letters
from storage.delivery_answers import (
    AnswerOutcome,
    AnswerTaken,
    AnswerTarget,
    answer_target,
    outcome,
)
from storage.letters import ResponseKind
from storage.outbox import Delivery, OutboxMessage

PROMISE_DAYS = 30


class LetterAnswer(StrEnum):
    RESPONDED = "responded"
    PROMISE = "promise"


def _letter(session: Session) -> Callable[[Delivery, OutboxMessage], int | None]:
    def letter_id(_: Delivery, message: OutboxMessage) -> int | None:
        letter = letters.letter_of_message(session=session, message=message)
        return letter.id if letter is not None else None
    return letter_id


def letter_target(*, session: Session, delivery_id: int, now: datetime,
                  valid_for: timedelta, telegram_chat_id: int | None = None,
                  ) -> AnswerTarget[int] | None:
    """The letter (the subject: its id) a delivery of a letter or of its reminder went with;
    None when no answer can be taken for it (unknown delivery, a message that is no letter,
    another chat)."""
    return answer_target(session=session, delivery_id=delivery_id, now=now,
                         valid_for=valid_for, subject=_letter(session),
                         telegram_chat_id=telegram_chat_id)


def answer_letter(*, session: Session, delivery_id: int, answer: LetterAnswer, channel: str,
                  now: datetime, valid_for: timedelta, telegram_chat_id: int | None = None,
                  ) -> AnswerTaken | None:
    """Record the PoC's `answer` for its party; None when it cannot be taken (see
    letter_target); `until` is a promise's date. The caller commits."""
    target = letter_target(session=session, delivery_id=delivery_id, now=now,
                           valid_for=valid_for, telegram_chat_id=telegram_chat_id)
    if target is None:
        return None
    if target.expired:
        return AnswerTaken(AnswerOutcome.EXPIRED, target.language)
    promise = answer is LetterAnswer.PROMISE
    promised_by = (now + timedelta(days=PROMISE_DAYS)).date() if promise else None
    done = letters.record(
        session=session, letter_id=target.subject, party_id=target.party_id,
        kind=ResponseKind.PROMISE if promise else ResponseKind.RESPONSE, on=now.date(),
        channel=channel, actor=f"poc:{target.poc_id}", now=now, promised_by=promised_by,
        poc_id=target.poc_id)
    stored = done.response.promised_by
    return AnswerTaken(outcome(done.changed), target.language,
                       stored if stored and promise else None)
