"""A PoC's answer to an assistance follow-up, by a Telegram button or a signed e-mail link.

Taken as every answer to a delivery is (storage.delivery_answers): only for a delivery of an
"assistance_follow_up" message about a request still on file, only from the chat of the PoC
it went to when it comes from Telegram, and only within OUTREACH_REPLY_LINK_DAYS of its
sending. It is recorded through storage.assistance.feedback.record (audited; the same answer
again changes nothing).
"""

from datetime import datetime, timedelta

from sqlmodel import Session

from storage.assistance import feedback
from storage.assistance.model import AssistanceRequest, FeedbackAnswer
from storage.delivery_answers import (
    AnswerOutcome,
    AnswerTaken,
    AnswerTarget,
    answer_target,
    outcome,
)


def follow_up_target(*, session: Session, delivery_id: int, now: datetime,
                     valid_for: timedelta, telegram_chat_id: int | None = None,
                     ) -> AnswerTarget[int] | None:
    """The request (the subject: its id) a follow-up's delivery asks about; None when no
    answer can be taken for it."""
    def request_asked_about(*_: object) -> int | None:
        found = feedback.follow_up_of(session=session, delivery_id=delivery_id)
        if found is None or session.get(AssistanceRequest, found[0]) is None:
            return None
        return found[0]

    return answer_target(session=session, delivery_id=delivery_id, now=now,
                         valid_for=valid_for, subject=request_asked_about,
                         telegram_chat_id=telegram_chat_id)


def answer_follow_up(*, session: Session, delivery_id: int, answer: FeedbackAnswer,
                     channel: str, now: datetime, valid_for: timedelta,
                     telegram_chat_id: int | None = None) -> AnswerTaken | None:
    """Record the PoC's `answer` to the follow-up of `delivery_id`; None when it cannot be
    taken (see follow_up_target). The caller commits."""
    target = follow_up_target(session=session, delivery_id=delivery_id, now=now,
                              valid_for=valid_for, telegram_chat_id=telegram_chat_id)
    if target is None:
        return None
    if target.expired:
        return AnswerTaken(AnswerOutcome.EXPIRED, target.language)
    recorded = feedback.record(session=session, request_id=target.subject,
                               poc_id=target.poc_id, answer=answer.value, channel=channel,
                               actor=f"poc:{target.poc_id}", now=now)
    return AnswerTaken(outcome(recorded), target.language)
