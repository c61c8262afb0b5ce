"""A State's answer to its draft matrix, by a Telegram button or a signed e-mail link:
"approved" (the version is approved that day: storage.matrices.versions.approve, audited, and
the matrix figures count it from then) or "comments attached" (the PoC is asked to upload
the comments, inbox purpose "matrix_comments"; the review stays open, "comments received",
and its reminders wait).

The rules are the letters' (storage.letter_answers): an answer is taken only for a delivery
of the review's message or of one of its reminders, only from the chat of the PoC it went to
when it comes from Telegram, and only within `valid_for` (OUTREACH_REPLY_LINK_DAYS) of its
sending. The same answer twice changes nothing; an approval is final (comments after it
change nothing either).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session

from storage.matrices import reviews, versions
from storage.matrices.model import MatrixVersion
from storage.matrices.review_model import ReviewState
from storage.outbox import Delivery, OutboxMessage
from storage.pocs import PointOfContact


class ReviewAnswer(StrEnum):
    APPROVED = "approved"
    COMMENTS = "comments"


class ReviewOutcome(StrEnum):
    RECORDED = "recorded"
    REPEATED = "repeated"  # nothing changed (the same answer, or anything after an approval)
    EXPIRED = "expired"  # the message is older than its answers last: nothing changed


@dataclass(frozen=True)
class ReviewTarget:
    review_id: int
    party_id: int
    poc_id: int
    language: str  # the PoC's, for what they read next
    expired: bool


@dataclass(frozen=True)
class ReviewTaken:
    outcome: ReviewOutcome
    review_id: int
    poc_id: int
    language: str
    version: int  # the version number the State answered for


def review_target(*, session: Session, delivery_id: int, now: datetime,
                  valid_for: timedelta, telegram_chat_id: int | None = None,
                  ) -> ReviewTarget | None:
    """The review and PoC a delivery of a review's message (or reminder) went to; None when
    no answer can be taken for it (unknown delivery, no review, another chat)."""
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        return None
    message = session.get(OutboxMessage, delivery.message_id)
    poc = session.get(PointOfContact, delivery.poc_id)
    if message is None or poc is None or poc.id is None:
        return None
    review_id = reviews.review_of_message(message)
    if review_id is None or reviews.get(session=session, review_id=review_id) is None:
        return None
    if telegram_chat_id is not None and poc.telegram_chat_id != telegram_chat_id:
        return None
    sent = delivery.sent_at or delivery.created_at
    return ReviewTarget(review_id, poc.party_id, poc.id, poc.language, now > sent + valid_for)


def answer_review(*, session: Session, delivery_id: int, answer: ReviewAnswer, channel: str,
                  now: datetime, valid_for: timedelta, telegram_chat_id: int | None = None,
                  ) -> ReviewTaken | None:
    """Record the State's `answer`; None when it cannot be taken (see review_target). The
    caller commits."""
    target = review_target(session=session, delivery_id=delivery_id, now=now,
                           valid_for=valid_for, telegram_chat_id=telegram_chat_id)
    if target is None:
        return None
    review = reviews.get(session=session, review_id=target.review_id)
    assert review is not None
    version = session.get(MatrixVersion, review.version_id)
    assert version is not None

    def taken(outcome: ReviewOutcome) -> ReviewTaken:
        return ReviewTaken(outcome, target.review_id, target.poc_id, target.language,
                           version.version)

    if target.expired:
        return taken(ReviewOutcome.EXPIRED)
    wanted = ReviewState.APPROVED if answer is ReviewAnswer.APPROVED else ReviewState.COMMENTS
    if review.state in (ReviewState.APPROVED, wanted) or version.approved_on is not None:
        return taken(ReviewOutcome.REPEATED)
    actor = f"poc:{target.poc_id}"
    if wanted is ReviewState.APPROVED:
        versions.approve(session=session, version=version, approved_on=now.date(),
                         actor=actor, now=now)
    reviews.set_state(session=session, review=review, state=wanted, on=now.date(),
                      poc_id=target.poc_id, channel=channel, actor=actor, now=now)
    return taken(ReviewOutcome.RECORDED)
