"""A PoC's answer to an assistance follow-up, by a Telegram button or a signed e-mail link.

The rules are the reminders' (storage.reminders.reply_target): an answer is taken only for a
delivery of an "assistance_follow_up" message, only from the chat of the PoC it went to when
it comes from Telegram, and only within `valid_for` (OUTREACH_REPLY_LINK_DAYS) of its sending.
It is recorded through storage.assistance.feedback.record (audited; the same answer again
changes nothing).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session

from storage.assistance import feedback
from storage.assistance.model import AssistanceRequest, FeedbackAnswer
from storage.outbox import Delivery
from storage.pocs import PointOfContact


class AnswerOutcome(StrEnum):
    RECORDED = "recorded"
    REPEATED = "repeated"  # this answer was given before: nothing changed
    EXPIRED = "expired"  # the follow-up is older than its answers last: nothing changed


@dataclass(frozen=True)
class FollowUpTarget:
    request_id: int
    poc_id: int
    language: str  # the PoC's, for what they read next
    expired: bool


@dataclass(frozen=True)
class AnswerTaken:
    outcome: AnswerOutcome
    request_id: int
    language: str


def follow_up_target(*, session: Session, delivery_id: int, now: datetime,
                     valid_for: timedelta, telegram_chat_id: int | None = None,
                     ) -> FollowUpTarget | None:
    """The request and PoC a follow-up's delivery asks about; None when no answer can be
    taken for it (unknown delivery, another kind of message, another chat, a request no
    longer on file)."""
    found = feedback.follow_up_of(session=session, delivery_id=delivery_id)
    if found is None:
        return None
    request_id, poc_id = found
    delivery = session.get(Delivery, delivery_id)
    poc = session.get(PointOfContact, poc_id)
    if (delivery is None or poc is None or poc.id is None
            or session.get(AssistanceRequest, request_id) is None):
        return None
    if telegram_chat_id is not None and poc.telegram_chat_id != telegram_chat_id:
        return None
    sent = delivery.sent_at or delivery.created_at
    return FollowUpTarget(request_id, poc.id, poc.language, now > sent + valid_for)


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
        return AnswerTaken(AnswerOutcome.EXPIRED, target.request_id, target.language)
    recorded = feedback.record(session=session, request_id=target.request_id,
                               poc_id=target.poc_id, answer=answer.value, channel=channel,
                               actor=f"poc:{target.poc_id}", now=now)
    outcome = AnswerOutcome.RECORDED if recorded else AnswerOutcome.REPEATED
    return AnswerTaken(outcome, target.request_id, target.language)
