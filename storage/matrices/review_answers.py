"""A State's answer to its draft matrix, by a Telegram button or a signed e-mail link:
"approved" (the version is approved that day: storage.matrices.versions.approve, audited, and
the matrix figures count it from then) or "comments" (the PoC is asked to upload the
comments, inbox purpose "matrix_comments"; the review stays open, "comments received", and
its reminders wait).

Taken as every answer to a delivery is (storage.delivery_answers): only for a delivery of the
review's message or of one of its reminders, only from the chat of the PoC it went to when
it comes from Telegram, and only within OUTREACH_REPLY_LINK_DAYS of its sending. The same
answer twice changes nothing; an approval is final (comments after it change nothing).
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session

from storage.delivery_answers import (
    AnswerOutcome,
    AnswerTaken,
    AnswerTarget,
    answer_target,
    outcome,
)
from storage.matrices import reviews, versions
from storage.matrices.model import MatrixVersion
from storage.matrices.review_model import ReviewState
from storage.outbox import Delivery, OutboxMessage


class ReviewAnswer(StrEnum):
    APPROVED = "approved"
    COMMENTS = "comments"


def _review(session: Session) -> Callable[[Delivery, OutboxMessage], int | None]:
    def review_id(_: Delivery, message: OutboxMessage) -> int | None:
        found = reviews.review_of_message(message)
        if found is None or reviews.get(session=session, review_id=found) is None:
            return None
        return found
    return review_id


def review_target(*, session: Session, delivery_id: int, now: datetime,
                  valid_for: timedelta, telegram_chat_id: int | None = None,
                  ) -> AnswerTarget[int] | None:
    """The review (the subject: its id) a delivery of a review's message or of its reminder
    went with; None when no answer can be taken for it (unknown delivery, a message that is
    no review, another chat)."""
    return answer_target(session=session, delivery_id=delivery_id, now=now,
                         valid_for=valid_for, subject=_review(session),
                         telegram_chat_id=telegram_chat_id)


def _record(session: Session, review_id: int, answer: ReviewAnswer, poc_id: int,
            channel: str, now: datetime) -> bool:
    """The answer kept (whether anything changed): an approval approves the version."""
    review = reviews.get(session=session, review_id=review_id)
    assert review is not None
    version = session.get(MatrixVersion, review.version_id)
    assert version is not None
    wanted = ReviewState.APPROVED if answer is ReviewAnswer.APPROVED else ReviewState.COMMENTS
    if review.state in (ReviewState.APPROVED, wanted) or version.approved_on is not None:
        return False
    actor = f"poc:{poc_id}"
    if wanted is ReviewState.APPROVED:
        versions.approve(session=session, version=version, approved_on=now.date(),
                         actor=actor, now=now)
    reviews.set_state(session=session, review=review, state=wanted, on=now.date(),
                      poc_id=poc_id, channel=channel, actor=actor, now=now)
    return True


def answer_review(*, session: Session, delivery_id: int, answer: ReviewAnswer, channel: str,
                  now: datetime, valid_for: timedelta, telegram_chat_id: int | None = None,
                  ) -> AnswerTaken | None:
    """Record the State's `answer`; None when it cannot be taken (see review_target). The
    caller commits."""
    target = review_target(session=session, delivery_id=delivery_id, now=now,
                           valid_for=valid_for, telegram_chat_id=telegram_chat_id)
    if target is None:
        return None
    if target.expired:
        return AnswerTaken(AnswerOutcome.EXPIRED, target.language)
    changed = _record(session, target.subject, answer, target.poc_id, channel, now)
    return AnswerTaken(outcome(changed), target.language)
